"""Inspection reminders for the assigned inspectors: stages, texts in both languages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from inspections.rules.reminders.reminder import Reminder
from inspections.rules.reminders.schedule import ReminderConfig
from inspections.rules.reminders.scheduled_inspections import inspection_reminder

from .common import ART_20_5, TODAY, in_days, worded


def test_inspection_reminder_before_the_day():
    due = inspection_reminder(
        inspection_id=7,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        address="12 Hàng Bài",
        # The inspection kind's own translatable label (Inspection.Kind), said in each language.
        kind_label=gettext_lazy("Kiểm tra định kỳ"),
        scheduled_for=in_days(1),
        inspector_ids=[5, 2, 5],
        authority_id=4,
        today=TODAY,
        config=ReminderConfig(offsets=(7, 1), cite=((20, 5, None),)),
    )
    r = worded(due)
    assert r == Reminder(
        kind="inspection_due",
        subject_key="inspection:7",
        due_on=in_days(1),
        stage="t1",
        user_ids=(2, 5),
        title_vi="Sắp đến lịch kiểm tra: Karaoke Sao Mai",
        title_en="Inspection coming up: Karaoke Sao Mai",
        what_vi="Kiểm tra định kỳ tại Karaoke Sao Mai (12 Hàng Bài) — còn 1 ngày (hạn 01/12/2026).",
        what_en="Periodic inspection at Karaoke Sao Mai (12 Hàng Bài) — due in 1 day (01/12/2026).",
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
        # The inspection kind's own translatable label (Inspection.Kind), said in each language.
        kind_label=gettext_lazy("Kiểm tra định kỳ"),
        scheduled_for=TODAY,
        inspector_ids=[5],
        authority_id=None,
        today=TODAY,
        config=ReminderConfig(offsets=(7, 1)),
    )
    return worded(inspection_reminder(**(args | over)))


def test_inspection_reminder_on_the_day_and_after_it():
    today = _inspection()
    assert today.what_vi.endswith("— hạn là hôm nay (30/11/2026).")
    assert today.what_en.endswith("— due today (30/11/2026).")
    assert today.authority_ids == () and today.cites == ()
    late = _inspection(scheduled_for=in_days(-3))
    assert late.stage == "overdue" and late.overdue is True
    assert late.title_vi == "Quá hạn kiểm tra: Karaoke Sao Mai"
    assert late.title_en == "Inspection overdue: Karaoke Sao Mai"
    assert late.what_vi.endswith("— đã quá hạn 3 ngày (hạn 27/11/2026).")
    assert late.what_en.endswith("— 3 days overdue (due 27/11/2026).")
    assert late.payload()["overdue"] is True


def test_no_inspection_reminder_outside_the_window_or_without_inspectors():
    assert _inspection(scheduled_for=in_days(8)) is None
    assert _inspection(inspector_ids=[]) is None
