"""Obligations of stored premises: refresh after facts/answers, training certificates, the cap."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from inspections.models import (
    Answer,
    Inspection,
    InspectionItem,
    Obligation,
    TrainingCertificate,
)
from inspections.selectors.obligations import obligations_for
from inspections.selectors.planning import check_inspection_cap, planning_for
from inspections.services.obligations import refresh_obligations
from tests import factories as f

pytestmark = pytest.mark.django_db


def _answer(premises, version, code: str, value: str, when: datetime, state="in_progress"):
    inspection = Inspection.objects.create(
        premises=premises, kind=Inspection.Kind.SELF, catalogue_version=version, state=state
    )
    requirement = version.requirements.get(code=code)
    item = InspectionItem.objects.create(
        inspection=inspection,
        requirement=requirement,
        code=code,
        title_vi=requirement.title_vi,
        question_vi=requirement.question_vi,
        answer_type=requirement.answer_type,
        severity=requirement.severity,
    )
    return Answer.objects.create(
        client_uuid=uuid.uuid4(),
        inspection=inspection,
        item=item,
        value=value,
        answered_at=when,
        content_hash="x" * 64,
    )


def _status(premises, code):
    return Obligation.objects.get(premises=premises, requirement__code=code).status


def test_refresh_stores_obligations_and_follows_facts(premises, published_catalogue):
    rows = refresh_obligations(premises, on=date(2026, 11, 23))
    assert len(rows) == Obligation.objects.filter(premises=premises).count() > 20
    roadmap = Obligation.objects.get(premises=premises, requirement__code="L55-23.1.c")
    assert roadmap.status == "not_met" and roadmap.due_on == date(2027, 7, 1)
    assert roadmap.reason_vi.endswith(
        "→ điểm c khoản 1 Điều 23 Luật 55/2024/QH15, khoản 4 Điều 54 Luật 55/2024/QH15"
    )

    premises.alarm_device_state = "connected"
    premises.fire_data_declared_on = date(2026, 10, 1)
    premises.save()
    refresh_obligations(premises, on=date(2026, 11, 23))
    assert _status(premises, "L55-23.1.c") == "met"

    # Facts change the set of obligations: a smaller karaoke leaves the insurance list.
    assert Obligation.objects.filter(premises=premises, requirement__code="L55-48.1").exists()
    premises.floors, premises.floor_area_m2 = 1, 120
    premises.save()
    refresh_obligations(premises, on=date(2026, 11, 23))
    assert not Obligation.objects.filter(premises=premises, requirement__code="L55-48.1").exists()


def test_latest_answer_decides_and_cancelled_inspections_do_not_count(
    premises, published_catalogue
):
    t0 = datetime(2026, 5, 1, 8, tzinfo=UTC)
    _answer(premises, published_catalogue, "L55-23.1.a", "non_compliant", t0)
    refresh_obligations(premises)
    assert _status(premises, "L55-23.1.a") == "not_met"
    later = _answer(
        premises, published_catalogue, "L55-23.1.a", "compliant", t0 + timedelta(days=30)
    )
    refresh_obligations(premises)
    row = Obligation.objects.get(premises=premises, requirement__code="L55-23.1.a")
    assert row.status == "met" and row.source_answer_id == later.pk
    _answer(premises, published_catalogue, "L55-23.1.a", "non_compliant", t0 + timedelta(days=60),
            state=Inspection.State.CANCELLED)  # fmt: skip
    refresh_obligations(premises)
    assert _status(premises, "L55-23.1.a") == "met"
    _answer(premises, published_catalogue, "L55-8.3.h", "not_applicable", t0)
    refresh_obligations(premises)
    assert not Obligation.objects.filter(premises=premises, requirement__code="L55-8.3.h").exists()


def test_training_certificates_drive_art_45_per_person_and_duty(premises, published_catalogue):
    on = date(2026, 11, 23)
    view = obligations_for(premises, on=on)
    head = {o.requirement.code: o for o in view.evaluation.obligations}["L55-45.1.c"]
    assert head.status == "unknown"
    # A certificate without dates proves nothing: never "trained for good".
    TrainingCertificate.objects.create(premises=premises, holder_name="Lê Thị Chủ", duty="head")
    o = {o.requirement.code: o for o in obligations_for(premises, on=on).evaluation.obligations}
    assert o["L55-45.1.c"].status == "unknown" and "Lê Thị Chủ" in o["L55-45.1.c"].detail_vi
    TrainingCertificate.objects.all().delete()
    # Pre-law certificate: valid to its printed date (Law 55.3); refresher yearly from 1/7/2025.
    TrainingCertificate.objects.create(
        premises=premises,
        holder_name="Lê Thị Chủ",
        duty="head",
        issued_on=date(2024, 3, 1),
        expires_on=date(2029, 3, 1),
    )
    TrainingCertificate.objects.create(
        premises=premises,
        holder_name="Lê Thị Chủ",
        duty="head",
        training_kind="refresher",
        issued_on=date(2026, 5, 10),
    )
    TrainingCertificate.objects.create(
        premises=premises, holder_name="Đội viên A", duty="team_member", issued_on=date(2025, 9, 1)
    )

    o = {o.requirement.code: o for o in obligations_for(premises, on=on).evaluation.obligations}
    assert (o["L55-45.1.c"].status, o["L55-45.1.c"].due_date) == ("met", date(2027, 5, 10))
    # The team member trained on 1/9/2025 owes a refresher by 1/9/2026.
    assert (o["L55-45.1.d"].status, o["L55-45.1.d"].due_date) == ("overdue", date(2026, 9, 1))


def test_default_date_is_today_time_travel(premises, published_catalogue):
    with time_machine.travel(datetime(2027, 6, 30, 12, tzinfo=UTC), tick=False):
        o = {x.requirement.code: x for x in obligations_for(premises).evaluation.obligations}
        assert o["L55-23.1.c"].status == "not_met" and o["L55-23.1.c"].days_left == 1
    with time_machine.travel(datetime(2027, 7, 2, 12, tzinfo=UTC), tick=False):
        o = {x.requirement.code: x for x in obligations_for(premises).evaluation.obligations}
        assert o["L55-23.1.c"].status == "overdue" and o["L55-23.1.c"].days_left == -1


def test_refresh_without_catalogue_stores_nothing(premises):
    assert refresh_obligations(premises) == []


def _planned(premises, version, day, kind=Inspection.Kind.PERIODIC, state="scheduled"):
    return Inspection.objects.create(premises=premises, kind=kind, catalogue_version=version,
                                     scheduled_for=day, state=state)  # fmt: skip


def test_inspection_cap(premises, published_catalogue):
    on = date(2026, 11, 23)
    assert check_inspection_cap(premises, on).allowed
    first = _planned(premises, published_catalogue, date(2026, 3, 1))
    _planned(premises, published_catalogue, date(2026, 4, 1), kind=Inspection.Kind.SELF)
    _planned(premises, published_catalogue, date(2026, 5, 1), kind=Inspection.Kind.REINSPECTION)
    _planned(premises, published_catalogue, date(2026, 6, 1), state=Inspection.State.CANCELLED)
    decision = check_inspection_cap(premises, on)
    assert not decision.allowed and decision.count_this_year == 1 and decision.needs_reason
    assert check_inspection_cap(premises, on, "Dấu hiệu vi phạm: khóa cửa thoát nạn").allowed
    assert check_inspection_cap(premises, on, exclude_inspection_id=first.pk).allowed
    assert check_inspection_cap(premises, date(2027, 1, 5)).allowed
    home = f.PremisesFactory(kind="home", occupancy_category="")
    _planned(home, published_catalogue, date(2026, 3, 1))
    assert check_inspection_cap(home, on).allowed


def test_planning_authority_and_next_due(published_catalogue):
    hospital = f.PremisesFactory(occupancy_category="hospital", beds=300)
    info = planning_for(hospital, on=date(2026, 11, 23))
    assert info.authority_kind == "fire_police"
    assert info.next_due_on == date(2026, 11, 23)  # never inspected: due now
    karaoke = f.PremisesFactory(occupancy_category="karaoke", floors=1, floor_area_m2=100)
    assert planning_for(karaoke).authority_kind == "commune_committee"


def test_refresh_command_and_publish_queues_a_refresh(
    premises, published_catalogue, django_capture_on_commit_callbacks, monkeypatch
):
    import io

    from django.core.management import call_command

    from inspections import tasks
    from inspections.services import catalogue as services

    out = io.StringIO()
    call_command("refresh_obligations", "--on", "2027-07-02", stdout=out)
    assert out.getvalue().strip() == "1 premises refreshed"
    assert _status(premises, "L55-23.1.c") == "overdue"

    queued = []
    monkeypatch.setattr(tasks.apply_catalogue_version_in_force, "delay", lambda: queued.append(1))
    draft = services.clone_version(published_catalogue, label="2025.9")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(draft)
    # In force at once (same effective date): the switch to it is queued.
    assert queued == [1]
    assert "2025.9" in tasks.apply_catalogue_version_in_force.run()
    # Stored rows now point at the new version's requirements.
    row = Obligation.objects.get(premises=premises, requirement__code="L55-23.1.c")
    assert row.requirement.version == draft
