"""Premises lists with their compliance at a glance: counts computed by the database per row."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from inspections.models import Finding, Obligation, ObligationStatus, Premises

OPEN_FINDING_STATES = (Finding.Status.OPEN,)


def _count(qs: QuerySet) -> Subquery:
    # A correlated COUNT per premises: unlike joined Count()s, several of these do not
    # multiply rows, and the database only evaluates them for the rows of the page.
    sub = qs.order_by().values("premises_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def with_compliance_counts(qs: QuerySet[Premises], *, on: dt.date | None = None) -> QuerySet:
    """Annotate obligations met/not met/overdue/unknown and open/overdue findings."""
    on = on or timezone.localdate()
    obligations = Obligation.objects.filter(premises_id=OuterRef("pk"))
    findings = Finding.objects.filter(premises_id=OuterRef("pk"), status__in=OPEN_FINDING_STATES)
    return qs.annotate(
        n_obligations=_count(obligations),
        n_met=_count(obligations.filter(status=ObligationStatus.MET)),
        n_not_met=_count(obligations.filter(status=ObligationStatus.NOT_MET)),
        n_overdue=_count(
            obligations.filter(
                Q(status=ObligationStatus.OVERDUE)
                | Q(status=ObligationStatus.NOT_MET, due_on__lt=on)
            )
        ),
        n_unknown=_count(obligations.filter(status=ObligationStatus.UNKNOWN)),
        n_open_findings=_count(findings),
        n_overdue_findings=_count(findings.filter(remediation_deadline__lt=on)),
    )


def compliance_state(row: Premises) -> str:
    """One word for a badge: overdue, attention, ok or unknown (needs the annotations above)."""
    if row.n_overdue or row.n_overdue_findings:
        return "overdue"
    if row.n_not_met or row.n_open_findings:
        return "attention"
    if row.n_obligations and row.n_met == row.n_obligations:
        return "ok"
    return "unknown"
