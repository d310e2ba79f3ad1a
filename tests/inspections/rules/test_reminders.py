"""Reminder rules (pure): stage windows at their boundaries, citations, every reminder's text."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from inspections.legal.parser import provision_text
from inspections.rules.obligations import CitationRef
from inspections.rules.reminders import (
    Cite,
    Reminder,
    ReminderConfig,
    catalogue_cite,
    cite_text,
    duty_kind,
    duty_reminder,
    finding_overdue_manager_reminder,
    finding_reminder,
    inspection_reminder,
    law_cite,
    lookahead_days,
    remediation_decision_notice,
    stage_for,
    training_reminder,
)

TODAY = date(2026, 11, 30)
T14_3 = ReminderConfig(offsets=(14, 3))
# The expected citation of Law Art. 20.5, written out (never built by the code under test).
ART_20_5 = Cite(
    label_vi="khoản 5 Điều 20 Luật 55/2024/QH15",
    label_en="Art. 20.5 of Law 55/2024/QH15",
    text_vi=provision_text(20, 5),
    law_ref=(20, 5, None),
)
ART_23_1_C = Cite(
    label_vi="điểm c khoản 1 Điều 23 Luật 55/2024/QH15",
    label_en="Art. 23.1.c of Law 55/2024/QH15",
    text_vi=provision_text(23, 1, "c"),
    law_ref=(23, 1, "c"),
)
DECREE_CITE = Cite(
    "khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP", "Art. 14.2 of Decree 105/2025/NĐ-CP", "…"
)


def _in(days: int) -> date:
    return TODAY + timedelta(days=days)


# --- Stages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [(15, None), (14, "t14"), (13, "t14"), (4, "t14"), (3, "t3"), (1, "t3"), (0, "t3"),
     (-1, "overdue"), (-400, "overdue")],
)  # fmt: skip
def test_stage_windows_at_their_boundaries(days_left, stage):
    assert stage_for(_in(days_left), TODAY, T14_3) == stage


def test_no_offsets_means_no_reminder_before_the_due_date():
    cfg = ReminderConfig()
    assert stage_for(TODAY, TODAY, cfg) is None
    assert stage_for(_in(-1), TODAY, cfg) == "overdue"


def test_overdue_reminders_can_be_switched_off():
    cfg = ReminderConfig(offsets=(3,), overdue=False)
    assert stage_for(_in(-1), TODAY, cfg) is None
    assert stage_for(TODAY, TODAY, cfg) == "t3"


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [(-1, "overdue"), (-7, "overdue"), (-8, "overdue-1"), (-14, "overdue-1"),
     (-15, "overdue-2"), (-22, "overdue-3")],
)  # fmt: skip
def test_overdue_repeats_every_n_days(days_left, stage):
    cfg = ReminderConfig(offsets=(3,), overdue_every_days=7)
    assert stage_for(_in(days_left), TODAY, cfg) == stage


def test_overdue_every_one_day():
    cfg = ReminderConfig(overdue_every_days=1)
    assert [stage_for(_in(d), TODAY, cfg) for d in (-1, -2, -3)] == [
        "overdue",
        "overdue-1",
        "overdue-2",
    ]


def test_config_from_setting_sorts_offsets_and_pads_citations():
    cfg = ReminderConfig.from_setting(
        {
            "offsets": [3, "14", 7, 3],
            "overdue": 0,
            "overdue_every_days": "5",
            "mandatory": 1,
            "default": "digest",
            "cite": [[47], [20, 5], [23, 1, "c"]],
        }
    )
    assert cfg == ReminderConfig(
        offsets=(14, 7, 3),
        overdue=False,
        overdue_every_days=5,
        mandatory=True,
        default="digest",
        cite=((47, None, None), (20, 5, None), (23, 1, "c")),
    )


def test_config_from_empty_setting_has_the_documented_defaults():
    cfg = ReminderConfig.from_setting({})
    assert cfg.offsets == ()
    assert cfg.overdue is True
    assert cfg.overdue_every_days == 0
    assert cfg.mandatory is False
    assert cfg.default == "immediate"
    assert cfg.cite == ()
    assert ReminderConfig.from_setting({"overdue_every_days": None}).overdue_every_days == 0


def test_lookahead_is_the_largest_offset():
    assert lookahead_days(ReminderConfig(offsets=(3, 30, 7))) == 30
    assert lookahead_days(ReminderConfig()) == 0


# --- Citations -------------------------------------------------------------------------------


def test_law_cite_carries_the_verbatim_text_and_only_a_reference_in_the_payload():
    cite = law_cite(20, 5)
    assert cite == ART_20_5
    assert cite.as_dict() == {
        "label_vi": "khoản 5 Điều 20 Luật 55/2024/QH15",
        "label_en": "Art. 20.5 of Law 55/2024/QH15",
        "law": ["55/2024/QH15", 20, 5, None],
    }
    assert law_cite(23, 1, "c") == ART_23_1_C


def test_stored_citation_text_is_read_again_from_the_law():
    assert cite_text({"law": ["55/2024/QH15", 20, 5, None]}) == provision_text(20, 5)
    assert cite_text({"text_vi": "Văn bản lưu"}) == "Văn bản lưu"
    assert cite_text({"text_vi": "", "law": ["55/2024/QH15", 23, 1, "c"]}) == provision_text(
        23, 1, "c"
    )
    # A provision that does not exist, another document, or nothing at all: no text.
    assert cite_text({"law": ["55/2024/QH15", 999, 1, None]}) == ""
    assert cite_text({"law": ["105/2025/NĐ-CP", 20, 5, None]}) == ""
    assert cite_text({}) == ""


def test_decree_text_citation_payload_keeps_the_text():
    assert DECREE_CITE.as_dict() == {
        "label_vi": "khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP",
        "label_en": "Art. 14.2 of Decree 105/2025/NĐ-CP",
        "text_vi": "…",
    }


def test_catalogue_cite_of_the_law_rereads_the_law_and_of_a_decree_keeps_its_text():
    law = CitationRef("55/2024/QH15", 20, 5, None, "old copy")
    assert catalogue_cite(law) == ART_20_5
    point = CitationRef("55/2024/QH15", 23, 1, "c", "old copy")
    assert catalogue_cite(point) == ART_23_1_C
    decree = CitationRef("105/2025/NĐ-CP", 14, 2, None, "Văn bản nghị định")
    assert catalogue_cite(decree) == Cite(
        "khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP",
        "Art. 14.2 of Decree 105/2025/NĐ-CP",
        "Văn bản nghị định",
    )
    other = CitationRef("198/2025/QH15", 4, None, None, "Nghị quyết")
    assert catalogue_cite(other) == Cite(
        "Điều 4 Nghị quyết 198/2025/QH15", "Art. 4 of Resolution 198/2025/QH15", "Nghị quyết"
    )
    # A law provision missing from the parsed text falls back to the stored text.
    missing = CitationRef("55/2024/QH15", 999, 1, "a", "stored")
    assert catalogue_cite(missing) == Cite(
        "điểm a khoản 1 Điều 999 Luật 55/2024/QH15", "Art. 999.1.a of Law 55/2024/QH15", "stored"
    )


# --- Reminders -------------------------------------------------------------------------------


def test_inspection_reminder_before_the_day():
    r = inspection_reminder(
        inspection_id=7,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        address="12 Hàng Bài",
        kind_vi="Kiểm tra định kỳ",
        kind_en="Periodic inspection",
        scheduled_for=_in(1),
        inspector_ids=[5, 2, 5],
        authority_id=4,
        today=TODAY,
        config=ReminderConfig(offsets=(7, 1), cite=((20, 5, None),)),
    )
    assert r == Reminder(
        kind="inspection_due",
        subject_key="inspection:7",
        due_on=_in(1),
        stage="t1",
        user_ids=(2, 5),
        title_vi="Sắp đến lịch kiểm tra: Karaoke Sao Mai",
        title_en="Inspection coming up: Karaoke Sao Mai",
        what_vi="Kiểm tra định kỳ tại Karaoke Sao Mai (12 Hàng Bài) — còn 1 ngày (hạn 01/12/2026).",
        what_en="Periodic inspection at Karaoke Sao Mai (12 Hàng Bài) — due in 1 days (01/12/2026).",
        why_vi="Bạn được phân công thực hiện đợt kiểm tra này.",
        why_en="You are assigned to this inspection.",
        cites=(ART_20_5,),
        link=("portal:inspection_detail", (7,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        authority_ids=(4,),
    )
    assert r.overdue is False
    assert r.payload() == {
        "kind": "inspection_due",
        "title_vi": "Sắp đến lịch kiểm tra: Karaoke Sao Mai",
        "title_en": "Inspection coming up: Karaoke Sao Mai",
        "what_vi": r.what_vi,
        "what_en": r.what_en,
        "why_vi": "Bạn được phân công thực hiện đợt kiểm tra này.",
        "why_en": "You are assigned to this inspection.",
        "due_on": "2026-12-01",
        "stage": "t1",
        "overdue": False,
        "cites": [ART_20_5.as_dict()],
        "link": ["portal:inspection_detail", [7]],
        "premises_id": 9,
        "premises_name": "Karaoke Sao Mai",
    }


def _inspection(**over):
    args = dict(
        inspection_id=7,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        address="12 Hàng Bài",
        kind_vi="Kiểm tra định kỳ",
        kind_en="Periodic inspection",
        scheduled_for=TODAY,
        inspector_ids=[5],
        authority_id=None,
        today=TODAY,
        config=ReminderConfig(offsets=(7, 1)),
    )
    return inspection_reminder(**(args | over))


def test_inspection_reminder_on_the_day_and_after_it():
    today = _inspection()
    assert today.what_vi.endswith("— hạn là hôm nay (30/11/2026).")
    assert today.what_en.endswith("— due today (30/11/2026).")
    assert today.authority_ids == () and today.cites == ()
    late = _inspection(scheduled_for=_in(-3))
    assert late.stage == "overdue" and late.overdue is True
    assert late.title_vi == "Quá hạn kiểm tra: Karaoke Sao Mai"
    assert late.title_en == "Inspection overdue: Karaoke Sao Mai"
    assert late.what_vi.endswith("— đã quá hạn 3 ngày (hạn 27/11/2026).")
    assert late.what_en.endswith("— 3 days overdue (due 27/11/2026).")
    assert late.payload()["overdue"] is True


def test_no_inspection_reminder_outside_the_window_or_without_inspectors():
    assert _inspection(scheduled_for=_in(8)) is None
    assert _inspection(inspector_ids=[]) is None


def _finding(**over):
    args = dict(
        finding_id=11,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        description="Bình chữa cháy hết hạn",
        deadline=_in(3),
        head_ids=[8, 6],
        cites=(),
        authority_ids=[4, 2, 4],
        today=TODAY,
        config=ReminderConfig(offsets=(14, 3), cite=((20, 5, None),)),
    )
    return finding_reminder(**(args | over))


def test_finding_reminder_in_full():
    assert _finding() == Reminder(
        kind="finding_deadline",
        subject_key="finding:11",
        due_on=_in(3),
        stage="t3",
        user_ids=(6, 8),
        title_vi="Hạn khắc phục vi phạm: Karaoke Sao Mai",
        title_en="Remediation deadline: Karaoke Sao Mai",
        what_vi="Khắc phục vi phạm “Bình chữa cháy hết hạn” — còn 3 ngày (hạn 03/12/2026).",
        what_en="Remedy the finding “Bình chữa cháy hết hạn” — due in 3 days (03/12/2026).",
        why_vi="Vi phạm được ghi trong biên bản kiểm tra; người đứng đầu cơ sở phải khắc phục "
        "đúng hạn và gửi chứng cứ khắc phục.",
        why_en="The finding was recorded in the inspection record; the head must remedy it by "
        "the deadline and upload evidence.",
        cites=(ART_20_5,),
        link=("portal:finding_detail", (11,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        authority_ids=(2, 4),
    )


def test_finding_reminder_overdue_uses_the_findings_own_citations():
    r = _finding(deadline=_in(-1), cites=[DECREE_CITE])
    assert r.title_vi == "Quá hạn khắc phục vi phạm: Karaoke Sao Mai"
    assert r.title_en == "Remediation overdue: Karaoke Sao Mai"
    assert r.cites == (DECREE_CITE,)
    assert _finding(deadline=_in(15)) is None
    assert _finding(head_ids=()) is None


def test_finding_description_is_cut_after_160_characters():
    exact = "x" * 160
    assert f"“{exact}”" in _finding(description=exact).what_vi
    long = "y" * 161
    assert f"“{'y' * 157}...”" in _finding(description=long).what_en


def _decision(**over):
    args = dict(
        finding_id=11,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        description="Lối thoát nạn bị khóa",
        head_ids=[6, 6],
        authority_name="Công an phường Hoàn Kiếm",
        accepted=True,
        note="Chưa có ảnh",
        decided_at_key="2026-11-30T10:00",
        decided_on=TODAY,
        deadline=_in(10),
    )
    return remediation_decision_notice(**(args | over))


def test_remediation_confirmed_notice():
    assert _decision() == Reminder(
        kind="finding_verified",
        subject_key="finding:11@2026-11-30T10:00",
        due_on=TODAY,
        stage="closed",
        user_ids=(6,),
        title_vi="Đã xác nhận khắc phục vi phạm: Karaoke Sao Mai",
        title_en="Remediation confirmed: Karaoke Sao Mai",
        what_vi="Không cần làm gì thêm: vi phạm “Lối thoát nạn bị khóa” đã được xác nhận khắc phục.",
        what_en="Nothing more to do: the finding “Lối thoát nạn bị khóa” is confirmed as remedied.",
        why_vi="Kết quả xem xét chứng cứ khắc phục của Công an phường Hoàn Kiếm.",
        why_en="Công an phường Hoàn Kiếm reviewed the remediation evidence.",
        link=("portal:finding_detail", (11,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
    )


def test_remediation_sent_back_notice_keeps_the_deadline():
    r = _decision(accepted=False)
    assert (r.stage, r.due_on) == ("reopened", _in(10))
    assert r.title_vi == "Chưa đạt, cần khắc phục tiếp: Karaoke Sao Mai"
    assert r.title_en == "Remediation sent back: Karaoke Sao Mai"
    assert r.what_vi == "Khắc phục tiếp vi phạm “Lối thoát nạn bị khóa”: Chưa có ảnh"
    assert r.what_en == "Keep working on the finding “Lối thoát nạn bị khóa”: Chưa có ảnh"
    assert _decision(accepted=False, deadline=None).due_on == TODAY
    assert _decision(head_ids=[]) is None
    assert "“" + "z" * 157 + "...”" in _decision(description="z" * 161).what_vi
    assert "“" + "z" * 160 + "”" in _decision(description="z" * 160).what_vi


def _manager(**over):
    args = dict(
        finding_id=11,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        ward_name="Phường Hoàn Kiếm",
        description="Bình chữa cháy hết hạn",
        deadline=_in(-2),
        manager_ids=[3, 1],
        today=TODAY,
        config=ReminderConfig(cite=((20, 5, None),)),
    )
    return finding_overdue_manager_reminder(**(args | over))


def test_manager_reminder_for_a_finding_past_its_deadline():
    assert _manager() == Reminder(
        kind="finding_overdue_manager",
        subject_key="finding:11",
        due_on=_in(-2),
        stage="overdue",
        user_ids=(1, 3),
        title_vi="Vi phạm quá hạn khắc phục: Karaoke Sao Mai (Phường Hoàn Kiếm)",
        title_en="Finding past its deadline: Karaoke Sao Mai (Phường Hoàn Kiếm)",
        what_vi="Karaoke Sao Mai: “Bình chữa cháy hết hạn” — đã quá hạn 2 ngày (hạn 28/11/2026).",
        what_en="Karaoke Sao Mai: “Bình chữa cháy hết hạn” — 2 days overdue (due 28/11/2026).",
        why_vi="Cơ sở thuộc địa bàn quản lý của cơ quan; cần kiểm tra lại hoặc xử lý theo quy định.",
        why_en="The premises is in your authority's jurisdiction; consider a re-inspection or "
        "enforcement.",
        cites=(ART_20_5,),
        link=("portal:finding_detail", (11,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
    )


def test_manager_reminder_only_once_the_deadline_has_passed():
    assert _manager(deadline=TODAY) is None
    assert _manager(deadline=_in(-1)).what_en.endswith("1 days overdue (due 29/11/2026).")
    assert _manager(manager_ids=[]) is None
    assert "“" + "w" * 120 + "”" in _manager(description="w" * 120).what_vi
    assert "“" + "w" * 117 + "...”" in _manager(description="w" * 121).what_vi


def _training(**over):
    args = dict(
        certificate_id=21,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        holder_name="Nguyễn Văn A",
        expires_on=_in(30),
        head_ids=[6],
        authority_ids=[4, 2],
        today=TODAY,
        config=ReminderConfig(offsets=(30,), cite=((20, 5, None),)),
    )
    return training_reminder(**(args | over))


def test_training_certificate_reminder():
    assert _training() == Reminder(
        kind="training_expiry",
        subject_key="certificate:21",
        due_on=_in(30),
        stage="t30",
        user_ids=(6,),
        title_vi="Chứng nhận huấn luyện PCCC sắp hết hạn: Nguyễn Văn A (Karaoke Sao Mai)",
        title_en="Fire-safety training certificate expiring: Nguyễn Văn A (Karaoke Sao Mai)",
        what_vi="Chứng nhận huấn luyện nghiệp vụ PCCC của Nguyễn Văn A — còn 30 ngày (hạn 30/12/2026).",
        what_en="The fire-safety training certificate of Nguyễn Văn A — due in 30 days (30/12/2026).",
        why_vi="Người đứng đầu và lực lượng PCCC tại chỗ phải được huấn luyện, bồi dưỡng nghiệp vụ.",
        why_en="Heads and on-site fire teams must hold valid fire-safety training.",
        cites=(ART_20_5,),
        link=("portal:premises_detail", (9,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        authority_ids=(2, 4),
    )
    on_the_day = _training(expires_on=_in(0))
    assert (on_the_day.stage, on_the_day.title_vi, on_the_day.title_en) == (
        "t30",
        "Chứng nhận huấn luyện PCCC sắp hết hạn: Nguyễn Văn A (Karaoke Sao Mai)",
        "Fire-safety training certificate expiring: Nguyễn Văn A (Karaoke Sao Mai)",
    )
    late = _training(expires_on=_in(-1))
    assert (late.stage, late.title_vi, late.title_en) == (
        "overdue",
        "Chứng nhận huấn luyện PCCC đã hết hạn: Nguyễn Văn A (Karaoke Sao Mai)",
        "Fire-safety training certificate expired: Nguyễn Văn A (Karaoke Sao Mai)",
    )
    assert _training(expires_on=_in(31)) is None
    assert _training(head_ids=[]) is None


@pytest.mark.parametrize(
    ("rule", "kind"),
    [
        ({"type": "roadmap", "track": "alarm_device"}, "alarm_roadmap"),
        ({"type": "roadmap"}, None),
        ({"type": "recurring", "fact": "last_drill_on"}, "drill_due"),
        ({"type": "calendar_year", "fact": "last_drill_on"}, "drill_due"),
        ({"type": "recurring", "fact": "last_regular_check_on"}, "regular_check_due"),
        ({"type": "calendar_year", "fact": "last_regular_check_on"}, None),
        ({"type": "calendar", "fact": "last_pc04_report_on"}, "pc04_report_due"),
        ({"type": "recurring", "fact": "last_pc04_report_on"}, None),
        ({"type": "within_days", "fact": "alarm_connected_on"}, "data_declaration_due"),
        ({"type": "expiry", "fact": "alarm_connected_on"}, None),
        ({"type": "recurring", "fact": "last_self_inspection_on"}, "self_inspection_due"),
        ({"type": "calendar_year", "fact": "last_self_inspection_on"}, None),
        ({"type": "expiry", "fact": "insurance_expires_on"}, "insurance_expiry"),
        ({"type": "within_days", "fact": "insurance_expires_on"}, None),
        ({"type": "calendar", "fact": "last_drill_on"}, None),
        (None, None),
    ],
)
def test_duty_kind_of_each_deadline_rule(rule, kind):
    assert duty_kind(rule) == kind


def _duty(**over):
    args = dict(
        kind="drill_due",
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        due=_in(14),
        head_ids=[6, 5],
        reason_vi="Cơ sở thuộc Phụ lục I",
        reason_en="Under Appendix I",
        cites=(),
        authority_ids=[4],
        today=TODAY,
        config=ReminderConfig(offsets=(14, 3), cite=((20, 5, None),)),
    )
    return duty_reminder(**(args | over))


def test_duty_reminder_in_full():
    assert _duty() == Reminder(
        kind="drill_due",
        subject_key="premises:9",
        due_on=_in(14),
        stage="t14",
        user_ids=(5, 6),
        title_vi="Sắp đến hạn: Thực tập phương án chữa cháy, cứu nạn, cứu hộ — Karaoke Sao Mai",
        title_en="Due soon: Fire and rescue plan drill — Karaoke Sao Mai",
        what_vi="Tổ chức thực tập phương án chữa cháy, cứu nạn, cứu hộ và ghi ngày thực tập "
        "— còn 14 ngày (hạn 14/12/2026).",
        what_en="Hold the periodic drill of the fire and rescue plan and record its date "
        "— due in 14 days (14/12/2026).",
        why_vi="Cơ sở thuộc Phụ lục I",
        why_en="Under Appendix I",
        cites=(ART_20_5,),
        link=("portal:premises_detail", (9,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        authority_ids=(4,),
    )
    assert _duty(due=_in(15)) is None
    assert _duty(head_ids=[]) is None


def test_overdue_alarm_roadmap_reminder_names_the_device_state():
    r = _duty(kind="alarm_roadmap", due=_in(-5), alarm_state="installed", cites=[ART_23_1_C])
    assert r.title_vi == "Quá hạn: Lộ trình thiết bị truyền tin báo cháy — Karaoke Sao Mai"
    assert r.title_en == "Overdue: Alarm-transmission roadmap — Karaoke Sao Mai"
    assert r.what_vi == (
        "Trang bị thiết bị truyền tin báo cháy, kết nối với Cơ sở dữ liệu về PCCC và khai báo "
        "dữ liệu PCCC — đã quá hạn 5 ngày (hạn 25/11/2026). Hiện trạng: đã lắp đặt nhưng chưa kết "
        "nối."
    )
    assert r.what_en == (
        "Install an alarm-transmission device, connect it to the national fire database and "
        "declare the fire data — 5 days overdue (due 25/11/2026). Current state: installed but "
        "not connected."
    )
    assert r.cites == (ART_23_1_C,)
    assert r.payload()["alarm_device_state"] == "installed"
    # An unknown state reads as "no device yet"; no state: no sentence and no extra payload.
    odd = _duty(kind="alarm_roadmap", alarm_state="broken")
    assert odd.what_vi.endswith("Hiện trạng: chưa trang bị thiết bị.")
    assert odd.what_en.endswith("Current state: no device yet.")
    plain = _duty(kind="alarm_roadmap")
    assert plain.what_vi.endswith("(hạn 14/12/2026).") and plain.extra == {}
    # The state sentence belongs to the alarm roadmap only.
    assert _duty(alarm_state="installed").extra == {}


@pytest.mark.parametrize(
    ("kind", "title_vi", "act_en"),
    [
        ("self_inspection_due", "Sắp đến hạn: Tự kiểm tra PCCC định kỳ",
         "Carry out the periodic fire-safety self-inspection and record it (form PC02)"),
        ("regular_check_due", "Sắp đến hạn: Tự kiểm tra PCCC thường xuyên",
         "Carry out the regular fire-safety self-check (at most one month apart) and record it"),
        ("pc04_report_due", "Sắp đến hạn: Báo cáo kết quả công tác PCCC (mẫu PC04)",
         "Send the PC04 report to the managing authority or enter it in the national fire database"),
        ("data_declaration_due", "Sắp đến hạn: Khai báo dữ liệu PCCC lần đầu",
         "Declare the fire data within 3 days of connecting the alarm-transmission device"),
        # A certificate running out says so after its name instead of "Sắp đến hạn:".
        ("insurance_expiry", "Bảo hiểm cháy, nổ bắt buộc sắp hết hạn",
         "Renew the compulsory fire and explosion insurance before the certificate expires"),
    ],
)  # fmt: skip
def test_duty_reminder_text_of_each_kind(kind, title_vi, act_en):
    r = _duty(kind=kind, due=_in(3))
    assert r.title_vi == f"{title_vi} — Karaoke Sao Mai"
    assert r.what_en == f"{act_en} — due in 3 days (03/12/2026)."


def test_insurance_reminder_says_expiring_up_to_its_date_and_expired_after_it():
    on_the_day = _duty(kind="insurance_expiry", due=_in(0))
    assert (on_the_day.title_vi, on_the_day.title_en) == (
        "Bảo hiểm cháy, nổ bắt buộc sắp hết hạn — Karaoke Sao Mai",
        "Compulsory fire and explosion insurance expiring — Karaoke Sao Mai",
    )
    late = _duty(kind="insurance_expiry", due=_in(-1))
    assert (late.stage, late.title_vi, late.title_en) == (
        "overdue",
        "Bảo hiểm cháy, nổ bắt buộc đã hết hạn — Karaoke Sao Mai",
        "Compulsory fire and explosion insurance expired — Karaoke Sao Mai",
    )
    assert late.what_vi.endswith("— đã quá hạn 1 ngày (hạn 29/11/2026).")
