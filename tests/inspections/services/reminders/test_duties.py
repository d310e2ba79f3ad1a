"""Duty reminders come from the stored obligations: no rules run per premises, fixed queries."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Obligation
from inspections.services import obligations as obligation_services
from inspections.services.obligations import refresh_many
from inspections.services.reminders.duties import duty_reminders
from inspections.services.reminders.jurisdictions import Jurisdictions
from tests import factories as f

TODAY = date(2026, 11, 23)


def make(n: int, head) -> list:
    made = [f.PremisesFactory(name=f"Karaoke {i}", heads=[head]) for i in range(n)]
    refresh_many(made, on=TODAY)
    return made


def sweep(batch: int = 100) -> list:
    pages = duty_reminders(TODAY, Jurisdictions.load(), batch)
    # Worded, as the sweep words a reminder it records.
    return [r.reminder() for page in pages for r in page]


def forbid_rules(monkeypatch) -> None:
    def fails(*args, **kwargs):
        raise AssertionError("the rules ran during the sweep")

    monkeypatch.setattr(obligation_services, "evaluate_premises", fails)


def test_reminders_follow_the_stored_rows_without_running_the_rules(
    published_catalogue, head, monkeypatch
):
    karaoke, other = make(2, head)
    forbid_rules(monkeypatch)
    found = {(r.kind, r.premises_id): r for r in sweep()}
    roadmap = found[("alarm_roadmap", karaoke.pk)]
    assert roadmap.due_on == date(2027, 7, 1) and roadmap.stage == "t365"
    stored = Obligation.objects.get(premises=karaoke, requirement__code="L55-23.1.c")
    assert roadmap.why_vi == stored.reason_vi and (
        "→ điểm c khoản 1 Điều 23 Luật 55/2024/QH15" in roadmap.why_vi
    )
    # A one-off duty stored as met (device connected and declared) is not reminded.
    Obligation.objects.filter(pk=stored.pk).update(status="met")
    found = {(r.kind, r.premises_id) for r in sweep()}
    assert ("alarm_roadmap", karaoke.pk) not in found
    assert ("alarm_roadmap", other.pk) in found


def test_stale_obligations_are_refreshed_before_they_are_read(published_catalogue, head):
    karaoke = f.PremisesFactory(name="Karaoke mới", heads=[head])  # never computed
    assert not Obligation.objects.filter(premises=karaoke).exists()
    kinds = {r.kind for r in sweep() if r.premises_id == karaoke.pk}
    assert "alarm_roadmap" in kinds
    assert Obligation.objects.filter(premises=karaoke).count() > 20


def test_duty_reminder_queries_do_not_grow_with_premises(published_catalogue, head):
    make(3, head)
    sweep()  # the catalogue cache is a first-call cost

    def statements() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert sweep()
        return len(ctx.captured_queries)

    few = statements()
    make(15, head)
    # jurisdictions (authorities, managers, webhooks), version, stale check, premises page,
    # heads, obligations, the empty last page
    assert statements() == few <= 10
