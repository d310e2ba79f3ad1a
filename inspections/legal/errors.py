"""What reading a catalogue file raises: every problem found, at once."""

from __future__ import annotations


class CatalogueFileError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors
