"""Three-valued rule evaluation: unknown facts make an answer unknown only when they matter."""

from __future__ import annotations

import pytest

from inspections.rules.applicability import RuleError
from inspections.rules.decide import Decision, TableMatch, decide, table_decide
from inspections.rules.reasons import Because

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


FLOORS_5 = {"fact": "floors", "gte": 5}
AREA_300 = {"fact": "floor_area_m2", "gte": 300}
REASON_FLOORS = Because("số tầng 6 (≥ 5)", "number of storeys 6 (≥ 5)")
REASON_AREA = Because("tổng diện tích sàn 1.000 m² (≥ 300 m²)", "total floor area 1.000 m² (≥ 300)")


def test_decide_gives_reasons_of_all_parts_and_of_the_true_any_part():
    facts = {"floors": 6, "floor_area_m2": 1000}
    assert decide({"all": [FLOORS_5, AREA_300]}, facts, {}) == Decision(
        True, (REASON_FLOORS, REASON_AREA)
    )
    assert decide({"any": [FLOORS_5, AREA_300]}, facts | {"floors": 1}, {}) == Decision(
        True, (REASON_AREA,)
    )
    assert decide({"not": FLOORS_5}, {"floors": 1}, {}) == Decision(True)
    assert decide(None, {}, {}) == Decision(True)
    assert decide({}, {}, {}) == Decision(True)
    assert decide(True, {}, {}) == Decision(True)
    assert decide({"always": 0}, {}, {}) == Decision(False)
    assert decide(FLOORS_5, {"floors": 4}, {}) == Decision(False)


def test_unknown_facts_merge_in_order_without_repeats():
    rule = {"any": [{"fact": "a", "eq": 1}, {"fact": "b", "eq": 1}, {"fact": "a", "gt": 1}]}
    assert decide(rule, {"a": None, "b": None}, {}) == Decision(None, (), ("a", "b"))
    all_rule = {"all": [{"fact": "b", "eq": 1}, {"fact": "a", "eq": 1}, {"fact": "b", "gt": 0}]}
    assert decide(all_rule, {"a": None, "b": None}, {}).missing == ("b", "a")
    assert decide({"not": {"fact": "a", "eq": 1}}, {"a": None}, {}) == Decision(None, (), ("a",))


def test_derived_facts_are_unknown_only_when_the_derivation_says_so():
    facts = {"in_appendix_ii": None, "unknown_facts": {"in_appendix_ii": ("floors", "beds")}}
    assert decide({"fact": "in_appendix_ii", "is": True}, facts, {}).missing == ("floors", "beds")
    # The derivation lacked nothing it could name: the derived fact itself is asked for.
    facts = {"in_appendix_ii": None, "unknown_facts": {"in_appendix_ii": ()}}
    assert decide({"fact": "in_appendix_ii", "is": True}, facts, {}).missing == ("in_appendix_ii",)
    # "In no row" is an answer, not a gap.
    for name in ("appendix_i_row", "appendix_ii_group", "appendix_vii_row", "appendix_ii_row"):
        assert decide({"fact": name, "eq": 1}, {name: None}, {}) == Decision(False)
    assert decide({"fact": "appendix_vii_item", "eq": 1}, {"appendix_vii_item": None}, {}) == (
        Decision(None, (), ("appendix_vii_item",))
    )
    assert decide({"fact": "floors", "gt": 1}, {"floors": 2, "unknown_facts": None}, {}).value


DECIDE_TABLE = {
    "t": [
        {"id": "g1", "categories": ["hotel"], "when": {"fact": "floors", "gte": 7}},
        {"id": "k", "kinds": ["home_business"], "when": {"fact": "area", "gte": 50}},
        {"id": "n", "needs": ["hazard_class", "heritage_rank"], "when": {"fact": "area", "gte": 1}},
        {"id": "last", "label_vi": "Cuối", "when": {"fact": "area", "gte": 0}},
    ],
    "none": None,
}


def test_table_decide_first_sure_row_unknown_rows_ahead_and_needs():
    hotel = {"occupancy_category": "hotel", "area": 5, "hazard_class": "A", "heritage_rank": "I"}
    assert table_decide("t", hotel | {"floors": 7}, DECIDE_TABLE) == TableMatch(
        True, DECIDE_TABLE["t"][0]
    )
    assert table_decide("t", hotel | {"floors": 6}, DECIDE_TABLE).row["id"] == "n"
    # An unknown stricter row ahead of a sure match leaves the answer unknown, naming its fact.
    ahead = table_decide("t", hotel | {"floors": None}, DECIDE_TABLE)
    assert (ahead.value, ahead.row["id"], ahead.missing) == (None, "n", ("floors",))
    blank = {"area": 5, "hazard_class": "", "heritage_rank": None}
    got = table_decide("t", blank, DECIDE_TABLE)
    assert (got.value, got.row["id"], got.missing) == (
        None,
        "last",
        ("hazard_class", "heritage_rank"),
    )
    assert table_decide("t", {"kind": "home_business", "area": 50}, DECIDE_TABLE).row["id"] == "k"
    assert table_decide("t", {"kind": "home", "area": 50, "hazard_class": "A",
                              "heritage_rank": "I"}, DECIDE_TABLE).row["id"] == "n"  # fmt: skip
    nothing = table_decide(
        "t", {"area": -1, "hazard_class": "A", "heritage_rank": "I"}, DECIDE_TABLE
    )
    assert nothing == TableMatch(False)
    only_unknown = table_decide("t", {"area": None, "hazard_class": "A", "heritage_rank": "I"},
                                DECIDE_TABLE)  # fmt: skip
    assert only_unknown == TableMatch(None, None, ("area",))
    assert table_decide("none", {}, DECIDE_TABLE) == TableMatch(False)
    with pytest.raises(RuleError, match=r"^unknown table parameter 'x'$"):
        table_decide("x", {}, DECIDE_TABLE)


def test_decide_in_table_unknown_row_and_sure_row_reasons():
    d = decide({"in_table": "t"}, {"area": None, "hazard_class": "A", "heritage_rank": "I"},
               DECIDE_TABLE)  # fmt: skip
    assert d == Decision(None, (), ("area",))
    sure = decide({"in_table": "t"}, {"area": 0, "hazard_class": "", "heritage_rank": "I"},
                  {"t": DECIDE_TABLE["t"][3:]})  # fmt: skip
    assert sure == Decision(True, (Because("cuối", ""), Because("area 0 (≥ 0)", "area 0 (≥ 0)")))
    ahead = decide({"in_table": "t"}, {"area": 0, "hazard_class": ""}, DECIDE_TABLE)
    assert ahead == Decision(None, (), ("hazard_class", "heritage_rank"))


def test_a_matched_row_is_decided_with_the_callers_parameters():
    params = {"x": 5, "t": [{"label_vi": "Cao", "when": {"fact": "floors", "gte": {"param": "x"}}}]}
    assert decide({"in_table": "t"}, {"floors": 6}, params) == Decision(
        True, (Because("cao", ""), Because("số tầng 6 (≥ 5)", "number of storeys 6 (≥ 5)"))
    )
    assert decide({"in_table": "t"}, {"floors": 4}, params) == Decision(False)
