"""The manager dashboard read from the rolled-up counters: four small queries at any size."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from accounts import divisions
from accounts.models import Authority
from inspections.access import jurisdiction_q
from inspections.models import (
    NO_DAY,
    AlarmDeviceState,
    Inspection,
    ObligationStatus,
    PremisesKind,
    RollupCell,
)

from .dashboard import Dashboard, finding_age_bounds

State = Inspection.State


def rollup_scope(
    authorities: Iterable[Authority] | None, *, ward: int | None = None, kind: str = ""
) -> Q:
    """Counters of the jurisdiction (None: everywhere), narrowed like the dashboard filter."""
    q = Q() if authorities is None else jurisdiction_q(authorities)
    if ward:
        q &= Q(ward_code=ward)
    if kind:
        q &= Q(premises_kind=kind)
    return q


def _sum(**filters) -> Coalesce:
    return Coalesce(Sum("n", filter=Q(**filters)), 0)


def month_end(on: dt.date) -> dt.date:
    return on.replace(day=calendar.monthrange(on.year, on.month)[1])


def rollup_dashboard(scope: Q, authorities: list[Authority] | None, *, on: dt.date) -> Dashboard:
    """The same figures as ``jurisdiction_dashboard`` from the counters of ``scope``.

    ``authorities`` restricts the inspection counts to those authorities (None: all of them).
    """
    d = Dashboard()
    cells = RollupCell.objects.filter(scope).order_by()
    premises = cells.filter(metric="premises")
    labels = dict(PremisesKind.choices)
    kinds = {k: n for k, n in premises.values_list("premises_kind").annotate(n=Sum("n")) if n}
    d.premises_total = sum(kinds.values())
    d.by_kind = sorted(
        ({"kind": k, "label": str(labels.get(k, k)), "n": n} for k, n in kinds.items()),
        key=lambda r: (-r["n"], r["kind"]),
    )
    d.by_ward = [
        {"ward": code, "label": divisions.ward_name(code), "n": n}
        for code, n in premises.values_list("ward_code")
        .annotate(n=Sum("n"))
        .filter(n__gt=0)
        .order_by("-n", "ward_code")[:15]
    ]
    d.obligations = {s: 0 for s in ObligationStatus.values}
    d.obligation_premises = {s: 0 for s in ObligationStatus.values}
    d.roadmap = {s: 0 for s in AlarmDeviceState.values}
    by_status = {
        "obligation": d.obligations,
        "obligation_premises": d.obligation_premises,
        "roadmap": d.roadmap,
    }
    for metric, key, n in (
        cells.filter(metric__in=list(by_status)).values_list("metric", "key").annotate(n=Sum("n"))
    ):
        by_status[metric][key] = n
    d.obligations_total = sum(d.obligations.values())
    d.roadmap_total = sum(d.roadmap.values())

    inspections: dict[str, object] = {"metric": "inspection"}
    done: dict[str, object] = {"metric": "inspection_done", "day__gte": on.replace(month=1, day=1)}
    if authorities is not None:
        ids = [a.pk for a in authorities]
        inspections["authority_id__in"] = done["authority_id__in"] = ids
    b = finding_age_bounds(on)
    open_finding = {"metric": "finding", "key": "open"}
    f = cells.aggregate(
        planned=_sum(**inspections, key=State.SCHEDULED),
        planned_overdue=_sum(**inspections, key=State.SCHEDULED, day__lt=on, day__gt=NO_DAY),
        in_progress=_sum(**inspections, key=State.IN_PROGRESS),
        done_this_year=_sum(**done),
        findings_open=_sum(**open_finding),
        findings_overdue=_sum(**open_finding, day__lt=on, day__gt=NO_DAY),
        findings_remediated=_sum(metric="finding", key="remediated"),
        age_not_due=_sum(**open_finding, day__gte=on) + _sum(**open_finding, day=NO_DAY),
        age_30=_sum(**open_finding, day__lt=on, day__gte=b["30"]),
        age_90=_sum(**open_finding, day__lt=b["30"], day__gte=b["90"]),
        age_more=_sum(**open_finding, day__lt=b["90"], day__gt=NO_DAY),
        never_inspected=_sum(metric="never_inspected"),
        periodic_overdue=_sum(metric="periodic_due", day__lt=on),
        periodic_due_month=_sum(metric="periodic_due", day__gte=on, day__lte=month_end(on)),
    )
    d.inspections = {
        k: f[k] for k in ("planned", "planned_overdue", "in_progress", "done_this_year")
    }
    d.findings_open, d.findings_overdue = f["findings_open"], f["findings_overdue"]
    d.findings_remediated = f["findings_remediated"]
    d.findings_by_age = {k: f[f"age_{k}"] for k in ("not_due", "30", "90", "more")}
    d.never_inspected = f["never_inspected"]
    d.periodic_overdue, d.periodic_due_month = f["periodic_overdue"], f["periodic_due_month"]
    return d
