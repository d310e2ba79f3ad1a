"""The rows of a facility head's action list: their kinds, shape and shared wording."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from inspections.models import Citation
from inspections.rules.reminders.citations import catalogue_cite, law_cite
from inspections.rules.reminders.schedule import lookahead_days
from inspections.selectors.catalogue import citation_ref
from inspections.selectors.notifications import reminder_config


class Kind:
    """Row kinds: each one names the place where the head does the work."""

    FINDING = "finding"
    OBLIGATION = "obligation"
    UNKNOWN = "unknown"  # facts missing: the rules cannot tell whether or when a duty binds
    UNASSESSED = "unassessed"  # applies, but no inspection or self-inspection has checked it
    INSURANCE = "insurance"
    CERTIFICATE = "certificate"
    INSPECTION = "inspection"
    SELF_INSPECTION = "self_inspection"
    PC04 = "pc04"
    ALARM_DEVICE = "alarm_device"
    FACT_DATE = "fact_date"  # a recurring duty whose last date the head records (drill, check)


_REMINDER_OF_KIND = {
    Kind.FINDING: "finding_deadline",
    Kind.CERTIFICATE: "training_expiry",
    Kind.INSPECTION: "inspection_due",
}


@dataclass(frozen=True)
class ActionCitation:
    label_vi: str
    label_en: str
    text_vi: str


@dataclass(frozen=True)
class ActionRow:
    """One thing to do: where, by when, what triggered it, under which provision, and where."""

    kind: str
    premises_id: int
    premises_name: str
    due_on: dt.date | None
    days_left: int | None  # negative when overdue
    overdue: bool
    # In the active language when the list was built.
    title: str
    trigger: str  # exactly what put the row here
    badge: str
    action: str  # the button's label
    url: str
    post: bool = False  # the button starts something (a self-inspection, a PC04 draft)
    citation: ActionCitation | None = None
    missing_facts: tuple[tuple[str, str], ...] = ()  # (label vi, label en) to fill in
    self_reported: bool = False  # decided by the head's own answer, not by an authority


@dataclass
class ActionList:
    rows: list[ActionRow]
    overdue: int
    due_soon: int
    unknown: int
    premises_count: int

    @property
    def overdue_rows(self) -> list[ActionRow]:
        return [r for r in self.rows if r.overdue]

    @property
    def upcoming_rows(self) -> list[ActionRow]:
        return [r for r in self.rows if not r.overdue and r.due_on is not None]

    @property
    def undated_rows(self) -> list[ActionRow]:
        return [r for r in self.rows if not r.overdue and r.due_on is None]


def fmt_day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def window_days(kind: str, reminder_kind: str | None = None) -> int:
    reminder_kind = reminder_kind or _REMINDER_OF_KIND.get(kind)
    lookahead = lookahead_days(reminder_config(reminder_kind)) if reminder_kind else 0
    return max(lookahead, settings.PORTAL_ACTIONS_HORIZON_DAYS)


def badge(due: dt.date | None, today: dt.date, *, overdue: bool) -> str:
    if due is None:
        return pgettext("action badge", "Quá hạn") if overdue else _("Chưa đáp ứng")
    days = (due - today).days
    if days < 0:
        return ngettext("Quá hạn %(days)d ngày", "Quá hạn %(days)d ngày", -days) % {"days": -days}
    if days == 0:
        return _("Hạn hôm nay")
    return ngettext("Còn %(days)d ngày", "Còn %(days)d ngày", days) % {"days": days}


def citations_of(requirement_ids: Iterable[int | None]) -> dict[int, ActionCitation]:
    """The first citation of each requirement (one query for the whole list); None is skipped."""
    out: dict[int, ActionCitation] = {}
    ids = {i for i in requirement_ids if i}
    if not ids:
        return out
    for c in (
        Citation.objects.filter(requirement_id__in=ids)
        .select_related("provision__document")
        .order_by("requirement_id", "order")
    ):
        if c.requirement_id not in out:
            cite = catalogue_cite(citation_ref(c))
            out[c.requirement_id] = ActionCitation(cite.label_vi, cite.label_en, cite.text_vi)
    return out


def config_citation(reminder_kind: str) -> ActionCitation | None:
    """The law provision a reminder kind cites (settings.REMINDERS), for rows with no
    requirement of their own (certificates, inspections)."""
    for article, clause, point in reminder_config(reminder_kind).cite[:1]:
        cite = law_cite(article, clause, point)
        return ActionCitation(cite.label_vi, cite.label_en, cite.text_vi)
    return None


def facts_url(premises_id: int, fact: str | None = None) -> str:
    url = reverse("portal:premises_facts", args=[premises_id])
    return f"{url}#id_{fact}" if fact else url
