"""Three-valued rule evaluation: unknown facts make an answer unknown only when they matter."""

from __future__ import annotations

import pytest

from inspections.rules.applicability import RuleError, decide, table_decide

PARAMS = {
    "t": [
        {"id": "g1", "group": 1, "categories": ["hotel"], "when": {"fact": "floors", "gte": 7}},
        {"id": "g2", "group": 2, "categories": ["hotel"], "when": {"fact": "floors", "gte": 3}},
        {"id": "k", "kinds": ["home_business"], "when": {"fact": "area", "gte": 50}},
        {"id": "n", "categories": ["factory"], "needs": ["hazard_class"],
         "when": {"fact": "hazard_class", "in": ["A"]}},
    ],
    "limit": 10,
}  # fmt: skip
KNOWN_T = {"fact": "x", "eq": 1}
KNOWN_F = {"fact": "x", "eq": 2}
UNKNOWN = {"fact": "u", "gte": 1}
FACTS = {"x": 1, "u": None, "v": None}


@pytest.mark.parametrize(
    ("rule", "value", "missing"),
    [
        ({"all": [KNOWN_T, KNOWN_T]}, True, ()),
        ({"all": [KNOWN_T, KNOWN_F]}, False, ()),
        ({"all": [UNKNOWN, KNOWN_F]}, False, ()),  # a false part settles "all"
        ({"all": [KNOWN_T, UNKNOWN]}, None, ("u",)),
        ({"all": [UNKNOWN, {"fact": "v", "lt": 3}]}, None, ("u", "v")),
        ({"any": [KNOWN_F, KNOWN_F]}, False, ()),
        ({"any": [UNKNOWN, KNOWN_T]}, True, ()),  # a true part settles "any"
        ({"any": [KNOWN_F, UNKNOWN]}, None, ("u",)),
        ({"any": [UNKNOWN, UNKNOWN]}, None, ("u",)),
        ({"not": KNOWN_T}, False, ()),
        ({"not": KNOWN_F}, True, ()),
        ({"not": UNKNOWN}, None, ("u",)),
        ({"always": False}, False, ()),
        (None, True, ()),
        ({"fact": "x", "lte": {"param": "limit"}}, True, ()),
        ({"fact": "missing_entirely", "eq": 1}, False, ()),  # not a fact of the premises
    ],
)
def test_three_valued_combinators(rule, value, missing):
    d = decide(rule, FACTS, PARAMS)
    assert (d.value, d.missing) == (value, missing)
    assert d.unknown is (value is None)


def test_derived_facts_report_the_raw_facts_they_lack():
    facts = {"appendix_ii_group": None, "unknown_facts": {"appendix_ii_group": ("floors",)}}
    d = decide({"fact": "appendix_ii_group", "eq": 1}, facts, {})
    assert (d.value, d.missing) == (None, ("floors",))
    # None without an unknown entry is an answer: in no Appendix II row.
    assert (
        decide({"fact": "appendix_ii_group", "eq": 1}, {"appendix_ii_group": None}, {}).value
        is False
    )


def test_true_decision_keeps_the_reasons():
    d = decide({"all": [{"fact": "floors", "gte": 2}]}, {"floors": 3}, {})
    assert d.value is True and "số tầng 3" in d.because[0].vi


def test_table_first_sure_row_wins_in_order():
    m = table_decide("t", {"occupancy_category": "hotel", "floors": 8}, PARAMS)
    assert (m.value, m.row["id"]) == (True, "g1")
    m = table_decide("t", {"occupancy_category": "hotel", "floors": 4}, PARAMS)
    assert (m.value, m.row["id"]) == (True, "g2")
    m = table_decide("t", {"occupancy_category": "hotel", "floors": 2}, PARAMS)
    assert (m.value, m.row, m.missing) == (False, None, ())


def test_table_unknown_earlier_row_leaves_a_later_match_unsure():
    facts = {"occupancy_category": "hotel", "floors": None}
    m = table_decide("t", facts, PARAMS)
    assert (m.value, m.row, m.missing) == (None, None, ("floors",))


def test_table_kinds_and_needs():
    assert table_decide("t", {"kind": "home_business", "area": 50}, PARAMS).row["id"] == "k"
    assert table_decide("t", {"kind": "home", "area": 50}, PARAMS).value is False
    m = table_decide("t", {"occupancy_category": "factory", "hazard_class": ""}, PARAMS)
    assert (m.value, m.missing) == (None, ("hazard_class",))
    m = table_decide("t", {"occupancy_category": "factory", "hazard_class": "B"}, PARAMS)
    assert m.value is False


def test_in_table_rule_and_unknown_table():
    rule = {"in_table": "t"}
    assert decide(rule, {"occupancy_category": "hotel", "floors": 7}, PARAMS).value is True
    d = decide(rule, {"occupancy_category": "hotel", "floors": None}, PARAMS)
    assert (d.value, d.missing) == (None, ("floors",))
    with pytest.raises(RuleError):
        decide({"in_table": "nope"}, {}, PARAMS)
    with pytest.raises(RuleError):
        decide({"bogus": 1}, {}, PARAMS)
