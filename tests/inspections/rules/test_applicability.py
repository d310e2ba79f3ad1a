"""Applicability rules: grammar semantics (hypothesis), thresholds from data, derived facts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts import divisions
from inspections.legal.catalogue_file import CATALOGUE_DIR, read_catalogue
from inspections.rules.applicability import (
    RuleError,
    applies,
    evaluate,
    resolve,
    table_match,
)
from inspections.rules.decide import Decision, decide
from inspections.rules.facts import derive_facts
from inspections.rules.reasons import Because
from inspections.rules.validation import validate_rule

# These tests pin the semantics of catalogue 2025.1 (the Decree 105 defaults before the text was
# read); catalogue 2025.2 has its own scenario tests (test_decree105_*.py).
DATA = read_catalogue(CATALOGUE_DIR / "2025.1.yaml")
PARAMS = DATA.params
CITY_CODES = [c for c in divisions.all_province_codes() if divisions.is_centrally_run_city(c)]
OTHER_CODES = [c for c in divisions.all_province_codes() if not divisions.is_centrally_run_city(c)]


# Random rule trees over two numeric facts, compared with a direct Python evaluation.
leaf = st.builds(
    lambda fact, op, value: {"fact": fact, op: value},
    st.sampled_from(["floors", "beds"]),
    st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]),
    st.integers(0, 10),
)
rules = st.recursive(
    leaf,
    lambda children: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, children),
    ),
    max_leaves=8,
)


OPS = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def reference(rule, facts) -> bool:
    if "all" in rule:
        return all(reference(r, facts) for r in rule["all"])
    if "any" in rule:
        return any(reference(r, facts) for r in rule["any"])
    if "not" in rule:
        return not reference(rule["not"], facts)
    (op,) = [k for k in rule if k != "fact"]
    return OPS[op](facts[rule["fact"]], rule[op])


@settings(max_examples=300, deadline=None)
@given(rules, st.integers(0, 10), st.integers(0, 10))
def test_rule_trees_match_python_semantics(rule, floors, beds):
    assert validate_rule(rule) == []
    assert applies(rule, {"floors": floors, "beds": beds}, {}) == reference(
        rule, {"floors": floors, "beds": beds}
    )


@given(st.sampled_from(["gt", "gte", "lt", "lte", "eq"]), st.integers(0, 100))
def test_unknown_fact_never_satisfies_a_comparison(op, value):
    assert not applies({"fact": "floors", op: value}, {"floors": None}, {})


@settings(max_examples=200, deadline=None)
@given(
    floors=st.one_of(st.none(), st.integers(0, 40)),
    area=st.one_of(st.none(), st.integers(0, 10000)),
)
def test_apartment_insurance_threshold_follows_appendix_vii(floors, area):
    facts = {"kind": "establishment", "occupancy_category": "apartment"}
    facts |= {"floors": floors, "floor_area_m2": area}
    expected = (floors is not None and floors >= 5) or (area is not None and area >= 1000)
    assert (table_match("appendix_vii", facts, PARAMS) is not None) == expected


@settings(max_examples=200, deadline=None)
@given(floors=st.integers(0, 40), area=st.integers(0, 10000))
def test_apartment_hazard_group_follows_appendix_ii(floors, area):
    facts = derive_facts(
        {
            "kind": "establishment",
            "province_code": 1,
            "occupancy_category": "apartment",
            "floors": floors,
            "floor_area_m2": area,
        },
        PARAMS,
    )
    if floors >= 7 or area >= 3000:
        assert facts["appendix_ii_group"] == 1
    elif floors >= 5 or area >= 1000:
        assert facts["appendix_ii_group"] == 2
    else:
        assert facts["appendix_ii_group"] is None


def test_thresholds_are_read_from_parameters():
    rule = {"fact": "floors", "gte": {"param": "x"}}
    assert applies(rule, {"floors": 5}, {"x": 5})
    assert not applies(rule, {"floors": 5}, {"x": 6})
    with pytest.raises(RuleError):
        applies(rule, {"floors": 5}, {})
    assert validate_rule(rule, {}) == ["rule: unknown parameter 'x'"]


@settings(max_examples=100, deadline=None)
@given(
    code=st.sampled_from(CITY_CODES + OTHER_CODES),
    designated=st.booleans(),
)
def test_art_20_5_applies_only_to_designated_areas_of_centrally_run_cities(code, designated):
    spec = next(r for r in DATA.requirements if r.code == "L55-20.5-alarm")
    advice = next(r for r in DATA.requirements if r.code == "L55-20.5-advice")
    facts = derive_facts(
        {"kind": "home", "province_code": code, "in_infra_deficient_area": designated}, PARAMS
    )
    duty = applies(spec.applicability, facts, PARAMS)
    assert duty == (code in CITY_CODES and designated)
    assert applies(advice.applicability, facts, PARAMS) == (not duty)


def test_centrally_run_cities_come_from_the_division_data():
    assert len(CITY_CODES) == 6
    assert derive_facts({"kind": "home", "province_code": 1}, PARAMS)["in_centrally_run_city"]
    assert not derive_facts({"kind": "home", "province_code": 14}, PARAMS)["in_centrally_run_city"]


def test_explicit_override_of_fire_safety_management_wins():
    raw = {"kind": "establishment", "province_code": 1, "occupancy_category": "other"}
    assert derive_facts(raw, PARAMS)["under_fire_safety_management"] is False
    assert derive_facts(raw | {"under_fire_safety_management": True}, PARAMS)[
        "under_fire_safety_management"
    ]
    hospital = {"kind": "establishment", "province_code": 1, "occupancy_category": "hospital"}
    assert (
        derive_facts(hospital | {"under_fire_safety_management": False}, PARAMS)[
            "under_fire_safety_management"
        ]
        is False
    )


def test_reasons_name_the_fact_that_made_a_rule_apply():
    result = evaluate(
        {"in_table": "appendix_vii"},
        {"occupancy_category": "karaoke", "floor_area_m2": 400.0},
        PARAMS,
    )
    assert result.applies
    assert "karaoke" in result.because[0].vi and "300 m²" in result.because[0].vi


# --- Unit tests of the grammar: each node, each branch, the reasons it gives. ----------------


def _ok(rule, facts, params=None) -> bool:
    return evaluate(rule, facts, params or {}).applies


def test_empty_rules_always_apply_and_the_always_node_reads_its_value():
    for rule in (None, {}, True):
        assert evaluate(rule, {}, {}) == evaluate({"always": True}, {}, {})
        assert evaluate(rule, {}, {}).applies is True and evaluate(rule, {}, {}).because == ()
    assert evaluate({"always": False}, {}, {}).applies is False
    assert evaluate({"always": 1}, {}, {}).applies is True


def test_malformed_rules_are_refused_with_a_message():
    with pytest.raises(RuleError, match=r"^a rule must be an object, not \[1\]$"):
        evaluate([1], {}, {})
    with pytest.raises(RuleError, match=r"^a rule must be an object, not False$"):
        decide(False, {}, {})
    with pytest.raises(RuleError, match=r"^unknown rule node: \{'bogus': 1\}$"):
        evaluate({"bogus": 1}, {}, {})
    with pytest.raises(RuleError, match=r"^unknown rule node: \{'bogus': 1\}$"):
        decide({"bogus": 1}, {}, {})
    message = (
        r"^fact rule needs exactly one of \('eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', "
        r"'not_in', 'is'\): \{'fact': 'x', 'gt': 1, 'lt': 3\}$"
    )
    with pytest.raises(RuleError, match=message):
        evaluate({"fact": "x", "gt": 1, "lt": 3}, {"x": 2}, {})
    with pytest.raises(RuleError, match=r"exactly one of"):
        evaluate({"fact": "x"}, {"x": 2}, {})


def test_parameters_are_resolved_or_refused():
    assert resolve({"param": "k"}, {"k": 7}) == 7
    assert resolve({"param": "k", "x": 1}, {"k": 7}) == {"param": "k", "x": 1}
    assert resolve(5, {}) == 5
    with pytest.raises(RuleError, match=r"^unknown parameter 'k'$"):
        resolve({"param": "k"}, {})


FLOORS_5 = {"fact": "floors", "gte": 5}
AREA_300 = {"fact": "floor_area_m2", "gte": 300}
REASON_FLOORS = Because("số tầng 6 (≥ 5)", "number of storeys 6 (≥ 5)")
REASON_AREA = Because("tổng diện tích sàn 1.000 m² (≥ 300 m²)", "total floor area 1.000 m² (≥ 300)")


def test_all_collects_every_reason_and_fails_on_one_false_part():
    facts = {"floors": 6, "floor_area_m2": 1000}
    assert evaluate({"all": [FLOORS_5, AREA_300]}, facts, {}).because == (
        REASON_FLOORS,
        REASON_AREA,
    )
    assert evaluate({"all": [FLOORS_5, AREA_300]}, facts | {"floors": 4}, {}).because == ()
    assert not _ok({"all": [FLOORS_5, AREA_300]}, facts | {"floor_area_m2": 299})


def test_any_gives_the_first_reason_that_applies():
    facts = {"floors": 6, "floor_area_m2": 1000}
    assert evaluate({"any": [FLOORS_5, AREA_300]}, facts, {}).because == (REASON_FLOORS,)
    assert evaluate({"any": [FLOORS_5, AREA_300]}, facts | {"floors": 1}, {}).because == (
        REASON_AREA,
    )
    assert not _ok({"any": [FLOORS_5, AREA_300]}, {"floors": 1, "floor_area_m2": 1})


def test_not_inverts_and_gives_no_reason():
    assert evaluate({"not": FLOORS_5}, {"floors": 4}, {}) == evaluate({"always": True}, {}, {})
    assert not _ok({"not": FLOORS_5}, {"floors": 5})


def test_explain_false_silences_the_reason():
    assert evaluate(FLOORS_5 | {"explain": False}, {"floors": 6}, {}).because == ()
    assert evaluate(FLOORS_5 | {"explain": True}, {"floors": 6}, {}).because == (REASON_FLOORS,)


TABLE = {
    "t": [
        {"id": "hotel-big", "categories": ["hotel"], "label_vi": "Khách sạn cao tầng",
         "label_en": "High-rise hotel", "when": {"fact": "floors", "gte": 7}},
        {"id": "shop", "kinds": ["home_business"], "label_vi": "KTV gia đình",
         "when": {"fact": "floors", "gte": 2}},
        {"id": "any", "label_vi": "", "when": None},
    ],
    "empty": None,
}  # fmt: skip


def test_table_match_respects_categories_kinds_and_order():
    assert (
        table_match("t", {"occupancy_category": "hotel", "floors": 7}, TABLE)["id"] == "hotel-big"
    )
    assert table_match("t", {"occupancy_category": "hotel", "floors": 6}, TABLE)["id"] == "any"
    assert table_match("t", {"occupancy_category": "shop", "floors": 9}, TABLE)["id"] == "any"
    shop = {"kind": "home_business", "floors": 2}
    assert table_match("t", shop, TABLE)["id"] == "shop"
    assert table_match("t", shop | {"kind": "home"}, TABLE)["id"] == "any"
    assert table_match("empty", {}, TABLE) is None
    assert table_match("t", {}, {"t": [TABLE["t"][0]]}) is None
    with pytest.raises(RuleError, match=r"^unknown table parameter 'nope'$"):
        table_match("nope", {}, TABLE)


def test_in_table_reason_is_the_row_label_then_its_threshold():
    got = evaluate({"in_table": "t"}, {"occupancy_category": "hotel", "floors": 8}, TABLE)
    assert got.because == (
        Because("khách sạn cao tầng", "High-rise hotel"),
        Because("số tầng 8 (≥ 7)", "number of storeys 8 (≥ 7)"),
    )
    upper = evaluate({"in_table": "t"}, {"kind": "home_business", "floors": 3}, TABLE)
    assert upper.because == (
        Because("KTV gia đình", ""),
        Because("số tầng 3 (≥ 2)", "number of storeys 3 (≥ 2)"),
    )
    assert evaluate({"in_table": "t"}, {}, TABLE).because == (Because("", ""),)
    assert not _ok({"in_table": "empty"}, {}, TABLE)
    d = decide({"in_table": "t"}, {"occupancy_category": "hotel", "floors": 8}, TABLE)
    assert (d.value, d.because) == (True, got.because)
    assert decide({"in_table": "empty"}, {}, TABLE) == Decision(False)


def test_a_row_without_labels_gives_blank_reason_labels():
    params = {"t": [{"label_en": "Row"}], "u": [{"label_vi": "Hàng"}]}
    assert evaluate({"in_table": "t"}, {}, params).because == (Because("", "Row"),)
    assert decide({"in_table": "t"}, {}, params).because == (Because("", "Row"),)
    assert decide({"in_table": "u"}, {}, params).because == (Because("hàng", ""),)


def test_sub_rules_and_table_rows_read_the_same_parameters():
    at_least_x = {"fact": "floors", "gte": {"param": "x"}}
    params = {"x": 5, "t": [{"label_vi": "Cao", "when": at_least_x}]}
    assert evaluate({"all": [at_least_x]}, {"floors": 5}, params).applies
    assert evaluate({"any": [at_least_x]}, {"floors": 5}, params).applies
    assert evaluate({"not": at_least_x}, {"floors": 4}, params).applies
    assert table_match("t", {"floors": 5}, params) == params["t"][0]
    assert evaluate({"in_table": "t"}, {"floors": 6}, params).because == (
        Because("cao", ""),
        Because("số tầng 6 (≥ 5)", "number of storeys 6 (≥ 5)"),
    )


def test_a_rule_that_does_not_apply_answers_false_not_just_falsy():
    assert evaluate({"in_table": "empty"}, {}, TABLE).applies is False
    assert evaluate({"in_table": "t"}, {"occupancy_category": "hotel"}, {"t": []}).applies is False
    assert evaluate({"all": [FLOORS_5]}, {"floors": 1}, {}).applies is False
    assert evaluate({"any": [FLOORS_5]}, {"floors": 1}, {}).applies is False
    assert evaluate({"not": FLOORS_5}, {"floors": 6}, {}).applies is False
    assert evaluate(FLOORS_5, {"floors": 1}, {}).applies is False
