"""Obligations engine: scenarios, the 1 July 2027 roadmap, which duties bind and why."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspections.legal.catalogue_file import (
    CATALOGUE_DIR,
    read_catalogue,
    requirement_specs,
)
from inspections.legal.parser import provision_text
from inspections.rules.facts import derive_facts
from inspections.rules.obligations import (
    Advice,
    ObligationResult,
    applicable,
    decide_applicable,
    evaluate_obligations,
)
from inspections.rules.planning import (
    cap_decision,
    inspecting_authority_kind,
    next_periodic_due,
)
from inspections.rules.reasons import Because
from inspections.rules.requirements import RequirementSpec

from .common import ART_20_5, ART_23_1_C, DECREE_14_2, DECREE_26, E20, L20, ON
from .common import spec as _spec

# These tests pin the semantics of catalogue 2025.1 (the Decree 105 defaults before the text was
# read); catalogue 2025.2 has its own scenario tests (test_decree105_*.py).
DATA = read_catalogue(CATALOGUE_DIR / "2025.1.yaml")
SPECS = requirement_specs(DATA)
PARAMS = DATA.params
HANOI, SON_LA = 1, 14
BEFORE, DEADLINE, AFTER = date(2026, 11, 23), date(2027, 7, 1), date(2027, 7, 2)


def run(facts, on=BEFORE, answers=None):
    derived = derive_facts(facts, PARAMS)
    ev = evaluate_obligations(SPECS, derived, PARAMS, answers or {}, on)
    return {o.requirement.code: o for o in ev.obligations}, ev


def test_home_in_hanoi_in_designated_area_must_equip_extinguisher_and_device_by_2027():
    facts = {"kind": "home", "province_code": HANOI, "ward_code": 70, "floors": 4,
             "floor_area_m2": 120, "in_infra_deficient_area": True}  # fmt: skip
    obligations, ev = run(facts)
    alarm = obligations["L55-20.5-alarm"]
    assert alarm.status == "not_met" and alarm.progress == "none"
    assert alarm.due_date == DEADLINE and alarm.days_left == (DEADLINE - BEFORE).days
    assert alarm.reason_vi.startswith("Nhà ở tại Thành phố Hà Nội")
    assert "thiếu hạ tầng giao thông hoặc nguồn nước chữa cháy" in alarm.reason_vi
    assert alarm.reason_vi.endswith(
        "→ khoản 5 Điều 20 Luật 55/2024/QH15, khoản 4 Điều 54 Luật 55/2024/QH15"
    )
    assert alarm.requirement.citations[0].text_vi == provision_text(20, 5)
    assert "L55-20.5-extinguisher" in obligations
    assert ev.advice == []
    # Homes are not establishments: no Art. 23 duties, no insurance.
    assert not any(code.startswith("L55-23.") for code in obligations)
    assert "L55-48.1" not in obligations


def test_home_in_son_la_is_only_encouraged():
    obligations, ev = run({"kind": "home", "province_code": SON_LA, "ward_code": 3646,
                           "in_infra_deficient_area": True})  # fmt: skip
    assert "L55-20.5-alarm" not in obligations
    assert [a.requirement.code for a in ev.advice] == ["L55-20.5-advice"]
    assert "không thuộc thành phố trực thuộc trung ương" in ev.advice[0].reason_vi
    assert {"L55-20.1.a", "L55-20.2.b", "L55-8.6.c"} <= set(obligations)


def test_400_m2_karaoke_is_under_management_and_must_insure():
    obligations, _ = run({"kind": "establishment", "province_code": HANOI,
                          "occupancy_category": "karaoke", "floor_area_m2": 400, "floors": 1})  # fmt: skip
    assert {"L55-23.1.a", "L55-23.1.c", "L55-23.1.e", "L55-8.3.dd", "L55-48.1"} <= set(obligations)
    assert "300 m²" in obligations["L55-48.1"].reason_vi
    assert obligations["L55-48.1"].status == "unknown"
    assert obligations["L55-23.1.c"].due_date == DEADLINE


def test_hospital_is_appendix_ii_and_inspected_by_the_fire_police():
    facts = derive_facts({"kind": "establishment", "province_code": SON_LA,
                          "occupancy_category": "hospital", "beds": 300}, PARAMS)  # fmt: skip
    assert facts["appendix_ii_group"] == 1
    assert inspecting_authority_kind(facts, PARAMS) == "fire_police"
    obligations, _ = run({"kind": "establishment", "province_code": SON_LA,
                          "occupancy_category": "hospital", "beds": 300})  # fmt: skip
    assert "L55-48.1" in obligations and "L55-23.1.c" in obligations


def test_apartment_of_8_floors():
    facts = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "apartment",
             "floors": 8, "floor_area_m2": 6000, "has_ev_charging": True}  # fmt: skip
    derived = derive_facts(facts, PARAMS)
    assert derived["appendix_ii_group"] == 1 and derived["appendix_vii_row"] == "vii.apartment"
    obligations, _ = run(facts)
    assert {"L55-23.1.c", "L55-48.1", "L55-24.1.d", "L55-23.1.d-16.1.c"} <= set(obligations)


def test_vehicle_duties_depend_on_the_mode():
    road, _ = run(
        {"kind": "vehicle", "province_code": HANOI, "occupancy_category": "road_passenger"}
    )
    ship, _ = run(
        {"kind": "vehicle", "province_code": HANOI, "occupancy_category": "inland_waterway"}
    )
    assert {"L55-8.4.a", "L55-8.4.d", "L55-22.1.a", "L55-22.1.b", "L55-45.1.g"} <= set(road)
    assert "L55-8.4.dd" not in road and "L55-22.2.d" not in road
    assert {"L55-8.4.dd", "L55-22.2.a", "L55-22.2.c"} <= set(ship)
    assert not any(code.startswith("L55-20.") or code.startswith("L55-23.") for code in road)


def test_construction_site():
    obligations, _ = run({"kind": "construction_site", "province_code": HANOI})
    assert {"L55-19.1.a", "L55-19.1.b", "L55-19.1.c", "L55-19.1.d", "L55-11.3.a"} <= set(
        obligations
    )
    assert "L55-20.1.a" not in obligations


@pytest.mark.parametrize(
    ("state", "declared", "on", "status", "step"),
    [
        ("none", None, BEFORE, "not_met", "none"),
        ("installed", None, BEFORE, "not_met", "installed"),
        ("connected", None, BEFORE, "not_met", "connected"),
        ("connected", date(2026, 5, 1), BEFORE, "met", "declared"),
        ("none", None, DEADLINE, "not_met", "none"),  # the deadline day itself is still on time
        ("none", None, AFTER, "overdue", "none"),
        ("installed", None, AFTER, "overdue", "installed"),
        ("connected", date(2026, 5, 1), AFTER, "met", "declared"),
    ],
)
def test_roadmap_status_follows_device_state_and_the_deadline(state, declared, on, status, step):
    facts = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "hospital",
             "alarm_device_state": state, "fire_data_declared_on": declared}  # fmt: skip
    obligations, _ = run(facts, on=on)
    o = obligations["L55-23.1.c"]
    assert (o.status, o.progress, o.due_date) == (status, step, DEADLINE)
    assert o.days_left == (DEADLINE - on).days


def test_home_device_needs_connection_only():
    facts = {"kind": "home", "province_code": HANOI, "in_infra_deficient_area": True,
             "alarm_device_state": "connected"}  # fmt: skip
    obligations, _ = run(facts, on=AFTER)
    assert obligations["L55-20.5-alarm"].status == "met"


def test_deadline_comes_from_the_parameter():
    params = dict(PARAMS) | {"roadmap.alarm_transmission_deadline": "2028-01-01"}
    derived = derive_facts({"kind": "establishment", "province_code": 1,
                            "occupancy_category": "hospital"}, params)  # fmt: skip
    ev = evaluate_obligations(SPECS, derived, params, {}, AFTER)
    o = next(o for o in ev.obligations if o.requirement.code == "L55-23.1.c")
    assert (o.status, o.due_date) == ("not_met", date(2028, 1, 1))


def test_insurance_expiry_and_inspector_answers():
    base = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "hospital"}
    valid, _ = run(base | {"insurance_expires_on": "2027-03-01"})
    assert valid["L55-48.1"].status == "met" and valid["L55-48.1"].due_date == date(2027, 3, 1)
    expired, _ = run(base | {"insurance_expires_on": "2026-01-01"})
    assert expired["L55-48.1"].status == "overdue"
    seen_invalid, _ = run(base | {"insurance_expires_on": "2027-03-01"},
                          answers={"L55-48.1": "non_compliant"})  # fmt: skip
    assert seen_invalid["L55-48.1"].status == "not_met"
    answered, ev = run(base, answers={"L55-23.1.a": "compliant", "L55-23.1.b": "non_compliant",
                                      "L55-8.3.h": "not_applicable"})  # fmt: skip
    assert answered["L55-23.1.a"].status == "met"
    assert answered["L55-23.1.b"].status == "not_met"
    assert "L55-8.3.h" not in answered and ev.not_applicable == ["L55-8.3.h"]


def test_yearly_drill_is_recurring():
    base = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "hospital"}
    recent, _ = run(base | {"last_drill_on": "2026-03-10"})
    assert recent["L55-8.3.dd"].status == "met"
    assert recent["L55-8.3.dd"].due_date == date(2027, 3, 10)
    old, _ = run(base | {"last_drill_on": "2025-06-01"})
    assert old["L55-8.3.dd"].status == "overdue"
    never, _ = run(base)
    assert never["L55-8.3.dd"].status == "unknown"


def test_periodic_frequency_by_group():
    g1 = derive_facts({"kind": "establishment", "province_code": 1,
                       "occupancy_category": "hospital", "beds": 300}, PARAMS)  # fmt: skip
    assert next_periodic_due(g1, PARAMS, date(2026, 2, 1), BEFORE) == date(2027, 2, 1)
    assert next_periodic_due(g1, PARAMS, None, BEFORE) == BEFORE
    home = derive_facts({"kind": "home", "province_code": 1}, PARAMS)
    assert next_periodic_due(home, PARAMS, None, BEFORE) is None
    assert inspecting_authority_kind(home, PARAMS) == "commune_committee"


def test_inspection_cap_of_resolution_198():
    first = cap_decision("establishment", [], BEFORE, None, PARAMS)
    assert first.allowed and not first.needs_reason
    second = cap_decision("establishment", [date(2026, 3, 1)], BEFORE, "", PARAMS)
    assert not second.allowed and second.needs_reason and second.count_this_year == 1
    overridden = cap_decision("establishment", [date(2026, 3, 1)], BEFORE,
                              "Phản ánh của người dân về kho gas", PARAMS)  # fmt: skip
    assert overridden.allowed and overridden.reason.startswith("Phản ánh")
    last_year = cap_decision("home_business", [date(2025, 12, 31)], BEFORE, None, PARAMS)
    assert last_year.allowed
    home = cap_decision("home", [date(2026, 3, 1)] * 3, BEFORE, None, PARAMS)
    assert home.allowed and not home.capped


@settings(max_examples=150, deadline=None)
@given(
    on=st.dates(min_value=date(2025, 7, 1), max_value=date(2030, 12, 31)),
    state=st.sampled_from(["none", "installed", "connected"]),
    declared=st.booleans(),
)
def test_roadmap_status_property(on, state, declared):
    facts = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "hospital",
             "alarm_device_state": state,
             "fire_data_declared_on": date(2026, 1, 5) if declared else None}  # fmt: skip
    o = run(facts, on=on)[0]["L55-23.1.c"]
    done = state == "connected" and declared
    expected = "met" if done else ("overdue" if on > DEADLINE else "not_met")
    assert o.status == expected
    assert o.days_left == (DEADLINE - on).days


# --- Which synthetic requirements bind a premises, in which order, and why. ------------------


def _ev(specs, facts, answers=None, params=None):
    return evaluate_obligations(specs, facts, params or {}, answers or {}, ON)


AREA = {"fact": "floor_area_m2", "gte": 300}


def test_evaluate_obligations_in_full():
    spec = _spec({"type": "expiry", "fact": "insurance_expires_on"}, "B", AREA,
                 citations=(DECREE_14_2, ART_23_1_C, ART_20_5))  # fmt: skip
    facts = {"kind": "establishment", "province_name": "Thành phố Hà Nội", "floor_area_m2": 400,
             "insurance_expires_on": date(2026, 12, 10)}  # fmt: skip
    ev = _ev([spec], facts, {"B": "compliant"})
    assert ev.obligations == [
        ObligationResult(
            requirement=spec, status="met", due_date=date(2026, 12, 10), days_left=10,
            reason_vi="Cơ sở tại Thành phố Hà Nội, tổng diện tích sàn 400 m² (≥ 300 m²) "
            f"→ điểm c khoản 1 Điều 23 Luật 55/2024/QH15, {L20}",
            reason_en="Establishment in Thành phố Hà Nội, total floor area 400 m² (≥ 300) "
            f"→ Art. 23.1.c of Law 55/2024/QH15, {E20}",
            detail_vi="Hiệu lực đến 10/12/2026", detail_en="Valid until 2026-12-10",
            progress=None, answer="compliant", missing_facts=(),
        )
    ]  # fmt: skip
    assert ev.obligations[0].as_dict() == {
        "requirement": "B", "title_vi": "Tiêu đề B", "title_en": "Title B", "severity": "major",
        "citations": [DECREE_14_2.as_dict(), ART_23_1_C.as_dict(), ART_20_5.as_dict()],
        "decree_points": [], "status": "met", "due_date": "2026-12-10", "days_left": 10,
        "reason": ev.obligations[0].reason_vi, "reason_vi": ev.obligations[0].reason_vi,
        "reason_en": ev.obligations[0].reason_en, "detail_vi": "Hiệu lực đến 10/12/2026",
        "detail_en": "Valid until 2026-12-10", "progress": None, "missing_facts": [],
    }  # fmt: skip
    assert ev.advice == [] and ev.not_applicable == []


def test_reason_of_premises_without_a_province_or_a_law_citation():
    spec = _spec(
        None, "D", {"fact": "floors", "gte": 2}, citations=(DECREE_14_2, DECREE_26, DECREE_14_2)
    )
    ob = _ev([spec], {"kind": "home", "floors": 2, "province_name": ""}).obligations[0]
    assert ob.reason_vi == (
        "Nhà ở, số tầng 2 (≥ 2) → điểm a khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP, "
        "Điều 26 Nghị định 105/2025/NĐ-CP"
    )
    assert ob.reason_en == (
        "Home, number of storeys 2 (≥ 2) → Art. 14.2.a of Decree 105/2025/NĐ-CP, "
        "Art. 26 of Decree 105/2025/NĐ-CP"
    )
    assert (ob.due_date, ob.days_left, ob.as_dict()["due_date"]) == (None, None, None)
    other = RequirementSpec("O", "t", "t", ("vehicle",), {}, (ART_20_5,))
    got = _reason_of(other, {"kind": "vehicle"})
    assert got == (f"Phương tiện giao thông → {L20}", f"Vehicle → {E20}")
    odd = RequirementSpec("O", "t", "t", ("ship",), {"fact": "x", "eq": 1, "explain": False}, ())
    assert _reason_of(odd, {"kind": "ship", "x": 1}) == ("Đối tượng → ", "Premises → ")


def _reason_of(spec, facts):
    ob = _ev([spec], facts).obligations[0]
    return ob.reason_vi, ob.reason_en


def test_reason_skips_empty_because_texts():
    spec = _spec(None, "E", {"in_table": "t"})
    params = {"t": [{"label_vi": "", "label_en": "Row"}]}
    ob = _ev([spec], {"kind": "home"}, params=params).obligations[0]
    assert (ob.reason_vi, ob.reason_en) == (f"Nhà ở → {L20}", f"Home, Row → {E20}")


def test_requirements_of_another_kind_or_not_applicable_are_left_out_in_order():
    a = _spec(None, "A", AREA, order=2)
    b = _spec(None, "B", {}, order=1)
    c = _spec(None, "C", {}, order=2)
    vehicle = RequirementSpec("V", "t", "t", ("vehicle",), {}, ())
    ev = _ev([a, vehicle, c, b], {"kind": "home", "floor_area_m2": 299})
    assert [o.requirement.code for o in ev.obligations] == ["B", "C"]
    ev = _ev([c, a, b], {"kind": "home", "floor_area_m2": 300})
    assert [o.requirement.code for o in ev.obligations] == ["B", "A", "C"]


def test_unknown_applicability_is_reported_with_the_facts_to_fill_in():
    spec = _spec(None, "U", AREA)
    ev = _ev([spec], {"kind": "home", "floor_area_m2": None}, {"U": "non_compliant"})
    assert ev.obligations == [
        ObligationResult(
            requirement=spec, status="unknown", due_date=None, days_left=None,
            reason_vi="Chưa đủ thông tin để xác định nghĩa vụ này: cần bổ sung tổng diện tích sàn",
            reason_en="Not enough information to decide this duty: fill in total floor area",
            answer="non_compliant", missing_facts=("floor_area_m2",),
        )
    ]  # fmt: skip
    assert ev.obligations[0].as_dict()["missing_facts"] == ["floor_area_m2"]
    marked = _ev([spec], {"kind": "home", "floor_area_m2": None}, {"U": "not_applicable"})
    assert (marked.obligations, marked.not_applicable) == ([], ["U"])
    advice = _spec(None, "AD", AREA, advice=True)
    assert _ev([advice], {"kind": "home", "floor_area_m2": None}).advice == []


def test_advice_and_answers_of_not_applicable():
    advice = _spec(None, "AD", AREA, advice=True)
    ev = _ev([advice], {"kind": "home", "floor_area_m2": 300}, {"AD": "not_applicable"})
    assert ev.obligations == [] and ev.not_applicable == []
    assert ev.advice == [
        Advice(advice, f"Nhà ở, tổng diện tích sàn 300 m² (≥ 300 m²) → {L20}",
               f"Home, total floor area 300 m² (≥ 300) → {E20}")
    ]  # fmt: skip
    assert ev.advice[0].as_dict() == {
        "requirement": "AD", "title_vi": "Tiêu đề AD", "title_en": "Title AD",
        "citations": [ART_20_5.as_dict()], "reason": ev.advice[0].reason_vi,
        "reason_vi": ev.advice[0].reason_vi, "reason_en": ev.advice[0].reason_en,
    }  # fmt: skip
    duty = _spec(None, "N", {})
    ev = _ev([duty], {"kind": "home"}, {"N": "not_applicable"})
    assert (ev.obligations, ev.not_applicable) == ([], ["N"])


def test_applicable_and_decide_applicable():
    spec = _spec(None, "A", AREA)
    assert applicable(spec, {"kind": "vehicle", "floor_area_m2": 500}, {}) is None
    assert applicable(spec, {"kind": "home", "floor_area_m2": 299}, {}) is None
    assert applicable(spec, {"kind": "home", "floor_area_m2": 300}, {}).because == (
        Because("tổng diện tích sàn 300 m² (≥ 300 m²)", "total floor area 300 m² (≥ 300)"),
    )
    by_param = _spec(None, "P", {"fact": "floor_area_m2", "gte": {"param": "area"}})
    assert applicable(by_param, {"kind": "home", "floor_area_m2": 300}, {"area": 300}).applies
    assert applicable(by_param, {"kind": "home", "floor_area_m2": 300}, {"area": 301}) is None
    assert decide_applicable(by_param, {"kind": "home", "floor_area_m2": 300}, {"area": 300}).value
    assert decide_applicable(spec, {"kind": "vehicle"}, {}) is None
    assert decide_applicable(spec, {"kind": "home", "floor_area_m2": None}, {}).missing == (
        "floor_area_m2",
    )


def test_team_size_duty_names_the_missing_headcount_then_the_members():
    rule = {"type": "team_size", "table": [{"from": 20, "to": 9999, "min_members": 10}]}
    spec = _spec(rule, "T")
    ob = _ev([spec], {"kind": "home"}).obligations[0]
    assert (ob.status, ob.missing_facts) == ("unknown", ("employees",))
    ob = _ev([spec], {"kind": "home", "employees": 30}).obligations[0]
    assert (ob.status, ob.missing_facts) == ("unknown", ("onsite_team_members",))
    ob = _ev([spec], {"kind": "home", "employees": 30, "onsite_team_members": 10}).obligations[0]
    assert (ob.status, ob.missing_facts) == ("met", ())
    # Below 20 workers no team is required; without an answer the status stays unknown.
    ob = _ev([spec], {"kind": "home", "employees": 5, "onsite_team_members": 0}).obligations[0]
    assert (ob.status, ob.missing_facts) == ("unknown", ())
    # Other unknown statuses name no fact.
    ob = _ev([_spec(None, "X")], {"kind": "home"}).obligations[0]
    assert (ob.status, ob.missing_facts) == ("unknown", ())


def test_a_team_size_duty_answered_on_site_names_no_missing_fact():
    rule = {"type": "team_size", "table": [{"from": 20, "to": 9999, "min_members": 10}]}
    ob = _ev([_spec(rule, "T")], {"kind": "home", "employees": 5}, {"T": "compliant"})
    assert (ob.obligations[0].status, ob.obligations[0].missing_facts) == ("met", ())
