"""The status of an obligation and the inspector's answers that can set it."""

from __future__ import annotations

MET, NOT_MET, UNKNOWN, OVERDUE = "met", "not_met", "unknown", "overdue"
COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE = "compliant", "non_compliant", "not_applicable"


def status_from_answer(answer: str | None) -> str:
    """The status an inspector's answer gives when no recorded fact decides it."""
    if answer == COMPLIANT:
        return MET
    if answer == NON_COMPLIANT:
        return NOT_MET
    return UNKNOWN
