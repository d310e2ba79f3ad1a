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
