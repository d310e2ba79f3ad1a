"""The embedded default's file cache, without a folder listing on every write."""

from __future__ import annotations

import itertools
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    """Django's file cache, culled once every ``CULL_EVERY`` writes of a process.

    Django's file cache lists its whole folder on every write to decide whether to cull. The
    throttles write on every API request, and sync keeps two entries per inspection version:
    at 20,000 entries one listing took about 70 ms. Here the folder is listed on the first
    write of a process and then once every ``CULL_EVERY`` writes; meanwhile each process may
    add that many entries past ``MAX_ENTRIES``.
    """

    CULL_EVERY = 256

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._writes = itertools.count()

    def _cull(self) -> None:
        if next(self._writes) % self.CULL_EVERY == 0:
            # (_cull is private: django-stubs does not declare it)
            super()._cull()  # type: ignore[misc]
