"""The status an inspector's answer gives when no recorded fact decides it."""

from __future__ import annotations

import pytest

from inspections.rules.statuses import (
    COMPLIANT,
    MET,
    NON_COMPLIANT,
    NOT_APPLICABLE,
    NOT_MET,
    UNKNOWN,
    status_from_answer,
)


@pytest.mark.parametrize(
    ("answer", "status"),
    [(COMPLIANT, MET), (NON_COMPLIANT, NOT_MET), (NOT_APPLICABLE, UNKNOWN), (None, UNKNOWN),
     ("", UNKNOWN), ("other", UNKNOWN)],
)  # fmt: skip
def test_status_from_the_inspectors_answer(answer, status):
    assert status_from_answer(answer) == status


def test_the_stored_values_of_statuses_and_answers():
    assert (MET, NOT_MET, UNKNOWN) == ("met", "not_met", "unknown")
    assert (COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE) == (
        "compliant", "non_compliant", "not_applicable",
    )  # fmt: skip
