"""Catalogue 2025.2 against Decree 105/2025 as written: every appendix row at and just below its
threshold, the issue's named premises, and unknown facts that must never hide an obligation.

The expected values in the tables below are copied from the decree text
(../shared/law/decree-105/nd105_OCR_appendix_I_II.txt, ..._VII_...txt), never from the YAML.
"""

from __future__ import annotations

from datetime import date

import pytest

from inspections.legal.catalogue_file import CATALOGUE_DIR, read_catalogue, requirement_specs
from inspections.rules.facts import derive_facts
from inspections.rules.obligations import evaluate_obligations

DATA = read_catalogue(CATALOGUE_DIR / "2025.2.yaml")
SPECS = requirement_specs(DATA)
PARAMS = DATA.params
ON = date(2026, 11, 30)
HANOI = {"province_code": 1, "ward_code": 70}


def est(category, **facts):
    return {**HANOI, "kind": "establishment", "occupancy_category": category, **facts}


def derived(facts):
    return derive_facts(facts, PARAMS)


def obligations(facts, on=ON):
    ev = evaluate_obligations(SPECS, derived(facts), PARAMS, {}, on)
    return {o.requirement.code: o for o in ev.obligations}


# (Appendix I item, facts at the threshold, facts just below it). Thresholds from the decree.
APPENDIX_I = [
    (
        3,
        est("research_centre", floors=2, floor_area_m2=10),
        est("research_centre", floors=1, floor_area_m2=299),
    ),
    (
        3,
        est("research_centre", floors=1, floor_area_m2=300),
        est("research_centre", floors=1, floor_area_m2=299.5),
    ),
    (4, est("clinic", floors=2, floor_area_m2=10), est("clinic", floors=1, floor_area_m2=49)),
    (4, est("hospital", floors=1, floor_area_m2=50), est("hospital", floors=1, floor_area_m2=49.9)),
    (
        5,
        est("sports_hall", floors=1, floor_area_m2=50),
        est("sports_hall", floors=1, floor_area_m2=49),
    ),
    (5, est("stadium", floors=2, floor_area_m2=10), est("stadium", floors=1, floor_area_m2=49)),
    (7, est("museum", capacity=100), est("museum", capacity=99)),
    (7, est("cultural_house", capacity=100), est("cultural_house", capacity=99)),
    (8, est("karaoke", floor_area_m2=50), est("karaoke", floor_area_m2=49)),
    (8, est("bar", floor_area_m2=50), est("bar", floor_area_m2=49)),
    (8, est("entertainment", floor_area_m2=50), est("entertainment", floor_area_m2=49)),
    (9, est("religious", floors=2, floor_area_m2=10), est("religious", floors=1, floor_area_m2=99)),
    (
        9,
        est("religious", floors=1, floor_area_m2=100),
        est("religious", floors=1, floor_area_m2=99),
    ),
    (9, est("heritage", heritage_rank="provincial"), None),
    (11, est("restaurant", business_area_m2=100), est("restaurant", business_area_m2=99)),
    (11, est("service", business_area_m2=100), est("service", business_area_m2=99)),
    (12, est("shop_flammable", business_area_m2=30), est("shop_flammable", business_area_m2=29)),
    (12, est("shop_packed", business_area_m2=300), est("shop_packed", business_area_m2=299)),
    (14, est("hotel", floors=2, floor_area_m2=10), est("hotel", floors=1, floor_area_m2=49)),
    (14, est("hotel", floors=1, floor_area_m2=50), est("hotel", floors=1, floor_area_m2=49)),
    (
        15,
        est("post_office", floors=1, floor_area_m2=100),
        est("post_office", floors=1, floor_area_m2=99),
    ),
    (16, est("office", floors=2, floor_area_m2=10), est("office", floors=1, floor_area_m2=99)),
    (
        17,
        est("mixed_use", floors=1, floor_area_m2=100),
        est("mixed_use", floors=1, floor_area_m2=99),
    ),
    (19, est("substation", voltage_kv=110), est("substation", voltage_kv=35)),
    (21, est("factory", hazard_class="C", floor_area_m2=1), None),
    (
        21,
        est("factory", hazard_class="D", volume_m3=2500, floor_area_m2=1),
        est("factory", hazard_class="D", volume_m3=2499, floor_area_m2=499),
    ),
    (
        21,
        est("factory", hazard_class="E", volume_m3=1, floor_area_m2=500),
        est("factory", hazard_class="E", volume_m3=1, floor_area_m2=499),
    ),
    (22, est("warehouse", hazard_class="A", floor_area_m2=1), None),
    (
        22,
        est("warehouse", hazard_class="D", volume_m3=2500, floor_area_m2=1),
        est("warehouse", hazard_class="D", volume_m3=2499, floor_area_m2=499),
    ),
    (23, est("car_park", floor_area_m2=100), est("car_park", floor_area_m2=99)),
    (27, est("road_tunnel", length_m=500), est("road_tunnel", length_m=499)),
    (28, est("rail_tunnel", length_m=500), est("rail_tunnel", length_m=499)),
    (29, est("vehicle_repair", floor_area_m2=100), est("vehicle_repair", floor_area_m2=99)),
    (
        31,
        est("social_care", floors=1, floor_area_m2=100),
        est("social_care", floors=1, floor_area_m2=99),
    ),
    (
        32,
        {**HANOI, "kind": "home_business", "business_area_m2": 50},
        {**HANOI, "kind": "home_business", "business_area_m2": 49},
    ),
    (33, est("storage_yard", site_area_m2=500), est("storage_yard", site_area_m2=499)),
]
# Items listed without a threshold ("all"): (item, category).
APPENDIX_I_ALL = [
    (1, "apartment"), (2, "kindergarten"), (2, "school"), (6, "theatre"), (10, "market"),
    (10, "mall"), (13, "gas_shop"), (13, "petrol_station"), (18, "oil_gas"), (19, "power_plant"),
    (20, "explosives"), (22, "national_reserve"), (24, "water_waste_plant"), (25, "airport"),
    (26, "port"), (26, "dry_port"), (26, "fishing_port"), (27, "bus_station"),
    (28, "rail_station"), (28, "metro_tunnel"), (29, "ship_repair"), (30, "nuclear"),
    (34, "infrastructure"),
]  # fmt: skip


