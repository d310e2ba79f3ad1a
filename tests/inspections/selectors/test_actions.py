"""The head's action list: each row kind, what triggered it, overdue first, only own premises."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from inspections.models import (
    Answer,
    Finding,
    Inspection,
    Obligation,
    Requirement,
    TrainingCertificate,
)
from inspections.selectors.actions import Kind, actions_for_head, from_obligations
from inspections.selectors.actions import rows as action_rows
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


def rows_of(user, kind, lang="vi"):
    """The rows of one kind, rendered as the portal renders them for a reader of ``lang``."""
    with translation.override(lang):
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
    assert row.badge == "Còn 6 ngày" and row.action == "Cập nhật bảo hiểm"
    assert row.trigger == (
        "Giấy chứng nhận bảo hiểm cháy, nổ bắt buộc hết hiệu lực ngày 06/12/2026"
    )
    [en] = rows_of(head, Kind.INSURANCE, "en")
    assert en.badge == "6 days left" and en.action == "Update the insurance"
    assert en.trigger == (
        "The compulsory fire and explosion insurance certificate expires on 06/12/2026"
    )
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
    late = (TODAY - stored.due_on).days
    assert late > 1
    assert row.badge == f"Quá hạn {late} ngày" and row.action == "Bắt đầu tự kiểm tra"
    assert (
        row.trigger == f"Kỳ tự kiểm tra PCCC định kỳ (mẫu PC02) đến hạn ngày {fmt(stored.due_on)}"
    )
    [en] = rows_of(head, Kind.SELF_INSPECTION, "en")
    assert en.badge == f"{late} days overdue" and en.action == "Start the self-inspection"
    assert en.trigger == f"The periodic self-inspection (form PC02) is due on {fmt(stored.due_on)}"
    assert en.title == stored.requirement.title_en and row.title == stored.requirement.title_vi
    assert row.post and row.url == reverse("portal:self_inspection_start", args=[karaoke.pk])
    draft = Inspection.objects.create(
        premises=karaoke,
        kind=Inspection.Kind.SELF,
        state=Inspection.State.IN_PROGRESS,
        catalogue_version=stored.requirement.version,
    )
    [row] = rows_of(head, Kind.SELF_INSPECTION)
    assert not row.post and row.url == reverse("portal:self_inspection", args=[draft.pk])
    assert row.action == "Tiếp tục đợt tự kiểm tra đang làm"
    [en] = rows_of(head, Kind.SELF_INSPECTION, "en")
    assert en.action == "Continue the self-inspection under way"


def fmt(day):
    return day.strftime("%d/%m/%Y")


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
    assert roadmap[0].trigger == (
        "Hạn trang bị, kết nối thiết bị truyền tin báo cháy ngày 01/07/2027; "
        "hiện trạng: đã lắp thiết bị, chưa kết nối"
    )
    assert roadmap[0].action == "Cập nhật thông tin"
    [en] = [r for r in rows_of(head, Kind.ALARM_DEVICE, "en") if r.due_on == dt.date(2027, 7, 1)]
    assert en.trigger == (
        "Alarm-transmission device to be installed and connected by 01/07/2027; "
        "now: device installed, not connected"
    )
    assert en.action == "Update the facts"


def test_pc04_report_row_starts_the_draft(head, karaoke):
    rows = rows_of(head, Kind.PC04)
    assert rows, "a PC04 never sent is owed by the next 15 June or 15 December"
    for row in rows:
        assert row.post and row.url == reverse("portal:pc04_start", args=[karaoke.pk])
        assert row.due_on is not None and row.action == "Lập báo cáo PC04"
        assert row.trigger.startswith("Hạn gửi báo cáo kết quả công tác PCCC (mẫu PC04) ngày ")
    for row in rows_of(head, Kind.PC04, "en"):
        assert row.action == "Write the PC04 report"
        assert row.trigger == f"The fire-safety work report (form PC04) is due on {fmt(row.due_on)}"


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
    assert row.overdue and row.badge == "Quá hạn 5 ngày"
    assert row.title == "Lối thoát nạn tầng 3 bị chắn"
    assert row.trigger == (
        "Vi phạm ghi trong biên bản kiểm tra ngày 21/10/2026 (UBND Phường Hoàn Kiếm); "
        "hạn khắc phục 25/11/2026"
    )
    assert row.action == "Tải lên chứng cứ khắc phục"
    [en] = rows_of(head, Kind.FINDING, "en")
    assert en.badge == "5 days overdue" and en.action == "Upload remediation evidence"
    assert en.trigger == (
        "Violation recorded in the inspection of 21/10/2026 (UBND Phường Hoàn Kiếm); "
        "remediation deadline 25/11/2026"
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
    assert row.title == "Chứng nhận huấn luyện PCCC của Lê Thị Chủ"
    assert (
        row.badge == "Hạn hôm nay" and row.trigger == "Chứng nhận số HL-1 hết hạn ngày 30/11/2026"
    )
    assert row.action == "Cập nhật chứng nhận"
    [en] = rows_of(head, Kind.CERTIFICATE, "en")
    assert en.title == "Fire-safety training certificate of Lê Thị Chủ"
    assert en.badge == "Due today" and en.trigger == "Certificate no. HL-1 expires on 30/11/2026"
    assert en.action == "Update the certificate"


def test_upcoming_inspection_with_its_notice(head, karaoke, authority, published_catalogue):
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
    assert row.badge == "Sau 3 ngày" and row.title == "Kiểm tra định kỳ: UBND Phường Hoàn Kiếm"
    assert (
        row.trigger
        == "UBND Phường Hoàn Kiếm kiểm tra ngày 03/12/2026; thông báo gửi ngày 25/11/2026"
    )
    assert row.action == "Xem đợt kiểm tra, chuẩn bị hồ sơ"
    [en] = rows_of(head, Kind.INSPECTION, "en")
    assert en.badge == "In 3 days"
    assert en.title == "Inspection (Periodic inspection): UBND Phường Hoàn Kiếm"
    assert en.trigger == "UBND Phường Hoàn Kiếm inspects on 03/12/2026; notice sent on 25/11/2026"
    assert en.action == "View the inspection, prepare the dossier"


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
    assert row.title == "Thiếu thông tin để xác định nghĩa vụ" and row.badge == "Chưa xác định"
    assert (
        row.trigger.startswith("Cần bổ sung số người lao động")
        and " — để xác định: " in row.trigger
    )
    assert row.action == "Bổ sung thông tin"
    [en] = rows_of(head, Kind.UNKNOWN, "en")
    assert en.title == "Facts missing to decide duties" and en.badge == "Unknown"
    first = stored.order_by("requirement__order").first().requirement
    assert row.trigger.startswith(f"Cần bổ sung số người lao động — để xác định: {first.title_vi}")
    assert en.trigger.startswith(f"Fill in number of workers — to decide: {first.title_en}")
    assert en.action == "Fill in the facts"


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
    findings = [r.title for r in rows if r.kind == Kind.FINDING]
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


# --- Texts in both languages (Vietnamese msgids, English in locale/en) -----------------------


def in_both(render):
    with translation.override("vi"):
        vi = render()
    with translation.override("en"):
        return vi, render()


@pytest.mark.parametrize(
    "duty, vi, en",
    [
        (
            "drill_due",
            "Hạn thực tập phương án chữa cháy, cứu nạn, cứu hộ ngày 01/12/2026",
            "Fire and rescue plan drill due on 01/12/2026",
        ),
        (
            "regular_check_due",
            "Hạn tự kiểm tra PCCC thường xuyên ngày 01/12/2026",
            "Regular fire-safety self-check due on 01/12/2026",
        ),
        (
            "data_declaration_due",
            "Hạn khai báo dữ liệu PCCC lần đầu ngày 01/12/2026",
            "First fire-data declaration due on 01/12/2026",
        ),
        (
            "training",
            "Hạn có chứng nhận huấn luyện nghiệp vụ PCCC còn hiệu lực: 01/12/2026",
            "A valid fire-safety training certificate is required from 01/12/2026",
        ),
        (None, "Hạn thực hiện ngày 01/12/2026", "Due on 01/12/2026"),
    ],
)
def test_what_each_due_date_means(duty, vi, en):
    ob = Obligation(requirement=Requirement(title_vi="x"), due_on=dt.date(2026, 12, 1))
    assert in_both(lambda: from_obligations.obligation_trigger(ob, duty)) == (vi, en)


def test_a_not_compliant_answer_says_who_recorded_it():
    when = timezone.make_aware(dt.datetime(2026, 11, 20, 10))
    ob = Obligation(requirement=Requirement(title_vi="x"), reason_vi="Lý do", reason_en="Reason")
    ob.source_answer = Answer(
        value="non_compliant", answered_at=when, inspection=Inspection(kind=Inspection.Kind.SELF)
    )
    assert in_both(lambda: from_obligations.obligation_trigger(ob, None)) == (
        "cơ sở tự đánh giá “không đạt” khi tự kiểm tra ngày 20/11/2026",
        "self-assessed “not compliant” in the self-inspection of 20/11/2026",
    )
    ob.source_answer.inspection = Inspection(kind=Inspection.Kind.PERIODIC)
    assert in_both(lambda: from_obligations.obligation_trigger(ob, None)) == (
        "đoàn kiểm tra ghi nhận “không đạt” ngày 20/11/2026",
        "recorded “not compliant” by the inspectors on 20/11/2026",
    )
    ob.source_answer = None  # no date, no answer: the catalogue's reason (bilingual data)
    assert in_both(lambda: from_obligations.obligation_trigger(ob, None)) == ("Lý do", "Reason")
    ob.reason_vi = ob.reason_en = ""
    assert in_both(lambda: from_obligations.obligation_trigger(ob, None)) == (
        "Chưa đáp ứng",
        "Not met",
    )


def test_buttons_of_evidence_and_training_duties():
    evidence = Obligation(premises_id=7, requirement=Requirement(code="R-1", deadline_rule={}))
    training = Obligation(
        premises_id=7, requirement=Requirement(code="R-2", deadline_rule={"type": "training"})
    )
    label = lambda ob: from_obligations.obligation_action(ob, Kind.OBLIGATION, None)[0]  # noqa: E731
    assert in_both(lambda: label(evidence)) == ("Nộp chứng cứ", "Provide evidence")
    assert in_both(lambda: label(training)) == (
        "Cập nhật huấn luyện, đội PCCC",
        "Update training and team",
    )


@pytest.mark.parametrize(
    "days, overdue, vi, en",
    [
        (None, True, "Quá hạn", "Overdue"),
        (None, False, "Chưa đáp ứng", "Not met"),
        (-1, True, "Quá hạn 1 ngày", "1 day overdue"),
        (-2, True, "Quá hạn 2 ngày", "2 days overdue"),
        (0, False, "Hạn hôm nay", "Due today"),
        (1, False, "Còn 1 ngày", "1 day left"),
        (6, False, "Còn 6 ngày", "6 days left"),
    ],
)
def test_badge(days, overdue, vi, en):
    due = None if days is None else TODAY + dt.timedelta(days=days)
    assert in_both(lambda: action_rows.badge(due, TODAY, overdue=overdue)) == (vi, en)


def duties(n):
    return [
        Obligation(
            premises_id=7,
            missing_facts=["employees"],
            requirement=Requirement(pk=k + 1, title_vi=f"Nghĩa vụ {k}", title_en=f"Duty {k}"),
        )
        for k in range(n)
    ]


def test_missing_facts_name_at_most_three_duties_and_count_the_rest():
    row = lambda n: from_obligations.missing_facts_row(7, "P", duties(n), {}).trigger  # noqa: E731
    assert in_both(lambda: row(4)) == (
        "Cần bổ sung số người lao động — để xác định: Nghĩa vụ 0; Nghĩa vụ 1; Nghĩa vụ 2"
        " và 1 nghĩa vụ khác",
        "Fill in number of workers — to decide: Duty 0; Duty 1; Duty 2 and 1 more duty",
    )
    assert in_both(lambda: row(5))[1].endswith("Duty 2 and 2 more duties")


def test_duties_not_assessed_yet():
    vi, en = in_both(lambda: from_obligations.unassessed_row(7, "P", duties(1)))
    assert (vi.title, en.title) == ("1 nghĩa vụ chưa được đánh giá", "1 duty not assessed yet")
    assert (vi.trigger, en.trigger) == (
        "Chưa có kết quả kiểm tra hay tự kiểm tra nào cho các nghĩa vụ này",
        "No inspection or self-inspection has recorded these duties yet",
    )
    assert (vi.badge, en.badge) == ("Chưa đánh giá", "Not assessed")
    assert (vi.action, en.action) == ("Tự kiểm tra để đánh giá", "Self-inspect to assess them")
    two = in_both(lambda: from_obligations.unassessed_row(7, "P", duties(2)).title)
    assert two == ("2 nghĩa vụ chưa được đánh giá", "2 duties not assessed yet")


def test_finding_of_a_self_inspection_is_recorded_by_the_premises(
    head, karaoke, published_catalogue
):
    own = Inspection.objects.create(
        premises=karaoke,
        kind=Inspection.Kind.SELF,
        state=Inspection.State.SUBMITTED,
        catalogue_version=published_catalogue,
        scheduled_for=TODAY - dt.timedelta(days=2),
    )
    Finding.objects.create(
        inspection=own, premises=karaoke, description="Bình hết hạn", severity="major"
    )
    [vi], [en] = rows_of(head, Kind.FINDING), rows_of(head, Kind.FINDING, "en")
    assert vi.trigger == "Vi phạm ghi trong biên bản kiểm tra ngày 28/11/2026 (cơ sở)"
    assert en.trigger == "Violation recorded in the inspection of 28/11/2026 (the premises)"
    assert (vi.badge, en.badge) == ("Chưa đáp ứng", "Not met")


def test_inspection_today_without_a_written_notice(head, karaoke, authority, published_catalogue):
    for kind in (Inspection.Kind.UNANNOUNCED, Inspection.Kind.PERIODIC):
        Inspection.objects.create(
            premises=karaoke,
            authority=authority,
            kind=kind,
            state=Inspection.State.SCHEDULED,
            catalogue_version=published_catalogue,
            scheduled_for=TODAY,
        )
    vi, en = rows_of(head, Kind.INSPECTION), rows_of(head, Kind.INSPECTION, "en")
    assert {r.badge for r in vi} == {"Hôm nay"} and {r.badge for r in en} == {"Today"}
    assert sorted(r.trigger for r in vi) == [
        "UBND Phường Hoàn Kiếm kiểm tra ngày 30/11/2026; chưa nhận thông báo",
        "UBND Phường Hoàn Kiếm kiểm tra ngày 30/11/2026; kiểm tra đột xuất",
    ]
    assert sorted(r.trigger for r in en) == [
        "UBND Phường Hoàn Kiếm inspects on 30/11/2026; no written notice yet",
        "UBND Phường Hoàn Kiếm inspects on 30/11/2026; unannounced inspection",
    ]
