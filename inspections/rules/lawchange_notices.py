"""The notices of a change of catalogue version: each premises' heads are told which of its
obligations changed and why, each authority's managers how many premises gain or lose which."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_noop

from inspections.dates import format_date

from .lawchanges import ADDED, AMENDED, DUE_CHANGED, REMOVED, STATUS_CHANGED, cite_key
from .reminders.citations import Cite, catalogue_cite
from .reminders.reminder import Reminder
from .reminders.wording import (
    Message,
    _,
    in_both_languages,
    in_language,
    ngettext,
    pgettext,
)
from .requirements import CitationRef

# One line of a notice per kind of change (the ADDED one gains " — hạn <date>" when it has one).
CHANGE_LINE: dict[str, str] = {
    ADDED: gettext_noop("Nghĩa vụ mới: %(title)s"),
    REMOVED: gettext_noop("Không còn là nghĩa vụ: %(title)s"),
    STATUS_CHANGED: gettext_noop("Thay đổi tình trạng: %(title)s: %(before)s → %(after)s"),
    DUE_CHANGED: gettext_noop("Thay đổi thời hạn: %(title)s: %(before)s → %(after)s"),
    AMENDED: gettext_noop("Nội dung được sửa đổi: %(title)s"),
}
ADDED_WITH_DUE = gettext_noop("Nghĩa vụ mới: %(title)s — hạn %(due)s")

STATUS_TEXT: dict[str, str] = {
    "met": gettext_noop("đã đáp ứng"),
    "not_met": gettext_noop("chưa đáp ứng"),
    "unknown": gettext_noop("chưa xác định"),
    "overdue": gettext_noop("quá hạn"),
}


def _date_text(value: str | None) -> str:
    if not value:
        return "—"
    return format_date(date.fromisoformat(value))


def _status_text(status: Any) -> str:
    return _(STATUS_TEXT[status]) if status in STATUS_TEXT else str(status)


def change_line(change: Mapping[str, Any], lang: str) -> str:
    """One line of the notice: what changed for this obligation, in the reader's language."""
    return in_language(lang, lambda: _change_line(change, lang))


def _change_line(change: Mapping[str, Any], lang: str) -> str:
    # The requirement's title and the citations are bilingual data; the rest is gettext.
    kind = change["change"]
    before, after = change.get("before") or {}, change.get("after") or {}
    names = {"title": change.get(f"title_{lang}") or change.get("title_vi", "")}
    if kind == STATUS_CHANGED:
        names |= {
            "before": _status_text(before.get("status")),
            "after": _status_text(after.get("status")),
        }
    elif kind == DUE_CHANGED:
        names |= {
            "before": _date_text(before.get("due_date")),
            "after": _date_text(after.get("due_date")),
        }
    if kind == ADDED and after.get("due_date"):
        line = _(ADDED_WITH_DUE) % (names | {"due": _date_text(after["due_date"])})
    else:
        line = _(CHANGE_LINE[kind]) % names
    refs = ", ".join(cite_label(c, lang) for c in change.get("cites") or ())
    if not refs:
        return line
    return _("%(line)s (căn cứ: %(cites)s)") % {"line": line, "cites": refs}


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
            cites.setdefault(cite_key(c), _cite(c))
    counts = Counter(c["change"] for c in changes)
    texts = in_both_languages(
        lambda: premises_message(
            version=version,
            premises_name=premises_name,
            changed=len(changes),
            added=counts[ADDED],
            removed=counts[REMOVED],
        )
    )
    return Reminder(
        kind="law_change",
        subject_key=f"lawchange:{law_change_id}:premises:{premises_id}",
        due_on=version.effective_on,
        stage="in_force",
        user_ids=users,
        **texts,
        cites=tuple(cites.values()),
        link=("portal:law_changes", ()),
        premises_id=premises_id,
        premises_name=premises_name,
        extra={
            **_lines_and_labels(lambda lang: [_change_line(c, lang) for c in changes]),
            "catalogue_version": version.label,
        },
    )


