"""Dates as people in Viet Nam write them: dd/mm/yyyy, in Vietnamese and in English alike."""

from __future__ import annotations

from datetime import date

DATE_FORMAT = "%d/%m/%Y"


def format_date(d: date | None) -> str:
    return d.strftime(DATE_FORMAT) if d else ""
