"""Deadline arithmetic: months with their month ends, fixed days of the year, cycles."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.rules.deadlines import add_months, as_date, calendar_due, cycle_months, format_day

from .common import ON


def test_add_months_clamps_to_month_end():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 12, 15), 12) == date(2025, 12, 15)


def test_add_months_across_years_and_month_ends():
    assert add_months(date(2026, 11, 30), 1) == date(2026, 12, 30)
    assert add_months(date(2026, 11, 30), 2) == date(2027, 1, 30)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 15), 0) == date(2026, 1, 15)
    assert add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)
    assert add_months(date(2026, 1, 15), 11) == date(2026, 12, 15)
    assert add_months(date(2026, 1, 15), 60) == date(2031, 1, 15)


PC04 = [{"month": 6, "day": 15}, {"month": "12", "day": "15"}]


@pytest.mark.parametrize(
    ("last", "on", "due"),
    [
        (None, date(2026, 6, 13), date(2026, 6, 14)),
        (None, date(2026, 6, 14), date(2026, 6, 14)),
        (None, date(2026, 6, 15), date(2026, 12, 14)),
        (None, date(2026, 12, 15), date(2027, 6, 14)),
        (date(2026, 6, 14), ON, date(2026, 12, 14)),
        (date(2026, 6, 15), ON, date(2027, 6, 14)),
        (date(2026, 12, 14), ON, date(2027, 6, 14)),
        (date(2026, 12, 20), ON, date(2027, 12, 14)),
    ],
)
def test_calendar_due_before_15_june_and_15_december(last, on, due):
    assert calendar_due(last, on, PC04) == due


def test_calendar_due_needs_a_configured_day():
    with pytest.raises(ValueError, match="^no calendar deadline configured$"):
        calendar_due(None, ON, [])


def test_dates_are_read_from_facts_and_written_the_vietnamese_way():
    assert as_date(None) is None
    assert as_date(date(2026, 1, 2)) == date(2026, 1, 2)
    assert as_date("2026-01-02") == date(2026, 1, 2)
    with pytest.raises(ValueError):
        as_date("02/01/2026")
    assert format_day(date(2026, 1, 2)) == "02/01/2026"


def test_a_cycle_is_a_number_of_months_or_picked_by_appendix():
    assert cycle_months(12, {}) == (12, ())
    assert cycle_months("6", {}) == (6, ())
    assert cycle_months(None, {}) == (None, ())
    by_appendix = {"appendix_ii": 6, "appendix_i": "12", "other": 24}
    managed = {"under_fire_safety_management": True}
    assert cycle_months(by_appendix, managed | {"in_appendix_ii": True}) == (6, ())
    assert cycle_months(by_appendix, managed | {"in_appendix_ii": False}) == (12, ())
    assert cycle_months(by_appendix, {"in_appendix_ii": False}) == (24, ())
    assert cycle_months({"appendix_ii": 6}, {"in_appendix_ii": False}) == (None, ())
    unknown = {"in_appendix_ii": None, "unknown_facts": {"in_appendix_ii": ["floors"]}}
    assert cycle_months(by_appendix, unknown) == (None, ("floors",))
    assert cycle_months(12, unknown) == (12, ())
