"""The compiled answer-batch checks agree with the serializer they are built from.

They must accept nothing the serializer refuses and return exactly what it returns; what they
leave undecided goes to the serializer, which words the error.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework import serializers

from api.fast_input import Unsupported, compile_input, fast_validated, validated
from api.inspections.inputs import AnswersBatchInput

GOOD_ROW = {
    "client_uuid": "0b7e5c8e-3f1a-4e59-9a3c-2d8f1c6b7a10",
    "item": 7,
    "value": "compliant",
    "answered_at": "2026-11-23T09:00:00+07:00",
}


def drf(data: Any) -> tuple[bool, Any]:
    serializer = AnswersBatchInput(data=data)
    ok = serializer.is_valid()
    return ok, (serializer.validated_data if ok else serializer.errors)


def assert_agree(data: Any) -> Any:
    """The compiled checks decide nothing the serializer would decide otherwise."""
    fast = fast_validated(AnswersBatchInput, data)
    ok, result = drf(data)
    if fast is not None:
        assert ok, (data, result)
        assert fast == result
        # The same types too (a UUID stays a UUID, the time keeps its zone).
        for mine, theirs in zip(fast["answers"], result["answers"], strict=True):
            for name, value in theirs.items():
                assert type(mine[name]) is type(value), name
                if hasattr(value, "tzinfo"):
                    assert mine[name].tzinfo == value.tzinfo
    return fast


def batch(*rows: Any, version: Any = 3) -> dict:
    return {"version": version, "answers": list(rows)}


def row(**changes: Any) -> dict:
    data = {**GOOD_ROW, **changes}
    return {k: v for k, v in data.items() if v is not ...}


GOOD = [
    batch(row()),
    batch(row(value="", note="  ghi chú  ")),  # blank value, note trimmed
    batch(row(value="not_applicable", note="Đã kiểm tra bình chữa cháy")),
    batch(row(number_value=None)),
    batch(row(number_value="12.5")),  # decided by the field itself
    batch(row(number_value=3)),
    batch(row(answered_at="2026-11-23T02:00:00Z")),
    batch(row(answered_at="2026-11-23T02:00:00.123456+00:00")),
    batch(row(answered_at="2026-11-23 02:00+05:30")),
    batch(row(client_uuid="0B7E5C8E3F1A4E599A3C2D8F1C6B7A10")),  # hex without dashes
    batch(row(client_uuid="urn:uuid:0b7e5c8e-3f1a-4e59-9a3c-2d8f1c6b7a10")),
    batch(row(extra_key="ignored")),
    batch(row(note="x" * settings.NOTE_MAX_CHARS)),
    batch(*[row(item=n, client_uuid=str(uuid.UUID(int=n))) for n in range(1, 501)]),
    batch(row(item=2**63 - 1), version=2**63 - 1),
]

BAD = [
    {},
    {"version": 3},
    {"answers": [GOOD_ROW]},
    batch(),  # an empty list
    batch(*[row(item=n) for n in range(1, 502)]),  # too many
    batch(row(), version=0),
    batch(row(), version=True),
    batch(row(), version=2**63),
    batch(row(), version=None),
    {"version": 3, "answers": GOOD_ROW},  # not a list
    {"version": 3, "answers": None},
    batch("not an object"),
    batch([GOOD_ROW]),
    batch(None),
    batch(row(client_uuid=...)),
    batch(row(client_uuid="not-a-uuid")),
    batch(row(client_uuid=None)),
    batch(row(item=0)),
    batch(row(item=-1)),
    batch(row(item=2**63)),
    batch(row(item="7.5")),
    batch(row(item=7.5)),
    batch(row(item=True)),
    batch(row(item=...)),
    batch(row(item=None)),
    batch(row(value="maybe")),
    batch(row(value=None)),
    batch(row(value=1)),
    batch(row(value=["compliant"])),
    batch(row(note="x" * (settings.NOTE_MAX_CHARS + 1))),
    batch(row(note="a\x00b")),
    batch(row(note="a\ud800b")),
    batch(row(note=None)),
    batch(row(note={"a": 1})),
    batch(row(number_value="1e20")),
    batch(row(number_value="abc")),
    batch(row(number_value="NaN")),
    batch(row(number_value=True)),
    batch(row(answered_at=...)),
    batch(row(answered_at=None)),
    batch(row(answered_at="")),
    batch(row(answered_at="yesterday")),
    batch(row(answered_at="9999-12-31T23:59:59-12:00")),
    batch(row(answered_at="0001-01-01T00:00:00+14:00")),
    batch(row(answered_at="1899-12-31T10:00:00+00:00")),
    batch(row(answered_at="2101-01-01T00:00:00+00:00")),
    batch(row(answered_at=1700000000)),
    batch(row(), row(item=0)),  # the second row: the error names index 1
]


# Accepted, but by the serializer: rare forms the compiled checks leave to it.
LEFT_TO_THE_SERIALIZER = [
    batch(row(client_uuid=12)),  # a UUID as a number
    batch(row(item="7")),
    batch(row(), version="3"),
    batch(row(note=5)),  # a number as text
    batch(row(answered_at="2026-11-23T02:00:00")),  # naive: made aware in the current zone
    batch(row(answered_at="2026-11-23")),  # a date: midnight, naive
]


@pytest.mark.parametrize("data", GOOD, ids=range(len(GOOD)))
def test_good_batches_are_accepted_alike(data):
    assert assert_agree(data) is not None


@pytest.mark.parametrize("data", LEFT_TO_THE_SERIALIZER, ids=range(len(LEFT_TO_THE_SERIALIZER)))
def test_rare_forms_are_still_accepted_by_the_serializer(data):
    assert assert_agree(data) is None
    ok, expected = drf(data)
    assert ok and validated(AnswersBatchInput, data) == expected


@pytest.mark.parametrize("data", BAD, ids=range(len(BAD)))
def test_what_the_serializer_refuses_the_compiled_checks_never_accept(data):
    assert drf(data)[0] is False
    assert fast_validated(AnswersBatchInput, data) is None


def test_the_time_comes_back_in_the_current_time_zone_like_the_serializer():
    with timezone.override("UTC"):
        fast = assert_agree(batch(row()))
    assert fast["answers"][0]["answered_at"].utcoffset().total_seconds() == 0
    fast = assert_agree(batch(row()))
    assert fast["answers"][0]["answered_at"].utcoffset().total_seconds() == 7 * 3600


def test_errors_are_the_serializers_own_with_the_index_of_the_answer():
    data = batch(row(), row(item=0, note="a\x00b"))
    with translation.override("en"), pytest.raises(serializers.ValidationError) as caught:
        validated(AnswersBatchInput, data)
    assert caught.value.detail == drf(data)[1]
    errors: Any = caught.value.detail["answers"]  # type: ignore[call-overload]
    assert set(errors) == {1}
    assert set(errors[1]) == {"item", "note"}


def test_a_serializer_with_object_level_rules_is_not_compiled():
    class Checked(serializers.Serializer):
        a = serializers.IntegerField()

        def validate(self, attrs):
            return attrs

    class FieldRule(serializers.Serializer):
        a = serializers.IntegerField()

        def validate_a(self, value):
            return value

    for serializer_class in (Checked, FieldRule):
        with pytest.raises(Unsupported):
            compile_input(serializer_class)


# What a phone, a broken client or an attacker might send for each field.
texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "\x00", "\ud800", "compliant", "non_compliant", "not_applicable"]),
    st.text(alphabet="x ", min_size=1990, max_size=2010),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=True),
    texts,
)
times = st.one_of(
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["2026-11-23T02:00:00Z", "2026-11-23", "2026-13-01T00:00:00Z"]),
    scalars,
)
uuids = st.one_of(st.uuids().map(str), st.uuids().map(lambda u: u.hex.upper()), scalars)
items = st.one_of(st.integers(min_value=-2, max_value=2**63 + 2), scalars)
numbers = st.one_of(st.none(), st.decimals(allow_nan=True).map(str), scalars)
MISSING = st.just(...)
rows = st.fixed_dictionaries(
    {
        "client_uuid": st.one_of(uuids, MISSING),
        "item": st.one_of(items, MISSING),
        "value": st.one_of(texts, scalars, MISSING),
        "number_value": st.one_of(numbers, MISSING),
        "note": st.one_of(texts, scalars, MISSING),
        "answered_at": st.one_of(times, MISSING),
    }
).map(lambda r: {k: v for k, v in r.items() if v is not ...})
bodies = st.fixed_dictionaries(
    {
        "version": st.one_of(items, MISSING),
        "answers": st.one_of(st.lists(rows, max_size=4), scalars),
    }
).map(lambda b: {k: v for k, v in b.items() if v is not ...})


@hsettings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies)
def test_any_body_is_decided_alike(data):
    assert_agree(data)


@hsettings(max_examples=200, deadline=None)
@given(st.datetimes(timezones=st.timezones()), st.text(max_size=50), st.sampled_from(["", "x"]))
def test_well_formed_rows_are_decided_by_the_compiled_checks(at, note, value):
    data = batch(row(answered_at=at.isoformat(), note=note, value=value or "compliant"))
    fast = assert_agree(data)
    ok, _ = drf(data)
    # Only a refusal (out-of-range date, NUL, surrogate) leaves the decision to the serializer.
    assert (fast is not None) == ok


def test_absent_optional_fields_get_the_serializers_default_or_are_left_out():
    class Optional(serializers.Serializer):
        a = serializers.IntegerField(required=False)
        b = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
        c = serializers.CharField(required=False, default="x")

    fast = fast_validated(Optional, {})
    serializer = Optional(data={})
    assert serializer.is_valid()
    assert fast == serializer.validated_data == {"b": [], "c": "x"}
