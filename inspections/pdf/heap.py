"""Garbage collection around a render: collect only what the render itself allocated.

WeasyPrint allocates about half a million container objects for a 150-item record. With the
default thresholds the cyclic collector ran ~30 middle and 2-3 full collections per render, and
each full one walked the whole process heap (Django, the law text, catalogue data: ~290,000
objects) — about a fifth of the render's CPU. Freezing the heap first leaves the collector only
the render's own objects; the cycles the render leaves behind (box trees that point back to
their parents) are collected at the end, before the heap is unfrozen, so the process does not
grow from one record to the next.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def render_heap() -> Iterator[None]:
    """Run a render with the pre-existing heap frozen; collect the render's garbage after.

    The caller must drop its references to the laid-out document inside the block, or the
    final collection has nothing to free. Freezing is process-wide: another thread rendering at
    the same time only changes how much either collection walks, never what is freed.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.collect()
        gc.unfreeze()
