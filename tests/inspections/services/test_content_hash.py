"""Answer hashes and rows: stored hashes stay valid, so a retry after an upgrade is "unchanged"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import uuid4

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from inspections.services.answers import AnswerInput, answer_hash
from inspections.services.inspection_state import content_hash

PAYLOAD: dict[str, Any] = {
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


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ['"', "\\", "\n\t", "đ", "😀", "</script>", "\u2028"]
)


@hsettings(max_examples=300, deadline=None)
@given(
    item=st.integers(min_value=1, max_value=2**63 - 1),
    value=st.sampled_from(["", "compliant", "non_compliant", "not_applicable"]) | texts,
    number=st.none() | st.decimals(min_value=-(10**10), max_value=10**10, places=5),
    note=texts,
    at=st.datetimes(timezones=st.timezones()),
)
def test_an_answers_hash_is_the_general_content_hash(item, value, number, note, at):
    a = AnswerInput(uuid4(), item, at, value=value, number_value=number, note=note)
    expected = content_hash(
        {
            "item": item,
            "value": value,
            "number_value": None if number is None else number.quantize(Decimal("0.001")),
            "note": note,
            "answered_at": at,
        }
    )
    assert answer_hash(a) == expected


def test_a_row_to_write_sets_every_column_of_an_answer():
    from inspections.models import Answer
    from inspections.services.answers import _ROW_FIELDS

    assert tuple(f.attname for f in Answer._meta.concrete_fields) == _ROW_FIELDS
