"""What a change of catalogue version changes for one premises, and the notices saying so (pure).

The same premises facts are evaluated under the version in force before and the one in force
after, on the same date, so the comparison shows what the law changed and nothing else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspections.dates import format_date

from .obligations import CitationRef, Evaluation, ObligationResult
from .reminders.citations import Cite, catalogue_cite
from .reminders.reminder import Reminder

ADDED, REMOVED, STATUS_CHANGED, DUE_CHANGED, AMENDED = (
    "added",
    "removed",
    "status_changed",
    "due_changed",
    "amended",
)
CHANGE_KINDS = (ADDED, REMOVED, STATUS_CHANGED, DUE_CHANGED, AMENDED)

CHANGE_TEXT: dict[str, tuple[str, str]] = {
    ADDED: ("Nghĩa vụ mới", "New obligation"),
    REMOVED: ("Không còn là nghĩa vụ", "No longer an obligation"),
    STATUS_CHANGED: ("Thay đổi tình trạng", "Status changed"),
    DUE_CHANGED: ("Thay đổi thời hạn", "Due date changed"),
    AMENDED: ("Nội dung được sửa đổi", "Content amended"),
}

STATUS_TEXT: dict[str, tuple[str, str]] = {
    "met": ("đã đáp ứng", "met"),
    "not_met": ("chưa đáp ứng", "not met"),
    "unknown": ("chưa xác định", "unknown"),
    "overdue": ("quá hạn", "overdue"),
}

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
    old = {_cite_key(c) for c in before or ()}
    return [dict(c) for c in after or () if _cite_key(c) not in old]


def _cite_key(c: Mapping[str, Any]) -> tuple:
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


def _date_text(value: str | None, lang: str) -> str:
    if not value:
        return "—"
    return format_date(date.fromisoformat(value))


def change_line(change: Mapping[str, Any], lang: str) -> str:
    """One line of the notice: what changed for this obligation, in the reader's language."""
    i = 0 if lang == "vi" else 1
    title = change.get(f"title_{lang}") or change.get("title_vi", "")
    label = CHANGE_TEXT[change["change"]][i]
    before, after = change.get("before") or {}, change.get("after") or {}
    detail = ""
    if change["change"] == STATUS_CHANGED:
        b = STATUS_TEXT.get(before.get("status"), (before.get("status"),) * 2)[i]
        a = STATUS_TEXT.get(after.get("status"), (after.get("status"),) * 2)[i]
        detail = f": {b} → {a}"
    elif change["change"] == DUE_CHANGED:
        detail = f": {_date_text(before.get('due_date'), lang)} → {_date_text(after.get('due_date'), lang)}"
    elif change["change"] == ADDED and after.get("due_date"):
        detail = (" — hạn " if lang == "vi" else " — due ") + _date_text(after["due_date"], lang)
    refs = ", ".join(cite_label(c, lang) for c in change.get("cites") or ())
    because = ((" (căn cứ: " if lang == "vi" else " (under ") + refs + ")") if refs else ""
    return f"{label}: {title}{detail}{because}"


def cite_label(c: Mapping[str, Any], lang: str) -> str:
    cite = _cite(c)
    return cite.label_vi if lang == "vi" else cite.label_en


def _cite(c: Mapping[str, Any]) -> Cite:
    return catalogue_cite(
        CitationRef(
            document=str(c.get("document", "")),
            article=int(c.get("article") or 0),
            clause=c.get("clause"),
            point=c.get("point"),
            text_vi=str(c.get("text_vi", "")),
            confidence=str(c.get("confidence", "verified")),
        )
    )


@dataclass(frozen=True)
class VersionInfo:
    label: str
    effective_on: date
    basis: tuple[str, ...] = field(default_factory=tuple)  # codes of the amending documents


