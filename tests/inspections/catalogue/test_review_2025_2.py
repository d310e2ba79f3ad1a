"""Issue 19: each correction of the legal review fails on catalogue 2025.1 and holds on 2025.2."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.legal.catalogue_file import CATALOGUE_DIR, read_catalogue, requirement_specs
from inspections.legal.vocabulary import DECREE_POINTS
from inspections.rules.facts import derive_facts
from inspections.rules.obligations import evaluate_obligations

OLD = read_catalogue(CATALOGUE_DIR / "2025.1.yaml")
NEW = read_catalogue(CATALOGUE_DIR / "2025.2.yaml")
HANOI, ON = 1, date(2026, 11, 23)


def _req(data, code):
    return next((r for r in data.requirements if r.code == code), None)


def _run(data, facts, answers=None, on=ON):
    derived = derive_facts(facts, data.params)
    ev = evaluate_obligations(requirement_specs(data), derived, data.params, answers or {}, on)
    return {o.requirement.code: o for o in ev.obligations}, [a.requirement.code for a in ev.advice]


def _cites(data, code):
    r = _req(data, code)
    return {(c.document[:2], c.article, c.clause, c.point) for c in r.citations} if r else set()


SHOP_HOUSE = {  # a listed (Appendix I) shop-house selling gas
    "kind": "home_business", "province_code": HANOI, "ward_code": 70,
    "business_area_m2": 120, "under_fire_safety_management": True,
    "trades_hazardous_goods": True,
}  # fmt: skip


def art_21_binds_listed_shop_houses(data):
    obligations, _ = _run(data, SHOP_HOUSE)
    codes = ["L55-21.1.b", "L55-21.1.c", "L55-21.2.b", "L55-21.2.c", "L55-21.2.d"]
    return all(code in obligations for code in codes)


def awareness_for_all_training_on_the_decree_cycle(data):
    r = _req(data, "L55-8.3.a")
    return ("55", 45, 1, None) in _cites(data, "L55-8.3.a") and "Nghị định 105" in r.question_vi


def rules_issued_or_proposed(data):
    return "tham mưu" in _req(data, "L55-8.3.c").question_vi


def equipment_decided_or_proposed(data):
    return "đề xuất" in _req(data, "L55-8.3.e").question_vi


def domestic_electricity_per_electricity_law(data):
    q = _req(data, "L55-24.1.a").question_vi
    return "pháp luật về điện lực" in q and "aptomat" not in q


def shared_charging_area_indoors(data):
    return "tập trung trong nhà" in _req(data, "L55-24.1.d").question_vi


def specialised_equipment_in_hazardous_areas(data):
    r = _req(data, "L55-24.2.b")
    # A gas shop-house lights its shop: no production electricity, still a hazardous area.
    obligations, _ = _run(data, SHOP_HOUSE | {"under_fire_safety_management": False})
    return (
        "phòng nổ" not in r.question_vi
        and "chuyên dụng" in r.question_vi
        and ("L55-24.2.b" in obligations)
    )


def assigned_staff_training_in_establishments_only(data):
    return "construction_site" not in _req(data, "L55-45.1.dd").premises_kinds


def no_sleeping_question_yes_means_compliant(data):
    q = _req(data, "L55-21.2.b").question_vi
    return "Có ai ngủ" not in q and "không bố trí chỗ ngủ" in q


HOME_20_5 = {"kind": "home", "province_code": HANOI, "ward_code": 70,
             "in_infra_deficient_area": True}  # fmt: skip


def missing_home_device_is_the_citys_roadmap(data):
    obligations, advice = _run(data, HOME_20_5, on=date(2027, 7, 2))
    device = [o for c, o in obligations.items() if c.startswith("L55-20.5") and "alarm" in c]
    installed, _ = _run(data, HOME_20_5 | {"alarm_device_state": "connected"})
    upkeep = installed.get("L55-20.5-alarm")
    return (
        not device
        and "L55-20.5-city-roadmap" in advice
        and upkeep is not None
        and upkeep.requirement.severity == "major"
        and upkeep.due_date is None
    )


def extinguisher_has_no_device_deadline(data):
    r = _req(data, "L55-20.5-extinguisher")
    return r.deadline_rule is None and ("55", 54, 4, None) not in _cites(data, r.code)


def dossier_item_is_the_dossier(data):
    return "khai báo" not in _req(data, "L55-8.3.g").question_vi


def legacy_premises_have_the_2028_date(data):
    facts = HOSPITAL | {"legacy_noncompliant_listed": True}
    obligations, _ = _run(data, facts, {"L55-55.6.c": "non_compliant"})
    o = obligations["L55-55.6.c"]
    return (
        o.due_date == date(2028, 7, 1)
        and o.status == "not_met"
        and {_req(data, c).severity for c in ("L55-55.6.c", "L55-55.6.d")} == {"major"}
        and ("10", 43, 3, None) in _cites(data, "L55-55.6.c")
    )


def vehicles_owe_regular_checks_only(data):
    facts = {"kind": "vehicle", "province_code": HANOI, "occupancy_category": "road_passenger",
             "last_self_inspection_on": "2025-01-01"}  # fmt: skip
    obligations, _ = _run(data, facts)
    # No periodic (PC02) self-inspection cycle on a vehicle: only the monthly regular check.
    return not any(
        (o.requirement.deadline_rule or {}).get("fact") == "last_self_inspection_on"
        for o in obligations.values()
    )


HOSPITAL = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "hospital",
            "floors": 4, "floor_area_m2": 3000, "beds": 120}  # fmt: skip


def certificate_without_dates_is_not_training_forever(data):
    facts = HOSPITAL | {
        "has_training_certificate": True,
        "training_records": [{"holder": "Lê Thị Chủ", "duty": "head", "kind": "full"}],
    }
    obligations, _ = _run(data, facts)
    return obligations["L55-45.1.c"].status == "unknown"


def training_per_person_and_yearly_refresher(data):
    facts = HOSPITAL | {
        "training_expires_on": "2029-01-01",
        "has_training_certificate": True,
        "training_records": [
            {"holder": "Lê Thị Chủ", "duty": "head", "kind": "full",
             "issued_on": "2025-08-01", "expires_on": "2029-01-01"},
        ],
    }  # fmt: skip
    obligations, _ = _run(data, facts)
    o = obligations["L55-45.1.c"]
    return o.status == "overdue" and o.due_date == date(2026, 8, 1)


def pre_law_certificate_valid_to_its_printed_date(data):
    facts = HOSPITAL | {
        "training_expires_on": "2026-03-01",
        "has_training_certificate": True,
        "training_records": [
            {"holder": "Lê Thị Chủ", "duty": "head", "kind": "full",
             "issued_on": "2022-03-01", "expires_on": "2031-03-01"},
            {"holder": "Lê Thị Chủ", "duty": "head", "kind": "refresher", "issued_on": "2026-06-01"},
        ],
    }  # fmt: skip
    obligations, _ = _run(data, facts)
    o = obligations["L55-45.1.c"]
    return o.status == "met" and o.due_date == date(2027, 6, 1)


def team_size_follows_staff_count(data):
    facts = HOSPITAL | {"employees": 60, "onsite_team_members": 10}
    small, _ = _run(data, facts)
    enough, _ = _run(data, facts | {"onsite_team_members": 15})
    return (
        small["L55-23.1.e"].status == "not_met"
        and enough["L55-23.1.e"].status == "met"
        and ("10", 20, 2, None) in _cites(data, "L55-23.1.e")
    )


def one_team_item_and_one_home_wiring_item(data):
    home, _ = _run(data, {"kind": "home", "province_code": HANOI})
    return _req(data, "L55-8.3.b") is None and not ("L55-20.1.a" in home and "L55-24.1.c" in home)


def blocked_escape_route_is_critical_everywhere(data):
    return _req(data, "L55-23.2.d").severity == "critical"


def insurance_is_major(data):
    return _req(data, "L55-48.1").severity == "major"


def appendix_ii_self_inspection_every_6_months(data):
    # Decree 105 Art. 14.2: 6 months for Appendix II (a hospital is row 4), 12 for the rest.
    obligations, _ = _run(data, HOSPITAL | {"last_self_inspection_on": "2026-01-10"})
    due = [
        o.due_date
        for o in obligations.values()
        if (o.requirement.deadline_rule or {}).get("fact") == "last_self_inspection_on"
    ]
    return due == [date(2026, 7, 10)]


def appendix_vii_covers_every_insured_premises(data):
    # Theatres (item 8) and gas shops storing over 500 kg (item 15) must insure.
    theatre = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "theatre",
               "floors": 2, "floor_area_m2": 800}  # fmt: skip
    gas = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "gas_shop",
           "floor_area_m2": 60, "gas_stored_kg": 800}  # fmt: skip
    return all("L55-48.1" in _run(data, facts)[0] for facts in (theatre, gas))


CORRECTIONS = [
    art_21_binds_listed_shop_houses,
    awareness_for_all_training_on_the_decree_cycle,
    rules_issued_or_proposed,
    equipment_decided_or_proposed,
    domestic_electricity_per_electricity_law,
    shared_charging_area_indoors,
    specialised_equipment_in_hazardous_areas,
    assigned_staff_training_in_establishments_only,
    no_sleeping_question_yes_means_compliant,
    missing_home_device_is_the_citys_roadmap,
    extinguisher_has_no_device_deadline,
    dossier_item_is_the_dossier,
    legacy_premises_have_the_2028_date,
    vehicles_owe_regular_checks_only,
    certificate_without_dates_is_not_training_forever,
    training_per_person_and_yearly_refresher,
    pre_law_certificate_valid_to_its_printed_date,
    team_size_follows_staff_count,
    one_team_item_and_one_home_wiring_item,
    blocked_escape_route_is_critical_everywhere,
    insurance_is_major,
    appendix_ii_self_inspection_every_6_months,
    appendix_vii_covers_every_insured_premises,
]


@pytest.mark.parametrize("check", CORRECTIONS, ids=lambda c: c.__name__)
def test_correction_fails_on_2025_1_and_holds_on_2025_2(check):
    assert check(NEW)
    assert not check(OLD)


@pytest.mark.parametrize(
    ("code", "cited"),
    [
        ("L55-18.4", ("55", 18, 4, None)),
        ("L55-17.2", ("55", 14, 8, None)),
        ("L55-17.3", ("55", 17, 3, None)),
        ("L55-8.8.a", ("55", 8, 8, "a")),
        ("L55-8.8.b", ("55", 8, 8, "b")),
        ("L55-10.3", ("55", 10, 3, None)),
        ("L55-20.3", ("55", 20, 3, None)),
        ("L55-23.1.e-specialised", ("10", 20, 1, None)),
        ("L55-23.1.e", ("10", 20, 5, None)),
        ("L55-23.1.c-upkeep", ("10", 25, 1, "b")),
        ("L55-20.5-alarm", ("10", 25, 1, "c")),
        ("L55-45.1.d", ("10", 29, 4, None)),
        ("L55-23.1.b-water", ("55", 27, 1, None)),
        ("L55-8.7.a", ("55", 8, 7, "a")),
        ("L55-8.3.d-fire-sources", ("55", 8, 7, "c")),
        ("L55-23.1.d-signs", ("55", 16, 1, "c")),
        ("L55-23.1.c-update", ("10", 26, 2, "b")),
    ],
)
def test_coverage_added(code, cited):
    assert cited in _cites(NEW, code)
    assert _req(OLD, code) is None or cited not in _cites(OLD, code)


def test_every_requirement_names_its_decree_105_points_and_every_point_is_covered():
    covered = {p for r in NEW.requirements for p in r.decree_points}
    assert covered == set(DECREE_POINTS)
    assert [r.code for r in NEW.requirements if not r.decree_points] == []
    table = NEW.params["inspection_content_points"]
    assert set(table["points"]) == set(DECREE_POINTS)
    # Each inspector's set catches at least one requirement (a checklist is never empty).
    for who, points in table["by_authority"].items():
        assert any(set(r.decree_points) & set(points) for r in NEW.requirements), who


def test_content_points_parameter_shape_for_forms():
    table = NEW.params["inspection_content_points"]
    assert table["by_authority"]["fire_police"] == ["a", "c", "d", "đ"]
    assert table["by_authority"]["construction"] == ["g", "h"]
    assert table["by_authority"]["commune_committee"] == ["a", "c", "d", "đ", "g", "h", "n"]
    assert table["by_authority"]["self_regular"] == ["d", "e", "h", "l"]
    assert table["by_authority"]["self_periodic"] == ["c", "d", "đ", "e", "g", "h", "l", "m"]
    assert table["points"]["o"]["text_vi"].startswith("Duy trì lối thoát nạn")
    assert all(set(v) == {"text_vi", "text_en"} for v in table["points"].values())
    keys = [p.key for p in NEW.parameters]
    assert keys[-1] == "inspection_content_points"


def test_severity_rule_applied():
    """The written rule (top of the requirements list): escape routes, separation of hazardous
    areas and missing means to fight a fire are critical; paperwork is never critical."""
    for r in NEW.requirements:
        if r.advice:
            continue
        if {"o", "p"} & set(r.decree_points):
            assert r.severity == "critical", r.code
        if r.code in ("L55-8.3.g", "L55-8.3.c", "L55-23.1.a", "L55-8.3.h", "L55-8.3.a"):
            assert r.severity == "minor", r.code
    assert _req(NEW, "L55-23.1.d-16.1.c").severity == _req(NEW, "L55-20.2.b").severity


def test_content_points_agree_with_the_inspection_regimes():
    """Two readings of Art. 13.2 live in the catalogue (regimes for planning, content points for
    checklists and form PC03): they must name the same points."""
    table = NEW.params["inspection_content_points"]
    by_kind = table["by_premises_kind"]
    special = {
        "police.construction_site": by_kind["construction_site"]["fire_police"],
        "police.passenger_vessel": by_kind["vehicle"]["fire_police"],
        "registry.vehicles": by_kind["vehicle"]["vehicle_registry"],
    }
    for regime in NEW.params["inspection.regimes"]:
        expected = special.get(regime["id"]) or table["by_authority"][regime["authority"]]
        assert regime["points"] == expected, regime["id"]
    self_points = NEW.params["self_inspection.points"]
    assert self_points["regular"] == table["by_authority"]["self_regular"]
    assert self_points["periodic"] == table["by_authority"]["self_periodic"]