@pytest.mark.parametrize(("item", "at", "below"), APPENDIX_I)
def test_appendix_i_item_at_and_below_its_threshold(item, at, below):
    d = derived(at)
    assert d["under_fire_safety_management"] is True and d["appendix_i_item"] == item
    if below is not None:
        d = derived(below)
        assert d["under_fire_safety_management"] is False and d["appendix_i_item"] is None


@pytest.mark.parametrize(("item", "category"), APPENDIX_I_ALL)
def test_appendix_i_item_without_threshold_covers_any_size(item, category):
    d = derived(est(category, floors=1, floor_area_m2=1))
    assert d["under_fire_safety_management"] is True and d["appendix_i_item"] == item


def test_every_appendix_i_item_has_a_row_and_a_category():
    rows = PARAMS["appendix_i"]
    assert sorted({r["item"] for r in rows}) == list(range(1, 35))
    codes = {c["code"] for c in PARAMS["occupancy_categories"]}
    for r in rows:
        assert set(r.get("categories") or ()) <= codes
        assert r["source"].startswith("Nghị định 105/2025/NĐ-CP, Phụ lục I, mục")
    lost = {r["item"] for r in rows if r["confidence"] == "unconfirmed"}
    assert lost == {12, 13}  # the OCR lost the top of page 71


def test_heritage_rank_blank_is_unknown_and_national_rank_is_item_9():
    assert derived(est("heritage", heritage_rank=""))["under_fire_safety_management"] is None
    assert derived(est("heritage", heritage_rank="national"))["appendix_i_item"] == 9