def premises_message(
    *, version: VersionInfo, premises_name: str, changed: int, added: int, removed: int
) -> Message:
    """The heads' notice in the active language."""
    day = format_date(version.effective_on)
    changes = ngettext(
        "%(count)d nghĩa vụ thay đổi đối với %(premises)s",
        "%(count)d nghĩa vụ thay đổi đối với %(premises)s",
        changed,
    ) % {"count": changed, "premises": premises_name}
    gone = ngettext("%(count)d không còn áp dụng", "%(count)d không còn áp dụng", removed) % {
        "count": removed
    }
    return Message(
        title=_("Thay đổi pháp luật từ %(day)s: nghĩa vụ của %(premises)s")
        % {"day": day, "premises": premises_name},
        what=_("%(changes)s (%(added)d mới, %(removed)s).")
        % {"changes": changes, "added": added, "removed": gone},
        why=version_sentence(version),
    )


def version_sentence(version: VersionInfo) -> str:
    """Which catalogue version applies from when, and on which legal basis when it has one."""
    names = {
        "version": version.label,
        "day": format_date(version.effective_on),
        "basis": ", ".join(version.basis),
    }
    if version.basis:
        return (
            _("Danh mục yêu cầu phiên bản %(version)s áp dụng từ ngày %(day)s (căn cứ: %(basis)s).")
            % names
        )
    return _("Danh mục yêu cầu phiên bản %(version)s áp dụng từ ngày %(day)s.") % names


def _lines_and_labels(lines: Callable[[str], list[str]]) -> dict[str, Any]:
    """The notice's lines and the labels around them, in both languages (payload keys)."""

    def render(lang: str) -> tuple[list[str], str, str]:
        return lines(lang), _("Áp dụng từ"), pgettext("law change", "Thay đổi")

    lines_vi, due_vi, what_vi = in_language("vi", lambda: render("vi"))
    lines_en, due_en, what_en = in_language("en", lambda: render("en"))
    return {
        "lines_vi": lines_vi,
        "lines_en": lines_en,
        "due_label_vi": due_vi,
        "due_label_en": due_en,
        "what_label_vi": what_vi,
        "what_label_en": what_en,
    }


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
    texts = in_both_languages(
        lambda: summary_message(
            version=version, authority_name=authority_name, premises_count=premises_count
        )
    )
    return Reminder(
        kind="law_change_summary",
        subject_key=f"lawchange:{law_change_id}:authority:{authority_id}",
        due_on=version.effective_on,
        stage="in_force",
        user_ids=users,
        **texts,
        link=("portal:law_changes", ()),
        extra={
            **_lines_and_labels(lambda lang: [_summary_line(r, lang) for r in rows]),
            "catalogue_version": version.label,
            "authority_id": authority_id,
        },
    )


def summary_message(*, version: VersionInfo, authority_name: str, premises_count: int) -> Message:
    """The managers' notice in the active language (no legal basis: each line cites it)."""
    return Message(
        title=_("Thay đổi pháp luật từ %(day)s: tổng hợp địa bàn %(authority)s")
        % {"day": format_date(version.effective_on), "authority": authority_name},
        what=_("Nghĩa vụ của %(count)d cơ sở trong địa bàn thay đổi.") % {"count": premises_count},
        why=version_sentence(VersionInfo(version.label, version.effective_on)),
    )


def summary_line(row: Mapping[str, Any], lang: str) -> str:
    """One obligation of the managers' notice: how many premises gain, lose or see it change."""
    return in_language(lang, lambda: _summary_line(row, lang))


def _summary_line(row: Mapping[str, Any], lang: str) -> str:
    other = row[STATUS_CHANGED] + row[DUE_CHANGED] + row[AMENDED]
    title = row["title_vi"] if lang == "vi" else row["title_en"] or row["title_vi"]
    return ngettext(
        "%(title)s (%(code)s): %(added)d cơ sở thêm, %(removed)d cơ sở bỏ, "
        "%(other)d cơ sở thay đổi khác",
        "%(title)s (%(code)s): %(added)d cơ sở thêm, %(removed)d cơ sở bỏ, "
        "%(other)d cơ sở thay đổi khác",
        other,
    ) % {
        "title": title,
        "code": row["code"],
        "added": row[ADDED],
        "removed": row[REMOVED],
        "other": other,
    }
