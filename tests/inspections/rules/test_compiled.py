"""Compiled rules answer exactly what the interpreter answers (rules/compiled.py).

The interpreter (``decide``, ``table_decide``) is the reference: on generated rules, facts and
tables, a compiled rule or table must give equal decisions and the same errors. The engine built
on them is compared on whole catalogues in test_engine.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.rules import compiled
from inspections.rules.applicability import RuleError
from inspections.rules.comparisons import COMPARISONS
from inspections.rules.compiled import compile_rule, compile_table
from inspections.rules.decide import UNKNOWN_FACTS_KEY, Decision, TableMatch, decide, table_decide


def outcome(call) -> tuple:
    """What a call gave: its value, or the type and message of what it raised."""
    try:
        return ("value", call())
    except Exception as exc:  # the point is to compare errors too
        return ("error", type(exc), str(exc))


# --- Generated rules over a small world of facts and parameters --------------------------------

FACT_NAMES = ["floors", "beds", "kind", "occupancy_category", "has_ev_charging",
              "under_fire_safety_management", "appendix_i_row", "put_into_use_on", "hazard_class"]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 12),
    st.sampled_from([0.0, 2.5, 3.0, -0.0, 1e3, 12000.0]),
    st.sampled_from(["", "A", "b", "karaoke", "home", "2025-07-01", "2026-01-31"]),
    st.sampled_from([Decimal("3"), Decimal("2.50")]),
    st.sampled_from([date(2025, 7, 1), date(2026, 1, 31)]),
)
values = st.one_of(
    scalars,
    st.lists(st.sampled_from([1, 2, 3, "A", "karaoke", True, None]), max_size=3),
    st.sampled_from(
        [
            {"param": "p.num"},
            {"param": "p.list"},
            {"param": "p.date"},
            {"param": "p.absent"},
            {"param": "p.num", "x": 1},
        ]
    ),  # fmt: skip
)


@st.composite
def leaves(draw) -> Any:
    ops = draw(st.lists(st.sampled_from(COMPARISONS), min_size=1, max_size=2, unique=True))
    if draw(st.integers(0, 9)) == 0:
        ops = ops if len(ops) == 2 else []  # malformed: two operators or none
    node: dict[str, Any] = {"fact": draw(st.sampled_from(FACT_NAMES))}
    for op in ops:
        node[op] = draw(values)
    if draw(st.booleans()):
        node["explain"] = draw(st.sampled_from([False, True, None]))
    return node


odd_nodes = st.sampled_from(
    [None, {}, True, {"always": True}, {"always": 0}, {"bogus": 1}, 5, [], "x", {"all": 5}]
)
plain_rules = st.recursive(
    st.one_of(leaves(), odd_nodes),
    lambda children: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(children, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(children, max_size=3)),
        st.builds(lambda x: {"not": x}, children),
    ),
    max_leaves=6,
)


@st.composite
def table_rows(draw) -> Any:
    if draw(st.integers(0, 14)) == 0:
        return draw(st.sampled_from([5, "row", {"categories": 3}]))  # malformed rows
    row: dict[str, Any] = {"id": draw(st.integers(1, 99))}
    if draw(st.booleans()):
        row["categories"] = draw(st.lists(st.sampled_from(["karaoke", "hotel", "A"]), max_size=2))
    if draw(st.booleans()):
        row["kinds"] = draw(st.lists(st.sampled_from(["establishment", "home"]), max_size=2))
    if draw(st.booleans()):
        row["needs"] = draw(st.lists(st.sampled_from(["hazard_class", "floors"]), max_size=2))
    if draw(st.booleans()):
        row["when"] = draw(plain_rules)
    if draw(st.booleans()):
        row["label_vi"], row["label_en"] = draw(st.sampled_from([("Nhà hàng", "Restaurant"),
                                                                 ("karaoke", "Karaoke")]))  # fmt: skip
    return row


@st.composite
def worlds(draw) -> dict[str, Any]:
    """Parameters: a number, a list, a date, two tables and category labels."""
    return {
        "p.num": draw(st.sampled_from([2, 2.5, Decimal("3"), None])),
        "p.list": ["A", "karaoke", 3],
        "p.date": "2025-07-01",
        "t.one": draw(st.lists(table_rows(), max_size=4)),
        "t.two": draw(st.one_of(st.none(), st.lists(table_rows(), max_size=3))),
        "occupancy_categories": [{"code": "karaoke", "label_vi": "Karaoke", "label_en": "Karaoke"}],
    }


rules = st.recursive(
    st.one_of(
        leaves(),
        odd_nodes,
        st.sampled_from([{"in_table": "t.one"}, {"in_table": "t.two"}, {"in_table": "t.none"}]),
    ),
    lambda children: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(children, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(children, max_size=3)),
        st.builds(lambda x: {"not": x}, children),
    ),
    max_leaves=8,
)


@st.composite
def fact_sets(draw) -> dict[str, Any]:
    facts = {name: draw(scalars) for name in draw(st.sets(st.sampled_from(FACT_NAMES)))}
    if draw(st.booleans()):
        facts[UNKNOWN_FACTS_KEY] = {
            name: draw(st.lists(st.sampled_from(["floors", "beds"]), max_size=2))
            for name in draw(st.sets(st.sampled_from(FACT_NAMES), max_size=2))
        }
    if draw(st.booleans()):
        facts["appendix_i_label_vi"] = draw(st.sampled_from(["", "Nhà hàng", "Chợ"]))
        facts["appendix_i_label_en"] = draw(st.sampled_from(["Restaurant", "Market"]))
    return facts


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules, worlds(), st.lists(fact_sets(), min_size=1, max_size=4))
def test_a_compiled_rule_decides_as_the_interpreter(rule, params, many_facts):
    fn = compile_rule(rule, params)
    # Several premises through the same closure: what it keeps between calls never leaks.
    for facts in many_facts:
        assert outcome(lambda f=facts: fn(f)) == outcome(lambda f=facts: decide(rule, f, params))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.sampled_from(["t.one", "t.two", "t.none"]), st.lists(fact_sets(), max_size=4))
def test_a_compiled_table_matches_the_row_the_interpreter_matches(params, key, many_facts):
    fn = compile_table(key, params)
    for facts in many_facts:
        got = outcome(lambda f=facts: fn(f)[0])
        assert got == outcome(lambda f=facts: table_decide(key, f, params))
        if got[0] == "value" and got[1].row is not None:
            assert got[1].row is table_decide(key, facts, params).row


# --- What the closures keep between premises --------------------------------------------------


def test_an_explanation_kept_for_a_value_is_not_reused_for_an_equal_value_of_another_type():
    fn = compile_rule({"fact": "beds", "gte": 0}, {})
    # 1 == True == 1.0, but the interpreter explains each in its own way.
    assert fn({"beds": 1}).because[0].vi == "số giường bệnh 1 (≥ 0)"
    assert fn({"beds": True}).because[0].vi == "số giường bệnh True (≥ 0)"
    assert fn({"beds": 1}).because[0].vi == "số giường bệnh 1 (≥ 0)"
    assert fn({"beds": 2}).because[0].en == "beds 2 (≥ 0)"


def test_the_appendix_i_row_that_put_the_premises_under_management_is_named_per_premises():
    fn = compile_rule({"fact": "under_fire_safety_management", "is": True}, {})
    market = {"under_fire_safety_management": True, "appendix_i_label_vi": "Chợ",
              "appendix_i_label_en": "Market"}  # fmt: skip
    hotel = {"under_fire_safety_management": True, "appendix_i_label_vi": "Khách sạn"}
    assert fn(market).because[0].vi == "chợ" and fn(market).because[0].en == "Market"
    assert fn(hotel).because[0].vi == "khách sạn" and fn(hotel).because[0].en == ""
    assert fn(market) == decide({"fact": "under_fire_safety_management", "is": True}, market, {})


def test_explanations_beyond_the_cache_bound_are_still_given(monkeypatch):
    monkeypatch.setattr(compiled, "EXPLAIN_CACHE_SIZE", 2)
    rule = {"fact": "floors", "gt": 0}
    fn = compile_rule(rule, {})
    for n in (1, 2, 3, 4, 3, 1):
        assert fn({"floors": n}) == decide(rule, {"floors": n}, {})


def test_a_tuple_value_is_explained_every_time():
    rule = {"fact": "floors", "ne": 0}
    fn = compile_rule(rule, {})
    assert fn({"floors": (1,)}).because[0].vi == "số tầng (1,) (≠ 0)"
    assert fn({"floors": (True,)}).because[0].vi == "số tầng (True,) (≠ 0)"


def test_a_malformed_node_raises_only_when_reached():
    bad = {"fact": "floors", "gt": {"param": "absent"}}
    fn = compile_rule({"any": [{"always": True}, bad]}, {})
    assert fn({"floors": 3}) == Decision(True)
    reached = compile_rule({"all": [{"always": True}, bad]}, {})
    with pytest.raises(RuleError, match="unknown parameter 'absent'"):
        reached({"floors": 3})
    # An unknown fact decides before the operator or the parameter is looked at.
    assert reached({"floors": None}) == Decision(None, missing=("floors",))
    with pytest.raises(RuleError, match="unknown table parameter"):
        compile_rule({"in_table": "nope"}, {})({})
    odd = compile_rule({"fact": "floors", "gt": {"param": ["x"]}}, {})  # unhashable key
    assert odd({"floors": None}) == Decision(None, missing=("floors",))
    with pytest.raises(TypeError):
        odd({"floors": 3})
    with pytest.raises(RuleError, match="exactly one of"):
        compile_rule({"fact": "floors", "gt": 1, "lt": 5}, {})({"floors": 3})


def test_table_rows_are_filtered_by_category_and_kind_in_table_order():
    params = {
        "t": [
            {"id": 1, "categories": ["hotel"], "when": {"fact": "floors", "gte": 5}},
            {"id": 2, "kinds": ["home"]},
            {"id": 3, "categories": ["hotel"], "kinds": ["establishment"]},
            {"id": 4},
        ]
    }
    fn = compile_table("t", params)

    def row(facts: dict[str, Any]) -> Any:
        match = fn(facts)[0]
        assert match == table_decide("t", facts, params)
        return match.row and match.row["id"]

    hotel = {"kind": "establishment", "occupancy_category": "hotel"}
    assert row({**hotel, "floors": 7}) == 1
    assert row({**hotel, "floors": 2}) == 3
    # Row 1 might match and would win: undecided, row 3 the sure match behind it.
    assert fn({**hotel, "floors": None})[0] == TableMatch(None, params["t"][2], ("floors",))
    assert row({"kind": "home", "occupancy_category": "hotel"}) == 2
    assert row({"kind": "vehicle", "occupancy_category": ""}) == 4
    # An unhashable category is not indexed but gives the same row.
    assert row({"kind": "establishment", "occupancy_category": ["hotel"]}) == 4


def test_a_malformed_row_behind_a_matching_row_is_not_reached():
    params = {"t": [{"id": 1}, 5], "u": [{"id": 1, "kinds": ["home"]}, {"categories": 3}]}
    assert compile_table("t", params)({})[0] == TableMatch(True, {"id": 1})
    assert compile_table("u", params)({"kind": "home"})[0].row == {"id": 1, "kinds": ["home"]}
    with pytest.raises(TypeError):
        compile_table("u", params)({"kind": "establishment"})
    with pytest.raises(TypeError):
        compile_table("v", {"v": 5})({})


def test_the_matched_row_gives_its_reasons_once_its_label_first():
    params = {"t": [{"id": 1, "label_vi": "Nhà hàng", "label_en": "Restaurant",
                     "when": {"fact": "floors", "gte": 2}}]}  # fmt: skip
    got = compile_rule({"in_table": "t"}, params)({"floors": 3})
    assert [b.vi for b in got.because] == ["nhà hàng", "số tầng 3 (≥ 2)"]
    assert got == decide({"in_table": "t"}, {"floors": 3}, params)


def test_an_unknown_row_ahead_of_a_sure_row_leaves_in_table_unknown():
    params = {"t": [{"id": 1, "when": {"fact": "floors", "gte": 5}}, {"id": 2}]}
    got = compile_rule({"in_table": "t"}, params)({"floors": None})
    assert got == Decision(None, missing=("floors",))
    assert got == decide({"in_table": "t"}, {"floors": None}, params)


GRID = [None, "", 0, 1, 2.5, True, False, "A", "2025-07-01", date(2025, 7, 1), date(2026, 1, 1),
        Decimal("2.5"), [1, "A"], (1,), ["2025-07-01"]]  # fmt: skip


@pytest.mark.parametrize("op", COMPARISONS)
def test_every_operator_compares_as_the_interpreter_on_a_grid_of_values(op):
    for expected in GRID:
        fn = compile_rule({"fact": "x", op: expected}, {})
        for actual in GRID:
            facts = {"x": actual}
            want = outcome(lambda f=facts, e=expected: decide({"fact": "x", op: e}, f, {}))
            assert outcome(lambda f=facts, g=fn: g(f)) == want, (op, expected, actual)


def test_table_rows_read_the_tables_parameters():
    params = {"x": 5, "t": [{"id": 1, "when": {"fact": "floors", "gte": {"param": "x"}}}]}
    assert compile_table("t", params)({"floors": 6})[0] == TableMatch(True, params["t"][0])
    assert compile_table("t", params)({"floors": 4})[0] == TableMatch(False)


def test_an_unhashable_category_is_admitted_by_a_row_that_lists_it():
    params = {"t": [{"id": 1, "categories": [["hotel"]]}, {"id": 2}]}
    facts = {"occupancy_category": ["hotel"]}
    assert compile_table("t", params)(facts)[0].row["id"] == 1
    assert table_decide("t", facts, params).row["id"] == 1
