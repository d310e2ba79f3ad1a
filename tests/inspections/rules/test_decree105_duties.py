"""Catalogue 2025.2: who inspects and how often (Decree 105 Art. 13.2), the head's recurring
duties (Art. 14, 16.1.a, 20.2, 26.2.a) and the Art. 27 / Art. 43 roadmaps, read from the decree."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.legal.catalogue_file import CATALOGUE_DIR, read_catalogue, requirement_specs
from inspections.rules.deadlines import calendar_due
from inspections.rules.facts import derive_facts
from inspections.rules.obligations import evaluate_obligations
from inspections.rules.planning import (
    InspectionRegime,
    inspecting_authority_kind,
    inspection_regimes,
    next_periodic_due,
    periodic_interval_months,
    regimes_decision,
)

DATA = read_catalogue(CATALOGUE_DIR / "2025.2.yaml")
SPECS = requirement_specs(DATA)
PARAMS = DATA.params
ON = date(2026, 11, 30)
HANOI = {"province_code": 1, "ward_code": 70}


def est(category, **facts):
    return {**HANOI, "kind": "establishment", "occupancy_category": category, **facts}


def regimes(facts):
    return [
        (r.authority_kind, r.interval_months, r.content_points)
        for r in inspection_regimes(derive_facts(facts, PARAMS), PARAMS)
    ]


def obligations(facts, on=ON):
    ev = evaluate_obligations(SPECS, derive_facts(facts, PARAMS), PARAMS, {}, on)
    return {o.requirement.code: o for o in ev.obligations}


POLICE_POINTS = ("a", "c", "d", "đ")
CONSTRUCTION_POINTS = ("g", "h")
COMMUNE_POINTS = ("a", "c", "d", "đ", "g", "h", "n")


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        # Art. 13.2.a, b: Appendix II group 1 — police and construction authority, every year.
        (est("petrol_station"), [("fire_police", 12, POLICE_POINTS), ("construction", 12, CONSTRUCTION_POINTS)]),
        # group 2 — every 2 years.
        (est("hotel", floors=3, floor_area_m2=400), [("fire_police", 24, POLICE_POINTS), ("construction", 24, CONSTRUCTION_POINTS)]),
        # Art. 13.2.c: Appendix I except Appendix II — commune committee, every 3 years.
        (est("hotel", floors=2, floor_area_m2=120), [("commune_committee", 36, COMMUNE_POINTS)]),
        ({**HANOI, "kind": "home_business", "business_area_m2": 60}, [("commune_committee", 36, COMMUNE_POINTS)]),
        # Homes and homes with a business outside Appendix I: surprise inspections only.
        ({**HANOI, "kind": "home"}, [("commune_committee", None, COMMUNE_POINTS)]),
        ({**HANOI, "kind": "home_business", "business_area_m2": 49}, [("commune_committee", None, COMMUNE_POINTS)]),
        # Art. 13.2.a: sites needing design appraisal and passenger vessels of 50+ people, yearly.
        ({**HANOI, "kind": "construction_site", "needs_design_appraisal": True}, [("fire_police", 12, ("c", "d", "l", "m"))]),
        ({**HANOI, "kind": "construction_site", "needs_design_appraisal": False}, []),
        ({**HANOI, "kind": "vehicle", "occupancy_category": "passenger_vessel", "capacity": 50},
         [("fire_police", 12, ("b", "c", "d", "l", "m")), ("vehicle_registry", None, ("c", "d", "i", "k"))]),
        ({**HANOI, "kind": "vehicle", "occupancy_category": "passenger_vessel", "capacity": 49},
         [("vehicle_registry", None, ("c", "d", "i", "k"))]),
        # An establishment outside Appendix I has no inspecting authority under Art. 13.2.
        (est("karaoke", floors=1, floor_area_m2=40), []),
    ],
    ids=["II-g1", "II-g2", "I-only", "shop-house-60", "home", "shop-house-49", "site-appraised",
         "site-not-appraised", "vessel-50", "vessel-49", "karaoke-40"],
)  # fmt: skip
def test_inspecting_authorities_intervals_and_points(facts, expected):
    assert regimes(facts) == expected
    d = derive_facts(facts, PARAMS)
    assert inspecting_authority_kind(d, PARAMS) == (expected[0][0] if expected else None)
    assert periodic_interval_months(d, PARAMS) == (expected[0][1] if expected else None)


def test_next_periodic_due_follows_the_primary_interval():
    d = derive_facts(est("hotel", floors=3, floor_area_m2=400), PARAMS)
    assert next_periodic_due(d, PARAMS, date(2025, 9, 1), ON) == date(2027, 9, 1)
    assert next_periodic_due(d, PARAMS, None, ON) == ON
    home = derive_facts({**HANOI, "kind": "home"}, PARAMS)
    assert next_periodic_due(home, PARAMS, date(2025, 9, 1), ON) is None


def test_unknown_appraisal_names_the_missing_fact():
    d = derive_facts({**HANOI, "kind": "construction_site"}, PARAMS)
    found, missing = regimes_decision(d, PARAMS)
    assert found == [] and missing == ("needs_design_appraisal",)


def test_regime_contract_for_planning():
    r = InspectionRegime("fire_police", 12, ("a",))
    assert (r.authority_kind, r.interval_months, r.content_points) == ("fire_police", 12, ("a",))
    with pytest.raises(AttributeError):
        r.interval_months = 24  # frozen


# --- Recurring duties --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "last", "due"),
    [
        (est("petrol_station"), date(2026, 6, 1), date(2026, 12, 1)),  # Appendix II: 6 months
        (est("hotel", floors=2, floor_area_m2=120), date(2026, 6, 1), date(2027, 6, 1)),  # 12
    ],
)
def test_periodic_self_inspection_every_6_or_12_months(facts, last, due):
    o = obligations({**facts, "last_self_inspection_on": last})["D105-14.2-PC02"]
    assert o.due_date == due and o.status == ("met" if due >= ON else "overdue")


def test_periodic_self_inspection_cycle_unknown_until_appendix_ii_is_known():
    # Two floors put a hotel in Appendix I; without its floor area Appendix II stays open.
    o = obligations(est("hotel", floors=2, last_self_inspection_on=date(2026, 6, 1)))
    assert o["D105-14.2-PC02"].status == "unknown" and o["D105-14.2-PC02"].due_date is None


def test_regular_self_check_at_most_one_month_apart():
    facts = est("hotel", floors=2, floor_area_m2=120)
    o = obligations({**facts, "last_regular_check_on": date(2026, 10, 30)})["D105-14.1"]
    assert o.due_date == date(2026, 11, 30) and o.status == "met"
    late = obligations({**facts, "last_regular_check_on": date(2026, 10, 29)})["D105-14.1"]
    assert late.status == "overdue"
    assert "D105-14.1" in obligations({**HANOI, "kind": "home"})


@pytest.mark.parametrize(
    ("last", "on", "due"),
    [
        (None, date(2026, 6, 14), date(2026, 6, 14)),  # "before 15 June": the 14th is the last day
        (None, date(2026, 6, 15), date(2026, 12, 14)),
        (date(2026, 6, 14), date(2026, 7, 1), date(2026, 12, 14)),
        (date(2026, 6, 15), date(2026, 7, 1), date(2027, 6, 14)),  # late June report
        (date(2026, 12, 1), date(2026, 12, 20), date(2027, 6, 14)),
        (date(2026, 12, 15), date(2027, 1, 5), date(2027, 12, 14)),
    ],
)
def test_pc04_report_due_before_15_june_and_15_december(last, on, due):
    assert calendar_due(last, on, PARAMS["report.pc04_deadlines"]) == due


def test_pc04_report_overdue_after_the_deadline():
    facts = est("hotel", floors=2, floor_area_m2=120, last_pc04_report_on=date(2026, 6, 1))
    assert obligations(facts, on=date(2026, 12, 14))["D105-14.2-PC04"].status == "met"
    assert obligations(facts, on=date(2026, 12, 15))["D105-14.2-PC04"].status == "overdue"


@pytest.mark.parametrize(
    ("last", "on", "status", "due"),
    [
        (date(2025, 3, 1), date(2026, 12, 31), "met", date(2026, 12, 31)),
        (date(2025, 3, 1), date(2027, 1, 1), "overdue", date(2026, 12, 31)),
        (date(2026, 1, 2), date(2026, 11, 30), "met", date(2027, 12, 31)),
    ],
)
def test_drill_at_least_once_every_calendar_year(last, on, status, due):
    facts = est("hotel", floors=2, floor_area_m2=120, last_drill_on=last)
    o = obligations(facts, on=on)["D105-16.1.a"]
    assert (o.status, o.due_date) == (status, due)


@pytest.mark.parametrize(
    ("employees", "members", "status", "reason"),
    [
        (None, None, "unknown", "Chưa ghi nhận số người thường xuyên làm việc"),
        (19, None, "unknown", "không bắt buộc lập đội, phải phân công người bằng văn bản"),
        (20, None, "unknown", "đội cần tối thiểu 10 người; chưa ghi nhận số thành viên đội"),
        (20, 9, "not_met", "Đội có 9 người, cần tối thiểu 10 người"),
        (51, 14, "not_met", "Đội có 14 người, cần tối thiểu 15 người"),
        (101, 25, "met", "Đội có 25 người, cần tối thiểu 25 người"),
    ],
)
def test_onsite_team_from_20_regular_workers_is_one_duty(employees, members, status, reason):
    """Art. 20.2 (team from 20 regular workers, else persons assigned in writing) and Art. 20.5
    (10 / 15 / 25 members) are checked by L55-23.1.e alone: no second requirement repeats it."""
    facts = est("hotel", floors=2, floor_area_m2=120, employees=employees,
                onsite_team_members=members)  # fmt: skip
    o = obligations(facts)
    assert not any(code.startswith("D105-20.2") for code in o)
    team = o["L55-23.1.e"]
    assert team.status == status and reason in team.detail_vi


@pytest.mark.parametrize(
    ("declared", "on", "status"),
    [
        (None, date(2026, 11, 13), "not_met"),
        (None, date(2026, 11, 14), "overdue"),
        (date(2026, 11, 12), date(2026, 11, 30), "met"),
    ],
)
def test_first_declaration_within_3_days_of_connecting(declared, on, status):
    facts = est("hotel", floors=2, floor_area_m2=120, alarm_device_state="connected",
                alarm_connected_on=date(2026, 11, 10), fire_data_declared_on=declared)  # fmt: skip
    o = obligations(facts, on=on)["D105-26.2.a"]
    assert (o.status, o.due_date) == (status, date(2026, 11, 13))


# --- Roadmaps ---------------------------------------------------------------------------------


def test_no_milestone_cites_the_2025_draft():
    for m in PARAMS["roadmap.milestones"]:
        assert "Dự thảo" not in m["source"] and m["confidence"] == "verified"
    dates = {(m["date"], m["roadmap"]) for m in PARAMS["roadmap.milestones"]}
    assert ("2026-07-01", "legacy_premises") in dates and ("2028-07-01", "legacy_premises") in dates
    assert ("2027-07-01", "alarm_transmission") in dates


def test_legacy_listed_premises_comply_by_1_july_2028():
    listed = obligations(est("hotel", floors=2, floor_area_m2=120, legacy_noncompliant_listed=True))
    legacy = listed["L55-55.6.c"]
    assert legacy.due_date == date(2028, 7, 1) and legacy.requirement.severity == "major"
    assert "D105-43.3" not in listed  # one requirement for the Art. 43 roadmap, not two
    assert "L55-55.6.c" not in obligations(est("hotel", floors=2, floor_area_m2=120))


def test_home_in_a_designated_city_area_is_equipped_by_the_city_by_1_july_2027():
    # Issue 19.3: the city equips and pays (Art. 27.1.b); the household keeps it running.
    facts = {"kind": "home", "province_code": 1, "ward_code": 70, "in_infra_deficient_area": True}
    derived = derive_facts(facts, PARAMS)
    ev = evaluate_obligations(SPECS, derived, PARAMS, {}, ON)
    assert "L55-20.5-alarm" not in {o.requirement.code for o in ev.obligations}
    (city,) = [a for a in ev.advice if a.requirement.code == "L55-20.5-city-roadmap"]
    assert "01 tháng 7 năm 2027" in city.requirement.citations[-1].text_vi
    upkeep = obligations(facts | {"alarm_device_state": "installed"})["L55-20.5-alarm"]
    assert upkeep.due_date is None and upkeep.requirement.severity == "major"


def test_duties_never_recorded_still_show_their_next_date():
    o = obligations(est("hotel", floors=2, floor_area_m2=120))
    assert o["D105-16.1.a"].due_date == date(2026, 12, 31) and o["D105-16.1.a"].status == "unknown"
    assert o["D105-14.2-PC04"].due_date == date(2026, 12, 14)
    assert o["D105-14.1"].due_date is None and o["D105-14.1"].status == "unknown"


def test_connected_device_without_a_date_asks_for_the_connection_date():
    facts = est("hotel", floors=2, floor_area_m2=120, alarm_device_state="connected")
    o = obligations(facts)["D105-26.2.a"]
    assert o.status == "unknown" and o.due_date is None and "ngày kết nối" in o.detail_vi


def test_an_unknown_duty_answered_not_applicable_is_set_aside():
    facts = derive_facts(est("restaurant", floor_area_m2=150), PARAMS)
    ev = evaluate_obligations(SPECS, facts, PARAMS, {"L55-23.1.c": "not_applicable"}, ON)
    assert "L55-23.1.c" in ev.not_applicable
    assert "L55-23.1.c" not in {o.requirement.code for o in ev.obligations}


def test_periodic_self_inspection_outside_appendix_i_has_no_cycle():
    facts = {**HANOI, "kind": "home_business", "business_area_m2": 49}
    assert "D105-14.2-PC02" not in obligations(facts)
    site = obligations({**HANOI, "kind": "construction_site",
                        "last_self_inspection_on": date(2026, 1, 1)})  # fmt: skip
    # The decree gives a site no periodic cycle: only the regular check (D105-14.1).
    assert "D105-14.1" in site
    assert not any(
        (o.requirement.deadline_rule or {}).get("fact") == "last_self_inspection_on"
        for o in site.values()
    )


def test_an_administrator_override_of_management_wins_over_the_tables():
    off = derive_facts(est("petrol_station", under_fire_safety_management=False), PARAMS)
    assert off["in_appendix_ii"] is False and off["appendix_ii_group"] is None
    assert inspection_regimes(off, PARAMS) == []
    on = est("karaoke", floors=1, floor_area_m2=40, under_fire_safety_management=True)
    assert regimes(on) == [("commune_committee", 36, COMMUNE_POINTS)]


def test_legacy_catalogue_keeps_its_single_authority():
    legacy = read_catalogue(CATALOGUE_DIR / "2025.1.yaml").params
    d = derive_facts(est("hotel", floors=9, floor_area_m2=3200), legacy)
    assert [(r.authority_kind, r.interval_months) for r in inspection_regimes(d, legacy)] == [
        (inspecting_authority_kind(d, legacy), periodic_interval_months(d, legacy))
    ]
