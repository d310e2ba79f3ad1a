"""The API's JSON parser: a body must be one JSON object, nested no deeper than
API_JSON_MAX_DEPTH, with no NUL character in any key or string (PostgreSQL cannot store one).

Checked once here, before any view sees the data, so no endpoint can forget it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from inspections.inputs import has_nul

MAX_DEPTH: int = settings.API_JSON_MAX_DEPTH


class ObjectJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> dict[str, Any]:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The C decoder gives up on thousands of nested brackets before we can count them.
            raise ParseError(_("Dữ liệu JSON lồng nhau quá sâu.")) from None
        if not isinstance(data, dict):
            raise ParseError(_("Nội dung gửi lên phải là một đối tượng JSON."))
        check_json(data)
        return data


def check_json(data: Any) -> None:
    """Walk ``data`` without recursion: refuse deep nesting and NUL characters."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                raise ParseError(_("Dữ liệu JSON lồng nhau quá sâu."))
            for key, item in value.items():
                if has_nul(key):
                    raise ParseError(_("Dữ liệu chứa ký tự NUL không hợp lệ."))
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                raise ParseError(_("Dữ liệu JSON lồng nhau quá sâu."))
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and has_nul(value):
            raise ParseError(_("Dữ liệu chứa ký tự NUL không hợp lệ."))
