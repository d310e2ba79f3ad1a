"""Premises lists with their compliance at a glance: counts computed by the database per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from inspections.models import (
    AlarmDeviceState,
    Finding,
    Obligation,
    ObligationStatus,
    Premises,
    Requirement,
)

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


# --- The lists behind the manager dashboard's numbers (same definitions as its counters) ---


def _has_obligation(**filters) -> Exists:
    return Exists(Obligation.objects.filter(premises_id=OuterRef("pk"), **filters))


def _has_open_finding(q: Q | None = None) -> Exists:
    return Exists(
        Finding.objects.filter(q or Q(), premises_id=OuterRef("pk"), status=Finding.Status.OPEN)
    )


def roadmap_requirement_ids() -> list[int]:
    """The alarm-transmission roadmap's requirements (every catalogue version): a few rows."""
    from .compliance import ROADMAP_REQUIREMENT

    return list(Requirement.objects.filter(**ROADMAP_REQUIREMENT).values_list("pk", flat=True))


def roadmap_obligated_q() -> Q:
    # The requirements are resolved first and the obligations filtered by their ids. Joined on
    # the requirement's JSON deadline rule, the planner guessed a twelfth of the real number of
    # roadmap obligations and walked a million premises with a probe each (61 s to count the
    # "device connected" list at 1,000,000 premises, 3 s by ids; bench/bench_portal.py).
    return Q(
        Exists(
            Obligation.objects.filter(
                requirement_id__in=roadmap_requirement_ids(), premises_id=OuterRef("pk")
            )
        )
    )


# Each compliance state as a filter of premises, given the day and the end of its month.
_COMPLIANCE_STATES: dict[str, Callable[[dt.date, dt.date], Q]] = {
    "overdue_obligations": lambda on, month_end: Q(
        _has_obligation(status=ObligationStatus.OVERDUE)
    ),
    "open_findings": lambda on, month_end: Q(_has_open_finding()),
    "overdue_findings": lambda on, month_end: Q(_has_open_finding(Q(remediation_deadline__lt=on))),
    "device_none": lambda on, month_end: (
        Q(alarm_device_state=AlarmDeviceState.NONE) & roadmap_obligated_q()
    ),
    "never_inspected": lambda on, month_end: Q(last_inspected_on__isnull=True),
    "periodic_overdue": lambda on, month_end: Q(periodic_due_on__lt=on),
    "periodic_due_month": lambda on, month_end: Q(
        periodic_due_on__gte=on, periodic_due_on__lte=month_end
    ),
}
COMPLIANCE_FILTERS = tuple(_COMPLIANCE_STATES)


def compliance_filter_q(name: str, *, on: dt.date | None = None) -> Q:
    """Premises in one compliance state of ``COMPLIANCE_FILTERS`` (the dashboard's links)."""
    import calendar

    if name not in _COMPLIANCE_STATES:
        raise ValueError(f"unknown compliance filter {name!r}")
    on = on or timezone.localdate()
    month_end = on.replace(day=calendar.monthrange(on.year, on.month)[1])
    return _COMPLIANCE_STATES[name](on, month_end)


def with_compliance_rank(qs: QuerySet[Premises], *, on: dt.date | None = None) -> QuerySet:
    """Annotate ``compliance_rank`` (0 overdue, 1 needs attention, 2 the rest) for sorting.

    The badge's order as EXISTS probes: the database evaluates them for the filtered rows only.
    """
    on = on or timezone.localdate()
    overdue = _has_obligation(status=ObligationStatus.OVERDUE) | _has_obligation(
        status=ObligationStatus.NOT_MET, due_on__lt=on
    )
    overdue |= _has_open_finding(Q(remediation_deadline__lt=on))
    attention = _has_obligation(status=ObligationStatus.NOT_MET) | _has_open_finding()
    return qs.annotate(
        compliance_rank=Case(
            When(overdue, then=Value(0)),
            When(attention, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
