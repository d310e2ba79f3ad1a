"""Demo data, part 1 after accounts: the law and the published legal catalogue versions."""

from __future__ import annotations

from typing import TextIO

from inspections.legal.catalogue_file import catalogue_files
from inspections.selectors.catalogue import version_by_label
from inspections.services.catalogue import CatalogueError
from inspections.services.catalogue_loading import load_catalogue
from inspections.services.lawchanges import apply_version_in_force
from inspections.services.obligations import refresh_all_obligations


def seed(stdout: TextIO) -> None:
    # Every version, oldest first: 2025.1/2025.2 state the law from 1 July 2025, 2026.1 the law
    # as amended by Decree 347/2026 from 15 September 2026.
    for path in catalogue_files():
        try:
            result = load_catalogue(path, publish=True)
        except CatalogueError as exc:
            # A demo database may hold an earlier published copy of this label: keep it
            # (published versions are immutable) and say so rather than stop the whole seed.
            stdout.write(f"catalogue: {exc.message}\n")
            if version_by_label(path.stem) is None:
                raise
            continue
        version = result.version
        state = "unchanged" if result.unchanged else "loaded and published"
        stdout.write(
            f"catalogue {version.label} ({path.name}, in force from {version.effective_on}): "
            f"{state}, {version.requirements.count()} requirements, "
            f"{version.parameters.count()} parameters\n"
        )
    # The version in force today comes into effect now rather than when a worker picks up the
    # post-publish task: obligations of every premises computed, what the amendment changed
    # for each premises stored and its heads notified (page "Thay đổi pháp luật").
    change = apply_version_in_force()
    # Premises added since that switch (a re-seed) get their obligations too.
    refresh_all_obligations()
    if change is not None:
        stdout.write(
            f"catalogue in force: {change}; obligations of {change.premises_done} premises "
            f"computed, {change.premises_changed} changed by the switch\n"
        )
