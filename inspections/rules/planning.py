"""Inspection planning rules: who inspects, when the next periodic inspection is due, the cap."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .applicability import Params
from .deadlines import add_months
from .decide import decide
from .reminders.wording import _, in_language, ngettext

# Authority kinds (accounts.Authority.Kind values); the mapping itself is a decree parameter.
FIRE_POLICE = "fire_police"
COMMUNE_COMMITTEE = "commune_committee"
CONSTRUCTION = "construction"
VEHICLE_REGISTRY = "vehicle_registry"

REGIMES_PARAM = "inspection.regimes"


@dataclass(frozen=True)
class InspectionRegime:
    """One authority's inspections of a premises (Decree 105 Art. 13.2).

    ``interval_months`` None: no periodic inspection (surprise inspections only, or the
    vehicle's own technical-inspection cycle). ``content_points``: the Art. 13.1 points that
    authority checks.
    """

    authority_kind: str
    interval_months: int | None
    content_points: tuple[str, ...] = ()
    source: str = ""
    regime_id: str = ""
    label_vi: str = ""
    label_en: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "authority_kind": self.authority_kind,
            "interval_months": self.interval_months,
            "content_points": list(self.content_points),
            "surprise_only": self.interval_months is None,
            "source": self.source,
            "regime": self.regime_id,
            "label_vi": self.label_vi,
            "label_en": self.label_en,
        }


def _regime(row: Mapping[str, Any]) -> InspectionRegime:
    months = row.get("interval_months")
    return InspectionRegime(
        authority_kind=str(row["authority"]),
        interval_months=int(months) if months is not None else None,
        content_points=tuple(str(p) for p in row.get("points") or ()),
        source=str(row.get("source", "")),
        regime_id=str(row.get("id", "")),
        label_vi=str(row.get("label_vi", "")),
        label_en=str(row.get("label_en", "")),
    )


def regimes_decision(
    facts: Mapping[str, Any], params: Params
) -> tuple[list[InspectionRegime], tuple[str, ...]]:
    """The regimes that surely apply, and the facts that would settle the undecided ones."""
    regimes: list[InspectionRegime] = []
    missing: dict[str, None] = {}
    for row in params.get(REGIMES_PARAM) or []:
        d = decide(row.get("when"), facts, params)
        if d.value is True:
            regimes.append(_regime(row))
        elif d.value is None:
            missing.update(dict.fromkeys(d.missing))
    return regimes, tuple(missing)


def inspection_regimes(facts: Mapping[str, Any], params: Params) -> list[InspectionRegime]:
    """Every authority that inspects the premises, primary first (catalogue order).

    Catalogues without ``inspection.regimes`` (2025.1) give their single authority and interval.
    """
    if REGIMES_PARAM in params:
        return regimes_decision(facts, params)[0]
    kind = _legacy_authority_kind(facts, params)
    if kind is None:
        return []
    return [InspectionRegime(kind, _legacy_interval_months(facts, params))]


def inspecting_authority_kind(facts: Mapping[str, Any], params: Params) -> str | None:
    """The primary inspecting authority (Decree 105 Art. 13.2; 2025.1: its Art. 42.2 mapping)."""
    if REGIMES_PARAM not in params:
        return _legacy_authority_kind(facts, params)
    regimes = inspection_regimes(facts, params)
    return regimes[0].authority_kind if regimes else None


def periodic_interval_months(facts: Mapping[str, Any], params: Params) -> int | None:
    """Months between the primary authority's periodic inspections (None: no periodic duty)."""
    if REGIMES_PARAM not in params:
        return _legacy_interval_months(facts, params)
    for regime in inspection_regimes(facts, params):
        return regime.interval_months
    return None


def _legacy_authority_kind(facts: Mapping[str, Any], params: Params) -> str | None:
    mapping = params.get("inspection_authority") or {}
    if facts.get("in_appendix_ii") and mapping.get("appendix_ii"):
        return mapping["appendix_ii"]
    return mapping.get(facts.get("kind", "")) or None


def _legacy_interval_months(facts: Mapping[str, Any], params: Params) -> int | None:
    freq = params.get("frequency.periodic_inspection_months") or {}
    group = facts.get("appendix_ii_group")
    if group in (1, 2):
        return freq.get(f"appendix_ii_group_{group}")
    if facts.get("under_fire_safety_management"):
        return freq.get("appendix_i")
    return freq.get("other")


def next_periodic_due(
    facts: Mapping[str, Any], params: Params, last_inspected_on: date | None, on: date
) -> date | None:
    """When the authority's next periodic inspection falls due (None: no periodic duty).

    A premises never inspected is due now: nothing shows it was ever checked.
    """
    months = periodic_interval_months(facts, params)
    if not months:
        return None
    if last_inspected_on is None:
        return on
    return add_months(last_inspected_on, int(months))


@dataclass(frozen=True)
class CapDecision:
    """Resolution 198/2025/QH15 Art. 4: may another inspection be planned this year?"""

    allowed: bool
    capped: bool  # the premises is an enterprise/household business subject to the cap
    count_this_year: int
    max_per_year: int
    needs_reason: bool
    reason: str
    year: int
    public_body: bool = False

    @property
    def message(self) -> str:
        """What the planner reads, in the active language."""
        return cap_message(self)

    def as_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "capped": self.capped,
            "count_this_year": self.count_this_year,
            "max_per_year": self.max_per_year,
            "needs_reason": self.needs_reason,
            "reason": self.reason,
            "message_vi": in_language("vi", lambda: cap_message(self)),
            "message_en": in_language("en", lambda: cap_message(self)),
        }