# (Appendix II row, group, facts in that group at its threshold, facts just below it, and the
# group just below gives: 2, or None for "not in Appendix II").
APPENDIX_II = [
    (
        1,
        1,
        est("apartment", floors=7, floor_area_m2=100),
        est("apartment", floors=6, floor_area_m2=2999),
        2,
    ),
    (
        1,
        1,
        est("apartment", floors=1, floor_area_m2=3000),
        est("apartment", floors=1, floor_area_m2=2999),
        2,
    ),
    (
        1,
        2,
        est("apartment", floors=5, floor_area_m2=100),
        est("apartment", floors=4, floor_area_m2=999),
        None,
    ),
    (
        1,
        2,
        est("apartment", floors=1, floor_area_m2=1000),
        est("apartment", floors=1, floor_area_m2=999),
        None,
    ),
    (
        2,
        1,
        est("kindergarten", capacity=150, floor_area_m2=10),
        est("kindergarten", capacity=149, floor_area_m2=1999),
        2,
    ),
    (
        2,
        2,
        est("kindergarten", capacity=50, floor_area_m2=10),
        est("kindergarten", capacity=49, floor_area_m2=499),
        None,
    ),
    (
        3,
        1,
        est("school", floors=5, floor_area_m2=10),
        est("school", floors=4, floor_area_m2=2999),
        2,
    ),
    (
        3,
        2,
        est("school", floors=1, floor_area_m2=1500),
        est("school", floors=2, floor_area_m2=1499),
        None,
    ),
    (
        3,
        2,
        est("research_centre", floors=3, floor_area_m2=400),
        est("research_centre", floors=2, floor_area_m2=1499),
        None,
    ),
    (
        4,
        1,
        est("hospital", beds=250, floors=2, floor_area_m2=100),
        est("hospital", beds=249, floors=2, floor_area_m2=100),
        2,
    ),
    (
        5,
        1,
        est("clinic", floors=1, floor_area_m2=2000),
        est("clinic", floors=4, floor_area_m2=1999),
        2,
    ),
    (
        5,
        2,
        est("clinic", floors=1, floor_area_m2=300),
        est("clinic", floors=2, floor_area_m2=299),
        None,
    ),
    (
        6,
        1,
        est("stadium", capacity=5000, floor_area_m2=100),
        est("stadium", capacity=4999, floor_area_m2=100),
        2,
    ),
    (
        6,
        2,
        est("stadium", capacity=2000, floor_area_m2=100),
        est("stadium", capacity=1999, floor_area_m2=100),
        None,
    ),
    (
        7,
        1,
        est("sports_hall", capacity=10, floor_area_m2=5000),
        est("sports_hall", capacity=10, floor_area_m2=4999),
        2,
    ),
    (
        7,
        2,
        est("sports_hall", capacity=1000, floor_area_m2=100),
        est("sports_hall", capacity=999, floor_area_m2=999),
        None,
    ),
    (8, 1, est("theatre", capacity=300), est("theatre", capacity=299), 2),
    (
        9,
        1,
        est("museum", capacity=100, floors=5, floor_area_m2=10),
        est("museum", capacity=100, floors=4, floor_area_m2=2999),
        2,
    ),
    (
        9,
        2,
        est("museum", capacity=100, floors=1, floor_area_m2=500),
        est("museum", capacity=100, floors=2, floor_area_m2=499),
        None,
    ),
    (
        10,
        1,
        est("karaoke", floors=4, floor_area_m2=60),
        est("karaoke", floors=3, floor_area_m2=999),
        2,
    ),
    (
        10,
        2,
        est("karaoke", floors=2, floor_area_m2=60),
        est("karaoke", floors=1, floor_area_m2=299),
        None,
    ),
    (
        10,
        2,
        est("entertainment", floors=1, floor_area_m2=300),
        est("entertainment", floors=1, floor_area_m2=299),
        None,
    ),
    (
        11,
        1,
        est("religious", floors=1, floor_area_m2=3000),
        est("religious", floors=1, floor_area_m2=2999),
        2,
    ),
    (
        11,
        2,
        est("religious", floors=1, floor_area_m2=500),
        est("religious", floors=1, floor_area_m2=499),
        None,
    ),
    (
        12,
        1,
        est("heritage", heritage_rank="special_national"),
        est("heritage", heritage_rank="national"),
        2,
    ),
    (
        12,
        2,
        est("heritage", heritage_rank="national"),
        est("heritage", heritage_rank="provincial"),
        None,
    ),
    (13, 1, est("market", floor_area_m2=2000), est("market", floor_area_m2=1999), 2),
    (13, 2, est("mall", floor_area_m2=300), est("mall", floor_area_m2=299), None),
    (
        14,
        1,
        est("restaurant", business_area_m2=200, floor_area_m2=3000),
        est("restaurant", business_area_m2=200, floor_area_m2=2999),
        2,
    ),
    (
        14,
        2,
        est("restaurant", business_area_m2=200, floor_area_m2=300),
        est("restaurant", business_area_m2=200, floor_area_m2=299),
        None,
    ),
    (
        15,
        1,
        est("shop_flammable", business_area_m2=100, floor_area_m2=3000),
        est("shop_flammable", business_area_m2=100, floor_area_m2=2999),
        2,
    ),
    (
        15,
        2,
        est("shop_flammable", business_area_m2=100, floor_area_m2=200),
        est("shop_flammable", business_area_m2=100, floor_area_m2=199),
        None,
    ),
    (
        16,
        1,
        est("shop_packed", business_area_m2=400, floor_area_m2=5000),
        est("shop_packed", business_area_m2=400, floor_area_m2=4999),
        2,
    ),
    (
        16,
        2,
        est("shop_packed", business_area_m2=400, floor_area_m2=1000),
        est("shop_packed", business_area_m2=400, floor_area_m2=999),
        None,
    ),
    (17, 1, est("gas_shop", gas_stored_kg=500.5), est("gas_shop", gas_stored_kg=500), None),
    (
        19,
        1,
        est("hotel", floors=7, floor_area_m2=100),
        est("hotel", floors=6, floor_area_m2=2999),
        2,
    ),
    (
        19,
        2,
        est("hotel", floors=3, floor_area_m2=100),
        est("hotel", floors=2, floor_area_m2=499),
        None,
    ),
    (
        19,
        2,
        est("hotel", floors=1, floor_area_m2=500),
        est("hotel", floors=1, floor_area_m2=499),
        None,
    ),
    (
        20,
        1,
        est("post_office", floors=1, floor_area_m2=3000),
        est("post_office", floors=6, floor_area_m2=2999),
        2,
    ),
    (
        20,
        2,
        est("post_office", floors=3, floor_area_m2=100),
        est("post_office", floors=2, floor_area_m2=499),
        None,
    ),
    (
        21,
        1,
        est("office", floors=7, floor_area_m2=100),
        est("office", floors=6, floor_area_m2=100),
        2,
    ),
    (
        21,
        2,
        est("office", floors=1, floor_area_m2=500),
        est("office", floors=2, floor_area_m2=499),
        None,
    ),
    (
        22,
        1,
        est("mixed_use", floors=7, floor_area_m2=100),
        est("mixed_use", floors=6, floor_area_m2=2999),
        2,
    ),
    (
        22,
        2,
        est("mixed_use", floors=3, floor_area_m2=100),
        est("mixed_use", floors=2, floor_area_m2=499),
        None,
    ),
    (25, 1, est("substation", voltage_kv=500), est("substation", voltage_kv=220), 2),
    (25, 2, est("substation", voltage_kv=110), None, None),
    (
        27,
        1,
        est("factory", hazard_class="A", volume_m3=7000, floor_area_m2=10),
        est("factory", hazard_class="A", volume_m3=6999, floor_area_m2=999),
        2,
    ),
    (
        27,
        1,
        est("factory", hazard_class="B", volume_m3=10, floor_area_m2=1000),
        est("factory", hazard_class="B", volume_m3=6999, floor_area_m2=999),
        2,
    ),
    (
        28,
        1,
        est("factory", hazard_class="C", volume_m3=15000, floor_area_m2=10),
        est("factory", hazard_class="C", volume_m3=14999, floor_area_m2=1999),
        2,
    ),
    (
        28,
        1,
        est("factory", hazard_class="C", volume_m3=10, floor_area_m2=2000),
        est("factory", hazard_class="C", volume_m3=14999, floor_area_m2=1999),
        2,
    ),
    (
        29,
        1,
        est("factory", hazard_class="D", volume_m3=30000, floor_area_m2=10),
        est("factory", hazard_class="D", volume_m3=29999, floor_area_m2=9999),
        2,
    ),
    (
        29,
        1,
        est("factory", hazard_class="E", volume_m3=10, floor_area_m2=10000),
        est("factory", hazard_class="E", volume_m3=29999, floor_area_m2=9999),
        2,
    ),
    (
        29,
        2,
        est("factory", hazard_class="D", volume_m3=5000, floor_area_m2=10),
        est("factory", hazard_class="D", volume_m3=4999, floor_area_m2=999),
        None,
    ),
    (
        29,
        2,
        est("factory", hazard_class="E", volume_m3=10, floor_area_m2=1000),
        est("factory", hazard_class="E", volume_m3=4999, floor_area_m2=999),
        None,
    ),
    (
        30,
        1,
        est("warehouse", hazard_class="C", floor_area_m2=2000),
        est("warehouse", hazard_class="C", floor_area_m2=1999),
        2,
    ),
    (
        30,
        2,
        est("warehouse", hazard_class="A", floor_area_m2=200),
        est("warehouse", hazard_class="A", floor_area_m2=199),
        None,
    ),
    (
        32,
        2,
        est("warehouse", hazard_class="D", volume_m3=5000, floor_area_m2=10),
        est("warehouse", hazard_class="D", volume_m3=4999, floor_area_m2=999),
        None,
    ),
    (
        32,
        2,
        est("warehouse", hazard_class="E", volume_m3=10, floor_area_m2=1000),
        est("warehouse", hazard_class="E", volume_m3=4999, floor_area_m2=999),
        None,
    ),
    (33, 1, est("car_park", floor_area_m2=2000), est("car_park", floor_area_m2=1999), 2),
    (33, 2, est("car_park", floor_area_m2=500), est("car_park", floor_area_m2=499), None),
    (36, 1, est("port", works_grade="III"), est("port", works_grade="IV"), None),
    (
        38,
        1,
        est("fishing_port", fishing_port_class="I"),
        est("fishing_port", fishing_port_class="II"),
        2,
    ),
    (
        38,
        2,
        est("fishing_port", fishing_port_class="II"),
        est("fishing_port", fishing_port_class="III"),
        None,
    ),
    (39, 1, est("bus_station", floor_area_m2=3000), est("bus_station", floor_area_m2=2999), 2),
    (39, 2, est("bus_station", floor_area_m2=500), est("bus_station", floor_area_m2=499), None),
    (40, 1, est("rail_station", floor_area_m2=3000), est("rail_station", floor_area_m2=2999), 2),
    (40, 2, est("rail_station", floor_area_m2=300), est("rail_station", floor_area_m2=299), None),
    (41, 1, est("road_tunnel", length_m=1000), est("road_tunnel", length_m=999), 2),
    (41, 2, est("metro_tunnel", length_m=500), est("metro_tunnel", length_m=499), None),
    (
        42,
        1,
        est("vehicle_repair", floor_area_m2=3000),
        est("vehicle_repair", floor_area_m2=2999),
        2,
    ),
    (
        42,
        2,
        est("vehicle_repair", floor_area_m2=500),
        est("vehicle_repair", floor_area_m2=499),
        None,
    ),
    (43, 1, est("ship_repair", floor_area_m2=3000), est("ship_repair", floor_area_m2=2999), 2),
    (43, 2, est("ship_repair", floor_area_m2=1000), est("ship_repair", floor_area_m2=999), None),
    (
        45,
        1,
        est("social_care", floors=3, floor_area_m2=100),
        est("social_care", floors=2, floor_area_m2=299),
        None,
    ),
    (
        45,
        1,
        est("social_care", floors=1, floor_area_m2=300),
        est("social_care", floors=2, floor_area_m2=299),
        None,
    ),
    (
        46,
        2,
        {**HANOI, "kind": "home_business", "business_area_m2": 200},
        {**HANOI, "kind": "home_business", "business_area_m2": 199},
        None,
    ),
    (
        47,
        1,
        est("infrastructure", site_area_m2=750_000),
        est("infrastructure", site_area_m2=749_999),
        2,
    ),
]
# Rows in group 1 regardless of size (the decree: "Không phụ thuộc quy mô").
APPENDIX_II_ALL = [
    (18, "petrol_station"), (23, "oil_gas"), (24, "power_plant"), (26, "explosives"),
    (31, "national_reserve"), (34, "water_waste_plant"), (35, "airport"), (37, "dry_port"),
    (44, "nuclear"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "group", "at", "below", "below_group"), APPENDIX_II)
