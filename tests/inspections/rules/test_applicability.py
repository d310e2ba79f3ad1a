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
    table_match,
    validate_rule,
)
from inspections.rules.facts import derive_facts

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