def premises_notice(
    *,
    law_change_id: int,
    version: VersionInfo,
    premises_id: int,
    premises_name: str,
    changes: Sequence[Mapping[str, Any]],
    head_ids: Iterable[int],
) -> Reminder | None:
    """The heads' notice: one per premises and law change, every changed obligation listed with
    the amending provision that changed it."""
    users = tuple(sorted(set(head_ids)))
    if not users or not changes:
        return None
    cites: dict[tuple, Cite] = {}
    for change in changes:
        for c in change.get("cites") or ():
            cites.setdefault(_cite_key(c), _cite(c))
    day_vi = format_date(version.effective_on)
    basis = ", ".join(version.basis)
    counts = Counter(c["change"] for c in changes)
    return Reminder(
        kind="law_change",
        subject_key=f"lawchange:{law_change_id}:premises:{premises_id}",
        due_on=version.effective_on,
        stage="in_force",
        user_ids=users,
        title_vi=f"Thay đổi pháp luật từ {day_vi}: nghĩa vụ của {premises_name}",
        title_en=f"Change in the law from {format_date(version.effective_on)}: "
        f"obligations of {premises_name}",
        what_vi=f"{len(changes)} nghĩa vụ thay đổi đối với {premises_name} "
        f"({counts[ADDED]} mới, {counts[REMOVED]} không còn áp dụng).",
        what_en=f"{len(changes)} obligations change for {premises_name} "
        f"({counts[ADDED]} new, {counts[REMOVED]} no longer apply).",
        why_vi=f"Danh mục yêu cầu phiên bản {version.label} áp dụng từ ngày {day_vi}"
        + (f" (căn cứ: {basis})." if basis else "."),
        why_en=f"Catalogue version {version.label} applies from {format_date(version.effective_on)}"
        + (f" (legal basis: {basis})." if basis else "."),
        cites=tuple(cites.values()),
        link=("portal:law_changes", ()),
        premises_id=premises_id,
        premises_name=premises_name,
        extra={
            "lines_vi": [change_line(c, "vi") for c in changes],
            "lines_en": [change_line(c, "en") for c in changes],
            "due_label_vi": "Áp dụng từ",
            "due_label_en": "Applies from",
            "what_label_vi": "Thay đổi",
            "what_label_en": "What changes",
            "catalogue_version": version.label,
        },
    )


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


def summary_notice(
    *,
    law_change_id: int,
    version: VersionInfo,
    authority_id: int,
    authority_name: str,
    premises_count: int,
    rows: Sequence[Mapping[str, Any]],
    manager_ids: Iterable[int],
) -> Reminder | None:
    """Managers: for their jurisdiction, how many premises gain or lose which obligation."""
    users = tuple(sorted(set(manager_ids)))
    if not users or not rows:
        return None
    day_vi = format_date(version.effective_on)

    def line(r: Mapping[str, Any], lang: str) -> str:
        if lang == "vi":
            return (
                f"{r['title_vi']} ({r['code']}): {r[ADDED]} cơ sở thêm, {r[REMOVED]} cơ sở bỏ, "
                f"{r[STATUS_CHANGED] + r[DUE_CHANGED] + r[AMENDED]} cơ sở thay đổi khác"
            )
        return (
            f"{r['title_en'] or r['title_vi']} ({r['code']}): {r[ADDED]} premises gain it, "
            f"{r[REMOVED]} lose it, {r[STATUS_CHANGED] + r[DUE_CHANGED] + r[AMENDED]} other changes"
        )

    return Reminder(
        kind="law_change_summary",
        subject_key=f"lawchange:{law_change_id}:authority:{authority_id}",
        due_on=version.effective_on,
        stage="in_force",
        user_ids=users,
        title_vi=f"Thay đổi pháp luật từ {day_vi}: tổng hợp địa bàn {authority_name}",
        title_en=f"Change in the law from {format_date(version.effective_on)}: "
        f"summary for {authority_name}",
        what_vi=f"Nghĩa vụ của {premises_count} cơ sở trong địa bàn thay đổi.",
        what_en=f"The obligations of {premises_count} premises in your jurisdiction change.",
        why_vi=f"Danh mục yêu cầu phiên bản {version.label} áp dụng từ ngày {day_vi}.",
        why_en=f"Catalogue version {version.label} applies from {format_date(version.effective_on)}.",
        link=("portal:law_changes", ()),
        extra={
            "lines_vi": [line(r, "vi") for r in rows],
            "lines_en": [line(r, "en") for r in rows],
            "due_label_vi": "Áp dụng từ",
            "due_label_en": "Applies from",
            "what_label_vi": "Thay đổi",
            "what_label_en": "What changes",
            "catalogue_version": version.label,
            "authority_id": authority_id,
        },
    )
