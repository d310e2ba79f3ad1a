"""Garbage collection around a render: walk only what the render itself allocated.

WeasyPrint allocates about half a million container objects for a 150-item record. With the
default thresholds the cyclic collector ran ~30 middle and 2-3 full collections per render, and
each full one walked the whole process heap (Django, the law text, catalogue data: ~290,000
objects) — about a fifth of the render's CPU. Freezing the heap first leaves the collector only
the render's own objects; the cycles the render leaves behind (computed styles, box trees,
text layouts) are collected at the end, so the process does not grow from record to record.

The collector is also paused during the render. Even over the render's own objects it still
ran ~200 young, ~18 middle and one full collection of a 150-item record (0.12 s, a tenth of
its CPU) and freed almost nothing: the objects live until the document is written. The one
collection at the end frees them all; the peak memory is the same (bench/bench_reports.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def render_heap() -> Iterator[None]:
    """Run a render with the pre-existing heap frozen; collect the render's garbage after.

    The caller must drop its references to the laid-out document inside the block, or the
    final collection has nothing to free.

    A web process froze its start-up objects already (config/startup.py) and an English copy
    is rendered in a request: there the freeze is left as it is (``gc.unfreeze`` cannot tell
    its objects from ours and would thaw them all); the render's garbage is still collected.
    Freezing is process-wide: another thread rendering at the same time only changes how much
    either collection walks, never what is freed.
    """
    ours = gc.get_freeze_count() == 0
    we_pause = gc.isenabled()
    if ours:
        gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        # Only what this block changed is restored: a render in another thread that paused
        # the collector first re-enables it itself when it ends.
        if we_pause:
            gc.enable()
        if ours:
            gc.unfreeze()
