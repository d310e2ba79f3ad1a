"""Manager dashboard and planning figures for a jurisdiction: aggregated by the database."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone

from accounts.models import Authority, User
from inspections import access
from inspections.models import (
    AlarmDeviceState,
    Finding,
    Inspection,
    Obligation,
    ObligationStatus,
    Premises,
)
from inspections.rules.facts import derive_facts
from inspections.rules.planning import next_periodic_due

from .catalogue import current_version, parameters_of
from .compliance import ROADMAP_RULE
from .obligations import premises_facts
from .planning import CAPPED_KINDS

DONE_STATES = (Inspection.State.SUBMITTED, Inspection.State.SIGNED)


@dataclass
class Dashboard:
    premises_total: int = 0
    by_kind: list[dict[str, Any]] = field(default_factory=list)
    by_ward: list[dict[str, Any]] = field(default_factory=list)
    inspections: dict[str, int] = field(default_factory=dict)
    findings_open: int = 0
    findings_overdue: int = 0
    findings_remediated: int = 0
    obligations: dict[str, int] = field(default_factory=dict)
    obligations_total: int = 0
    roadmap: dict[str, int] = field(default_factory=dict)
    roadmap_total: int = 0
    # Premises with at least one obligation in each status (the lists behind the numbers).
    obligation_premises: dict[str, int] = field(default_factory=dict)
    # Open findings by how long past their remediation deadline (see finding_age_bounds).
    findings_by_age: dict[str, int] = field(default_factory=dict)
    never_inspected: int = 0
    periodic_overdue: int = 0
    periodic_due_month: int = 0

    @property
    def roadmap_segments(self) -> list[dict[str, Any]]:
        """Stacked bar geometry (connected, installed, none) on a 400-unit wide chart."""
        colours = {"connected": "#146c2e", "installed": "#d69a00", "none": "#c62828"}
        out, x = [], 0.0
        for state in ("connected", "installed", "none"):
            n = self.roadmap.get(state, 0)
            width = 400 * n / self.roadmap_total if self.roadmap_total else 0
            out.append(
                {
                    "state": state,
                    # Strings, not floats: templates localise 12.5 as "12,5" in Vietnamese.
                    "x": f"{x:.2f}",
                    "width": f"{width:.2f}",
                    "color": colours[state],
                }
            )
            x += width
        return out


FINDING_AGES = ("not_due", "30", "90", "more")


def finding_age_bounds(on: dt.date) -> dict[str, dt.date]:
    """Open findings overdue by up to 30 days have a deadline on or after ``bounds["30"]``."""
    return {"30": on - dt.timedelta(days=30), "90": on - dt.timedelta(days=90)}


def finding_age_q(age: str, on: dt.date, prefix: str = "") -> Q:
    """Open findings of one age band (``FINDING_AGES``), for the lists behind the dashboard."""
    b = finding_age_bounds(on)
    deadline = f"{prefix}remediation_deadline"
    bands = {
        "not_due": Q(**{f"{deadline}__gte": on}) | Q(**{f"{deadline}__isnull": True}),
        "30": Q(**{f"{deadline}__lt": on, f"{deadline}__gte": b["30"]}),
        "90": Q(**{f"{deadline}__lt": b["30"], f"{deadline}__gte": b["90"]}),
        "more": Q(**{f"{deadline}__lt": b["90"]}),
    }
    return Q(**{f"{prefix}status": Finding.Status.OPEN}) & bands[age]


def jurisdiction_dashboard(
    premises: QuerySet[Premises],
    authorities: list[Authority] | None,
    *,
    on: dt.date | None = None,
) -> Dashboard:
    """Figures over ``premises`` (already scoped and filtered); a fixed number of queries.

    ``authorities`` restricts the inspection counts to those authorities (None: all of them).
    """
    on = on or timezone.localdate()
    d = Dashboard()
    premises = premises.order_by()
    ids = premises.values("pk")
    _premises_figures(d, premises)
    _inspection_figures(d, ids, authorities, on)
    _status_figures(d, ids, on)
    _backlog_figures(d, premises, ids, on)
    return d


def _premises_figures(d: Dashboard, premises: QuerySet[Premises]) -> None:
    """How many premises, by kind and in the 15 largest wards."""
    kinds = dict(premises.values_list("kind").annotate(n=Count("pk")))
    d.premises_total = sum(kinds.values())
    labels = dict(Premises._meta.get_field("kind").choices)
    d.by_kind = sorted(
        ({"kind": k, "label": str(labels.get(k, k)), "n": n} for k, n in kinds.items()),
        key=lambda r: (-r["n"], r["kind"]),
    )
    from accounts.divisions import ward_name

    d.by_ward = [
        {"ward": code, "label": ward_name(code), "n": n}
        for code, n in premises.values_list("ward_code")
        .annotate(n=Count("pk"))
        # Ward code breaks ties: equal wards must not swap places between two loads.
        .order_by("-n", "ward_code")[:15]
    ]


def _inspection_figures(
    d: Dashboard, ids: QuerySet, authorities: list[Authority] | None, on: dt.date
) -> None:
    """The authorities' inspections by state, those done this year."""
    year_start = on.replace(month=1, day=1)
    inspections = Inspection.objects.filter(premises__in=ids).exclude(kind=Inspection.Kind.SELF)
    if authorities is not None:
        inspections = inspections.filter(authority__in=authorities)
    d.inspections = inspections.aggregate(
        planned=Count("pk", filter=Q(state=Inspection.State.SCHEDULED)),
        planned_overdue=Count(
            "pk", filter=Q(state=Inspection.State.SCHEDULED, scheduled_for__lt=on)
        ),
        in_progress=Count("pk", filter=Q(state=Inspection.State.IN_PROGRESS)),
        done_this_year=Count(
            "pk", filter=Q(state__in=DONE_STATES, submitted_at__date__gte=year_start)
        ),
    )


