"""The authority's yearly plan and its notices: deadlines, what falls due, working days (pure).

Decree 105/2025 Art. 14.3: the police and the commune committee draw up next year's periodic
inspection plan before 15 December, and notify the inspected party in writing at least 3
working days before a periodic inspection.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from inspections.dates import format_date

from .deadlines import add_months
from .planning import InspectionRegime
from .reminders import wording
from .reminders.reminder import Reminder, distinct_ids

# The decree's figures are the catalogue parameter ``planning.schedule`` (editable, versioned);
# these are the same figures for a catalogue that predates the parameter (2025.1).
PLANNING_PARAM = "planning.schedule"
PLAN_DEADLINE_DAY = (12, 15)  # the plan for year Y is due before 15 December of Y - 1
NOTICE_WORKING_DAYS = 3


def plan_deadline(year: int, params: Mapping[str, Any] | None = None) -> date:
    """The day before which the plan for ``year`` must be drawn up (exclusive)."""
    schedule = (params or {}).get(PLANNING_PARAM) or {}
    month, day = schedule.get("plan_due_before", PLAN_DEADLINE_DAY)
    return date(year - 1, int(month), int(day))


def notice_working_days(params: Mapping[str, Any] | None = None) -> int:
    """Whole working days between the written notice and a periodic inspection."""
    schedule = (params or {}).get(PLANNING_PARAM) or {}
    return int(schedule.get("notice_working_days", NOTICE_WORKING_DAYS))


def plan_year_for(today: date) -> int:
    """The plan a manager works on today: next year's, late or not once 15 December passed."""
    return today.year + 1


@dataclass(frozen=True)
class PlanDue:
    """When one authority's periodic inspection of a premises falls due within the plan year."""

    interval_months: int
    last_inspected_on: date | None
    due_on: date  # clamped to 1 January of the plan year when overdue already


def due_in_year(
    regimes: Iterable[InspectionRegime],
    authority_kind: str,
    last_inspected_on: date | None,
    year: int,
) -> PlanDue | None:
    """The periodic inspection ``authority_kind`` owes this premises in ``year``, if any.

    A premises never inspected is due at the start of the year: nothing shows it was checked.
    """
    regime = next((r for r in regimes if r.authority_kind == authority_kind), None)
    if regime is None or not regime.interval_months:
        return None
    start = date(year, 1, 1)
    if last_inspected_on is None:
        return PlanDue(regime.interval_months, None, start)
    due = add_months(last_inspected_on, int(regime.interval_months))
    if due.year > year:
        return None
    return PlanDue(regime.interval_months, last_inspected_on, max(due, start))


# --- Working days ---------------------------------------------------------------------------


def is_working_day(day: date, holidays: Container[date], workdays: Container[date]) -> bool:
    """Monday to Friday except public holidays; ``workdays`` are Saturdays or Sundays the
    Government made working days (to make up for a bridge day off)."""
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def notice_deadline(
    inspection_day: date,
    holidays: Container[date],
    workdays: Container[date],
    working_days: int = NOTICE_WORKING_DAYS,
) -> date:
    """The last day a written notice may go out: ``working_days`` whole working days must lie
    between the day it is sent and the day of the inspection."""
    day, counted = inspection_day, 0
    while counted < working_days:
        day -= timedelta(days=1)
        if is_working_day(day, holidays, workdays):
            counted += 1
    return day - timedelta(days=1)


def earliest_inspection_day(
    notice_day: date,
    holidays: Container[date],
    workdays: Container[date],
    working_days: int = NOTICE_WORKING_DAYS,
) -> date:
    """The first working day a periodic inspection may be held after a notice sent on
    ``notice_day``."""
    day, counted = notice_day, 0
    while counted < working_days:
        day += timedelta(days=1)
        if is_working_day(day, holidays, workdays):
            counted += 1
    day += timedelta(days=1)
    while not is_working_day(day, holidays, workdays):
        day += timedelta(days=1)
    return day


def inspection_notice(
    *,
    inspection_id: int,
    premises_id: int,
    premises_name: str,
    head_ids: Iterable[int],
    authority_name: str,
    joint_authority_name: str,
    day: date,
    place: str,
    inspector_names: Iterable[str],
    content_vi: str,
    content_en: str,
) -> Reminder | None:
    """The written notice of a periodic inspection to the heads: time, content, members
    (Decree 105 Art. 14.3). One notice per inspection and day: rescheduling sends a new one."""
    users = distinct_ids(head_ids)
    if not users:
        return None
    who = ", ".join(inspector_names) or "—"  # once: the names may come from a generator
    texts = wording.in_both_languages(
        lambda: _notice_message(
            premises_name=premises_name,
            authority_name=authority_name,
            joint_authority_name=joint_authority_name,
            when=format_date(day),
            place=place,
            who=who,
            content=wording.in_active_language(content_vi, content_en),
        )
    )
    return Reminder(
        kind="inspection_notice",
        subject_key=f"inspection:{inspection_id}",
        due_on=day,
        stage="notice",
        user_ids=users,
        **texts,
        link=("portal:inspection_detail", (inspection_id,)),
        premises_id=premises_id,
        premises_name=premises_name,
    )


def _notice_message(
    *,
    premises_name: str,
    authority_name: str,
    joint_authority_name: str,
    when: str,
    place: str,
    who: str,
    content: str,
) -> wording.Message:
    by = (
        _("%(authority)s và %(joint)s (kiểm tra chung)")
        % {"authority": authority_name, "joint": joint_authority_name}
        if joint_authority_name
        else authority_name
    )
    return wording.Message(
        title=_("Thông báo kiểm tra định kỳ về PCCC ngày %(when)s: %(premises)s")
        % {"when": when, "premises": premises_name},
        what=_(
            "%(by)s sẽ kiểm tra định kỳ về phòng cháy, chữa cháy tại %(place)s ngày %(when)s. "
            "Thành phần đoàn: %(who)s. Nội dung: %(content)s. Đề nghị chuẩn bị hồ sơ theo "
            "nội dung đã thông báo."
        )
        % {"by": by, "place": place, "when": when, "who": who, "content": content},
        why=_(
            "Nghị định 105/2025/NĐ-CP Điều 14: thông báo bằng văn bản trước ít nhất 03 ngày "
            "làm việc."
        ),
    )
