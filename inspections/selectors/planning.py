"""Planning reads: which authority inspects a premises, next periodic date, the yearly cap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from inspections.models import Inspection, Premises
from inspections.rules.facts import derive_facts
from inspections.rules.planning import (
    CapDecision,
    InspectionRegime,
    cap_decision,
    inspecting_authority_kind,
    inspection_regimes,
    next_periodic_due,
)

from .catalogue import current_version, parameters_of
from .obligations import premises_facts


def _params() -> dict:
    # Without a published catalogue the cap still applies with its statutory defaults
    # (one a year for enterprises and household businesses, Resolution 198/2025/QH15).
    version = current_version()
    return parameters_of(version) if version else {}


# Kinds counted by the cap: a re-inspection checks violations already found (the "signs of
# violation" exception) and a self-inspection is the head's own, so neither counts.
CAPPED_KINDS = (Inspection.Kind.PERIODIC, Inspection.Kind.UNANNOUNCED)


def _inspection_day(inspection: Inspection) -> date:
    if inspection.scheduled_for:
        return inspection.scheduled_for
    moment = inspection.started_at or inspection.created_at
    return timezone.localdate(moment)


def authority_inspections(premises: Premises, year: int, exclude_id: int | None = None):
    qs = (
        Inspection.objects.filter(premises=premises, kind__in=CAPPED_KINDS)
        .exclude(state=Inspection.State.CANCELLED)
        .filter(
            Q(scheduled_for__year=year)
            | Q(scheduled_for__isnull=True, started_at__year=year)
            | Q(scheduled_for__isnull=True, started_at__isnull=True, created_at__year=year)
        )
    )
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs


def check_inspection_cap(
    premises: Premises,
    on: date | None = None,
    reason: str | None = None,
    *,
    exclude_inspection_id: int | None = None,
) -> CapDecision:
    """May an authority plan another inspection of this premises in the year of ``on``?

    Callers store ``reason`` on the inspection (``cap_override_reason``) when
    ``decision.needs_reason`` is true and the plan goes ahead.
    """
    on = on or timezone.localdate()
    params = _params()
    dates = [
        _inspection_day(i) for i in authority_inspections(premises, on.year, exclude_inspection_id)
    ]
    return cap_decision(
        premises.kind, dates, on, reason, params, public_body=premises.is_public_body
    )


@dataclass(frozen=True)
class PlanningInfo:
    authority_kind: str | None
    last_inspected_on: date | None
    next_due_on: date | None


def planning_for(premises: Premises, on: date | None = None) -> PlanningInfo:
    on = on or timezone.localdate()
    params = _params()
    facts = derive_facts(premises_facts(premises), params)
    last = (
        Inspection.objects.filter(premises=premises, kind__in=CAPPED_KINDS)
        .filter(state__in=[Inspection.State.SUBMITTED, Inspection.State.SIGNED])
        .order_by("-ended_at", "-submitted_at")
        .first()
    )
    last_on = None
    if last is not None:
        moment = last.ended_at or last.submitted_at
        last_on = timezone.localdate(moment) if moment else last.scheduled_for
    return PlanningInfo(
        authority_kind=inspecting_authority_kind(facts, params),
        last_inspected_on=last_on,
        next_due_on=next_periodic_due(facts, params, last_on, on),
    )


def regimes_for(premises: Premises) -> list[InspectionRegime]:
    params = _params()
    return inspection_regimes(derive_facts(premises_facts(premises), params), params)


# The two authorities Decree 105 sends to an Appendix II establishment (Art. 13.2.a and b).
JOINT_KINDS = frozenset({"fire_police", "construction"})


def joint_partners(premises: Premises, authority_kind: str) -> list:
    """Authorities that may inspect ``premises`` jointly with one of ``authority_kind``."""
    from accounts.models import Authority

    other = joint_partner_kind(premises, authority_kind)
    if other is None:
        return []
    from inspections import access

    candidates = Authority.objects.filter(kind=other, province_code=premises.province_code)
    return access.authorities_covering(premises.province_code, premises.ward_code, among=candidates)


def joint_partner_kind(
    premises: Premises, authority_kind: str, regimes: list[InspectionRegime] | None = None
) -> str | None:
    """The other authority to offer a joint inspection to, or None.

    Resolution 198/2025/QH15 Art. 4 allows one inspection a year of a business: where both the
    police and the construction authority must inspect it, they inspect it together.
    """
    if premises.is_public_body or premises.kind not in ("establishment", "home_business"):
        return None
    if authority_kind not in JOINT_KINDS:
        return None
    if regimes is None:
        regimes = regimes_for(premises)
    kinds = {r.authority_kind for r in regimes}
    if not kinds >= JOINT_KINDS:
        return None
    (other,) = JOINT_KINDS - {authority_kind}
    return other
