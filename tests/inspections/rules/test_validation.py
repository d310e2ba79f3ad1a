"""The grammar check of applicability rules, reported when a catalogue is loaded or edited."""

from __future__ import annotations

import pytest

from inspections.rules.validation import validate_rule


@pytest.mark.parametrize(
    ("rule", "errors"),
    [
        (None, []), ({}, []), (True, []), ({"always": False}, []),
        ([1], ["rule: a rule must be an object"]),
        ({"all": []}, ["rule.all: must be a non-empty list"]),
        ({"any": {"fact": "x"}}, ["rule.any: must be a non-empty list"]),
        ({"all": [{"fact": "x", "eq": 1}, {"any": [7]}]}, ["rule.all[1].any[0]: a rule must be an object"]),
        ({"any": [{"fact": "x", "eq": 1}, "y"]}, ["rule.any[1]: a rule must be an object"]),
        ({"not": {"nope": 1}}, ["rule.not: unknown rule node ['nope']"]),
        ({"in_table": "t"}, []),
        ({"fact": "x", "eq": 1, "gt": 2},
         ["rule: fact rule needs exactly one operator of ('eq', 'ne', 'gt', 'gte', 'lt', 'lte', "
          "'in', 'not_in', 'is')"]),
        ({"fact": "x", "gte": {"par": "k"}}, ["rule: a value object must be {'param': KEY}"]),
        ({"fact": "x", "gte": {"param": "k"}}, []),
        ({"b": 1, "a": 2}, ["rule: unknown rule node ['a', 'b']"]),
    ],
)  # fmt: skip
def test_validate_rule_grammar(rule, errors):
    assert validate_rule(rule) == errors


def test_validate_rule_checks_parameters_when_given():
    assert validate_rule({"in_table": "t"}, {"t": []}) == []
    assert validate_rule({"in_table": "t"}, {}) == ["rule: unknown table parameter 't'"]
    assert validate_rule({"fact": "x", "gte": {"param": "k"}}, {"k": 1}) == []
    assert validate_rule({"fact": "x", "gte": {"param": "k"}}, {}) == [
        "rule: unknown parameter 'k'"
    ]
    assert validate_rule({"all": [{"in_table": "a"}, {"in_table": "b"}]}, {"a": 1}) == [
        "rule.all[1]: unknown table parameter 'b'"
    ]
