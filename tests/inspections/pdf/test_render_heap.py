"""A render collects its own garbage and leaves the collector's freeze as it found it."""

from __future__ import annotations

import gc

import pytest

from inspections.pdf.heap import render_heap
from inspections.pdf.render import render_record
from inspections.pdf.samples import sample_context


def _tracked() -> int:
    return len(gc.get_objects())


@pytest.fixture
def startup_object():
    """An object of a process that froze its start-up objects, as web processes do
    (config/startup.py)."""
    already = gc.get_freeze_count()
    kept = [["loaded at start-up"]]
    gc.collect()
    gc.freeze()
    yield kept
    if not already:
        gc.unfreeze()


def test_a_render_leaves_no_cyclic_garbage_and_the_freeze_as_it_was():
    ctx = sample_context(items=8)
    render_record(ctx)  # fonts, templates, caches: allocated once
    gc.collect()
    frozen, before = gc.get_freeze_count(), _tracked()
    for _ in range(3):
        render_record(ctx)
    # A render of 8 items leaves tens of thousands of objects in cycles (computed styles, box
    # trees); without the collection at its end they would pile up until a full collection.
    assert _tracked() - before < 2_000
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()


def test_a_render_in_a_web_process_keeps_its_start_up_objects_frozen(startup_object):
    def collectable() -> bool:  # gc.get_objects() lists what collections walk, not the frozen
        return any(o is startup_object for o in gc.get_objects())

    assert not collectable()
    render_record(sample_context(items=4))
    assert not collectable()


def test_the_freeze_is_restored_when_the_render_fails():
    frozen = gc.get_freeze_count()
    with pytest.raises(RuntimeError), render_heap():
        assert gc.get_freeze_count() > 0  # the render walks only its own objects
        raise RuntimeError("layout failed")
    assert gc.get_freeze_count() == frozen


def test_the_collector_is_paused_during_a_render_and_restored_after():
    with render_heap():
        assert not gc.isenabled()  # the render's objects live until the document is written
    assert gc.isenabled()
    gc.disable()  # paused by someone else (another thread's render): left as it was
    try:
        with render_heap():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_render_makes_one_collection_a_full_one_at_its_end():
    ctx = sample_context(items=20)
    render_record(ctx)
    full = []

    def count(phase, info):
        if phase == "stop":
            full.append((info["generation"], info["collected"]))

    gc.callbacks.append(count)
    try:
        render_record(ctx)
    finally:
        gc.callbacks.remove(count)
    # No collection while laying out; the one at the end frees the render's cycles.
    ((generation, collected),) = full
    assert generation == 2 and collected > 10_000
