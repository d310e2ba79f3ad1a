"""Yearly plan rules (Decree 105 Art. 14.3): plan deadline, what falls due, working days, notice."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.rules.planning import InspectionRegime
from inspections.rules.reminders.reminder import Reminder
from inspections.rules.yearly_plan import (
    PlanDue,
    due_in_year,
    earliest_inspection_day,
    inspection_notice,
    is_working_day,
    notice_deadline,
    notice_working_days,
    plan_deadline,
    plan_year_for,
)

# November 2026: Monday 2, ... Friday 27, Saturday 28, Sunday 29, Monday 30.
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 11, d) for d in range(23, 30))
NEXT_MON = date(2026, 11, 30)
NO_DAYS: frozenset[date] = frozenset()


def test_plan_is_due_before_15_december_of_the_previous_year():
    assert plan_deadline(2027) == date(2026, 12, 15)
    assert plan_deadline(2027, {}) == date(2026, 12, 15)
    assert plan_deadline(2027, {"planning.schedule": None}) == date(2026, 12, 15)
    assert plan_deadline(2027, {"planning.schedule": {"plan_due_before": ["11", "30"]}}) == date(
        2026, 11, 30
    )


def test_notice_working_days_default_and_parameter():
    assert notice_working_days() == 3
    assert notice_working_days({"planning.schedule": {}}) == 3
    assert notice_working_days({"planning.schedule": {"notice_working_days": "5"}}) == 5


def test_the_plan_worked_on_is_next_years():
    assert plan_year_for(date(2026, 1, 1)) == 2027
    assert plan_year_for(date(2026, 12, 31)) == 2027


POLICE = InspectionRegime("fire_police", 12)
COMMUNE = InspectionRegime("commune_committee", None)


def test_never_inspected_premises_is_due_on_1_january():
    assert due_in_year([COMMUNE, POLICE], "fire_police", None, 2027) == PlanDue(
        12, None, date(2027, 1, 1)
    )


def test_due_date_inside_the_year_and_overdue_clamped_to_1_january():
    last = date(2026, 3, 31)
    assert due_in_year([POLICE], "fire_police", last, 2027) == PlanDue(12, last, date(2027, 3, 31))
    old = date(2025, 6, 1)
    assert due_in_year([POLICE], "fire_police", old, 2027) == PlanDue(12, old, date(2027, 1, 1))


def test_due_date_on_31_december_is_in_the_year_and_1_january_next_is_not():
    assert due_in_year([POLICE], "fire_police", date(2026, 12, 31), 2027) == PlanDue(
        12, date(2026, 12, 31), date(2027, 12, 31)
    )
    assert due_in_year([POLICE], "fire_police", date(2027, 1, 1), 2027) is None


def test_no_periodic_inspection_without_the_authority_or_its_interval():
    assert due_in_year([POLICE], "commune_committee", None, 2027) is None
    assert due_in_year([COMMUNE, POLICE], "commune_committee", None, 2027) is None
    assert due_in_year([InspectionRegime("fire_police", 0)], "fire_police", None, 2027) is None


def test_working_days_are_weekdays_except_holidays_plus_swapped_weekends():
    assert [is_working_day(d, NO_DAYS, NO_DAYS) for d in (MON, FRI, SAT, SUN)] == [
        True,
        True,
        False,
        False,
    ]
    assert is_working_day(WED, {WED}, NO_DAYS) is False
    assert is_working_day(SAT, NO_DAYS, {SAT}) is True
    # A swapped working day wins even if listed as a holiday too.
    assert is_working_day(SAT, {SAT}, {SAT}) is True


def test_notice_deadline_leaves_three_whole_working_days():
    # Inspection on Friday: Tuesday, Wednesday, Thursday lie between; notice by Monday.
    assert notice_deadline(FRI, NO_DAYS, NO_DAYS) == MON
    # Inspection on Monday 30: Wednesday, Thursday, Friday between; notice by Tuesday.
    assert notice_deadline(NEXT_MON, NO_DAYS, NO_DAYS) == TUE
    # A holiday on Wednesday pushes the notice one working day earlier (by the Sunday before
    # Monday, Tuesday and Thursday).
    assert notice_deadline(FRI, {WED}, NO_DAYS) == date(2026, 11, 22)
    # A Saturday made a working day counts.
    assert notice_deadline(NEXT_MON, NO_DAYS, {SAT}) == WED
    assert notice_deadline(FRI, NO_DAYS, NO_DAYS, working_days=1) == WED
    assert notice_deadline(FRI, NO_DAYS, NO_DAYS, working_days=0) == THU


def test_earliest_inspection_day_after_a_notice():
    # Notice on Monday: Tuesday, Wednesday, Thursday between; inspection from Friday.
    assert earliest_inspection_day(MON, NO_DAYS, NO_DAYS) == FRI
    # Notice on Tuesday: Wed, Thu, Fri between; Saturday and Sunday are skipped.
    assert earliest_inspection_day(TUE, NO_DAYS, NO_DAYS) == NEXT_MON
    # A Saturday made a working day may host the inspection.
    assert earliest_inspection_day(TUE, NO_DAYS, {SAT}) == SAT
    assert earliest_inspection_day(WED, NO_DAYS, {SAT}) == NEXT_MON
    assert earliest_inspection_day(MON, {THU}, NO_DAYS) == NEXT_MON
    assert earliest_inspection_day(MON, NO_DAYS, NO_DAYS, working_days=1) == WED
    assert earliest_inspection_day(FRI, NO_DAYS, NO_DAYS, working_days=0) == NEXT_MON


@pytest.mark.parametrize("inspection", [FRI, NEXT_MON, date(2026, 12, 2)])
def test_notice_deadline_and_earliest_day_agree(inspection):
    sent = notice_deadline(inspection, NO_DAYS, NO_DAYS)
    assert earliest_inspection_day(sent, NO_DAYS, NO_DAYS) <= inspection


def _notice(**over):
    args = dict(
        inspection_id=7,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        head_ids=[6, 3, 6],
        authority_name="Công an phường Hoàn Kiếm",
        joint_authority_name="",
        day=NEXT_MON,
        place="12 Hàng Bài",
        inspector_names=["Trần B", "Lê C"],
        content_vi="điểm a, đ",
        content_en="points a, đ",
    )
    return inspection_notice(**(args | over))


def test_inspection_notice_in_full():
    assert _notice() == Reminder(
        kind="inspection_notice",
        subject_key="inspection:7",
        due_on=NEXT_MON,
        stage="notice",
        user_ids=(3, 6),
        title_vi="Thông báo kiểm tra định kỳ về PCCC ngày 30/11/2026: Karaoke Sao Mai",
        title_en="Notice of a periodic fire-safety inspection on 30/11/2026: Karaoke Sao Mai",
        what_vi="Công an phường Hoàn Kiếm sẽ kiểm tra định kỳ về phòng cháy, chữa cháy tại "
        "12 Hàng Bài ngày 30/11/2026. Thành phần đoàn: Trần B, Lê C. Nội dung: điểm a, đ. "
        "Đề nghị chuẩn bị hồ sơ theo nội dung đã thông báo.",
        what_en="Công an phường Hoàn Kiếm will carry out a periodic fire-safety inspection at "
        "12 Hàng Bài on 30/11/2026. Members: Trần B, Lê C. Content: points a, đ. Please have "
        "the dossier ready for the notified content.",
        why_vi="Nghị định 105/2025/NĐ-CP Điều 14: thông báo bằng văn bản trước ít nhất 03 ngày "
        "làm việc.",
        why_en="Decree 105/2025 Art. 14: written notice at least 3 working days in advance.",
        link=("portal:inspection_detail", (7,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
    )


def test_joint_inspection_notice_and_no_members_named():
    r = _notice(joint_authority_name="UBND phường Hoàn Kiếm", inspector_names=[])
    assert r.what_vi.startswith(
        "Công an phường Hoàn Kiếm và UBND phường Hoàn Kiếm (kiểm tra chung) sẽ kiểm tra"
    )
    assert r.what_en.startswith(
        "Công an phường Hoàn Kiếm jointly with UBND phường Hoàn Kiếm will carry out"
    )
    assert "Thành phần đoàn: —." in r.what_vi and "Members: —." in r.what_en
    assert _notice(head_ids=[]) is None


def test_inspection_notice_names_the_members_in_both_languages_from_any_iterable():
    r = _notice(inspector_names=(name for name in ["Trần B", "Lê C"]))
    assert "Thành phần đoàn: Trần B, Lê C." in r.what_vi
    assert "Members: Trần B, Lê C." in r.what_en
