"""The ward figures counted from the rows themselves: what the rolled-up counters
(``compliance.rollup_ward_figures``, services/rollups.py) must always equal. Tests and benches
compare the two; nothing a user sees reads these."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Q, QuerySet

from accounts import divisions
from accounts.models import Authority
from inspections.access import jurisdiction_q
from inspections.models import (
    AlarmDeviceState,
    Finding,
    Inspection,
    Obligation,
    ObligationStatus,
    Premises,
)

from .compliance import (
    DONE_STATES,
    OPEN_FINDING,
    Period,
    WardFigures,
    jurisdiction_premises,
    roadmap_obligated,
)


def live_ward_figures(authority: Authority, period: Period) -> dict[int, WardFigures]:
    """The figures aggregated from the rows themselves: what the counters must always equal
    (tests and benches compare them; the summary reads ``rollup_ward_figures``)."""
    premises = jurisdiction_premises(authority)
    in_area = jurisdiction_q([authority], prefix="premises__")
    wards: dict[int, WardFigures] = {}

    def ward(code: int) -> WardFigures:
        if code not in wards:
            wards[code] = WardFigures(code, divisions.ward_name(code))
        return wards[code]

    for row in premises.order_by().values("ward_code", "kind").annotate(n=Count("id")):
        ward(row["ward_code"]).premises_by_kind[row["kind"]] = row["n"]
    _count_inspections(in_area, period, ward)
    _count_findings(in_area, period, ward)
    _count_obligations(in_area, ward)
    _count_roadmap(premises, ward)
    return wards


# Each adds one family of figures to the ward it names (``ward`` makes a missing one).
WardOf = Callable[[int], WardFigures]


def _count_inspections(in_area: Q, period: Period, ward: WardOf) -> None:
    in_period = Q(scheduled_for__gte=period.start, scheduled_for__lte=period.end)
    done_in_period = Q(
        state__in=DONE_STATES,
        submitted_at__date__gte=period.start,
        submitted_at__date__lte=period.end,
    )
    for row in (
        Inspection.objects.filter(in_area)
        .filter(in_period | done_in_period)
        .order_by()
        .values("premises__ward_code")
        .annotate(
            planned=Count("id", filter=in_period & ~Q(state=Inspection.State.CANCELLED)),
            done=Count("id", filter=done_in_period),
        )
    ):
        f = ward(row["premises__ward_code"])
        f.inspections_planned, f.inspections_done = row["planned"], row["done"]


def _count_findings(in_area: Q, period: Period, ward: WardOf) -> None:
    closed_in_period = Q(
        status=Finding.Status.CLOSED,
        closed_at__date__gte=period.start,
        closed_at__date__lte=period.end,
    )
    for row in (
        Finding.objects.filter(in_area)
        .filter(Q(status__in=OPEN_FINDING) | closed_in_period)
        .order_by()
        .values("premises__ward_code")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN_FINDING)),
            closed=Count("id", filter=closed_in_period),
            overdue=Count(
                "id",
                filter=Q(status=Finding.Status.OPEN, remediation_deadline__lt=period.end),
            ),
        )
    ):
        f = ward(row["premises__ward_code"])
        f.findings_open, f.findings_closed, f.findings_overdue = (
            row["open"],
            row["closed"],
            row["overdue"],
        )


def _count_obligations(in_area: Q, ward: WardOf) -> None:
    for row in (
        Obligation.objects.filter(in_area)
        .order_by()
        .values("premises__ward_code")
        .annotate(
            total=Count("id"),
            met=Count("id", filter=Q(status=ObligationStatus.MET)),
            overdue=Count("id", filter=Q(status=ObligationStatus.OVERDUE)),
        )
    ):
        f = ward(row["premises__ward_code"])
        f.obligations_total, f.obligations_met, f.obligations_overdue = (
            row["total"],
            row["met"],
            row["overdue"],
        )


def _count_roadmap(premises: QuerySet[Premises], ward: WardOf) -> None:
    for row in (
        roadmap_obligated(premises)
        .order_by()
        .values("ward_code")
        .annotate(
            obligated=Count("id"),
            connected=Count("id", filter=Q(alarm_device_state=AlarmDeviceState.CONNECTED)),
        )
    ):
        f = ward(row["ward_code"])
        f.roadmap_obligated, f.roadmap_connected = row["obligated"], row["connected"]
