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


# --- Unit tests of the grammar: each operator at its boundary, each branch, each reason text. ---

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402

from inspections.rules.applicability import (  # noqa: E402
    Because,
    Decision,
    TableMatch,
    decide,
    resolve,
    table_decide,
)


def _ok(rule, facts, params=None) -> bool:
    return evaluate(rule, facts, params or {}).applies


@pytest.mark.parametrize(
    ("op", "below", "at", "above"),
    [("eq", False, True, False), ("ne", True, False, True), ("gt", False, False, True),
     ("gte", False, True, True), ("lt", True, False, False), ("lte", True, True, False)],
)  # fmt: skip
def test_each_comparison_just_below_at_and_just_above_the_threshold(op, below, at, above):
    rule = {"fact": "floors", op: 5}
    assert [_ok(rule, {"floors": n}) for n in (4, 5, 6)] == [below, at, above]


def test_decimal_facts_compare_as_floats():
    assert _ok({"fact": "height_m", "eq": 0.1}, {"height_m": Decimal("0.1")})
    assert _ok({"fact": "height_m", "gte": Decimal("0.1")}, {"height_m": 0.1})


def test_dates_compare_with_iso_strings_in_rules():
    rule = {"fact": "alarm_connected_on", "lt": "2027-07-01"}
    assert _ok(rule, {"alarm_connected_on": date(2027, 6, 30)})
    assert not _ok(rule, {"alarm_connected_on": date(2027, 7, 1)})


def test_values_that_cannot_be_ordered_never_satisfy_a_comparison():
    assert not _ok({"fact": "hazard_class", "gt": 3}, {"hazard_class": "A"})
    assert not _ok({"fact": "hazard_class", "lte": 3}, {"hazard_class": "A"})


def test_unknown_or_blank_facts_never_satisfy_a_comparison_but_differ_from_a_value():
    for op in ("eq", "gt", "gte", "lt", "lte"):
        assert not _ok({"fact": "floors", op: 0}, {"floors": None})
        assert not _ok({"fact": "hazard_class", op: ""}, {"hazard_class": ""})
    assert _ok({"fact": "hazard_class", "ne": "A"}, {"hazard_class": ""})
    assert _ok({"fact": "floors", "ne": 3}, {})
    assert not _ok({"fact": "floors", "ne": None}, {"floors": None})
    assert not _ok({"fact": "floors", "ne": ""}, {"floors": ""})


def test_membership_operators_and_an_unknown_value():
    assert _ok({"fact": "hazard_class", "in": ["A", "B"]}, {"hazard_class": "B"})
    assert not _ok({"fact": "hazard_class", "in": ["A", "B"]}, {"hazard_class": "C"})
    assert not _ok({"fact": "hazard_class", "in": [None]}, {"hazard_class": None})
    assert _ok({"fact": "hazard_class", "not_in": ["A", "B"]}, {"hazard_class": "C"})
    assert not _ok({"fact": "hazard_class", "not_in": ["A", "B"]}, {"hazard_class": "A"})
    assert not _ok({"fact": "hazard_class", "not_in": ["A"]}, {"hazard_class": None})


def test_is_operator_matches_identity_or_equality_with_a_known_value():
    assert _ok({"fact": "x", "is": None}, {"x": None})
    assert _ok({"fact": "x", "is": None}, {})
    assert not _ok({"fact": "x", "is": None}, {"x": False})
    assert not _ok({"fact": "x", "is": False}, {"x": None})
    assert _ok({"fact": "x", "is": True}, {"x": True})
    assert _ok({"fact": "x", "is": 2}, {"x": 2.0})
    assert not _ok({"fact": "x", "is": 2}, {"x": 3})


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
REASON_FLOORS = Because("số tầng 6 (≥ 5)", "floors 6 (≥ 5)")
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


