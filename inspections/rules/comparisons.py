"""The comparison operators of a fact rule (``{"fact": NAME, OP: VALUE}``).

An unknown or blank fact never satisfies a comparison (an unknown size cannot prove that a
threshold is reached); only ``ne`` answers it, and only against a value that is not blank.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

COMPARISONS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "is")

# The ordering operators, applied once both sides are known and comparable.
ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda actual, expected: actual == expected,
    "ne": lambda actual, expected: actual != expected,
    "gt": lambda actual, expected: actual > expected,
    "gte": lambda actual, expected: actual >= expected,
    "lt": lambda actual, expected: actual < expected,
    "lte": lambda actual, expected: actual <= expected,
}


def as_number(value: Any) -> Any:
    """A Decimal (from the database) as a float, so it compares with the rules' numbers."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def compare(op: str, actual: Any, expected: Any) -> bool:
    """Whether the fact's value ``actual`` satisfies ``OP: expected``."""
    if op == "is":
        return actual is expected or (expected is not None and actual == expected)
    if op == "in":
        return actual is not None and actual in expected
    if op == "not_in":
        return actual is not None and actual not in expected
    if actual is None or actual == "":
        return False if op != "ne" else expected not in (None, "")
    actual, expected = as_number(actual), as_number(expected)
    if isinstance(actual, date) and isinstance(expected, str):
        expected = date.fromisoformat(expected)
    try:
        return ORDERINGS[op](actual, expected)
    except TypeError:
        return False
