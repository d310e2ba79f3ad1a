"""The comparison operators of a fact rule: each at its boundary, unknown and blank values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inspections.rules.comparisons import COMPARISONS, ORDERINGS, as_number, compare


@pytest.mark.parametrize(
    ("op", "below", "at", "above"),
    [("eq", False, True, False), ("ne", True, False, True), ("gt", False, False, True),
     ("gte", False, True, True), ("lt", True, False, False), ("lte", True, True, False)],
)  # fmt: skip
def test_each_comparison_just_below_at_and_just_above_the_threshold(op, below, at, above):
    assert [compare(op, n, 5) for n in (4, 5, 6)] == [below, at, above]


def test_every_ordering_is_an_operator_of_the_grammar():
    assert set(ORDERINGS) == set(COMPARISONS) - {"in", "not_in", "is"}


def test_decimals_compare_as_floats():
    assert as_number(Decimal("2.50")) == 2.5 and isinstance(as_number(Decimal("2.50")), float)
    assert as_number(7) == 7 and as_number("7") == "7"
    assert compare("eq", Decimal("0.1"), 0.1)
    assert compare("gte", 0.1, Decimal("0.1"))


def test_dates_compare_with_iso_strings_in_rules():
    assert compare("lt", date(2027, 6, 30), "2027-07-01")
    assert not compare("lt", date(2027, 7, 1), "2027-07-01")
    # Only a date fact reads the rule's string as a date.
    assert not compare("lt", "2027-06-30", date(2027, 7, 1))


def test_values_that_cannot_be_ordered_never_satisfy_a_comparison():
    assert not compare("gt", "A", 3)
    assert not compare("lte", "A", 3)


def test_unknown_or_blank_facts_never_satisfy_a_comparison_but_differ_from_a_value():
    for op in ("eq", "gt", "gte", "lt", "lte"):
        assert not compare(op, None, 0)
        assert not compare(op, "", "")
    assert compare("ne", "", "A")
    assert compare("ne", None, 3)
    assert not compare("ne", None, None)
    assert not compare("ne", "", "")
    assert not compare("ne", None, "")


def test_membership_operators_and_an_unknown_value():
    assert compare("in", "B", ["A", "B"])
    assert not compare("in", "C", ["A", "B"])
    assert not compare("in", None, [None])
    assert compare("not_in", "C", ["A", "B"])
    assert not compare("not_in", "A", ["A", "B"])
    assert not compare("not_in", None, ["A"])


def test_is_operator_matches_identity_or_equality_with_a_known_value():
    assert compare("is", None, None)
    assert not compare("is", False, None)
    assert not compare("is", None, False)
    assert compare("is", True, True)
    assert compare("is", 2.0, 2)
    assert not compare("is", 3, 2)
