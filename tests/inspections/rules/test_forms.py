"""Decree forms and dossier rules: PC04 half-years, the PC01 edition in force, dossier items."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.rules.forms import item_status, pc01_edition, pc04_period, previous_period_end


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2026, 1, 1), (date(2025, 12, 16), date(2026, 6, 15))),
        (date(2026, 6, 15), (date(2025, 12, 16), date(2026, 6, 15))),
        (date(2026, 6, 16), (date(2026, 6, 16), date(2026, 12, 15))),
        (date(2026, 12, 15), (date(2026, 6, 16), date(2026, 12, 15))),
        (date(2026, 12, 16), (date(2026, 12, 16), date(2027, 6, 15))),
        (date(2026, 12, 31), (date(2026, 12, 16), date(2027, 6, 15))),
    ],
)
def test_pc04_half_year_at_each_boundary(day, period):
    assert pc04_period(day) == period


def test_previous_period_end_alternates_june_and_december():
    assert previous_period_end(date(2027, 6, 15)) == date(2026, 12, 15)
    assert previous_period_end(date(2026, 12, 15)) == date(2026, 6, 15)


@pytest.mark.parametrize(
    ("day", "edition"),
    [(date(2026, 9, 14), "nd105-2025"), (date(2026, 9, 15), "nd347-2026"),
     (date(2026, 9, 16), "nd347-2026")],
)  # fmt: skip
def test_pc01_edition_changes_on_15_september_2026(day, edition):
    assert pc01_edition(day) == edition


@pytest.mark.parametrize(
    ("item", "status"),
    [("a", "missing"), ("đ", "missing"), ("h", "missing"), ("c", "conditional"),
     ("k", "conditional"), ("l", "if_any"), ("o", "if_any")],
)  # fmt: skip
def test_dossier_item_status_when_absent(item, status):
    assert item_status(item, has_documents=False) == status
    assert item_status(item, has_documents=True) == "present"
