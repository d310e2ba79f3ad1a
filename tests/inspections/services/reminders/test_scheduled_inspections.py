"""Collecting inspection reminders: the assigned, active inspectors of scheduled inspections."""

from __future__ import annotations

from datetime import timedelta

from inspections.models import Inspection
from inspections.services.reminders.jurisdictions import Jurisdictions
from inspections.services.reminders.scheduled_inspections import inspection_reminders

from .conftest import TODAY


def collect(today=TODAY, batch=100):
    # Worded, as the sweep words a reminder it records.
    return [
        r.reminder()
        for page in inspection_reminders(today, Jurisdictions.load(), batch)
        for r in page
    ]


def test_inspection_tomorrow_reminds_its_inspector_in_both_languages(world):
    (r,) = collect()
    inspection, premises = world["inspection"], world["premises"]
    assert (r.kind, r.subject_key, r.stage) == (
        "inspection_due",
        f"inspection:{inspection.pk}",
        "t1",
    )
    assert r.user_ids == (world["inspector"].pk,)
    assert r.authority_ids == (world["authority"].pk,)
    # The address names the ward and the province; the kind is said in each language.
    assert r.what_vi.startswith(f"Kiểm tra định kỳ tại {premises.name} ({premises.address_line}, ")
    assert r.what_en.startswith(f"Periodic inspection at {premises.name} (")
    assert r.what_en.endswith("— due in 1 day (24/11/2026).")


def test_inspections_carried_out_or_too_far_ahead_are_not_collected(world):
    inspection = world["inspection"]
    inspection.scheduled_for = TODAY + timedelta(days=8)
    inspection.save()
    assert collect() == []
    inspection.scheduled_for = TODAY
    inspection.state = Inspection.State.SIGNED
    inspection.save()
    assert collect() == []


def test_an_inactive_inspector_gets_nothing(world):
    inspector = world["inspector"]
    inspector.is_active = False
    inspector.save()
    assert collect() == []
