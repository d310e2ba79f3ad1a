"""Pure rules of the decree's forms and dossier: PC04 half-years, PC01 edition, dossier items."""

from __future__ import annotations

from datetime import date, timedelta

# Decree 105 Art. 14.2: the PC04 report is sent before 15 June and before 15 December.
PC04_PERIOD_ENDS = ((6, 15), (12, 15))
# Decree 347/2026 (in force 15 September 2026) replaced form PC01 (Art. 31.3).
PC01_DECREE_347_FROM = date(2026, 9, 15)

# Art. 4.1: what every establishment's dossier holds; the rest depends on the premises
# (c, i, k: only when the premises falls under appraisal or compulsory insurance) or on
# events (l, m, n, o: "nếu có").
REQUIRED_ITEMS = ("a", "b", "d", "đ", "e", "g", "h")
CONDITIONAL_ITEMS = ("c", "i", "k")
IF_ANY_ITEMS = ("l", "m", "n", "o")
ITEM_ORDER = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o")

# Art. 4.3: the managing authority's own dossier of each premises it manages.
AUTHORITY_ITEMS = {
    "construction": ("h", "k", "m", "n", "o"),
    "fire_police": ("a", "h", "k", "l", "m", "n", "o"),
    "commune_committee": ("a", "h", "k", "l", "m", "n", "o"),
}


def pc04_period(day: date) -> tuple[date, date]:
    """The half-year a PC04 sent on ``day`` reports on: (first day, 15 June or 15 December).

    A report made on 16 June onwards covers the half-year ending on the coming 15 December.
    """
    year = day.year
    ends = [date(year, m, d) for m, d in PC04_PERIOD_ENDS] + [date(year + 1, 6, 15)]
    end = next(e for e in ends if day <= e)
    return previous_period_end(end) + timedelta(days=1), end


def previous_period_end(end: date) -> date:
    if (end.month, end.day) == (6, 15):
        return date(end.year - 1, 12, 15)
    return date(end.year, 6, 15)


def pc01_edition(day: date) -> str:
    """Which form PC01 is in force on ``day``."""
    return "nd347-2026" if day >= PC01_DECREE_347_FROM else "nd105-2025"


def item_status(item: str, *, has_documents: bool) -> str:
    """'present', 'missing' (required and absent), 'conditional' or 'if_any' (absent, not due)."""
    if has_documents:
        return "present"
    if item in REQUIRED_ITEMS:
        return "missing"
    if item in CONDITIONAL_ITEMS:
        return "conditional"
    return "if_any"
