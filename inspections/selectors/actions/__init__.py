"""What a facility head must do next, across all their premises: one list, overdue first.

Every date here is stored: a finding's remediation deadline, an obligation's due date (computed
by the rules from the catalogue's decree intervals and stored by ``refresh_obligations``), a
certificate's expiry, an inspection's scheduled day. "Due soon" is the reminder window of the
row's kind (``settings.REMINDERS``) or ``PORTAL_ACTIONS_HORIZON_DAYS``, whichever is longer, so
the home page shows what the reminders talk about.

The texts are rendered in the active language (the portal's): messages through gettext
(Vietnamese source, English in locale/en); catalogue data that is bilingual by nature
(requirement titles, reasons, citation labels, fact names) is picked by the language.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.models import Finding, Inspection, Obligation, Premises

from .from_events import certificate_rows, finding_rows, inspection_rows
from .from_obligations import obligation_rows
from .rows import ActionList, ActionRow, Kind, citations_of


def headed_premises(user: User) -> QuerySet[Premises]:
    """The premises this user heads and may see (the access module decides visibility)."""
    return access.premises_visible_to(user).filter(heads=user)


def actions_for_head(user: User, *, today: dt.date) -> ActionList:
    """Everything the head has to do across their premises, sorted: overdue first (oldest
    first), then by due date, then what has no date (facts to fill in)."""
    premises = {p.pk: p for p in headed_premises(user).only("pk", "name", "alarm_device_state")}
    ids = list(premises)
    rows: list[ActionRow] = []
    if ids:
        obligations = list(
            Obligation.objects.filter(premises_id__in=ids)
            .select_related("requirement", "source_answer__inspection")
            .order_by("premises_id", "requirement__order")
        )
        findings = list(
            access.findings_visible_to(user)
            .filter(premises_id__in=ids, status=Finding.Status.OPEN)
            .select_related("inspection", "inspection__authority")
            .order_by("remediation_deadline", "pk")
        )
        cites = citations_of(
            [o.requirement_id for o in obligations] + [f.requirement_id for f in findings]
        )
        rows += obligation_rows(obligations, premises, cites, today)
        rows += finding_rows(findings, premises, cites, today)
        rows += certificate_rows(ids, premises, today)
        rows += inspection_rows(user, ids, premises, today)
        rows = _point_self_inspections_at_drafts(user, ids, rows)
    rows.sort(
        key=lambda r: (
            not r.overdue,
            r.due_on is None,
            r.due_on or dt.date.max,
            r.premises_name,
            r.title,
        )
    )
    return ActionList(
        rows=rows,
        overdue=sum(r.overdue for r in rows),
        due_soon=sum(1 for r in rows if not r.overdue and r.due_on is not None),
        unknown=sum(1 for r in rows if r.kind in (Kind.UNKNOWN, Kind.UNASSESSED)),
        premises_count=len(ids),
    )


def _point_self_inspections_at_drafts(
    user: User, ids: list[int], rows: list[ActionRow]
) -> list[ActionRow]:
    """A self-inspection already under way is continued, not started again."""
    drafts = dict(
        access.inspections_visible_to(user)
        .filter(
            premises_id__in=ids,
            kind=Inspection.Kind.SELF,
            state=Inspection.State.IN_PROGRESS,
        )
        .order_by("premises_id", "created_at")
        .values_list("premises_id", "pk")
    )
    out = []
    for r in rows:
        if r.kind in (Kind.SELF_INSPECTION, Kind.UNASSESSED) and r.premises_id in drafts:
            r = ActionRow(
                **{
                    **r.__dict__,
                    "action": _("Tiếp tục đợt tự kiểm tra đang làm"),
                    "url": reverse("portal:self_inspection", args=[drafts[r.premises_id]]),
                    "post": False,
                }
            )
        out.append(r)
    return out


__all__ = ["ActionList", "ActionRow", "Kind", "actions_for_head", "headed_premises"]
