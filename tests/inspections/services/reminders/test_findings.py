"""Collecting finding reminders: deadlines for the heads, late findings for the managers."""

from __future__ import annotations

from inspections.models import Finding
from inspections.services.reminders.findings import finding_reminders
from inspections.services.reminders.jurisdictions import Jurisdictions

from .conftest import TODAY


def collect(batch=100):
    # Worded, as the sweep words a reminder it records.
    return [
        r.reminder() for page in finding_reminders(TODAY, Jurisdictions.load(), batch) for r in page
    ]


def test_heads_get_the_deadline_and_managers_the_late_finding(world):
    heads = sorted([world["head"].pk, world["english"].pk])
    found = {(r.kind, r.subject_key): r for r in collect()}
    due = found[("finding_deadline", f"finding:{world['finding'].pk}")]
    assert (due.stage, list(due.user_ids)) == ("t3", heads)
    assert due.authority_ids == (world["authority"].pk,)
    late = found[("finding_deadline", f"finding:{world['late_finding'].pk}")]
    assert (late.stage, list(late.user_ids)) == ("overdue", heads)
    manager = found[("finding_overdue_manager", f"finding:{world['late_finding'].pk}")]
    assert manager.user_ids == (world["manager"].pk,)
    assert manager.title_en.startswith(f"Finding past its deadline: {world['premises'].name} (")
    # A finding not yet late is no manager's business.
    assert ("finding_overdue_manager", f"finding:{world['finding'].pk}") not in found
    # Without a requirement, the setting's article is cited (Law Art. 8.3.d).
    assert due.cites[0].law_ref == (8, 3, "d")


def test_closed_findings_are_not_collected_and_pages_cover_every_row(world):
    assert len(collect(batch=1)) == len(collect()) == 3
    Finding.objects.filter(pk=world["late_finding"].pk).update(status=Finding.Status.CLOSED)
    assert {r.subject_key for r in collect()} == {f"finding:{world['finding'].pk}"}
