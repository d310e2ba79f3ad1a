"""Premises facts as the rules see them: normalised raw facts plus facts derived from data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from accounts import divisions
from inspections.inputs import date_in_range

from .applicability import Params, table_match

# Field names of the Premises model that rules may read, with the value used when absent.
FACT_DEFAULTS: dict[str, Any] = {
    "kind": "",
    "province_code": None,
    "ward_code": None,
    "occupancy_category": "",
    "floors": None,
    "height_m": None,
    "floor_area_m2": None,
    "volume_m3": None,
    "business_area_m2": None,
    "beds": None,
    "capacity": None,
    "employees": None,
    "hazard_class": "",
    "trades_hazardous_goods": False,
    "in_infra_deficient_area": False,
    "put_into_use_on": None,
    "under_fire_safety_management": None,
    "alarm_device_state": "none",
    "alarm_connected_on": None,
    "fire_data_declared_on": None,
    "insurance_expires_on": None,
    "has_ev_charging": False,
    "uses_electricity_for_production": False,
    "hosts_other_organisations": False,
    "legacy_noncompliant_listed": False,
    "last_drill_on": None,
    "last_self_inspection_on": None,
    # From the premises' training certificates (Art. 45.1): the first holder whose latest
    # certificate lapses, and whether any certificate is on file.
    "training_expires_on": None,
    "has_training_certificate": False,
}
DATE_FACTS = (
    "put_into_use_on",
    "alarm_connected_on",
    "fire_data_declared_on",
    "insurance_expires_on",
    "last_drill_on",
    "last_self_inspection_on",
    "training_expires_on",
)
TEXT_FACTS = ("kind", "occupancy_category", "hazard_class", "alarm_device_state")
NUMBER_FACTS = ("floors", "height_m", "floor_area_m2", "volume_m3", "business_area_m2")
INT_FACTS = ("province_code", "ward_code", "beds", "capacity", "employees")
# Derived facts: never read from input, always recomputed so they cannot disagree with the data.
DERIVED_FACTS = (
    "in_centrally_run_city",
    "province_name",
    "appendix_i_row",
    "appendix_i_label_vi",
    "appendix_i_label_en",
    "in_appendix_ii",
    "appendix_ii_group",
    "appendix_vii_row",
)


class FactsError(ValueError):
    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def normalise_facts(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Coerce JSON/model values (ISO dates, Decimals, numeric strings) into comparable ones."""
    facts = dict(FACT_DEFAULTS)
    errors: dict[str, str] = {}
    for name in FACT_DEFAULTS:
        if name not in raw:
            continue
        value = raw[name]
        try:
            if value in ("", None) and name not in ("kind", "occupancy_category", "hazard_class"):
                value = FACT_DEFAULTS[name]
            elif name in DATE_FACTS:
                if not isinstance(value, date):
                    value = date.fromisoformat(value)
                    if not date_in_range(value):
                        errors[name] = "date out of range"
                        continue
                elif not date_in_range(value):
                    # Stored before input was checked: unknown rather than a year 9999 whose
                    # due-date arithmetic overflows and takes the page (or the nightly job) down.
                    value = FACT_DEFAULTS[name]
            elif name in TEXT_FACTS and value is not None and not isinstance(value, str):
                raise TypeError(name)
            elif name in NUMBER_FACTS and value is not None:
                value = float(Decimal(str(value)))
            elif name in INT_FACTS and value is not None:
                value = int(value)
        except (ValueError, ArithmeticError, TypeError):
            errors[name] = "invalid value"
            continue
        facts[name] = value
    if errors:
        raise FactsError(errors)
    facts["kind"] = facts["kind"] or ""
    facts["occupancy_category"] = facts["occupancy_category"] or ""
    facts["hazard_class"] = (facts["hazard_class"] or "").upper()
    return facts


def derive_facts(raw: Mapping[str, Any], params: Params) -> dict[str, Any]:
    """Normalised facts plus the ones the law turns on but nobody types in."""
    facts = normalise_facts(raw)
    code = facts["province_code"]
    # Centrally-run cities come from the division data (vietnam-provinces), never a list here.
    facts["in_centrally_run_city"] = divisions.is_centrally_run_city(code)
    facts["province_name"] = divisions.province_name(code) if code is not None else ""
    row_i = table_match("appendix_i", facts, params) if "appendix_i" in params else None
    facts["appendix_i_row"] = row_i.get("id") if row_i else None
    if facts["under_fire_safety_management"] is None:
        facts["under_fire_safety_management"] = row_i is not None
        if row_i:
            facts["appendix_i_label_vi"] = row_i.get("label_vi", "")
            facts["appendix_i_label_en"] = row_i.get("label_en", "")
    row_ii = None
    if facts["under_fire_safety_management"] and "appendix_ii" in params:
        row_ii = table_match("appendix_ii", facts, params)
    facts["in_appendix_ii"] = row_ii is not None
    facts["appendix_ii_group"] = row_ii.get("group") if row_ii else None
    row_vii = table_match("appendix_vii", facts, params) if "appendix_vii" in params else None
    facts["appendix_vii_row"] = row_vii.get("id") if row_vii else None
    return facts
