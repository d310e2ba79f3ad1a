"""The status of one applicable requirement under its deadline rule: met, not met, overdue or
unknown, with its due date and the detail that explains it.

Facts the head keeps (device state, insurance expiry, last drill) decide first; an inspector's
latest "non compliant" answer always wins over facts that look fine, because it was observed on
site. Each ``deadline_rule.type`` has its own step below; a requirement without one follows the
inspector's answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from .alarm import alarm_roadmap_status
from .applicability import Params, resolve
from .bilingual import both
from .deadlines import add_months, as_date, calendar_due, cycle_months
from .people import people_status
from .reasons import missing_text
from .requirements import RequirementSpec
from .statuses import MET, NON_COMPLIANT, NOT_MET, OVERDUE, UNKNOWN, status_from_answer

# (status, due date, detail vi, detail en, roadmap step)
Status = tuple[str, date | None, str, str, str | None]
DeadlineRule = Mapping[str, Any]
Facts = Mapping[str, Any]
# One type of deadline rule: (rule, facts, params, answer, on) -> status.
StatusStep = Callable[[DeadlineRule, Facts, Params, "str | None", date], Status]


def evaluate_status(
    spec: RequirementSpec, facts: Facts, params: Params, answer: str | None, on: date
) -> Status:
    """(status, due date, detail vi, detail en, roadmap step) of one applicable requirement."""
    rule = spec.deadline_rule or {}
    kind = rule.get("type")
    # Any other type (none, or a malformed one that is not even a name) follows the answer.
    status_of: StatusStep = _answer_status
    if isinstance(kind, str):
        status_of = _STATUS_BY_RULE_TYPE.get(kind, _answer_status)
    return status_of(rule, facts, params, answer, on)


def dated_status(due: date, on: date, answer: str | None) -> str:
    """Met until the due day, overdue after it; "non compliant" on site makes met not met."""
    status = MET if on <= due else OVERDUE
    if answer == NON_COMPLIANT and status == MET:
        status = NOT_MET
    return status


def _answer_status(
    rule: DeadlineRule, facts: Facts, params: Params, answer: str | None, on: date
) -> Status:
    return status_from_answer(answer), None, "", "", None


def _people_status(
    rule: DeadlineRule, facts: Facts, params: Params, answer: str | None, on: date
) -> Status:
    # Team size and training are counted per person: rules/people.py.
    return people_status(rule, facts, params, answer, on)  # type: ignore[return-value]


def _roadmap_status(
    rule: DeadlineRule, facts: Facts, params: Params, answer: str | None, on: date
) -> Status:
    deadline = as_date(resolve(rule.get("date"), params))
    late = deadline is not None and on > deadline
    if rule.get("track") == "alarm_device":
        return alarm_roadmap_status(
            rule, facts, params, answer=answer, deadline=deadline, late=late
        )
    status = status_from_answer(answer)
    if status == NOT_MET and late:
        status = OVERDUE
    return status, deadline, "", "", None


def _recurring_status(
    rule: DeadlineRule, facts: Facts, params: Params, answer: str | None, on: date
) -> Status:
    months, missing = cycle_months(resolve(rule.get("months"), params), facts)
    if missing:
        vi, en = missing_text(missing)
        return UNKNOWN, None, vi, en, None
    if months is None:
        return status_from_answer(answer), None, "", "", None
    last = as_date(facts.get(rule.get("fact", "")))
    if last is None:
        return (
            status_from_answer(answer),
            None,
            *both("Chưa ghi nhận ngày thực hiện gần nhất"),
            None,
        )
    due = add_months(last, months)
    return (
        dated_status(due, on, answer),
        due,
        *both("Lần gần nhất: %(last)s; chu kỳ %(months)s tháng", last=last, months=months),
        None,
    )


def _expiry_status(
    rule: DeadlineRule, facts: Facts, params: Params, answer: str | None, on: date
) -> Status:
    expires = as_date(facts.get(rule.get("fact", "")))
    if expires is None and rule.get("present_fact") and facts.get(rule["present_fact"]):
        status = NOT_MET if answer == NON_COMPLIANT else MET
        return status, None, *both("Đã có giấy tờ, không ghi hạn"), None
    if expires is None:
        return (
            status_from_answer(answer),
            None,
            *both("Chưa ghi nhận ngày hết hạn"),
            None,
        )
    return (
        dated_status(expires, on, answer),
        expires,
        *both("Hiệu lực đến %(expires)s", expires=expires),
        None,
    )


def _calendar_status(
    rule: DeadlineRule, facts: Facts, params: Params, answer: str | None, on: date
) -> Status:
    last = as_date(facts.get(rule.get("fact", "")))
    due = calendar_due(last, on, resolve(rule.get("dates"), params) or [])
    if last is None:
        return (
            status_from_answer(answer),
            due,
            *both("Chưa ghi nhận lần gửi báo cáo nào"),
            None,
        )
    # The report made on ``last`` answered an earlier deadline; the next one is ``due``.
    return (
        dated_status(due, on, answer),
        due,
        *both("Lần gửi gần nhất: %(last)s; hạn kế tiếp %(due)s", last=last, due=due),
        None,
    )


def _calendar_year_status(
    rule: DeadlineRule, facts: Facts, params: Params, answer: str | None, on: date
) -> Status:
    last = as_date(facts.get(rule.get("fact", "")))
    if last is None:
        due = date(on.year, 12, 31)
        return (
            status_from_answer(answer),
            due,
            *both("Chưa ghi nhận lần thực hiện nào"),
            None,
        )
    # Once in every calendar year: a drill in year Y leaves year Y+1's drill owed by its
    # 31 December.
    due = date(last.year + 1, 12, 31)
    return (
        dated_status(due, on, answer),
        due,
        *both("Lần gần nhất: %(last)s; ít nhất một lần mỗi năm", last=last),
        None,
    )


def _within_days_status(
    rule: DeadlineRule, facts: Facts, params: Params, answer: str | None, on: date
) -> Status:
    start = as_date(facts.get(rule.get("fact", "")))
    if start is None:
        vi, en = missing_text((rule.get("fact", ""),))
        return UNKNOWN, None, vi, en, None
    days = int(resolve(rule.get("days"), params))
    due = date.fromordinal(start.toordinal() + days)
    done = as_date(facts.get(rule.get("done_fact", "")))
    if done is not None and answer != NON_COMPLIANT:
        return MET, due, *both("Đã thực hiện ngày %(done)s", done=done), None
    return (
        NOT_MET if on <= due else OVERDUE,
        due,
        *both("Hạn %(days)s ngày kể từ %(start)s", days=days, start=start),
        None,
    )


_STATUS_BY_RULE_TYPE: dict[str, StatusStep] = {
    "team_size": _people_status,
    "training": _people_status,
    "roadmap": _roadmap_status,
    "recurring": _recurring_status,
    "expiry": _expiry_status,
    "calendar": _calendar_status,
    "calendar_year": _calendar_year_status,
    "within_days": _within_days_status,
}


def status_missing_facts(spec: RequirementSpec, facts: Facts) -> tuple[str, ...]:
    """Facts whose absence leaves an applicable duty undecided (team size: the headcount, then
    the team's members), so the head is told what to fill in rather than just "unknown"."""
    if (spec.deadline_rule or {}).get("type") != "team_size":
        return ()
    if facts.get("employees") is None:
        return ("employees",)
    if facts.get("onsite_team_members") is None:
        return ("onsite_team_members",)
    return ()
