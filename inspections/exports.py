"""Spreadsheet exports (CSV, XLSX) built from one tablib dataset per sheet; text that a
spreadsheet would run as a formula is neutralised, so a premises named ``=HYPERLINK(...)`` stays
a name when a manager opens the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import tablib

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP "CSV
# injection"); tab and carriage return are included because some importers strip them first.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# (key in the row, header: a translatable string, shown in the active language)
Column = tuple[str, Any]


def safe_cell(value: Any) -> Any:
    """``value`` unchanged, except a string starting like a formula gets a leading apostrophe.

    Numbers, dates and None pass through: only text typed by people can carry a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def text_cell(value: Any) -> Any:
    """A cell for both CSV and XLSX: dates as ISO text, None as empty, formulas neutralised."""
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return safe_cell(value)


def dataset(
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    *,
    title: str = "",
    cell: Any = text_cell,
) -> tablib.Dataset:
    """One sheet: headers in the active language, one line per row, cells made safe."""
    data = tablib.Dataset(headers=[str(c[1]) for c in columns], title=title)
    for row in rows:
        data.append([cell(row.get(c[0])) for c in columns])
    return data


def csv_bytes(data: tablib.Dataset) -> bytes:
    # Excel opens a UTF-8 CSV with its diacritics intact only with a byte-order mark.
    return ("\ufeff" + data.export("csv")).encode("utf-8")


def xlsx_bytes(*sheets: tablib.Dataset) -> bytes:
    return tablib.Databook(list(sheets)).export("xlsx")
