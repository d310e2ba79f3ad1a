"""Compiled rules answer exactly what the interpreter answers (rules/compiled.py).

The interpreter (``decide``, ``table_decide``, ``evaluate_obligations``) is the reference: on
generated rules, facts, tables and on every catalogue file with generated premises and answers,
the compiled engine must give equal decisions, equal obligations and the same errors.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import divisions
from inspections.legal.catalogue_file import CATALOGUE_DIR, read_catalogue, requirement_specs
from inspections.rules import compiled
from inspections.rules.applicability import (
    COMPARISONS,
    PREMISES_KINDS,
    UNKNOWN_FACTS_KEY,
    Decision,
    RuleError,
    TableMatch,
    decide,
    table_decide,
)
from inspections.rules.compiled import Engine, compile_rule, compile_table
from inspections.rules.facts import derive_facts
from inspections.rules.obligations import evaluate_obligations, missing_text
from inspections.rules.planning import inspection_regimes, regimes_decision


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


# --- The whole engine on every catalogue file ---------------------------------------------------

CATALOGUES = {p.stem: read_catalogue(p) for p in sorted(CATALOGUE_DIR.glob("*.yaml"))}
# Memos that never give up, so every example after the first goes through kept outcomes.
ENGINES = {
    k: Engine(requirement_specs(d), d.params, memo_min_hit_rate=0.0) for k, d in CATALOGUES.items()
}
CATEGORIES = sorted(
    {r["code"] for d in CATALOGUES.values() for r in d.params.get("occupancy_categories") or []}
)
PROVINCES = [1, 14, 79, None]
dates = st.one_of(st.none(), st.dates(date(2019, 1, 1), date(2028, 12, 31)))
sizes = st.one_of(st.none(), st.integers(0, 30), st.sampled_from([150, 300, 1000, 5000, 25000]))


@st.composite
def premises(draw) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "kind": draw(st.sampled_from([*PREMISES_KINDS, ""])),
        "occupancy_category": draw(st.sampled_from([*CATEGORIES, ""])),
        "province_code": draw(st.sampled_from(PROVINCES)),
        "hazard_class": draw(st.sampled_from(["", "A", "B", "C", "D", "E"])),
        "alarm_device_state": draw(st.sampled_from(["none", "installed", "connected"])),
        "under_fire_safety_management": draw(st.sampled_from([None, True, False])),
        "training_records": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "holder": st.sampled_from(["An", "Bình"]),
                        "duty": st.sampled_from(["head", "team_member", "assigned"]),
                        "kind": st.sampled_from(["full", "refresher"]),
                        "issued_on": dates,
                        "expires_on": dates,
                    }
                ),
                max_size=3,
            )
        ),
    }
    for name in ("floors", "height_m", "floor_area_m2", "volume_m3", "business_area_m2", "beds",
                 "capacity", "employees", "onsite_team_members", "gas_stored_kg", "site_area_m2"):  # fmt: skip
        raw[name] = draw(sizes)
    for name in ("trades_hazardous_goods", "in_infra_deficient_area", "has_ev_charging",
                 "uses_electricity_for_production", "hosts_other_organisations",
                 "legacy_noncompliant_listed", "let_to_tenant", "needs_design_appraisal"):  # fmt: skip
        raw[name] = draw(st.booleans())
    for name in ("put_into_use_on", "alarm_connected_on", "fire_data_declared_on",
                 "insurance_expires_on", "last_drill_on", "last_self_inspection_on",
                 "training_expires_on", "last_regular_check_on", "last_pc04_report_on"):  # fmt: skip
        raw[name] = draw(dates)
    raw["has_training_certificate"] = bool(raw["training_records"])
    return raw


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(CATALOGUES)),
    st.lists(premises(), min_size=1, max_size=3),
    st.dates(date(2025, 7, 1), date(2028, 1, 1)),
    st.data(),
)
def test_the_engine_gives_the_obligations_the_interpreter_gives(label, many, on, data):
    engine, params = ENGINES[label], CATALOGUES[label].params
    specs = requirement_specs(CATALOGUES[label])
    codes = [s.code for s in specs]
    for raw in many:
        facts = derive_facts(raw, params)
        assert derive_facts(raw, params, table=engine.table) == facts
        assert engine.inspection_regimes(facts) == inspection_regimes(facts, params)
        if "inspection.regimes" in params:
            assert engine.regimes_decision(facts) == regimes_decision(facts, params)
        answers = data.draw(
            st.dictionaries(
                st.sampled_from(codes),
                st.sampled_from(["compliant", "non_compliant", "not_applicable", "other"]),
                max_size=8,
            )
        )
        got = engine.evaluate(facts, answers, on)
        want = evaluate_obligations(specs, facts, params, answers, on)
        assert got == want


def test_the_engine_serves_each_kind_its_requirements_in_catalogue_order():
    data = CATALOGUES["2025.2"]
    specs = requirement_specs(data)
    engine = Engine(list(reversed(specs)), data.params)
    raw = {"kind": "home", "province_code": 1, "floors": 3, "floor_area_m2": 120}
    facts = derive_facts(raw, data.params)
    got = [o.requirement.code for o in engine.evaluate(facts, {}, date(2026, 11, 23)).obligations]
    want = evaluate_obligations(specs, facts, data.params, {}, date(2026, 11, 23))
    assert got == [o.requirement.code for o in want.obligations] and got
    # A kind no requirement names has none; an unhashable one is answered without the index.
    assert engine.evaluate({**facts, "kind": "boat"}, {}, date(2026, 11, 23)).obligations == []
    assert engine.evaluate({**facts, "kind": ["home"]}, {}, date(2026, 11, 23)).obligations == []


def test_the_reason_names_the_premises_and_the_law_once_per_requirement():
    data = CATALOGUES["2025.1"]
    engine = Engine(requirement_specs(data), data.params)
    raw = {"kind": "home", "province_code": 1, "ward_code": 70, "floors": 4,
           "floor_area_m2": 120, "in_infra_deficient_area": True}  # fmt: skip
    son_la = {**raw, "province_code": 14}
    for _ in range(2):  # the law's part is kept once built
        by_code = {
            o.requirement.code: o
            for o in engine.evaluate(
                derive_facts(raw, data.params), {}, date(2026, 11, 23)
            ).obligations
        }
        alarm = by_code["L55-20.5-alarm"]
        assert alarm.reason_vi.startswith("Nhà ở tại Thành phố Hà Nội, ")
        assert alarm.reason_en.startswith("Home in ")
        assert alarm.reason_vi.endswith(
            "→ khoản 5 Điều 20 Luật 55/2024/QH15, khoản 4 Điều 54 Luật 55/2024/QH15"
        )
    other = engine.evaluate(derive_facts(son_la, data.params), {}, date(2026, 11, 23))
    assert all(divisions.province_name(14) in o.reason_vi for o in other.obligations
               if o.status != "unknown")  # fmt: skip


def test_missing_facts_texts_are_kept_per_list_of_names():
    engine = Engine([], {})
    first = engine._missing_text(("floors", "beds"))
    assert first == missing_text(("floors", "beds"))
    assert first[1] == "Not enough information to decide this duty: fill in floors, beds"
    assert engine._missing_text(("floors", "beds")) is first
    assert engine._missing_text(("beds",)) == missing_text(("beds",))


def test_kept_outcomes_are_the_interpreters_for_premises_that_share_facts():
    """Premises drawn from few values, so most outcomes come from what the memos kept."""
    rng = random.Random(5)
    for label in ("2025.1", "2025.2"):
        data = CATALOGUES[label]
        specs = requirement_specs(data)
        engine = Engine(specs, data.params, memo_min_hit_rate=0.0)
        codes = [s.code for s in specs]
        for _ in range(250):
            raw = {
                "kind": rng.choice(["establishment", "home", "home_business", "vehicle"]),
                "occupancy_category": rng.choice([*CATEGORIES[:5], ""]),
                "province_code": rng.choice([1, 14]),
                "floors": rng.choice([None, 2, 7]),
                "floor_area_m2": rng.choice([None, 120, 400, 6000]),
                "employees": rng.choice([None, 5, 30, 120]),
                "onsite_team_members": rng.choice([None, 3, 12]),
                "alarm_device_state": rng.choice(["none", "connected"]),
                "fire_data_declared_on": rng.choice([None, date(2026, 2, 1)]),
                "last_drill_on": rng.choice([None, date(2025, 3, 1), date(2026, 6, 1)]),
                "insurance_expires_on": rng.choice([None, date(2026, 12, 31)]),
                "training_records": rng.choice(
                    [
                        (),
                        (
                            {
                                "holder": "An",
                                "duty": "head",
                                "kind": "full",
                                "issued_on": date(2025, 9, 1),
                                "expires_on": None,
                            },
                        ),
                    ]  # fmt: skip
                ),
            }
            facts = derive_facts(raw, data.params)
            answers = {rng.choice(codes): rng.choice(["compliant", "non_compliant",
                                                      "not_applicable"])}  # fmt: skip
            on = rng.choice([date(2026, 11, 23), date(2027, 7, 2)])
            got = engine.evaluate(facts, answers, on)
            assert got == evaluate_obligations(specs, facts, data.params, answers, on)
        memos = [m for day in engine._memos.values() for m in day.values()]
        assert sum(m.hits for m in memos) > sum(m.lookups for m in memos) / 2


def test_outcomes_are_kept_for_the_last_few_days_asked():
    data = CATALOGUES["2025.2"]
    specs = requirement_specs(data)
    engine = Engine(specs, data.params)
    facts = derive_facts({"kind": "home", "province_code": 1, "floors": 3}, data.params)
    days = [date(2026, 11, 20 + i) for i in range(compiled.MEMO_DAYS + 1)]
    for day in days:
        got = engine.evaluate(facts, {}, day)
        assert got == evaluate_obligations(specs, facts, data.params, {}, day)
    assert list(engine._memos) == days[1:]  # the oldest day dropped
    kept = engine.memos_of(days[-1])
    assert kept and all(m.size for m in kept.values())
    assert engine.evaluate(facts, {}, days[-1]) == engine.evaluate(facts, {}, days[-1])
    assert sum(m.hits for m in kept.values()) >= 2 * len(kept)
    assert engine.memos_of(days[0]) == {} and days[1] not in engine._memos


@pytest.mark.parametrize("label", sorted(CATALOGUES))
def test_the_engine_answers_tables_and_regimes_as_the_interpreter(label):
    """Plain seeded premises (no hypothesis): every appendix table and the inspection regimes,
    through a fresh engine, as the interpreter answers them."""
    data = CATALOGUES[label]
    params = data.params
    engine = Engine(requirement_specs(data), params)
    rng = random.Random(17)
    tables = [k for k in ("appendix_i", "appendix_ii", "appendix_vii") if k in params]
    assert tables
    matched = 0
    for _ in range(400):
        raw = {
            "kind": rng.choice([*PREMISES_KINDS, ""]),
            "occupancy_category": rng.choice([*CATEGORIES, ""]),
            "province_code": rng.choice(PROVINCES),
            "hazard_class": rng.choice(["", "A", "C", "E"]),
            "floors": rng.choice([None, 1, 3, 7, 12]),
            "height_m": rng.choice([None, 6, 25, 60]),
            "floor_area_m2": rng.choice([None, 120, 300, 1000, 5000, 25000]),
            "volume_m3": rng.choice([None, 1000, 5000, 25000]),
            "beds": rng.choice([None, 10, 50, 300]),
            "capacity": rng.choice([None, 50, 300, 1000]),
            "employees": rng.choice([None, 5, 50, 300]),
        }
        facts = derive_facts(raw, params)
        for key in tables:
            got = engine.table(key, facts)
            assert got == table_decide(key, facts, params)
            matched += got.row is not None
        assert engine.inspection_regimes(facts) == inspection_regimes(facts, params)
        if "inspection.regimes" in params:
            assert engine.regimes_decision(facts) == regimes_decision(facts, params)
    assert matched > 0
