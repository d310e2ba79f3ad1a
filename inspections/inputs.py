"""What the system accepts from people, defined once: a sane date range, plain ASCII whole
numbers and text without NUL characters. The API, the portal, the admin, the CSV import and the
rules (preview) all check through here, so a year 9999 or a NUL byte is refused at the door
instead of breaking a page, a nightly job or PostgreSQL later.

No ORM and no settings: the rules (pure functions) use it too.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Wide enough for any building's history and any deadline; narrow enough that date arithmetic
# (due dates, "days left", + 1 year) can never leave Python's date range.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)

# ASCII digits only: str.isdigit() accepts "²" and "١٢", which int() then refuses or reads as
# another number.
_ASCII_INT = re.compile(r"[0-9]{1,12}")


def date_in_range(value: dt.date | dt.datetime) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return MIN_DATE <= day <= MAX_DATE


def validate_sane_date(value: dt.date | dt.datetime | None) -> None:
    """Django/DRF validator: refuse dates outside MIN_DATE–MAX_DATE."""
    if value is not None and not date_in_range(value):
        raise ValidationError(
            _("Ngày phải nằm trong khoảng %(min)s đến %(max)s."),
            code="date_out_of_range",
            params={"min": MIN_DATE.year, "max": MAX_DATE.year},
        )


def parse_ascii_int(raw: str | None) -> int | None:
    """A non-negative whole number written in ASCII digits (at most 12), else None."""
    if raw is None or not _ASCII_INT.fullmatch(raw):
        return None
    return int(raw)


def has_nul(value: str) -> bool:
    return "\x00" in value
