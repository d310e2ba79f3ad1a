"""A render collects its own garbage and leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

from inspections.pdf.heap import render_heap
from inspections.pdf.render import render_record
from inspections.pdf.samples import sample_context


def _tracked() -> int:
    return len(gc.get_objects())


def test_a_render_leaves_no_cyclic_garbage_and_no_frozen_heap():
    ctx = sample_context(items=8)
    render_record(ctx)  # fonts, templates, caches: allocated once
    gc.collect()
    before = _tracked()
    for _ in range(3):
        render_record(ctx)
    # A render of 8 items leaves tens of thousands of objects in cycles (box trees); without
    # the collection at its end they would pile up here until some later full collection.
    assert _tracked() - before < 2_000
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_the_heap_is_unfrozen_when_the_render_fails():
    with pytest.raises(RuntimeError), render_heap():
        assert gc.get_freeze_count() > 0
        raise RuntimeError("layout failed")
    assert gc.get_freeze_count() == 0


def test_the_render_collects_while_only_its_own_objects_are_walked():
    """Objects from before the render are frozen: a collection inside it does not visit them."""
    pinned = [[] for _ in range(1000)]
    with render_heap():
        inside = gc.get_freeze_count()
        young = len(gc.get_objects())
    assert inside >= len(pinned)
    assert young < inside
