"""The embedded default's file cache: culled, but without listing its folder on every write."""

from __future__ import annotations

from config.cache import FileCache


def test_the_folder_is_listed_on_the_first_write_then_once_every_cull_every(tmp_path, monkeypatch):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 5}})
    listings = []
    listing = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or listing())

    for i in range(2 * FileCache.CULL_EVERY + 1):
        cache.set(f"throttle-{i}", i)

    assert len(listings) == 3


def test_entries_stay_bounded_and_the_latest_is_kept(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    cache.CULL_EVERY = 5

    for i in range(200):
        cache.set(f"sync-{i}", i)

    stored = len(list(tmp_path.glob("*.djcache")))
    assert 0 < stored < 10 + cache.CULL_EVERY + 1
    assert cache.get("sync-199") == 199
