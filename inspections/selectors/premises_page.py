"""What the premises page shows: obligations with citations and evidence, the alarm roadmap card,
and the audit trail of fact changes. Reads only; the obligations engine decides the statuses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from inspections.models import (
    AlarmDeviceState,
    Answer,
    Finding,
    Inspection,
    Premises,
    PremisesChange,
    Requirement,
)
from inspections.rules.alarm import alarm_step
from inspections.rules.labels import fact_label
from inspections.rules.obligations import Advice, ObligationResult

from .catalogue import parameters_of
from .obligations import NoPublishedCatalogue, obligations_for

STATUS_ORDER = {"overdue": 0, "not_met": 1, "unknown": 2, "met": 3}
ALARM_DEADLINE_PARAM = "roadmap.alarm_transmission_deadline"


@dataclass
class ObligationRow:
    result: ObligationResult
    evidence: list[str]
    # The status rests on the head's own self-inspection answer: self-reported until an
    # authority's inspection confirms it.
    self_reported: bool = False
    missing_facts_labels: list[tuple[str, str]] = field(default_factory=list)
    open_finding_id: int | None = None  # where remediation evidence for this duty goes

    def __getattr__(self, name: str) -> Any:
        return getattr(self.result, name)


@dataclass
class ObligationGroup:
    key: str  # overdue | due_soon | unknown | met
    title_vi: str
    title_en: str
    rows: list[ObligationRow]


GROUPS = (
    ("overdue", "Quá hạn", "Overdue"),
    ("due_soon", "Chưa đáp ứng hoặc sắp đến hạn", "Not met or due soon"),
    (
        "unknown",
        "Chưa xác định: thiếu thông tin hoặc chưa được kiểm tra",
        "Unknown: facts missing or not checked yet",
    ),
    ("met", "Đã đáp ứng", "Met"),
)


@dataclass
class ObligationsPage:
    version_label: str = ""
    rows: list[ObligationRow] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    catalogue_missing: bool = False
    alarm: ObligationResult | None = None
    params: dict[str, Any] = field(default_factory=dict)
    # Decree 105 classification and who inspects: the "derived" block of the obligations view.
    derived: dict[str, Any] = field(default_factory=dict)
    on: dt.date | None = None

    @property
    def groups(self) -> list[ObligationGroup]:
        """The rows grouped by what to do: overdue, not met or due within the horizon (a met
        duty whose next date is near), unknown (with the facts that decide it), met."""
        horizon = settings.PORTAL_ACTIONS_HORIZON_DAYS
        buckets: dict[str, list[ObligationRow]] = {key: [] for key, _, _ in GROUPS}
        for row in self.rows:
            key = row.status if row.status in buckets else "unknown"
            if row.status == "not_met" or (
                row.status == "met" and row.days_left is not None and 0 <= row.days_left <= horizon
            ):
                key = "due_soon"
            buckets[key].append(row)
        return [
            ObligationGroup(key, vi, en, buckets[key]) for key, vi, en in GROUPS if buckets[key]
        ]


def obligations_page(
    premises: Premises, *, on: dt.date, status: str | None = None
) -> ObligationsPage:
    """Obligations sorted by urgency (overdue first, then by due date), optionally one status."""
    try:
        view = obligations_for(premises, on=on)
    except NoPublishedCatalogue:
        return ObligationsPage(catalogue_missing=True)
    results = view.evaluation.obligations
    ids = [r.requirement.id for r in results if r.requirement.id]
    evidence = dict(Requirement.objects.filter(pk__in=ids).values_list("pk", "evidence"))
    counts = {key: 0 for key in STATUS_ORDER}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    alarm = next(
        (r for r in results if (r.requirement.deadline_rule or {}).get("track") == "alarm_device"),
        None,
    )
    chosen = [r for r in results if not status or r.status == status]
    chosen.sort(
        key=lambda r: (
            STATUS_ORDER.get(r.status, 9),
            r.due_date or dt.date.max,
            r.requirement.order,
        )
    )
    self_answers = set(
        Answer.objects.filter(
            pk__in=view.answer_ids.values(), inspection__kind=Inspection.Kind.SELF
        ).values_list("pk", flat=True)
    )
    findings = dict(
        Finding.objects.filter(premises=premises, status=Finding.Status.OPEN)
        .exclude(requirement__isnull=True)
        .order_by("-pk")
        .values_list("requirement__code", "pk")
    )
    rows = [
        ObligationRow(
            r,
            list(evidence.get(r.requirement.id) or []),
            self_reported=view.answer_ids.get(r.requirement.code) in self_answers,
            missing_facts_labels=[fact_label(f) for f in r.missing_facts],
            open_finding_id=findings.get(r.requirement.code),
        )
        for r in chosen
    ]
    return ObligationsPage(
        on=on,
        version_label=view.version.label,
        rows=rows,
        advice=list(view.evaluation.advice),
        counts=counts,
        total=len(results),
        alarm=alarm,
        params=parameters_of(view.version),
        derived=view.as_dict()["derived"],
    )


@dataclass
class RoadmapCard:
    device_state: str
    device_state_label: str
    step: str  # in the active language
    deadline: dt.date | None
    days_left: int | None
    required: bool
    status: str | None
    milestones: list[dict[str, Any]]


def roadmap_card(premises: Premises, page: ObligationsPage, *, on: dt.date) -> RoadmapCard:
    """Device state against the 1 July 2027 deadline (a catalogue parameter, not a constant)."""
    raw = page.params.get(ALARM_DEADLINE_PARAM)
    deadline = dt.date.fromisoformat(str(raw)) if raw else None
    state = premises.alarm_device_state
    step = "declared" if state == "connected" and premises.fire_data_declared_on else state
    # The Art. 43 roadmap concerns only premises on the province's list of legacy premises.
    milestones = [
        {**m, "date": dt.date.fromisoformat(m["date"])}
        for m in page.params.get("roadmap.milestones") or []
        if m.get("roadmap") != "legacy_premises" or premises.legacy_noncompliant_listed
    ]
    return RoadmapCard(
        device_state=state,
        device_state_label=str(AlarmDeviceState(state).label),
        step=alarm_step(step),
        deadline=deadline,
        days_left=(deadline - on).days if deadline else None,
        required=page.alarm is not None,
        status=page.alarm.status if page.alarm else None,
        milestones=milestones,
    )


def premises_changes(premises: Premises, *, limit: int = 20) -> QuerySet[PremisesChange]:
    return premises.changes.select_related("changed_by").order_by("-changed_at", "-id")[:limit]
