"""What a change of catalogue version changes for one premises (pure).

The same premises facts are evaluated under the version in force before and the one in force
after, on the same date, so the comparison shows what the law changed and nothing else. The
notices that tell heads and managers about it: rules/lawchange_notices.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .obligations import Evaluation, ObligationResult

ADDED, REMOVED, STATUS_CHANGED, DUE_CHANGED, AMENDED = (
    "added",
    "removed",
    "status_changed",
    "due_changed",
    "amended",
)
CHANGE_KINDS = (ADDED, REMOVED, STATUS_CHANGED, DUE_CHANGED, AMENDED)

# Which decree table decides a derived fact (a change of the table changes who it applies to).
DERIVED_FROM: dict[str, str] = {
    "under_fire_safety_management": "appendix_i",
    "in_appendix_ii": "appendix_ii",
    "appendix_ii_group": "appendix_ii",
    "appendix_vii_row": "appendix_vii",
}


def rule_parameters(*rules: Any) -> set[str]:
    """Parameter keys a rule reads: ``{"param": KEY}``, ``in_table`` and derived facts."""
    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            if "param" in node and len(node) == 1:
                keys.add(str(node["param"]))
            if "in_table" in node:
                keys.add(str(node["in_table"]))
            if node.get("fact") in DERIVED_FROM:
                keys.add(DERIVED_FROM[node["fact"]])
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    for rule in rules:
        walk(rule)
    return keys


def new_amendments(
    before: Sequence[Mapping[str, Any]] | None, after: Sequence[Mapping[str, Any]] | None
) -> list[dict[str, Any]]:
    """Amending provisions of the new version's item that the old version's item did not carry."""
    old = {cite_key(c) for c in before or ()}
    return [dict(c) for c in after or () if cite_key(c) not in old]


def cite_key(c: Mapping[str, Any]) -> tuple:
    """What identifies a stored citation: document, article, clause and point."""
    return (c.get("document"), c.get("article"), c.get("clause"), c.get("point"))


def _state(o: ObligationResult) -> dict[str, Any]:
    return {"status": o.status, "due_date": o.due_date.isoformat() if o.due_date else None}


def compare_evaluations(
    before: Evaluation,
    after: Evaluation,
    *,
    amended: Mapping[str, Sequence[Mapping[str, Any]]],
    why: Mapping[str, Sequence[Mapping[str, Any]]],
) -> list[dict[str, Any]]:
    """Obligations added, removed, with a changed status or due date, or amended in content.

    ``amended`` maps a requirement code to the amending provisions that changed the requirement
    itself in the new version; ``why`` maps a code to the provisions to cite when the change
    comes from elsewhere (a repeal, an amended decree table it reads).
    """
    old = {o.requirement.code: o for o in before.obligations}
    new = {o.requirement.code: o for o in after.obligations}
    changes: list[dict[str, Any]] = []
    for code, o in new.items():
        was = old.get(code)
        cites = list(amended.get(code) or why.get(code) or ())
        if was is None:
            kind = ADDED
        elif was.status != o.status:
            kind = STATUS_CHANGED
        elif was.due_date != o.due_date:
            kind = DUE_CHANGED
        elif amended.get(code):
            kind = AMENDED
        else:
            continue
        changes.append(
            {
                "code": code,
                "title_vi": o.requirement.title_vi,
                "title_en": o.requirement.title_en,
                "change": kind,
                "before": _state(was) if was else None,
                "after": _state(o),
                "cites": cites,
            }
        )
    for code, was in old.items():
        if code in new:
            continue
        changes.append(
            {
                "code": code,
                "title_vi": was.requirement.title_vi,
                "title_en": was.requirement.title_en,
                "change": REMOVED,
                "before": _state(was),
                "after": None,
                "cites": list(why.get(code) or ()),
            }
        )
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    return sorted(changes, key=lambda c: (order[c["change"]], c["code"]))


def authority_counts(
    changes_by_premises: Iterable[Sequence[Mapping[str, Any]]],
) -> list[dict[str, Any]]:
    """Per obligation: how many premises gain it, lose it, or see it change otherwise."""
    rows: dict[str, dict[str, Any]] = {}
    for changes in changes_by_premises:
        for c in changes:
            row = rows.setdefault(
                c["code"],
                {"code": c["code"], "title_vi": c["title_vi"], "title_en": c["title_en"]}
                | {k: 0 for k in CHANGE_KINDS},
            )
            row[c["change"]] += 1
    return sorted(rows.values(), key=lambda r: (-r[ADDED] - r[REMOVED], r["code"]))