def cap_message(d: CapDecision) -> str:
    """The decision said to the planner (Vietnamese msgids, English in locale/en)."""
    if not d.capped:
        if d.public_body:
            return _("Không áp dụng giới hạn số lần kiểm tra (cơ quan, đơn vị nhà nước).")
        return _("Không áp dụng giới hạn số lần kiểm tra (không phải doanh nghiệp, hộ kinh doanh).")
    names = {
        "count": d.count_this_year,
        "max": d.max_per_year,
        "year": d.year,
        "reason": d.reason,
    }
    if not d.needs_reason:
        return _("Đã kiểm tra %(count)d/%(max)d lần trong năm %(year)d.") % names
    if d.allowed:
        return (
            _(
                "Vượt giới hạn %(max)d lần/năm (Nghị quyết 198/2025/QH15 Điều 4); "
                "lý do được ghi nhận: %(reason)s"
            )
            % names
        )
    return (
        ngettext(
            "Cơ sở đã được kiểm tra %(count)d lần trong năm %(year)d; Nghị quyết 198/2025/QH15 "
            "Điều 4 chỉ cho phép %(max)d lần/năm trừ khi có dấu hiệu vi phạm rõ ràng — cần ghi "
            "lý do.",
            "Cơ sở đã được kiểm tra %(count)d lần trong năm %(year)d; Nghị quyết 198/2025/QH15 "
            "Điều 4 chỉ cho phép %(max)d lần/năm trừ khi có dấu hiệu vi phạm rõ ràng — cần ghi "
            "lý do.",
            d.count_this_year,
        )
        % names
    )


def cap_decision(
    kind: str,
    inspection_dates: Iterable[date],
    on: date,
    reason: str | None,
    params: Params,
    *,
    public_body: bool = False,
) -> CapDecision:
    """Count authority inspections in the calendar year of ``on`` and apply the cap.

    Past the cap the plan is allowed only with a recorded reason (signs of violation). The cap
    protects enterprises and business households, not public bodies (``public_body``).
    """
    cap = params.get("inspection_cap") or {}
    max_per_year = int(cap.get("max_per_year", 1))
    kinds = cap.get("kinds") or ["establishment", "home_business"]
    reason = (reason or "").strip()
    count = sum(1 for d in inspection_dates if d.year == on.year)
    if kind not in kinds or public_body:
        return CapDecision(
            True, False, count, max_per_year, False, reason, on.year, public_body=public_body
        )
    if count < max_per_year:
        return CapDecision(True, True, count, max_per_year, False, reason, on.year)
    if reason:
        return CapDecision(True, True, count, max_per_year, True, reason, on.year)
    return CapDecision(False, True, count, max_per_year, True, "", on.year)
