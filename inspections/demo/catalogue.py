"""Demo data, part 1 after accounts: the law and the published legal catalogue."""

from __future__ import annotations

from typing import TextIO

from inspections.legal.catalogue_file import latest_catalogue_file
from inspections.selectors.catalogue import version_by_label
from inspections.services.catalogue import CatalogueError, load_catalogue
from inspections.services.obligations import refresh_all_obligations


def seed(stdout: TextIO) -> None:
    path = latest_catalogue_file()
    try:
        result = load_catalogue(path, publish=True)
    except CatalogueError as exc:
        # A demo database may hold an earlier published copy of this label: keep it (published
        # versions are immutable) and say so rather than stop the whole seed.
        stdout.write(f"catalogue: {exc.message}\n")
        existing = version_by_label(path.stem)
        if existing is None:
            raise
        return
    version = result.version
    state = "unchanged" if result.unchanged else "loaded and published"
    # Premises seeded before the catalogue have no stored obligations yet: compute them now
    # rather than wait for a worker to pick up the post-publish refresh.
    refreshed = refresh_all_obligations()
    stdout.write(
        f"catalogue {version.label} ({path.name}): {state}, "
        f"{version.requirements.count()} requirements, {version.parameters.count()} parameters; "
        f"obligations of {refreshed} premises computed\n"
    )
