"""Demo data, part 1 after accounts: the law and the published legal catalogue."""

from __future__ import annotations

from typing import TextIO

from inspections.legal.catalogue_file import latest_catalogue_file
from inspections.services.catalogue import load_catalogue


def seed(stdout: TextIO) -> None:
    path = latest_catalogue_file()
    result = load_catalogue(path, publish=True)
    version = result.version
    state = "unchanged" if result.unchanged else "loaded and published"
    stdout.write(
        f"catalogue {version.label} ({path.name}): {state}, "
        f"{version.requirements.count()} requirements, {version.parameters.count()} parameters\n"
    )