@pytest.mark.parametrize(
    ("rule", "facts", "vi", "en"),
    [
        ({"fact": "capacity", "gt": 999}, {"capacity": 1500},
         "sức chứa 1.500 người (> 999 người)", "capacity 1.500 (> 999)"),
        ({"fact": "height_m", "lte": 25.0}, {"height_m": 25.0},
         "chiều cao 25 m (≤ 25 m)", "height 25 m (≤ 25)"),
        ({"fact": "height_m", "lt": 30}, {"height_m": Decimal("12.5")},
         "chiều cao 12.5 m (< 30 m)", "height 12.5 m (< 30)"),
        ({"fact": "beds", "eq": 1000}, {"beds": 1000}, "số giường bệnh 1.000 (= 1.000)",
         "beds 1.000 (= 1.000)"),
        ({"fact": "beds", "ne": 999}, {"beds": 998}, "số giường bệnh 998 (≠ 999)", "beds 998 (≠ 999)"),
        ({"fact": "hazard_class", "in": ["A", "B"]}, {"hazard_class": "A"},
         "hạng nguy hiểm cháy, nổ A", "fire/explosion hazard class A (A, B)"),
        ({"fact": "voltage_kv", "not_in": (110, 1000)}, {"voltage_kv": 220},
         "điện áp 220", "voltage 220 (110, 1.000)"),
        ({"fact": "wind", "gte": 3}, {"wind": 4}, "wind 4 (≥ 3)", "wind 4 (≥ 3)"),
        ({"fact": "wind", "is": True}, {"wind": True}, "wind True (is True)", "wind True (is True)"),
        ({"fact": "has_ev_charging", "is": True}, {"has_ev_charging": True},
         "có nơi sạc điện cho xe động cơ điện", "has electric-vehicle charging"),
        ({"fact": "has_ev_charging", "eq": False}, {"has_ev_charging": False},
         "không có nơi sạc xe điện", "no electric-vehicle charging"),
        ({"fact": "has_ev_charging", "ne": False}, {"has_ev_charging": True},
         "has_ev_charging True (≠ False)", "has_ev_charging True (≠ False)"),
        ({"fact": "has_ev_charging", "is": 1}, {"has_ev_charging": 1},
         "has_ev_charging 1 (is 1)", "has_ev_charging 1 (is 1)"),
        ({"fact": "kind", "eq": "home"}, {"kind": "home"},
         "loại đối tượng: Nhà ở", "kind: Home"),
        ({"fact": "kind", "eq": "ship"}, {"kind": "ship"}, "loại đối tượng: ship", "kind: ship"),
        ({"fact": "occupancy_category", "eq": "karaoke"}, {"occupancy_category": "karaoke"},
         "loại hình: Karaoke, vũ trường", "occupancy: Karaoke or dance hall"),
        ({"fact": "occupancy_category", "eq": "market"}, {"occupancy_category": "market"},
         "loại hình: market", "occupancy: Market"),
        ({"fact": "occupancy_category", "eq": "vehicle"}, {"occupancy_category": "vehicle"},
         "loại hình: Phương tiện giao thông", "occupancy: Vehicle"),
        ({"fact": "under_fire_safety_management", "is": True},
         {"under_fire_safety_management": True, "appendix_i_label_vi": "Nhà hát", "appendix_i_label_en": "Theatre"},
         "nhà hát", "Theatre"),
        ({"fact": "under_fire_safety_management", "is": True},
         {"under_fire_safety_management": True, "appendix_i_label_vi": "Nhà hát"}, "nhà hát", ""),
        ({"fact": "under_fire_safety_management", "is": True}, {"under_fire_safety_management": True},
         "thuộc danh mục cơ sở quản lý về PCCC (Phụ lục I Nghị định 105/2025/NĐ-CP)",
         "under fire-safety management (Decree 105/2025 Appendix I)"),
        ({"fact": "under_fire_safety_management", "is": False},
         {"under_fire_safety_management": False, "appendix_i_label_vi": "Nhà hát"},
         "không thuộc danh mục cơ sở quản lý về PCCC",
         "not under fire-safety management (not in Appendix I)"),
    ],
)  # fmt: skip
def test_reason_text_of_each_kind_of_comparison(rule, facts, vi, en):
    params = {"occupancy_categories": [
        {"code": "karaoke", "label_vi": "Karaoke, vũ trường", "label_en": "Karaoke or dance hall"},
        {"code": "market", "label_en": "Market"},
    ]}  # fmt: skip
    assert evaluate(rule, facts, params).because == (Because(vi, en),)


def test_category_label_without_a_category_table():
    rule = {"fact": "occupancy_category", "eq": "karaoke"}
    for params in ({}, {"occupancy_categories": None}):
        assert evaluate(rule, {"occupancy_category": "karaoke"}, params).because == (
            Because("loại hình: karaoke", "occupancy: karaoke"),
        )


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
        Because("số tầng 8 (≥ 7)", "floors 8 (≥ 7)"),
    )
    upper = evaluate({"in_table": "t"}, {"kind": "home_business", "floors": 3}, TABLE)
    assert upper.because == (
        Because("KTV gia đình", ""),
        Because("số tầng 3 (≥ 2)", "floors 3 (≥ 2)"),
    )
    assert evaluate({"in_table": "t"}, {}, TABLE).because == (Because("", ""),)
    assert not _ok({"in_table": "empty"}, {}, TABLE)
    d = decide({"in_table": "t"}, {"occupancy_category": "hotel", "floors": 8}, TABLE)
    assert (d.value, d.because) == (True, got.because)
    assert decide({"in_table": "empty"}, {}, TABLE) == Decision(False)


def test_lead_lower_keeps_acronyms():
    one = {
        "t": [
            {"label_vi": "ABc"},
        ]
    }
    assert evaluate({"in_table": "t"}, {}, one).because[0].vi == "ABc"
    assert evaluate({"in_table": "t"}, {}, {"t": [{"label_vi": "Ab c"}]}).because[0].vi == "ab c"
    assert evaluate({"in_table": "t"}, {}, {"t": [{"label_vi": "A"}]}).because[0].vi == "A"


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


def test_a_row_without_labels_gives_blank_reason_labels():
    params = {"t": [{"label_en": "Row"}], "u": [{"label_vi": "Hàng"}]}
    assert evaluate({"in_table": "t"}, {}, params).because == (Because("", "Row"),)
    assert decide({"in_table": "t"}, {}, params).because == (Because("", "Row"),)
    assert decide({"in_table": "u"}, {}, params).because == (Because("hàng", ""),)
