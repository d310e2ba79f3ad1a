"""Why a rule applied, in plain Vietnamese and English: one reason per fact that decided it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .bilingual import PerLanguage, both
from .comparisons import as_number
from .labels import (
    BOOLEAN_FACTS,
    FACT_UNITS,
    boolean_fact_texts,
    fact_label,
    fact_names,
    kind_label,
)

OP_SYMBOLS = {
    "eq": "=",
    "ne": "≠",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "in": "∈",
    "not_in": "∉",
}


@dataclass(frozen=True)
class Because:
    """One plain-language reason a rule applied, in Vietnamese and English."""

    vi: str
    en: str


def format_value(value: Any) -> str:
    """A fact's value as a reason shows it: whole numbers without ".0", thousands with dots."""
    value = as_number(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1000:
        return f"{value:,}".replace(",", ".")
    return str(value)


def category_label(code: Any, params: Mapping[str, Any], lang: str) -> str:
    """The name of an occupancy category (from the catalogue's table) or of a premises kind."""
    for row in params.get("occupancy_categories") or []:
        if row.get("code") == code:
            return row.get(f"label_{lang}") or str(code)
    return kind_label(str(code), lang)


def lead_lower(text: str) -> str:
    # Row labels start a sentence in tables; inside a reason they follow a comma.
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def row_reason(row: Mapping[str, Any]) -> Because:
    """The label of the threshold-table row a premises matched."""
    return Because(lead_lower(row.get("label_vi", "")), row.get("label_en", ""))


def explain_fact(
    *,
    fact: str,
    op: str,
    actual: Any,
    expected: Any,
    params: Mapping[str, Any],
    facts: Mapping[str, Any],
) -> Because:
    """The reason a comparison of ``fact`` held ("floors 6 (≥ 5)")."""
    if (
        fact == "under_fire_safety_management"
        and expected is True
        and facts.get("appendix_i_label_vi")
    ):
        # Name the Appendix I row that put the premises under management, not just the appendix.
        return Because(
            lead_lower(facts["appendix_i_label_vi"]), facts.get("appendix_i_label_en", "")
        )
    if fact in BOOLEAN_FACTS and op in ("is", "eq") and isinstance(expected, bool):
        return Because(*boolean_fact_texts(fact, expected))
    label_vi, label_en = fact_names(fact)
    if fact in ("occupancy_category", "kind"):
        return Because(
            f"{label_vi}: {category_label(actual, params, 'vi')}",
            f"{label_en}: {category_label(actual, params, 'en')}",
        )
    unit = FACT_UNITS.get(fact, "")
    symbol = OP_SYMBOLS.get(op, op)
    if isinstance(expected, (list, tuple)):
        shown = ", ".join(format_value(v) for v in expected)
        return Because(
            f"{label_vi} {format_value(actual)}", f"{label_en} {format_value(actual)} ({shown})"
        )
    return Because(
        f"{label_vi} {format_value(actual)}{unit} ({symbol} {format_value(expected)}{unit})",
        f"{label_en} {format_value(actual)}{unit.replace(' người', '')}"
        f" ({symbol} {format_value(expected)})",
    )


def missing_text(missing: Iterable[str]) -> tuple[str, str]:
    """(vi, en) reason of a duty the engine cannot decide until the named facts are filled in."""
    labels = [fact_label(n) for n in missing]
    facts = PerLanguage(", ".join(vi for vi, _ in labels), ", ".join(en for _, en in labels))
    return both("Chưa đủ thông tin để xác định nghĩa vụ này: cần bổ sung %(facts)s", facts=facts)
