"""The engine of a catalogue version answers what the interpreter answers (rules/engine.py).

``evaluate_obligations``, ``table_decide`` and the inspection regimes are the reference: on every
catalogue file with generated premises and answers, the engine must give equal obligations,
tables and regimes, also when outcomes come from what its memos kept.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import divisions
from inspections.legal.catalogue_file import CATALOGUE_DIR, read_catalogue, requirement_specs
from inspections.rules import engine as engine_module
from inspections.rules.decide import table_decide
from inspections.rules.engine import MEMO_DAYS, Engine
from inspections.rules.facts import derive_facts
from inspections.rules.labels import PREMISES_KINDS
from inspections.rules.obligations import evaluate_obligations
from inspections.rules.planning import inspection_regimes, regimes_decision
from inspections.rules.reasons import missing_text
from inspections.rules.requirements import RequirementSpec

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
    assert first[1] == "Not enough information to decide this duty: fill in number of storeys, beds"
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
    days = [date(2026, 11, 20 + i) for i in range(MEMO_DAYS + 1)]
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


def test_each_memo_gives_up_at_the_engines_minimum_hit_rate():
    data = CATALOGUES["2025.2"]
    facts = derive_facts({"kind": "home", "province_code": 1, "floors": 3}, data.params)
    for engine, rate in (
        (Engine(requirement_specs(data), data.params), 0.3),
        (Engine(requirement_specs(data), data.params, memo_min_hit_rate=0.5), 0.5),
    ):
        engine.evaluate(facts, {}, date(2026, 11, 23))
        memos = engine.memos_of(date(2026, 11, 23)).values()
        assert memos and {m.min_hit_rate for m in memos} == {rate}


def test_a_regime_is_built_once_per_catalogue_row():
    data = CATALOGUES["2025.2"]
    assert "inspection.regimes" in data.params
    engine = Engine(requirement_specs(data), data.params)
    raw = {"kind": "establishment", "province_code": 1, "occupancy_category": "hospital",
           "beds": 300}  # fmt: skip
    facts = derive_facts(raw, data.params)
    first, again = engine.inspection_regimes(facts), engine.inspection_regimes(facts)
    assert first and all(a is b for a, b in zip(first, again, strict=True))


def test_a_decided_team_size_duty_names_no_missing_fact():
    rule = {"type": "team_size", "table": [{"from": 20, "to": 9999, "min_members": 10}]}
    team = RequirementSpec("T", "t", "t", ("establishment",), {}, (), deadline_rule=rule)
    facts = {"kind": "establishment", "employees": 5, "onsite_team_members": None}
    got = Engine([team], {}).evaluate(facts, {"T": "compliant"}, date(2026, 11, 23))
    assert got == evaluate_obligations([team], facts, {}, {"T": "compliant"}, date(2026, 11, 23))
    assert (got.obligations[0].status, got.obligations[0].missing_facts) == ("met", ())


def test_a_table_is_compiled_once_per_engine(monkeypatch):
    data = CATALOGUES["2025.2"]
    compiled: list[str] = []
    compile_table = engine_module.compile_table

    def counting(key, params):
        compiled.append(key)
        return compile_table(key, params)

    monkeypatch.setattr(engine_module, "compile_table", counting)
    engine = Engine([], data.params)
    facts = derive_facts({"kind": "home", "province_code": 1}, data.params)
    for key in ("appendix_i", "appendix_i", "appendix_ii", "appendix_i"):
        assert engine.table(key, facts) == table_decide(key, facts, data.params)
    assert compiled == ["appendix_i", "appendix_ii"]


def test_a_malformed_regime_row_raises_what_the_interpreter_raises():
    params = {"inspection.regimes": [5]}
    with pytest.raises(AttributeError) as interpreted:
        regimes_decision({}, params)
    with pytest.raises(AttributeError) as compiled:
        Engine([], params).regimes_decision({})
    assert str(compiled.value) == str(interpreted.value)
