"""The yearly plan a manager draws up: premises falling due, what is planned, the calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, Q, prefetch_related_objects
from django.utils import timezone

from accounts.models import Authority, User
from inspections import access
from inspections.models import CalendarOverride, Inspection, Premises
from inspections.rules.facts import derive_facts
from inspections.rules.planning import inspection_regimes
from inspections.rules.yearly_plan import (
    PlanDue,
    due_in_year,
    earliest_inspection_day,
    notice_deadline,
    notice_working_days,
    plan_deadline,
)

from .catalogue import current_version, parameters_of
from .obligations import premises_facts
from .planning import CAPPED_KINDS, joint_partner_kind

DONE_STATES = (Inspection.State.SUBMITTED, Inspection.State.SIGNED)
CHUNK = 500


# --- Calendar -------------------------------------------------------------------------------


def working_calendar(years: Iterable[int]) -> tuple[set[date], set[date]]:
    """(days off, weekend working days) for ``years``: the ``holidays`` package's Vietnamese
    public holidays, corrected by the administrator's overrides (CalendarOverride)."""
    import holidays

    years = sorted(set(years))
    vn = holidays.country_holidays("VN", years=years)
    days_off = set(vn.keys())
    workdays = {d for d in getattr(vn, "weekend_workdays", set()) if d.year in years}
    for o in CalendarOverride.objects.filter(date__year__in=years):
        if o.day_off:
            days_off.add(o.date)
            workdays.discard(o.date)
        else:
            days_off.discard(o.date)
            workdays.add(o.date)
    return days_off, workdays


def _params() -> dict:
    version = current_version()
    return parameters_of(version) if version else {}


def plan_deadline_for(year: int) -> date:
    """Before which day the plan for ``year`` is due (catalogue parameter planning.schedule)."""
    return plan_deadline(year, _params())


def notice_deadline_for(inspection_day: date) -> date:
    """The last day the written notice of a periodic inspection on ``inspection_day`` may go."""
    days_off, workdays = working_calendar({inspection_day.year - 1, inspection_day.year})
    return notice_deadline(inspection_day, days_off, workdays, notice_working_days(_params()))


def earliest_periodic_day(notice_day: date | None = None) -> date:
    """The first day a periodic inspection may be held when notified on ``notice_day``."""
    notice_day = notice_day or timezone.localdate()
    days_off, workdays = working_calendar({notice_day.year, notice_day.year + 1})
    return earliest_inspection_day(notice_day, days_off, workdays, notice_working_days(_params()))


# --- The plan -------------------------------------------------------------------------------


@dataclass
class PlanRow:
    premises: Premises
    authority: Authority
    due: PlanDue
    planned: Inspection | None = None
    joint_with: str | None = None  # the other authority kind to inspect jointly with


@dataclass
class YearlyPlan:
    year: int
    deadline: date  # the plan is due before this day
    today: date
    rows: list[PlanRow] = field(default_factory=list)

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days

    @property
    def late(self) -> bool:
        return self.today >= self.deadline

    @property
    def planned_count(self) -> int:
        return sum(1 for r in self.rows if r.planned is not None)

    @property
    def unplanned_count(self) -> int:
        return len(self.rows) - self.planned_count


def _last_inspected_by_kind(premises, authority_kind: str):
    done = Q(
        inspections__kind__in=CAPPED_KINDS,
        inspections__state__in=DONE_STATES,
    ) & (
        Q(inspections__authority__kind=authority_kind)
        | Q(inspections__joint_authority__kind=authority_kind)
    )
    return premises.annotate(last_inspected_at=Max("inspections__submitted_at", filter=done))


def yearly_plan(user: User, year: int, *, today: date | None = None) -> YearlyPlan:
    """For each authority the user manages, the premises in its jurisdiction whose periodic
    inspection by that kind of authority falls due in ``year``, with the inspection already
    planned for it (its own or a joint one)."""
    today = today or timezone.localdate()
    params = _params()
    plan = YearlyPlan(year=year, deadline=plan_deadline(year, params), today=today)
    if not params:
        return plan
    for authority in access.authorities_of(user, access.MANAGING_ROLES):
        qs = _last_inspected_by_kind(
            Premises.objects.filter(access.jurisdiction_q([authority])), authority.kind
        ).order_by("name", "pk")
        rows: list[PlanRow] = []
        for start in range(0, qs.count(), CHUNK):
            chunk = list(qs[start : start + CHUNK])
            # premises_facts() reads the certificates: one query per chunk, not per row.
            prefetch_related_objects(chunk, "training_certificates")
            for p in chunk:
                regimes = inspection_regimes(derive_facts(premises_facts(p), params), params)
                last = timezone.localdate(p.last_inspected_at) if p.last_inspected_at else None
                due = due_in_year(regimes, authority.kind, last, year)
                if due is not None:
                    joint = joint_partner_kind(p, authority.kind, regimes)
                    rows.append(PlanRow(p, authority, due, None, joint))
        planned = (
            Inspection.objects.filter(
                premises__in=[r.premises.pk for r in rows],
                kind=Inspection.Kind.PERIODIC,
                scheduled_for__year=year,
            )
            .exclude(state=Inspection.State.CANCELLED)
            .filter(Q(authority=authority) | Q(joint_authority=authority))
            .select_related("authority", "joint_authority")
            .order_by("scheduled_for")
        )
        by_premises: dict[int, Inspection] = {}
        for i in planned:
            by_premises.setdefault(i.premises_id, i)
        for r in rows:
            r.planned = by_premises.get(r.premises.pk)
        plan.rows.extend(sorted(rows, key=lambda r: (r.due.due_on, r.premises.name)))
    return plan
