"""Stored content hashes stay valid: a phone's retry after an upgrade is still "unchanged"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

from inspections.services.answers import AnswerInput, answer_hash
from inspections.services.inspection_state import content_hash

PAYLOAD = {
    "item": 7,
    "value": "compliant",
    "number_value": Decimal("12.500"),
    "note": 'Bình chữa cháy "A"',
    "answered_at": datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=7))),
}


def test_the_hash_of_known_content_is_the_one_stored_by_earlier_versions():
    # Computed by the json.dumps(..., sort_keys=True, separators=(",", ":")) of earlier releases.
    expected = "4afa00370fa6be073a72da3cff15230d2eca9a5728d537ca35f30e72ad444a27"
    assert content_hash(PAYLOAD) == expected
    # The same instant in another zone is the same content.
    in_utc = {**PAYLOAD, "answered_at": PAYLOAD["answered_at"].astimezone(UTC)}
    assert content_hash(in_utc) == expected


def test_an_answer_hashes_its_number_to_three_decimals():
    at = datetime(2026, 11, 23, 2, tzinfo=UTC)
    a = AnswerInput(uuid4(), 7, at, number_value=Decimal("12.5"))
    b = AnswerInput(uuid4(), 7, at, number_value=Decimal("12.500"))
    assert answer_hash(a) == answer_hash(b)