def _status_figures(d: Dashboard, ids: QuerySet, on: dt.date) -> None:
    """Findings by status, obligations by status (rows and premises), the alarm roadmap."""
    f = Finding.objects.filter(premises__in=ids).aggregate(
        open=Count("pk", filter=Q(status=Finding.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Finding.Status.OPEN, remediation_deadline__lt=on)),
        remediated=Count("pk", filter=Q(status=Finding.Status.REMEDIATED)),
    )
    d.findings_open, d.findings_overdue, d.findings_remediated = (
        f["open"],
        f["overdue"],
        f["remediated"],
    )
    d.obligations = {s: 0 for s in ObligationStatus.values}
    d.obligations.update(
        Obligation.objects.filter(premises__in=ids)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    d.obligations_total = sum(d.obligations.values())
    # The roadmap counts the premises that carry the alarm-transmission obligation.
    obligated = Obligation.objects.filter(ROADMAP_RULE, premises__in=ids).values("premises_id")
    d.roadmap = {s: 0 for s in AlarmDeviceState.values}
    d.roadmap.update(
        Premises.objects.filter(pk__in=obligated)
        .values_list("alarm_device_state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    d.roadmap_total = sum(d.roadmap.values())
    d.obligation_premises = {s: 0 for s in ObligationStatus.values}
    d.obligation_premises.update(
        Obligation.objects.filter(premises__in=ids)
        .values_list("status")
        .annotate(n=Count("premises_id", distinct=True))
        .order_by()
    )


def _backlog_figures(
    d: Dashboard, premises: QuerySet[Premises], ids: QuerySet, on: dt.date
) -> None:
    """What is behind: open findings by age, premises never inspected, periodic ones due."""
    findings = Finding.objects.filter(premises__in=ids)
    d.findings_by_age = findings.aggregate(
        **{age: Count("pk", filter=finding_age_q(age, on)) for age in FINDING_AGES}
    )
    done = Inspection.objects.filter(
        premises_id=OuterRef("pk"), kind__in=CAPPED_KINDS, state__in=DONE_STATES
    )
    d.never_inspected = premises.exclude(Exists(done)).count()
    month_end = on.replace(day=calendar.monthrange(on.year, on.month)[1])
    p = premises.aggregate(
        overdue=Count("pk", filter=Q(periodic_due_on__lt=on)),
        month=Count("pk", filter=Q(periodic_due_on__gte=on, periodic_due_on__lte=month_end)),
    )
    d.periodic_overdue, d.periodic_due_month = p["overdue"], p["month"]


def _last_done() -> Subquery:
    return Subquery(
        Inspection.objects.filter(
            premises_id=OuterRef("pk"), kind__in=CAPPED_KINDS, state__in=DONE_STATES
        )
        .order_by()
        .values("premises_id")
        .annotate(m=Max("submitted_at"))
        .values("m")
    )


def with_last_inspection(premises: QuerySet[Premises]) -> QuerySet[Premises]:
    """The last finished authority inspection and the next one already planned (page rows)."""
    planned = (
        Inspection.objects.filter(premises_id=OuterRef("pk"), state=Inspection.State.SCHEDULED)
        .order_by("scheduled_for")
        .values("scheduled_for")[:1]
    )
    return premises.annotate(last_inspected_at=_last_done(), next_planned_on=Subquery(planned))


def add_periodic_due(rows: list[Premises], *, on: dt.date | None = None) -> list[Premises]:
    """Set ``next_due_on`` on each row of a page from the frequency rules (pure, per row)."""
    on = on or timezone.localdate()
    version = current_version()
    params = parameters_of(version) if version else {}
    # premises_facts() reads the certificates: one query for the page, not one per row.
    prefetch_related_objects(rows, "training_certificates")
    for row in rows:
        last = timezone.localdate(row.last_inspected_at) if row.last_inspected_at else None
        row.last_inspected_on = last
        if not params:
            row.next_due_on = None
            continue
        facts = derive_facts(premises_facts(row), params)
        row.next_due_on = next_periodic_due(facts, params, last, on)
        row.is_due = row.next_due_on is not None and row.next_due_on <= on
    return rows


def inspector_workload(authorities: list[Authority], *, on: dt.date | None = None) -> list[User]:
    """Inspectors of the authorities with their open assignments against the authority's
    capacity (two queries: the inspectors with their capacity, then their assignments)."""
    on = on or timezone.localdate()
    # The capacity set by the authority (the smallest one where someone works for several),
    # read with the inspectors rather than in a query of its own.
    users = list(
        access.inspectors_of(authorities).annotate(
            capacity_set=Min(
                "memberships__authority__inspector_capacity",
                filter=Q(memberships__authority__in=authorities),
            )
        )
    )
    through = Inspection.inspectors.through
    open_states = (Inspection.State.SCHEDULED, Inspection.State.IN_PROGRESS)
    soon = (on, on + dt.timedelta(days=30))
    rows = (
        through.objects.filter(
            user_id__in=[u.pk for u in users],
            inspection__authority__in=authorities,
            inspection__state__in=open_states,
        )
        .values("user_id")
        .annotate(
            n_scheduled=Count("pk", filter=Q(inspection__state=Inspection.State.SCHEDULED)),
            n_in_progress=Count("pk", filter=Q(inspection__state=Inspection.State.IN_PROGRESS)),
            n_next_30=Count("pk", filter=Q(inspection__scheduled_for__range=soon)),
        )
        .order_by()
    )
    figures = {r["user_id"]: r for r in rows}
    for u in users:
        r = figures.get(u.pk, {})
        u.n_scheduled = r.get("n_scheduled", 0)
        u.n_in_progress = r.get("n_in_progress", 0)
        u.n_next_30 = r.get("n_next_30", 0)
        u.n_open = u.n_scheduled + u.n_in_progress
        u.capacity = u.capacity_set or 0
        u.load_percent = round(100 * u.n_open / u.capacity) if u.capacity else 0
        u.over_capacity = bool(u.capacity) and u.n_open > u.capacity
    users.sort(key=lambda u: (-u.load_percent, -u.n_scheduled))
    return users
