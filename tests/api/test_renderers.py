"""The sync renderer writes what DRF's JSON renderer writes, and splices cached fragments."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import orjson
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from api.renderers import FragmentJSONRenderer

PAYLOAD = {
    "name": "Quán karaoke Hoa Sen — tầng 3",
    "at_utc": datetime(2026, 11, 30, 9, 15, 0, 123456, tzinfo=UTC),
    "at_hanoi": datetime(2026, 11, 30, 16, 15, tzinfo=timezone(timedelta(hours=7))),
    "day": date(2027, 7, 1),
    "uuid": uuid.UUID("0b7f6a52-3c1d-4d43-9d9e-5b1d6f2e8c01"),
    "amount": Decimal("12.500"),
    "lazy": gettext_lazy("Không hợp lệ."),
    "nested": [{"ok": True, "none": None, "n": 3, "quote": 'a "b" \\ c\n'}],
}


def test_writes_the_same_json_as_drf():
    ours = FragmentJSONRenderer().render(PAYLOAD)
    theirs = JSONRenderer().render(PAYLOAD)
    assert json.loads(ours) == json.loads(theirs)
    assert "Z" in json.loads(ours)["at_utc"]
    assert ours.decode().count("Quán karaoke") == 1  # UTF-8, not \\u escapes


def test_splices_an_encoded_fragment_unchanged():
    fragment = orjson.Fragment('[{"id":1,"title_vi":"Lối thoát nạn"}]'.encode())
    body = FragmentJSONRenderer().render({"items": fragment, "answers": []})
    assert json.loads(body) == {"items": [{"id": 1, "title_vi": "Lối thoát nạn"}], "answers": []}


def test_nothing_renders_as_an_empty_body():
    assert FragmentJSONRenderer().render(None) == b""


def test_writes_integer_keys_as_json_does():
    # Field errors of a batch are keyed by the answer's index.
    errors = {"answers": {0: {"value": ["x"]}, 12: {"note": ["y"]}}}
    assert json.loads(FragmentJSONRenderer().render(errors)) == json.loads(
        JSONRenderer().render(errors)
    )
