"""Compliance of one authority's jurisdiction over a period, per ward (database aggregations).

Every figure is a GROUP BY in the database: five queries whatever the number of premises. The
manager's summary e-mail and the portal dashboard read the same ``compliance_summary``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts import divisions
from accounts.models import Authority
from inspections.access import jurisdiction_q
from inspections.models import (
    AlarmDeviceState,
    ComplianceSnapshot,
    Finding,
    Inspection,
    Obligation,
    ObligationStatus,
    Premises,
    PremisesKind,
)

DONE_STATES = (Inspection.State.SUBMITTED, Inspection.State.SIGNED)
OPEN_FINDING = (Finding.Status.OPEN, Finding.Status.REMEDIATED)
# Requirements of the alarm-transmission roadmap (Art. 20.5, 23.1.c), by their deadline rule,
# and their obligations.
ROADMAP_REQUIREMENT = {"deadline_rule__type": "roadmap", "deadline_rule__track": "alarm_device"}
ROADMAP_RULE = Q(**{f"requirement__{key}": value for key, value in ROADMAP_REQUIREMENT.items()})


@dataclass(frozen=True)
class Period:
    kind: str  # weekly / monthly
    start: date
    end: date  # inclusive

    @property
    def label_vi(self) -> str:
        if self.kind == "monthly":
            return f"tháng {self.start.month:02d}/{self.start.year}"
        return f"tuần {self.start.strftime('%d/%m')}–{self.end.strftime('%d/%m/%Y')}"

    @property
    def label_en(self) -> str:
        if self.kind == "monthly":
            return self.start.strftime("%B %Y")
        return f"week {self.start.strftime('%d/%m')}–{self.end.strftime('%d/%m/%Y')}"


def period_ending_before(kind: str, today: date) -> Period:
    """The last complete week (Monday–Sunday) or calendar month before ``today``."""
    if kind == "weekly":
        end = today - timedelta(days=today.weekday() + 1)
        return Period("weekly", end - timedelta(days=6), end)
    if kind == "monthly":
        end = today.replace(day=1) - timedelta(days=1)
        return Period("monthly", end.replace(day=1), end)
    raise ValueError(f"unknown period {kind!r}")


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period("monthly", date(year, month, 1), date(year, month, last))


@dataclass
class WardFigures:
    ward_code: int
    ward_name: str
    premises_by_kind: dict[str, int] = field(default_factory=dict)
    inspections_planned: int = 0
    inspections_done: int = 0
    findings_open: int = 0
    findings_closed: int = 0
    findings_overdue: int = 0
    obligations_total: int = 0
    obligations_met: int = 0
    obligations_overdue: int = 0
    roadmap_obligated: int = 0
    roadmap_connected: int = 0

    @property
    def premises_total(self) -> int:
        return sum(self.premises_by_kind.values())

    @property
    def roadmap_share(self) -> float:
        return self.roadmap_connected / self.roadmap_obligated if self.roadmap_obligated else 0.0

    @property
    def obligations_share(self) -> float:
        return self.obligations_met / self.obligations_total if self.obligations_total else 0.0


@dataclass
class ComplianceSummary:
    authority: Authority
    period: Period
    wards: list[WardFigures]
    total: WardFigures
    previous_share: float | None = None  # roadmap share of the last summary (trend)
    previous_period_end: date | None = None

    @property
    def trend(self) -> float | None:
        if self.previous_share is None:
            return None
        return self.total.roadmap_share - self.previous_share

    def figures(self) -> dict[str, Any]:
        """Plain figures, stored in the snapshot and sent to webhooks."""

        def ward(w: WardFigures) -> dict[str, Any]:
            return {
                "ward_code": w.ward_code,
                "ward_name": w.ward_name,
                "premises_by_kind": w.premises_by_kind,
                "premises_total": w.premises_total,
                "inspections_planned": w.inspections_planned,
                "inspections_done": w.inspections_done,
                "findings_open": w.findings_open,
                "findings_closed": w.findings_closed,
                "findings_overdue": w.findings_overdue,
                "obligations_total": w.obligations_total,
                "obligations_met": w.obligations_met,
                "obligations_overdue": w.obligations_overdue,
                "roadmap_obligated": w.roadmap_obligated,
                "roadmap_connected": w.roadmap_connected,
            }

        return {
            "period": {
                "kind": self.period.kind,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "total": ward(self.total),
            "wards": [ward(w) for w in self.wards],
            "previous_share": self.previous_share,
        }


def jurisdiction_premises(authority: Authority) -> QuerySet[Premises]:
    return Premises.objects.filter(jurisdiction_q([authority]))


def roadmap_obligated(premises: QuerySet[Premises]) -> QuerySet[Premises]:
    """Premises the catalogue obliges to connect an alarm-transmission device (by obligation)."""
    return premises.filter(
        Exists(Obligation.objects.filter(ROADMAP_RULE, premises_id=OuterRef("pk")))
    )


def rollup_ward_figures(authority: Authority, period: Period) -> dict[int, WardFigures]:
    """The figures per ward from the rolled-up counters (services/rollups.py): two queries."""
    from django.db.models import Sum

    from inspections.models import NO_DAY, RollupCell

    wards: dict[int, WardFigures] = {}

    def w(code: int) -> WardFigures:
        if code not in wards:
            wards[code] = WardFigures(code, divisions.ward_name(code))
        return wards[code]

    cells = RollupCell.objects.filter(jurisdiction_q([authority])).order_by()
    for ward, kind, n in (
        cells.filter(metric="premises")
        .values_list("ward_code", "premises_kind")
        .annotate(n=Sum("n"))
    ):
        if n:
            w(ward).premises_by_kind[kind] = n

    def total(**filters):
        return Coalesce(Sum("n", filter=Q(**filters)), 0)

    planned = ("inspection_planned", "self_inspection_planned")
    done = ("inspection_done", "self_inspection_done")
    in_period = {"day__gte": period.start, "day__lte": period.end}
    open_ = [str(s) for s in OPEN_FINDING]
    figures = (
        cells.values("ward_code")
        .annotate(
            inspections_planned=total(metric__in=planned, **in_period),
            inspections_done=total(metric__in=done, **in_period),
            findings_open=total(metric="finding", key__in=open_),
            findings_closed=total(metric="finding_closed", **in_period),
            findings_overdue=total(
                metric="finding", key=Finding.Status.OPEN, day__lt=period.end, day__gt=NO_DAY
            ),
            obligations_total=total(metric="obligation"),
            obligations_met=total(metric="obligation", key=ObligationStatus.MET),
            obligations_overdue=total(metric="obligation", key=ObligationStatus.OVERDUE),
            roadmap_obligated=total(metric="roadmap"),
            roadmap_connected=total(metric="roadmap", key=AlarmDeviceState.CONNECTED),
        )
        .order_by()
    )
    for row in figures:
        code = row.pop("ward_code")
        if not any(row.values()) and code not in wards:
            continue
        f = w(code)
        for attr, value in row.items():
            setattr(f, attr, value)
    return wards


def compliance_summary(authority: Authority, period: Period) -> ComplianceSummary:
    wards = rollup_ward_figures(authority, period)
    ordered = sorted(wards.values(), key=lambda x: (x.ward_name, x.ward_code))
    total = WardFigures(0, "")
    for f in ordered:
        for kind, n in f.premises_by_kind.items():
            total.premises_by_kind[kind] = total.premises_by_kind.get(kind, 0) + n
        for attr in (
            "inspections_planned",
            "inspections_done",
            "findings_open",
            "findings_closed",
            "findings_overdue",
            "obligations_total",
            "obligations_met",
            "obligations_overdue",
            "roadmap_obligated",
            "roadmap_connected",
        ):
            setattr(total, attr, getattr(total, attr) + getattr(f, attr))

    previous = (
        ComplianceSnapshot.objects.filter(
            authority=authority, period=period.kind, period_end__lt=period.end
        )
        .order_by("-period_end")
        .first()
    )
    return ComplianceSummary(
        authority=authority,
        period=period,
        wards=ordered,
        total=total,
        previous_share=previous.connected_share if previous else None,
        previous_period_end=previous.period_end if previous else None,
    )


PREMISES_COLUMNS = (
    "id",
    "name",
    "kind",
    "occupancy_category",
    "province_code",
    "ward_code",
    "alarm_device_state",
    "fire_data_declared_on",
    "insurance_expires_on",
    "last_drill_on",
    "last_self_inspection_on",
)


def premises_rows(authority: Authority, period: Period) -> Iterator[dict[str, Any]]:
    """The underlying rows (one per premises) with their counts, streamed in id order."""

    def count(qs) -> Subquery:
        return Coalesce(
            Subquery(qs.order_by().values("premises_id").annotate(n=Count("id")).values("n")),
            0,
        )

    findings = Finding.objects.filter(premises_id=OuterRef("pk"))
    obligations = Obligation.objects.filter(premises_id=OuterRef("pk"))
    qs = (
        jurisdiction_premises(authority)
        .annotate(
            findings_open=count(findings.filter(status__in=OPEN_FINDING)),
            findings_overdue=count(
                findings.filter(status=Finding.Status.OPEN, remediation_deadline__lt=period.end)
            ),
            obligations_total=count(obligations),
            obligations_met=count(obligations.filter(status=ObligationStatus.MET)),
            roadmap_obligated=Exists(obligations.filter(ROADMAP_RULE)),
        )
        .order_by("id")
        .values(
            *PREMISES_COLUMNS,
            "findings_open",
            "findings_overdue",
            "obligations_total",
            "obligations_met",
            "roadmap_obligated",
        )
    )
    kinds = dict(PremisesKind.choices)
    for row in qs.iterator(chunk_size=2000):
        row["ward_name"] = divisions.ward_name(row["ward_code"])
        row["kind_label"] = str(kinds.get(row["kind"], row["kind"]))
        yield row
