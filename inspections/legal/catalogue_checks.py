"""What a catalogue's values must be: the checks run on a file's rows (``catalogue_file.py``)
and on an administrator's edits (``inspections/services/catalogue.py``). Each returns a list of
problems, empty when the value is sound."""

from __future__ import annotations

from datetime import date
from typing import Any

from inspections.rules.labels import PREMISES_KINDS
from inspections.rules.validation import validate_rule

from .vocabulary import (
    ANSWER_TYPES,
    CONFIDENCES,
    DEADLINE_TYPES,
    DECREE_POINTS,
    EVIDENCE_KINDS,
    SEVERITIES,
    TRAINING_DUTIES,
)


def table_errors(params: dict[str, Any]) -> list[str]:
    """The decree's appendix tables (rules in their rows) and the roadmap deadline."""
    errors: list[str] = []
    for key in ("appendix_i", "appendix_ii", "appendix_vii"):
        for row in params.get(key) or []:
            errors.extend(
                f"{key} row {row.get('id')}: {e}" for e in validate_rule(row.get("when"), params)
            )
            if row.get("confidence") and row["confidence"] not in CONFIDENCES:
                errors.append(f"{key} row {row.get('id')}: bad confidence")
    deadline = params.get("roadmap.alarm_transmission_deadline")
    if deadline is not None:
        try:
            date.fromisoformat(str(deadline))
        except ValueError:
            errors.append("roadmap.alarm_transmission_deadline: not an ISO date")
    return errors


def requirement_field_errors(r: dict[str, Any], params: dict[str, Any]) -> list[str]:
    """What is wrong with a requirement's own fields (citations and points apart)."""
    errors = [
        f"missing {name}"
        for name in ("title_vi", "title_en", "question_vi", "question_en")
        if not r.get(name)
    ]
    kinds = r.get("premises_kinds") or []
    if not kinds or any(k not in PREMISES_KINDS for k in kinds):
        errors.append(f"premises_kinds must be a non-empty subset of {PREMISES_KINDS}")
    errors.extend(validate_rule(r.get("applicability"), params))
    if r.get("severity", "major") not in SEVERITIES:
        errors.append(f"severity must be one of {SEVERITIES}")
    if any(e not in EVIDENCE_KINDS for e in r.get("evidence") or []):
        errors.append(f"evidence must be within {EVIDENCE_KINDS}")
    if r.get("answer_type", "yes_no_na") not in ANSWER_TYPES:
        errors.append(f"answer_type must be one of {ANSWER_TYPES}")
    if (rule := r.get("deadline_rule")) is not None:
        errors.extend(validate_deadline_rule(rule, params))
    return errors


def decree_points_errors(raw: Any) -> list[str]:
    """Problems of a requirement's decree_points value (file rows and admin edits alike)."""
    return parse_decree_points(raw)[1]


def parse_decree_points(raw: Any) -> tuple[list[str], list[str]]:
    """Decree 105 Art. 13.1 points of a requirement: known letters, no repeats ("dd" = "đ")."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], ["decree_points must be a list of Decree 105 Art. 13.1 points"]
    points = ["đ" if str(p) == "dd" else str(p) for p in raw]
    bad = [p for p in points if p not in DECREE_POINTS]
    if bad:
        return [], [f"decree_points {bad} are not Decree 105 Art. 13.1 points {DECREE_POINTS}"]
    if len(set(points)) != len(points):
        return [], ["decree_points repeats a point"]
    return points, []


def validate_content_points(params: dict[str, Any]) -> list[str]:
    """The inspection_content_points parameter: every point worded, every set within a–p."""
    value = params.get("inspection_content_points")
    if value is None:
        return []
    where = "parameter inspection_content_points"
    if not isinstance(value, dict) or not isinstance(value.get("points"), dict):
        return [f"{where}: needs 'points' and 'by_authority'"]
    errors = []
    texts = value["points"]
    if set(texts) != set(DECREE_POINTS):
        errors.append(f"{where}: points must be exactly {DECREE_POINTS}")
    for point, text in texts.items():
        if not isinstance(text, dict) or not text.get("text_vi") or not text.get("text_en"):
            errors.append(f"{where}: point {point} needs text_vi and text_en")
    sets = dict(value.get("by_authority") or {})
    for kind, overrides in (value.get("by_premises_kind") or {}).items():
        sets.update({f"{kind}.{k}": v for k, v in (overrides or {}).items()})
    if not value.get("by_authority"):
        errors.append(f"{where}: by_authority is empty")
    for name, points in sets.items():
        if not isinstance(points, list) or any(p not in DECREE_POINTS for p in points):
            errors.append(f"{where}: {name} must list points of {DECREE_POINTS}")
    return errors


# What each kind of deadline rule must name: the fact holding its date, the value (a number,
# a date or a parameter reference), a parameter table.
_NEEDS_FACT = ("recurring", "expiry", "calendar", "calendar_year", "within_days")
_VALUE_OF_KIND = {
    "recurring": "months",
    "roadmap": "date",
    "calendar": "dates",
    "within_days": "days",
}
_TABLE_OF_KIND = {"team_size": "table", "training": "cycle"}


def validate_deadline_rule(rule: Any, params: dict[str, Any]) -> list[str]:
    if not isinstance(rule, dict) or rule.get("type") not in DEADLINE_TYPES:
        return [f"deadline_rule.type must be one of {DEADLINE_TYPES}"]
    errors = []
    kind = rule["type"]
    if kind in _NEEDS_FACT and not rule.get("fact"):
        errors.append(f"{kind} deadline_rule needs the 'fact' holding the date")
    if value := _VALUE_OF_KIND.get(kind):
        errors.extend(_value_errors(rule, value, params))
    if kind == "roadmap" and rule.get("track", "answer") not in ("answer", "alarm_device"):
        errors.append("roadmap deadline_rule.track must be 'answer' or 'alarm_device'")
    if kind == "training" and rule.get("duty") not in TRAINING_DUTIES:
        errors.append(f"training deadline_rule.duty must be one of {TRAINING_DUTIES}")
    if table := _TABLE_OF_KIND.get(kind):
        errors.extend(_param_ref_errors(rule, table, params))
    if kind == "within_days" and not rule.get("done_fact"):
        errors.append("within_days deadline_rule needs the 'done_fact' recording completion")
    return errors


def _value_errors(rule: dict[str, Any], name: str, params: dict[str, Any]) -> list[str]:
    ref = rule.get(name)
    if ref is None:
        return [f"{rule['type']} deadline_rule needs {name}"]
    if isinstance(ref, dict) and ref.get("param") not in params:
        return [f"deadline_rule refers to unknown parameter {ref.get('param')!r}"]
    return []


def _param_ref_errors(rule: dict[str, Any], name: str, params: dict[str, Any]) -> list[str]:
    ref = rule.get(name)
    if not isinstance(ref, dict) or "param" not in ref:
        return [f"{rule['type']} deadline_rule needs {name}: {{param: KEY}}"]
    if ref["param"] not in params:
        return [f"deadline_rule refers to unknown parameter {ref['param']!r}"]
    return []
