"""Cells for spreadsheet exports (CSV, XLSX): text that a spreadsheet would run as a formula is
neutralised, so a premises named ``=HYPERLINK(...)`` stays a name when a manager opens the file.
"""

from __future__ import annotations

from typing import Any

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP "CSV
# injection"); tab and carriage return are included because some importers strip them first.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` unchanged, except a string starting like a formula gets a leading apostrophe.

    Numbers, dates and None pass through: only text typed by people can carry a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
