"""api/parsers.py: no NUL in any key or string, no container nested deeper than
API_JSON_MAX_DEPTH, one JSON object; the edges of each rule."""

from __future__ import annotations

import io

import pytest
from rest_framework.exceptions import ParseError

from api.parsers import MAX_DEPTH, ObjectJSONParser


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        (r'{"note": "a\u0000b"}', True),
        (r'{"a\u0000": 1}', True),
        (r'{"note": "a\\u0000b"}', False),  # the text \u0000, escaped backslash
        (r'{"note": "a\\\u0000b"}', True),  # a backslash, then a NUL
        ('{"note": "[[[[[[[[[[[[[[[[[[[[[[[[["}', False),  # brackets in a string
        ('{"a": ' * MAX_DEPTH + "1" + "}" * MAX_DEPTH, False),
        ('{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1), True),
    ],
)
def test_parser_refuses_nul_and_deep_nesting(body, refused):
    parse = ObjectJSONParser().parse
    stream = io.BytesIO(body.encode())
    if refused:
        with pytest.raises(ParseError):
            parse(stream)
    else:
        assert isinstance(parse(stream), dict)


def test_parser_refuses_thousands_of_brackets_and_non_objects():
    parse = ObjectJSONParser().parse
    with pytest.raises(ParseError, match="sâu"):
        parse(io.BytesIO(b"[" * 100_000 + b"]" * 100_000))
    with pytest.raises(ParseError, match="đối tượng"):
        parse(io.BytesIO(b"[1, 2]"))
    with pytest.raises(ParseError, match="JSON parse error"):
        parse(io.BytesIO(b'{"a": NaN}'))
    with pytest.raises(ParseError, match="JSON parse error"):
        parse(io.BytesIO(b'{"a": "\xff"}'))
