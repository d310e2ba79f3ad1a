"""Premises facts: normalising raw values, refusing bad ones, and the appendix classification."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inspections.rules.facts import FACT_DEFAULTS, FactsError, derive_facts, normalise_facts


def test_absent_and_blank_values_take_their_defaults():
    facts = normalise_facts({"floors": "", "trades_hazardous_goods": None,
                             "alarm_device_state": "", "unknown_extra": 5})  # fmt: skip
    assert facts == FACT_DEFAULTS
    assert facts["floors"] is None and facts["trades_hazardous_goods"] is False
    assert facts["alarm_device_state"] == "none"


def test_text_facts_keep_a_blank_and_the_hazard_class_is_upper_case():
    facts = normalise_facts({"kind": None, "occupancy_category": "", "hazard_class": "c",
                             "works_grade": None})  # fmt: skip
    assert (facts["kind"], facts["occupancy_category"], facts["works_grade"]) == ("", "", "")
    assert facts["hazard_class"] == "C"


def test_numbers_dates_and_integers_are_coerced():
    facts = normalise_facts(
        {
            "floor_area_m2": Decimal("120.50"),
            "height_m": "25",
            "floors": 7,
            "beds": "300",
            "province_code": 1.0,
            "last_drill_on": "2026-05-01",
            "insurance_expires_on": date(2027, 1, 1),
            "has_ev_charging": True,
        }
    )
    assert facts["floor_area_m2"] == 120.5 and isinstance(facts["floor_area_m2"], float)
    assert facts["height_m"] == 25.0 and isinstance(facts["height_m"], float)
    assert facts["floors"] == 7.0 and isinstance(facts["floors"], float)
    assert facts["beds"] == 300 and isinstance(facts["beds"], int)
    assert facts["province_code"] == 1 and isinstance(facts["province_code"], int)
    assert facts["last_drill_on"] == date(2026, 5, 1)
    assert facts["insurance_expires_on"] == date(2027, 1, 1)
    assert facts["has_ev_charging"] is True


def test_dates_at_the_edges_of_the_accepted_range():
    assert normalise_facts({"last_drill_on": "1900-01-01"})["last_drill_on"] == date(1900, 1, 1)
    assert normalise_facts({"last_drill_on": "2100-12-31"})["last_drill_on"] == date(2100, 12, 31)
    with pytest.raises(FactsError) as exc:
        normalise_facts({"last_drill_on": "1899-12-31", "insurance_expires_on": "9999-01-01"})
    assert exc.value.fields == {
        "last_drill_on": "date out of range",
        "insurance_expires_on": "date out of range",
    }
    assert str(exc.value) == (
        "insurance_expires_on: date out of range; last_drill_on: date out of range"
    )
    # Stored before input was checked: an out-of-range date object reads as unknown.
    assert normalise_facts({"last_drill_on": date(9999, 1, 1)})["last_drill_on"] is None
    assert normalise_facts({"last_drill_on": date(2100, 12, 31)})["last_drill_on"] == date(
        2100, 12, 31
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("last_drill_on", "31/12/2026"), ("floors", "many"), ("beds", "3.5"), ("kind", 3),
     ("alarm_device_state", 1), ("floor_area_m2", [1]), ("training_records", "x"),
     ("training_records", [1]), ("hazard_class", ["A"])],
)  # fmt: skip
def test_invalid_values_are_reported_per_field(name, value):
    with pytest.raises(FactsError) as exc:
        normalise_facts({"employees": 4, name: value})
    assert exc.value.fields == {name: "invalid value"}
    assert str(exc.value) == f"{name}: invalid value"


def test_training_records_are_read_as_rows_with_dates():
    facts = normalise_facts(
        {
            "training_records": [
                {"holder": "An", "duty": "head", "kind": "full", "issued_on": "2026-01-02",
                 "expires_on": "", "extra": 1},
                {"holder": "Bình", "issued_on": date(2025, 1, 1)},
            ]
        }
    )  # fmt: skip
    assert facts["training_records"] == (
        {"holder": "An", "duty": "head", "kind": "full", "issued_on": date(2026, 1, 2),
         "expires_on": None},
        {"holder": "Bình", "duty": None, "kind": None, "issued_on": date(2025, 1, 1),
         "expires_on": None},
    )  # fmt: skip
    assert normalise_facts({"training_records": ()})["training_records"] == ()
    assert normalise_facts({"training_records": None})["training_records"] == ()


PARAMS = {
    "appendix_i": [
        {"id": "I-hotel", "item": 3, "categories": ["hotel"], "label_vi": "Khách sạn",
         "label_en": "Hotel", "when": {"fact": "floors", "gte": 5}},
        {"id": "I-hospital", "item": 4, "categories": ["hospital"],
         "when": {"fact": "floor_area_m2", "gte": 300}},
    ],
    "appendix_ii": [
        {"group": 1, "row": "1.3", "categories": ["hotel"], "label_vi": "Khách sạn cao",
         "label_en": "Tall hotel", "when": {"fact": "floors", "gte": 10}},
        {"group": 2, "row": "2.3", "categories": ["hotel"], "when": {"fact": "floors", "gte": 7}},
        {"group": 1, "row": "1.5", "categories": ["hospital"], "when": {"fact": "beds", "gte": 250}},
        {"group": 1, "row": "1.9", "categories": ["tower"], "when": {"fact": "height_m", "gte": 100}},
        {"group": 2, "row": "2.9", "categories": ["tower"], "when": {"fact": "floors", "gte": 1}},
    ],
    "appendix_vii": [
        {"id": "VII-hotel", "item": 2, "categories": ["hotel", "tower"],
         "when": {"fact": "floors", "gte": 5}},
    ],
}  # fmt: skip


def _derive(params=PARAMS, **raw):
    return derive_facts({"kind": "establishment", "province_code": 1} | raw, params)


def _classification(facts):
    keys = ("under_fire_safety_management", "appendix_i_row", "appendix_i_item",
            "in_appendix_ii", "appendix_ii_group", "appendix_ii_row", "appendix_vii_row",
            "appendix_vii_item", "missing_facts", "unknown_facts")  # fmt: skip
    return {k: facts[k] for k in keys}


def test_tall_hotel_is_in_every_appendix_with_its_labels():
    facts = _derive(occupancy_category="hotel", floors=12)
    assert _classification(facts) == {
        "under_fire_safety_management": True, "appendix_i_row": "I-hotel", "appendix_i_item": 3,
        "in_appendix_ii": True, "appendix_ii_group": 1, "appendix_ii_row": "1.3",
        "appendix_vii_row": "VII-hotel", "appendix_vii_item": 2, "missing_facts": [],
        "unknown_facts": {},
    }  # fmt: skip
    assert (facts["appendix_i_label_vi"], facts["appendix_i_label_en"]) == ("Khách sạn", "Hotel")
    assert (facts["appendix_ii_label_vi"], facts["appendix_ii_label_en"]) == (
        "Khách sạn cao",
        "Tall hotel",
    )
    assert facts["in_centrally_run_city"] is True
    assert facts["province_name"] == "Thành phố Hà Nội"


def test_appendix_thresholds_just_below_and_at():
    assert _derive(occupancy_category="hotel", floors=9)["appendix_ii_group"] == 2
    assert _derive(occupancy_category="hotel", floors=7)["appendix_ii_row"] == "2.3"
    six = _derive(occupancy_category="hotel", floors=6)
    assert (six["in_appendix_ii"], six["appendix_ii_group"], six["appendix_ii_row"]) == (
        False,
        None,
        None,
    )
    assert "appendix_ii_label_vi" not in six
    assert six["under_fire_safety_management"] is True
    four = _derive(occupancy_category="hotel", floors=4)
    assert _classification(four) == {
        "under_fire_safety_management": False, "appendix_i_row": None, "appendix_i_item": None,
        "in_appendix_ii": False, "appendix_ii_group": None, "appendix_ii_row": None,
        "appendix_vii_row": None, "appendix_vii_item": None, "missing_facts": [],
        "unknown_facts": {},
    }  # fmt: skip
    assert "appendix_i_label_vi" not in four and "appendix_i_label_en" not in four


def test_rows_without_labels_give_blank_labels():
    facts = _derive(occupancy_category="hospital", floor_area_m2=300, beds=250)
    assert (facts["appendix_i_label_vi"], facts["appendix_i_label_en"]) == ("", "")
    assert (facts["appendix_ii_label_vi"], facts["appendix_ii_label_en"]) == ("", "")
    assert (facts["appendix_ii_group"], facts["appendix_ii_row"]) == (1, "1.5")


def test_a_missing_size_leaves_management_and_the_appendices_unknown():
    facts = _derive(occupancy_category="hotel", floors=None)
    assert _classification(facts) == {
        "under_fire_safety_management": None, "appendix_i_row": None, "appendix_i_item": None,
        "in_appendix_ii": None, "appendix_ii_group": None, "appendix_ii_row": None,
        "appendix_vii_row": None, "appendix_vii_item": None, "missing_facts": ["floors"],
        "unknown_facts": {
            "under_fire_safety_management": ("floors",), "appendix_ii_group": ("floors",),
            "in_appendix_ii": ("floors",), "appendix_vii_row": ("floors",),
        },
    }  # fmt: skip


def test_a_sure_appendix_ii_match_settles_management():
    facts = _derive(occupancy_category="hospital", floor_area_m2=None, beds=250)
    assert facts["under_fire_safety_management"] is True
    assert (facts["in_appendix_ii"], facts["appendix_ii_group"]) == (True, 1)
    assert facts["appendix_i_row"] is None
    assert facts["unknown_facts"] == {} and facts["missing_facts"] == []


def test_no_appendix_ii_match_leaves_membership_unknown_with_management():
    facts = _derive(occupancy_category="hospital", floor_area_m2=None, beds=249)
    assert facts["under_fire_safety_management"] is None
    assert facts["in_appendix_ii"] is None
    assert facts["unknown_facts"] == {
        "under_fire_safety_management": ("floor_area_m2",),
        "in_appendix_ii": ("floor_area_m2",),
    }
    assert facts["missing_facts"] == ["floor_area_m2"]


def test_an_unknown_stricter_row_leaves_the_group_unknown_but_membership_sure():
    facts = _derive(occupancy_category="tower", floors=3, height_m=None,
                    under_fire_safety_management=True)  # fmt: skip
    assert facts["in_appendix_ii"] is True
    assert (facts["appendix_ii_group"], facts["appendix_ii_row"]) == (None, None)
    assert facts["unknown_facts"] == {"appendix_ii_group": ("height_m",)}
    assert facts["missing_facts"] == ["height_m"]


def test_management_not_yet_known_and_appendix_ii_unknown():
    # Management is known (stated) but only an unknown Appendix II row could match.
    facts = _derive(occupancy_category="tower", floors=0, height_m=None,
                    under_fire_safety_management=True)  # fmt: skip
    assert facts["in_appendix_ii"] is None
    assert facts["unknown_facts"] == {
        "appendix_ii_group": ("height_m",),
        "in_appendix_ii": ("height_m",),
    }


def test_stated_management_wins_over_the_tables():
    off = _derive(occupancy_category="hotel", floors=12, under_fire_safety_management=False)
    assert off["under_fire_safety_management"] is False
    assert (off["in_appendix_ii"], off["appendix_ii_group"], off["appendix_ii_row"]) == (
        False,
        None,
        None,
    )
    assert "appendix_ii_label_vi" not in off
    assert off["appendix_i_row"] == "I-hotel"
    on = _derive(occupancy_category="hotel", floors=1, under_fire_safety_management=True)
    assert on["under_fire_safety_management"] is True and on["in_appendix_ii"] is False


def test_an_establishment_without_a_category_cannot_be_classified():
    facts = _derive(occupancy_category="", floors=12)
    assert facts["under_fire_safety_management"] is None
    assert facts["in_appendix_ii"] is None
    assert facts["appendix_vii_row"] is None
    assert facts["missing_facts"] == ["occupancy_category"]
    assert facts["unknown_facts"]["appendix_vii_row"] == ("occupancy_category",)


def test_other_kinds_need_no_category_and_missing_tables_match_nothing():
    home = derive_facts({"kind": "home", "province_code": None, "floors": 12}, PARAMS)
    assert home["under_fire_safety_management"] is False
    assert home["in_centrally_run_city"] is False and home["province_name"] == ""
    bare = derive_facts({"kind": "establishment", "occupancy_category": "hotel"}, {})
    assert _classification(bare) == {
        "under_fire_safety_management": False, "appendix_i_row": None, "appendix_i_item": None,
        "in_appendix_ii": False, "appendix_ii_group": None, "appendix_ii_row": None,
        "appendix_vii_row": None, "appendix_vii_item": None, "missing_facts": [],
        "unknown_facts": {},
    }  # fmt: skip


def test_derived_facts_given_as_input_are_recomputed():
    facts = derive_facts(
        {"kind": "home", "province_code": 14, "in_centrally_run_city": True,
         "province_name": "X", "in_appendix_ii": True},
        PARAMS,
    )  # fmt: skip
    assert facts["in_centrally_run_city"] is False
    assert facts["province_name"] == "Sơn La"
    assert facts["in_appendix_ii"] is False


def test_a_row_behind_an_undecided_stricter_row_classifies_nothing_yet():
    maybe_then_sure = [
        {"id": "strict", "item": 1, "when": {"fact": "floors", "gte": 5}},
        {"id": "any", "item": 2, "label_vi": "Mọi công trình", "label_en": "Any building"},
    ]
    params = {"appendix_i": maybe_then_sure, "appendix_vii": maybe_then_sure}
    facts = _derive(params, occupancy_category="hotel", floors=None)
    assert (facts["appendix_i_row"], facts["appendix_i_item"]) == (None, None)
    assert (facts["appendix_vii_row"], facts["appendix_vii_item"]) == (None, None)
    assert "appendix_i_label_vi" not in facts and "appendix_i_label_en" not in facts
    assert facts["under_fire_safety_management"] is None
    assert facts["unknown_facts"]["appendix_vii_row"] == ("floors",)
    assert facts["missing_facts"] == ["floors"]


def test_premises_without_a_province_have_no_province_name():
    assert derive_facts({"kind": "home"}, {})["province_name"] == ""
    assert derive_facts({"kind": "home", "province_code": 1}, {})["province_name"]
