"""Catalogue-duty reminders: which deadline rule is tracked, and each kind's text."""

from __future__ import annotations

import pytest

from inspections.rules.reminders import wording
from inspections.rules.reminders.duties import duty_kind, duty_reminder
from inspections.rules.reminders.reminder import Reminder
from inspections.rules.reminders.schedule import ReminderConfig

from .common import ART_20_5, ART_23_1_C, TODAY, in_days, worded


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


def _due(**over):
    args = dict(
        kind="drill_due",
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        due=in_days(14),
        head_ids=[6, 5],
        reason_vi="Cơ sở thuộc Phụ lục I",
        reason_en="Under Appendix I",
        cites=(),
        authority_ids=[4],
        today=TODAY,
        config=ReminderConfig(offsets=(14, 3), cite=((20, 5, None),)),
    )
    return duty_reminder(**(args | over))


def _duty(**over):
    return worded(_due(**over))


def test_duty_reminder_in_full():
    assert _duty() == Reminder(
        kind="drill_due",
        subject_key="premises:9",
        due_on=in_days(14),
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
    assert _duty(due=in_days(15)) is None
    assert _duty(head_ids=[]) is None


def test_overdue_alarm_roadmap_reminder_names_the_device_state():
    r = _duty(kind="alarm_roadmap", due=in_days(-5), alarm_state="installed", cites=[ART_23_1_C])
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
    r = _duty(kind=kind, due=in_days(3))
    assert r.title_vi == f"{title_vi} — Karaoke Sao Mai"
    assert r.what_en == f"{act_en} — due in 3 days (03/12/2026)."


def test_insurance_reminder_says_expiring_up_to_its_date_and_expired_after_it():
    on_the_day = _duty(kind="insurance_expiry", due=in_days(0))
    assert (on_the_day.title_vi, on_the_day.title_en) == (
        "Bảo hiểm cháy, nổ bắt buộc sắp hết hạn — Karaoke Sao Mai",
        "Compulsory fire and explosion insurance expiring — Karaoke Sao Mai",
    )
    late = _duty(kind="insurance_expiry", due=in_days(-1))
    assert (late.stage, late.title_vi, late.title_en) == (
        "overdue",
        "Bảo hiểm cháy, nổ bắt buộc đã hết hạn — Karaoke Sao Mai",
        "Compulsory fire and explosion insurance expired — Karaoke Sao Mai",
    )
    assert late.what_vi.endswith("— đã quá hạn 1 ngày (hạn 29/11/2026).")


def test_duty_reminder_is_worded_only_when_asked(monkeypatch):
    rendered = []
    real = wording.in_both_languages

    def spy(*args, **kwargs):
        rendered.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(wording, "in_both_languages", spy)
    due = _due()
    assert (due.subject_key, due.stage, due.user_ids) == ("premises:9", "t14", (5, 6))
    assert rendered == []
    assert due.reminder().title_vi.startswith("Sắp đến hạn")
    assert rendered == [1]
