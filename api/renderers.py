"""A JSON renderer that can splice pre-encoded parts of a response.

The sync page is mostly checklist items and answers that do not change between requests; they
are cached already encoded and dropped into the response as ``orjson.Fragment``s instead of
being decoded and encoded again on every page. Everything else is encoded as DRF's own
``JSONRenderer`` would (compact, UTF-8, DRF's encoder for what JSON has no type for).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_drf = JSONEncoder()

# Dates go through DRF's encoder (``Z`` for UTC, as every other endpoint writes them).
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME


def encode(value: Any) -> bytes:
    """JSON bytes of ``value``, written the way the API writes every response."""
    try:
        return orjson.dumps(value, default=_drf.default, option=_OPTIONS)
    except TypeError:
        # A key that is not a string (an error keyed by a list index): written as text, as
        # json.dumps does. Only then, since the option slows every dict down.
        return orjson.dumps(value, default=_drf.default, option=_OPTIONS | orjson.OPT_NON_STR_KEYS)


class FragmentJSONRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        return encode(data)