def test_appendix_ii_row_at_and_below_its_threshold(row, group, at, below, below_group):
    d = derived(at)
    assert (d["appendix_ii_row"], d["appendix_ii_group"]) == (row, group)
    assert d["in_appendix_ii"] is True and d["under_fire_safety_management"] is True
    if below is not None:
        d = derived(below)
        assert d["appendix_ii_group"] == below_group
        assert d["in_appendix_ii"] is (below_group is not None)


@pytest.mark.parametrize(("row", "category"), APPENDIX_II_ALL)
def test_appendix_ii_rows_regardless_of_size_are_group_1(row, category):
    d = derived(est(category, floors=1, floor_area_m2=1))
    assert (d["appendix_ii_row"], d["appendix_ii_group"]) == (row, 1)


def test_appendix_ii_has_47_rows():
    assert sorted({r["row"] for r in PARAMS["appendix_ii"]}) == list(range(1, 48))


def test_small_gas_shop_is_appendix_i_only():
    d = derived(est("gas_shop", gas_stored_kg=70))
    assert d["under_fire_safety_management"] is True and d["in_appendix_ii"] is False


# (Appendix VII item, facts at the threshold, facts just below it).
APPENDIX_VII = [
    (
        1,
        est("apartment", floors=5, floor_area_m2=100),
        est("apartment", floors=4, floor_area_m2=999),
    ),
    (
        2,
        est("kindergarten", capacity=50, floor_area_m2=10),
        est("kindergarten", capacity=49, floor_area_m2=499),
    ),
    (3, est("school", floors=1, floor_area_m2=1500), est("school", floors=2, floor_area_m2=1499)),
    (5, est("clinic", floors=3, floor_area_m2=100), est("clinic", floors=2, floor_area_m2=299)),
    (
        6,
        est("stadium", capacity=2000, floor_area_m2=100),
        est("stadium", capacity=1999, floor_area_m2=100),
    ),
    (
        7,
        est("sports_hall", capacity=1000, floor_area_m2=100),
        est("sports_hall", capacity=999, floor_area_m2=999),
    ),
    (
        9,
        est("museum", capacity=100, floors=3, floor_area_m2=10),
        est("museum", capacity=100, floors=2, floor_area_m2=499),
    ),
    (10, est("karaoke", floors=2, floor_area_m2=60), est("karaoke", floors=1, floor_area_m2=299)),
    (11, est("market", floor_area_m2=300), est("market", floor_area_m2=299)),
    (
        12,
        est("restaurant", business_area_m2=200, floor_area_m2=300),
        est("restaurant", business_area_m2=200, floor_area_m2=299),
    ),
    (
        13,
        est("shop_flammable", business_area_m2=50, floor_area_m2=200),
        est("shop_flammable", business_area_m2=50, floor_area_m2=199),
    ),
    (
        14,
        est("shop_packed", business_area_m2=400, floor_area_m2=1000),
        est("shop_packed", business_area_m2=400, floor_area_m2=999),
    ),
    (15, est("gas_shop", gas_stored_kg=501), est("gas_shop", gas_stored_kg=500)),
    (17, est("hotel", floors=3, floor_area_m2=100), est("hotel", floors=2, floor_area_m2=499)),
    (
        18,
        est("post_office", floors=1, floor_area_m2=500),
        est("post_office", floors=2, floor_area_m2=499),
    ),
    (19, est("office", floors=3, floor_area_m2=100), est("office", floors=2, floor_area_m2=499)),
    (
        20,
        est("mixed_use", floors=3, floor_area_m2=100),
        est("mixed_use", floors=2, floor_area_m2=499),
    ),
    (23, est("substation", voltage_kv=110), est("substation", voltage_kv=35)),
    (25, est("factory", hazard_class="A", floor_area_m2=1), None),
    (26, est("factory", hazard_class="C", floor_area_m2=1), None),
    (
        27,
        est("factory", hazard_class="D", volume_m3=5000, floor_area_m2=10),
        est("factory", hazard_class="D", volume_m3=4999, floor_area_m2=999),
    ),
    (
        28,
        est("warehouse", hazard_class="B", floor_area_m2=200),
        est("warehouse", hazard_class="B", floor_area_m2=199),
    ),
    (
        30,
        est("warehouse", hazard_class="E", volume_m3=10, floor_area_m2=1000),
        est("warehouse", hazard_class="E", volume_m3=4999, floor_area_m2=999),
    ),
    (31, est("car_park", floor_area_m2=500), est("car_park", floor_area_m2=499)),
    (34, est("port", works_grade="III"), est("port", works_grade="IV")),
    (
        36,
        est("fishing_port", fishing_port_class="II"),
        est("fishing_port", fishing_port_class="III"),
    ),
    (37, est("bus_station", floor_area_m2=500), est("bus_station", floor_area_m2=499)),
    (38, est("rail_station", floor_area_m2=300), est("rail_station", floor_area_m2=299)),
    (39, est("rail_tunnel", length_m=500), est("road_tunnel", length_m=499)),
    (40, est("vehicle_repair", floor_area_m2=500), est("vehicle_repair", floor_area_m2=499)),
    (41, est("ship_repair", floor_area_m2=1000), est("ship_repair", floor_area_m2=999)),
    (
        43,
        est("social_care", floors=3, floor_area_m2=10),
        est("social_care", floors=2, floor_area_m2=299),
    ),
    (
        44,
        {**HANOI, "kind": "home_business", "business_area_m2": 200},
        {**HANOI, "kind": "home_business", "business_area_m2": 199},
    ),
]
APPENDIX_VII_ALL = [
    (4, "hospital"), (8, "theatre"), (16, "petrol_station"), (21, "oil_gas"), (22, "power_plant"),
    (24, "explosives"), (29, "national_reserve"), (32, "water_waste_plant"), (33, "airport"),
    (35, "dry_port"), (42, "nuclear"),
]  # fmt: skip


