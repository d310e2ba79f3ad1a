"""The head's action list: each row kind, what triggered it, overdue first, only own premises."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Finding, Inspection, Obligation, TrainingCertificate
from inspections.selectors.actions import Kind, actions_for_head
from inspections.services.obligations import refresh_obligations
from tests import factories as f

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def karaoke(head, published_catalogue):
    premises = f.PremisesFactory(
        name="Karaoke Hồ Gươm",
        heads=[head],
        alarm_device_state="installed",
        insurance_expires_on=TODAY + dt.timedelta(days=6),
        last_self_inspection_on=TODAY - dt.timedelta(days=400),
    )
    refresh_obligations(premises, on=TODAY)
    return premises


def rows_of(user, kind):
    return [r for r in actions_for_head(user, today=TODAY).rows if r.kind == kind]


def past_inspection(premises, authority, catalogue):
    return Inspection.objects.create(
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        state=Inspection.State.SIGNED,
        catalogue_version=catalogue,
        scheduled_for=TODAY - dt.timedelta(days=40),
    )


def test_insurance_expiring_in_six_days_says_so_and_links_to_the_fact(head, karaoke):
    [row] = rows_of(head, Kind.INSURANCE)
    assert row.due_on == TODAY + dt.timedelta(days=6) and not row.overdue
    assert row.badge_vi == "Còn 6 ngày" and row.badge_en == "6 days left"
    assert "hết hiệu lực ngày 06/12/2026" in row.trigger_vi
    assert row.url == reverse("portal:premises_facts", args=[karaoke.pk]) + (
        "#id_insurance_expires_on"
    )
    assert row.citation.label_vi == "khoản 1 Điều 48 Luật 55/2024/QH15"
    assert "bảo hiểm cháy, nổ bắt buộc" in row.citation.text_vi


def test_insurance_far_away_is_not_a_row(head, karaoke):
    karaoke.insurance_expires_on = TODAY + dt.timedelta(days=200)
    karaoke.save()
    refresh_obligations(karaoke, on=TODAY)
    assert rows_of(head, Kind.INSURANCE) == []


def test_overdue_self_inspection_starts_one_then_continues_the_draft(head, karaoke):
    [row] = rows_of(head, Kind.SELF_INSPECTION)
    stored = Obligation.objects.get(premises=karaoke, requirement__code=row_code(karaoke, row))
    assert row.overdue and row.due_on == stored.due_on < TODAY
    assert row.badge_vi == f"Quá hạn {(TODAY - stored.due_on).days} ngày"
    assert row.post and row.url == reverse("portal:self_inspection_start", args=[karaoke.pk])
    draft = Inspection.objects.create(
        premises=karaoke,
        kind=Inspection.Kind.SELF,
        state=Inspection.State.IN_PROGRESS,
        catalogue_version=stored.requirement.version,
    )
    [row] = rows_of(head, Kind.SELF_INSPECTION)
    assert not row.post and row.url == reverse("portal:self_inspection", args=[draft.pk])


def row_code(premises, row):
    return (
        Obligation.objects.filter(premises=premises, due_on=row.due_on)
        .values_list("requirement__code", flat=True)
        .first()
    )


def test_alarm_device_deadline_names_the_device_state(head, karaoke):
    rows = rows_of(head, Kind.ALARM_DEVICE)
    roadmap = [r for r in rows if r.due_on == dt.date(2027, 7, 1)]
    assert roadmap, "the 1 July 2027 deadline comes from the catalogue parameter"
    assert "đã lắp thiết bị, chưa kết nối" in roadmap[0].trigger_vi


def test_pc04_report_row_starts_the_draft(head, karaoke):
    rows = rows_of(head, Kind.PC04)
    assert rows, "a PC04 never sent is owed by the next 15 June or 15 December"
    for row in rows:
        assert row.post and row.url == reverse("portal:pc04_start", args=[karaoke.pk])
        assert "PC04" in row.trigger_vi and row.due_on is not None


def test_open_finding_overdue_five_days(head, karaoke, authority, published_catalogue):
    past = past_inspection(karaoke, authority, published_catalogue)
    finding = Finding.objects.create(
        inspection=past,
        premises=karaoke,
        description="Lối thoát nạn tầng 3 bị chắn",
        severity="critical",
        remediation_deadline=TODAY - dt.timedelta(days=5),
    )
    Finding.objects.create(
        inspection=past,
        premises=karaoke,
        description="Đã khắc phục",
        severity="minor",
        status=Finding.Status.CLOSED,
        remediation_deadline=TODAY - dt.timedelta(days=9),
    )
    [row] = rows_of(head, Kind.FINDING)
    assert row.overdue and row.badge_vi == "Quá hạn 5 ngày" and row.badge_en == "5 days overdue"
    assert row.trigger_vi == (
        "Vi phạm ghi trong biên bản kiểm tra ngày 21/10/2026 (UBND Phường Hoàn Kiếm); "
        "hạn khắc phục 25/11/2026"
    )
    assert row.url == reverse("portal:finding_detail", args=[finding.pk])


def test_expiring_certificate_but_not_one_renewed_since(head, karaoke):
    TrainingCertificate.objects.create(
        premises=karaoke, holder_name="Lê Thị Chủ", number="HL-1", expires_on=TODAY
    )
    TrainingCertificate.objects.create(
        premises=karaoke, holder_name="Trần Văn Đội", number="HL-2", expires_on=TODAY
    )
    TrainingCertificate.objects.create(
        premises=karaoke,
        holder_name="Trần Văn Đội",
        number="HL-3",
        expires_on=TODAY + dt.timedelta(days=900),
    )
    [row] = rows_of(head, Kind.CERTIFICATE)
    assert row.title_vi == "Chứng nhận huấn luyện PCCC của Lê Thị Chủ"
    assert row.badge_vi == "Hạn hôm nay" and "HL-1" in row.trigger_vi


def test_upcoming_inspection_with_its_notice(head, karaoke, authority, published_catalogue):
    from django.utils import timezone

    soon = Inspection.objects.create(
        premises=karaoke,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        state=Inspection.State.SCHEDULED,
        catalogue_version=published_catalogue,
        scheduled_for=TODAY + dt.timedelta(days=3),
        notice_sent_at=timezone.make_aware(dt.datetime(2026, 11, 25, 9)),
    )
    Inspection.objects.create(  # beyond the window: not yet a thing to do
        premises=karaoke,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        state=Inspection.State.SCHEDULED,
        catalogue_version=published_catalogue,
        scheduled_for=TODAY + dt.timedelta(days=90),
    )
    [row] = rows_of(head, Kind.INSPECTION)
    assert row.url == reverse("portal:inspection_detail", args=[soon.pk])
    assert row.badge_vi == "Sau 3 ngày"
    assert (
        row.trigger_vi
        == "UBND Phường Hoàn Kiếm kiểm tra ngày 03/12/2026; thông báo gửi ngày 25/11/2026"
    )


def test_unknown_duties_name_the_missing_facts(head, published_catalogue):
    premises = f.PremisesFactory(name="Xưởng may", heads=[head], employees=None)
    refresh_obligations(premises, on=TODAY)
    stored = Obligation.objects.filter(premises=premises, status="unknown").exclude(
        missing_facts=[]
    )
    assert stored.exists(), "the missing facts are stored with the obligation"
    [row] = rows_of(head, Kind.UNKNOWN)
    facts = {name for names in stored.values_list("missing_facts", flat=True) for name in names}
    assert len(row.missing_facts) == len(facts)
    assert row.url.startswith(reverse("portal:premises_facts", args=[premises.pk]) + "#id_")
    assert row.url.split("#id_")[1] in facts
    assert row.trigger_vi.startswith("Cần bổ sung ")


def test_sorted_overdue_first_then_by_due_date_then_undated(
    head, karaoke, authority, published_catalogue
):
    past = past_inspection(karaoke, authority, published_catalogue)
    for days in (-1, -30, 12):
        Finding.objects.create(
            inspection=past,
            premises=karaoke,
            description=f"Vi phạm {days}",
            severity="major",
            remediation_deadline=TODAY + dt.timedelta(days=days),
        )
    rows = actions_for_head(head, today=TODAY).rows
    flags = [r.overdue for r in rows]
    assert flags == sorted(flags, reverse=True), "every overdue row comes before the others"
    overdue = [r.due_on for r in rows if r.overdue and r.due_on]
    dated = [r.due_on for r in rows if not r.overdue and r.due_on]
    assert overdue == sorted(overdue) and dated == sorted(dated)
    undated = [n for n, r in enumerate(rows) if r.due_on is None and not r.overdue]
    assert undated == list(range(len(rows) - len(undated), len(rows)))
    findings = [r.title_vi for r in rows if r.kind == Kind.FINDING]
    assert findings == ["Vi phạm -30", "Vi phạm -1", "Vi phạm 12"]


def test_a_head_sees_only_own_premises(head, karaoke, authority, published_catalogue):
    stranger = f.UserFactory(email="other-head@test.vn")
    theirs = f.PremisesFactory(
        name="Nhà hàng người khác",
        heads=[stranger],
        insurance_expires_on=TODAY + dt.timedelta(days=2),
    )
    refresh_obligations(theirs, on=TODAY)
    Finding.objects.create(
        inspection=past_inspection(theirs, authority, published_catalogue),
        premises=theirs,
        description="Không phải của tôi",
        severity="major",
        remediation_deadline=TODAY,
    )
    mine = actions_for_head(head, today=TODAY)
    assert {r.premises_id for r in mine.rows} == {karaoke.pk}
    assert mine.premises_count == 1
    assert {r.premises_id for r in actions_for_head(stranger, today=TODAY).rows} == {theirs.pk}


def test_queries_do_not_grow_with_premises(head, published_catalogue):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            actions_for_head(head, today=TODAY)
        return len(ctx.captured_queries)

    p = f.PremisesFactory(heads=[head], insurance_expires_on=TODAY)
    refresh_obligations(p, on=TODAY)
    count()  # warms the per-process caches (catalogue, parsed law)
    one = count()
    for _ in range(4):
        p = f.PremisesFactory(heads=[head], insurance_expires_on=TODAY)
        refresh_obligations(p, on=TODAY)
    assert count() == one
