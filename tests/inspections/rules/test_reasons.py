"""Why a rule applied: the plain-language reason of each kind of comparison and table row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from inspections.rules.comparisons import COMPARISONS
from inspections.rules.reasons import (
    Because,
    category_label,
    explain_fact,
    format_value,
    lead_lower,
    missing_text,
    row_reason,
)


def _reason(rule, facts, params=None) -> Because:
    (op,) = [k for k in COMPARISONS if k in rule]
    fact = rule["fact"]
    return explain_fact(
        fact=fact,
        op=op,
        actual=facts.get(fact),
        expected=rule[op],
        params=params or {},
        facts=facts,
    )


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
    assert _reason(rule, facts, params) == Because(vi, en)


def test_category_label_without_a_category_table():
    for params in ({}, {"occupancy_categories": None}):
        assert category_label("karaoke", params, "vi") == "karaoke"
        assert category_label("home", params, "en") == "Home"
        assert category_label("home", params, "vi") == "Nhà ở"
    rule = {"fact": "occupancy_category", "eq": "karaoke"}
    assert _reason(rule, {"occupancy_category": "karaoke"}) == Because(
        "loại hình: karaoke", "occupancy: karaoke"
    )


def test_category_label_falls_back_to_the_code_without_a_label_in_that_language():
    params = {"occupancy_categories": [{"code": "market", "label_en": "Market"}, {"code": 3}]}
    assert category_label("market", params, "en") == "Market"
    assert category_label("market", params, "vi") == "market"
    assert category_label(3, params, "vi") == "3"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(999, "999"), (1000, "1.000"), (1234567, "1.234.567"), (25.0, "25"), (12.5, "12.5"),
     (Decimal("3000"), "3.000"), (True, "True"), (-5000, "-5000"), ("A", "A"), (None, "None")],
)  # fmt: skip
def test_values_are_shown_as_vietnamese_texts_write_them(value, shown):
    assert format_value(value) == shown


def test_lead_lower_keeps_acronyms():
    assert lead_lower("ABc") == "ABc"
    assert lead_lower("Ab c") == "ab c"
    assert lead_lower("A") == "A"
    assert lead_lower("") == ""


def test_a_row_reason_is_its_label_in_both_languages():
    row = {"label_vi": "Khách sạn cao tầng", "label_en": "High-rise hotel"}
    assert row_reason(row) == Because("khách sạn cao tầng", "High-rise hotel")
    assert row_reason({"label_en": "Row"}) == Because("", "Row")
    assert row_reason({"label_vi": "Hàng"}) == Because("hàng", "")


def test_missing_text_names_the_facts_to_fill_in():
    assert missing_text(["floors", "occupancy_category"]) == (
        "Chưa đủ thông tin để xác định nghĩa vụ này: cần bổ sung số tầng, loại hình hoạt động",
        "Not enough information to decide this duty: fill in number of storeys, type of activity",
    )
    assert (
        missing_text(iter(["beds"]))[1]
        == "Not enough information to decide this duty: fill in beds"
    )


def test_a_reason_of_premises_of_no_known_kind_names_the_code():
    assert category_label(None, {}, "en") == "None"
    assert category_label("ship", {"occupancy_categories": []}, "vi") == "ship"