@pytest.mark.parametrize(("item", "at", "below"), APPENDIX_VII)
def test_appendix_vii_item_at_and_below_its_threshold(item, at, below):
    assert derived(at)["appendix_vii_item"] == item
    assert obligations(at)["L55-48.1"].status != "not_applicable"
    if below is not None:
        d = derived(below)
        assert d["appendix_vii_item"] is None and "appendix_vii_row" not in d["unknown_facts"]
        assert "L55-48.1" not in obligations(below)


@pytest.mark.parametrize(("item", "category"), APPENDIX_VII_ALL)
def test_appendix_vii_items_without_threshold(item, category):
    assert derived(est(category, floors=1, floor_area_m2=1, beds=10))["appendix_vii_item"] == item


def test_appendix_vii_has_44_items():
    assert [r["item"] for r in PARAMS["appendix_vii"]] == list(range(1, 45))


# --- The named premises (Appendix I items 8, 11, 14, 32; Art. 27.2) -------------------


@pytest.mark.parametrize(
    "facts",
    [
        est("hotel", floors=2, floor_area_m2=120),  # item 14: from 2 floors
        est("restaurant", business_area_m2=150, floor_area_m2=150),  # item 11: from 100 m²
        {**HANOI, "kind": "home_business", "business_area_m2": 60, "floor_area_m2": 90},  # 32
    ],
    ids=["two-floor hotel", "150 m2 restaurant", "60 m2 shop-house"],
)
def test_named_premises_are_managed_and_owe_the_device_by_1_july_2027(facts):
    assert derived(facts)["under_fire_safety_management"] is True
    device = obligations(facts)["L55-23.1.c"]
    assert device.due_date == date(2027, 7, 1) and device.status == "not_met"


