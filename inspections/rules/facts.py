"""Premises facts as the rules see them: normalised raw facts plus facts derived from data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from accounts import divisions
from inspections.inputs import date_in_range

from .applicability import Params
from .decide import UNKNOWN_FACTS_KEY, TableMatch, table_decide

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
    # Decree 105 Art. 20.5 (team size), Law Art. 8.8 (let homes), Decree 105 Art. 20.1.
    "onsite_team_members": None,
    "let_to_tenant": False,
    "needs_specialised_team": False,
    # One row per training certificate: {holder, duty, kind, issued_on, expires_on} (Art. 29.4).
    "training_records": (),
    # Facts Decree 105's appendices and Art. 13.2 turn on (catalogue 2025.2).
    "gas_stored_kg": None,
    "voltage_kv": None,
    "length_m": None,
    "site_area_m2": None,
    "heritage_rank": "",
    "works_grade": "",
    "fishing_port_class": "",
    "needs_design_appraisal": None,
    "last_regular_check_on": None,
    "last_pc04_report_on": None,
}
# Text facts whose blank value is kept (blank = not classified yet), never replaced by a default.
TEXT_FACTS = (
    "kind",
    "occupancy_category",
    "hazard_class",
    "heritage_rank",
    "works_grade",
    "fishing_port_class",
)
DATE_FACTS = (
    "put_into_use_on",
    "alarm_connected_on",
    "fire_data_declared_on",
    "insurance_expires_on",
    "last_drill_on",
    "last_self_inspection_on",
    "training_expires_on",
    "last_regular_check_on",
    "last_pc04_report_on",
)
NUMBER_FACTS = (
    "floors",
    "height_m",
    "floor_area_m2",
    "volume_m3",
    "business_area_m2",
    "gas_stored_kg",
    "length_m",
    "site_area_m2",
)
INT_FACTS = (
    "province_code",
    "ward_code",
    "beds",
    "capacity",
    "employees",
    "voltage_kv",
    "onsite_team_members",
)
# Derived facts: never read from input, always recomputed so they cannot disagree with the data.
DERIVED_FACTS = (
    "in_centrally_run_city",
    "province_name",
    "appendix_i_row",
    "appendix_i_item",
    "appendix_i_label_vi",
    "appendix_i_label_en",
    "in_appendix_ii",
    "appendix_ii_group",
    "appendix_ii_row",
    "appendix_ii_label_vi",
    "appendix_ii_label_en",
    "appendix_vii_row",
    "appendix_vii_item",
    "missing_facts",
    UNKNOWN_FACTS_KEY,
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
        try:
            facts[name] = _normalise(name, raw[name])
        except _DateOutOfRange:
            errors[name] = "date out of range"
        except (ValueError, ArithmeticError, TypeError):
            errors[name] = "invalid value"
    if errors:
        raise FactsError(errors)
    for name in TEXT_FACTS:
        facts[name] = facts[name] or ""
    facts["hazard_class"] = facts["hazard_class"].upper()
    return facts


class _DateOutOfRange(Exception):
    """A date typed in outside the range the application accepts."""


def _normalise(name: str, value: Any) -> Any:
    if value in ("", None) and name not in TEXT_FACTS:
        return FACT_DEFAULTS[name]
    coerce = _COERCIONS.get(name)
    if coerce is None or value is None:  # a text fact left None: blank below
        return value
    return coerce(value)


def _date_fact(value: Any) -> date | None:
    if not isinstance(value, date):
        value = date.fromisoformat(value)
        if not date_in_range(value):
            raise _DateOutOfRange
    elif not date_in_range(value):
        # Stored before input was checked: unknown rather than a year 9999 whose due-date
        # arithmetic overflows and takes the page (or the nightly job) down.
        return None
    return value


def _text_fact(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("a text fact must be a string")
    return value


def _number_fact(value: Any) -> float:
    return float(Decimal(str(value)))


def _training_records(value: Any) -> tuple[dict[str, Any], ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(r, Mapping) for r in value):
        raise ValueError("training_records must be a list of objects")
    records = []
    for r in value:
        row = {k: r.get(k) for k in ("holder", "duty", "kind", "issued_on", "expires_on")}
        for name in ("issued_on", "expires_on"):
            if isinstance(row[name], str):
                row[name] = date.fromisoformat(row[name]) if row[name] else None
        records.append(row)
    return tuple(records)


# How each fact is read from its input (the others are taken as they are).
_COERCIONS: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(DATE_FACTS, _date_fact),
    **dict.fromkeys((*TEXT_FACTS, "alarm_device_state"), _text_fact),
    **dict.fromkeys(NUMBER_FACTS, _number_fact),
    **dict.fromkeys(INT_FACTS, int),
    "training_records": _training_records,
}


# ``table_decide`` or what answers the same (a catalogue's compiled tables: ``Engine.table``).
TableDecide = Callable[[str, Mapping[str, Any]], TableMatch]


def derive_facts(
    raw: Mapping[str, Any], params: Params, *, table: TableDecide | None = None
) -> dict[str, Any]:
    """Normalised facts plus the ones the law turns on but nobody types in.

    The appendix classification is three-valued: when a fact that decides it is missing (no
    category, no floor area...), the derived fact stays None and ``unknown_facts`` says which
    raw facts to fill in; ``missing_facts`` lists them all for the premises.
    """
    facts = normalise_facts(raw)
    code = facts["province_code"]
    # Centrally-run cities come from the division data (vietnam-provinces), never a list here.
    facts["in_centrally_run_city"] = divisions.is_centrally_run_city(code)
    facts["province_name"] = divisions.province_name(code)  # "" without a province
    unknown: dict[str, tuple[str, ...]] = {}
    facts[UNKNOWN_FACTS_KEY] = unknown

    if table is None:

        def table(key: str, facts: Mapping[str, Any]) -> TableMatch:
            return table_decide(key, facts, params)

    match_i = _classify("appendix_i", facts, params, table)
    _record_appendix_i(facts, match_i)
    match_ii = _classify("appendix_ii", facts, params, table)
    _settle_management(facts, match_i, match_ii, unknown)
    _record_appendix_ii(facts, match_ii, unknown)
    _record_appendix_vii(facts, _classify("appendix_vii", facts, params, table), unknown)
    facts["missing_facts"] = sorted({name for names in unknown.values() for name in names})
    return facts


def _classify(key: str, facts: dict[str, Any], params: Params, table: TableDecide) -> TableMatch:
    """Match an appendix table; an establishment without a category cannot be classified."""
    if key not in params:
        return TableMatch(False)
    if facts["kind"] == "establishment" and not facts["occupancy_category"]:
        return TableMatch(None, None, ("occupancy_category",))
    return table(key, facts)


def _record_appendix_i(facts: dict[str, Any], match: TableMatch) -> None:
    row = match.row if match.value else None
    facts["appendix_i_row"] = row.get("id") if row else None
    facts["appendix_i_item"] = row.get("item") if row else None
    if row:
        facts["appendix_i_label_vi"] = row.get("label_vi", "")
        facts["appendix_i_label_en"] = row.get("label_en", "")


def _settle_management(
    facts: dict[str, Any],
    match_i: TableMatch,
    match_ii: TableMatch,
    unknown: dict[str, tuple[str, ...]],
) -> None:
    """Whether the premises is under fire-safety management, unless stated (Appendix I)."""
    if facts["under_fire_safety_management"] is not None:
        return
    # Appendix II lists establishments under management (Appendix I) with a high fire risk:
    # outside Appendix I nothing is in Appendix II, but a sure Appendix II match settles
    # management when an Appendix I size fact is missing (300 beds: a hospital of any size).
    if match_i.value is None and match_ii.value is not True:
        unknown["under_fire_safety_management"] = match_i.missing  # and the fact stays None
    else:
        facts["under_fire_safety_management"] = match_i.value is not False


def _record_appendix_ii(
    facts: dict[str, Any], match: TableMatch, unknown: dict[str, tuple[str, ...]]
) -> None:
    """The Appendix II group and row, and membership: three-valued like management."""
    managed = facts["under_fire_safety_management"]
    row = match.row if match.value and managed is not False else None
    facts["appendix_ii_group"] = row.get("group") if row else None
    facts["appendix_ii_row"] = row.get("row") if row else None
    if row:
        facts["appendix_ii_label_vi"] = row.get("label_vi", "")
        facts["appendix_ii_label_en"] = row.get("label_en", "")
    if managed is False:
        facts["in_appendix_ii"] = False
    elif match.value is None:
        # Some Appendix II row may still match (or a stricter group): the group is unknown, and
        # so is membership unless a later row already matched for sure.
        unknown["appendix_ii_group"] = match.missing
        facts["in_appendix_ii"] = True if match.row is not None else None
        if facts["in_appendix_ii"] is None:
            unknown["in_appendix_ii"] = match.missing
    else:
        facts["in_appendix_ii"] = bool(match.value)
    if managed is None and facts["in_appendix_ii"] is False:
        facts["in_appendix_ii"] = None
        unknown["in_appendix_ii"] = unknown["under_fire_safety_management"]


def _record_appendix_vii(
    facts: dict[str, Any], match: TableMatch, unknown: dict[str, tuple[str, ...]]
) -> None:
    row = match.row if match.value else None
    facts["appendix_vii_row"] = row.get("id") if row else None
    facts["appendix_vii_item"] = row.get("item") if row else None
    if match.value is None:
        unknown["appendix_vii_row"] = match.missing
