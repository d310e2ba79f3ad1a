"""Date arithmetic of the law's deadlines: cycles in months and fixed days of the year."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

_ONE_DAY = timedelta(days=1)


def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def as_date(value: Any) -> date | None:
    """A fact's date (a date, an ISO string, or None)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def format_day(d: date) -> str:
    """A date as Vietnamese texts write it (31/12/2026)."""
    return d.strftime("%d/%m/%Y")


def cycle_months(value: Any, facts: Mapping[str, Any]) -> tuple[int | None, tuple[str, ...]]:
    """A cycle in months; a mapping picks the Appendix II or Appendix I cycle (Art. 14.2).

    The second item names the facts to fill in when the premises' appendix is not known yet.
    """
    if not isinstance(value, Mapping):
        return (int(value) if value is not None else None), ()
    unknown = facts.get("unknown_facts") or {}
    if facts.get("in_appendix_ii") is None and "in_appendix_ii" in unknown:
        return None, tuple(unknown["in_appendix_ii"])
    if facts.get("in_appendix_ii") and value.get("appendix_ii") is not None:
        return int(value["appendix_ii"]), ()
    if facts.get("under_fire_safety_management") and value.get("appendix_i") is not None:
        return int(value["appendix_i"]), ()
    other = value.get("other")
    return (int(other) if other is not None else None), ()


def _next_calendar_deadline(after: date, days: list[tuple[int, int]]) -> date:
    """The first "before day/month" deadline whose last allowed day is on or after ``after``."""
    for year in (after.year, after.year + 1):
        for month, day in sorted(days):
            last_allowed = date(year, month, day).toordinal() - 1
            if last_allowed >= after.toordinal():
                return date.fromordinal(last_allowed)
    raise ValueError("no calendar deadline configured")


def calendar_due(last: date | None, on: date, deadlines: Iterable[Mapping[str, Any]]) -> date:
    """Due date of a report owed before fixed days of the year (PC04: 15 June, 15 December).

    A report made on ``last`` answers the first deadline not yet past on that day; the next one
    is then owed by the following deadline. Without a report, the next deadline from ``on``.
    """
    days = [(int(d["month"]), int(d["day"])) for d in deadlines]
    if last is None:
        return _next_calendar_deadline(on, days)
    answered = _next_calendar_deadline(last, days)
    return _next_calendar_deadline(answered + _ONE_DAY, days)