@pytest.mark.parametrize("floors", [1, 2])
def test_40_m2_karaoke_is_not_managed_and_owes_no_device(floors):
    facts = est("karaoke", floors=floors, floor_area_m2=40)  # item 8: from 50 m² of floor area
    d = derived(facts)
    # Appendix II only lists establishments under management: two floors change nothing.
    assert d["under_fire_safety_management"] is False and d["in_appendix_ii"] is False
    assert "L55-23.1.c" not in obligations(facts)


# --- Missing facts never hide an obligation ---------------------------------------------------


def test_restaurant_without_business_area_lists_the_device_duty_as_unknown():
    facts = est("restaurant", floor_area_m2=150)
    d = derived(facts)
    assert d["under_fire_safety_management"] is None
    assert d["missing_facts"] == ["business_area_m2"]
    device = obligations(facts)["L55-23.1.c"]
    assert device.status == "unknown" and device.missing_facts == ("business_area_m2",)
    assert "diện tích kinh doanh" in device.reason_vi and device.due_date is None


def test_establishment_without_category_names_the_category():
    o = obligations({**HANOI, "kind": "establishment", "floors": 3})["L55-23.1.c"]
    assert o.status == "unknown" and o.missing_facts == ("occupancy_category",)


def test_factory_without_hazard_class_is_unknown_not_dropped():
    d = derived(est("factory", floor_area_m2=800))
    assert d["under_fire_safety_management"] is None and "hazard_class" in d["missing_facts"]


def test_a_known_fact_that_settles_an_or_is_enough():
    # Appendix I item 14 is "2 floors OR 50 m²": two floors decide it without the floor area.
    d = derived(est("hotel", floors=2))
    assert d["under_fire_safety_management"] is True and d["appendix_i_item"] == 14


def test_an_earlier_stricter_row_left_open_keeps_the_group_unknown():
    # 4 floors is group 2 by floors, but group 1 (from 3,000 m²) is still possible.
    d = derived(est("hotel", floors=4))
    assert d["in_appendix_ii"] is True and d["appendix_ii_group"] is None
    assert d["unknown_facts"]["appendix_ii_group"] == ("floor_area_m2",)


def test_beds_decide_hospital_group_even_without_size():
    d = derived(est("hospital", beds=300))
    assert d["under_fire_safety_management"] is True and d["appendix_ii_group"] == 1
