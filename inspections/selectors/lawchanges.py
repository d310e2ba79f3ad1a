"""Changes in the law as people see them: per premises for heads, per obligation for managers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from inspections.models import LawChange, Premises, PremisesLawChange
from inspections.rules import lawchange_notices
from inspections.rules import lawchanges as rules

from .catalogue import upcoming_versions


@dataclass
class PremisesChangeView:
    premises_id: int
    premises_name: str
    catalogue_version: str
    from_version: str | None
    effective_on: date
    changes: list[dict[str, Any]]

    def lines(self, lang: str) -> list[str]:
        return [lawchange_notices.change_line(c, lang) for c in self.changes]

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {
            "premises": self.premises_id,
            "premises_name": self.premises_name,
            "catalogue_version": self.catalogue_version,
            "from_version": self.from_version,
            "effective_on": self.effective_on.isoformat(),
            "changes": [
                {**c, "text": lawchange_notices.change_line(c, lang)} for c in self.changes
            ],
        }


@dataclass
class SummaryView:
    catalogue_version: str
    from_version: str | None
    effective_on: date
    premises_changed: int
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "catalogue_version": self.catalogue_version,
            "from_version": self.from_version,
            "effective_on": self.effective_on.isoformat(),
            "premises_changed": self.premises_changed,
            "obligations": self.rows,
        }


def upcoming(on: date) -> list[dict[str, Any]]:
    """Versions published ahead of their date: what will change, and from when."""
    return [
        {
            "catalogue_version": v.label,
            "effective_on": v.effective_on.isoformat(),
            "legal_basis": list(v.legal_basis.values_list("code", flat=True)),
            "notes": v.notes,
        }
        for v in upcoming_versions(on).prefetch_related("legal_basis")
    ]


def premises_law_changes(premises: QuerySet[Premises]) -> QuerySet[PremisesLawChange]:
    """What each change in the law changed for these premises, newest change first."""
    return (
        PremisesLawChange.objects.filter(premises__in=premises)
        .select_related("premises", "law_change__to_version", "law_change__from_version")
        .order_by("-law_change__effective_on", "-law_change_id", "premises__name", "premises_id")
    )


def premises_change_view(row: PremisesLawChange) -> PremisesChangeView:
    change = row.law_change
    return PremisesChangeView(
        premises_id=row.premises_id,
        premises_name=row.premises.name,
        catalogue_version=change.to_version.label,
        from_version=change.from_version.label if change.from_version_id else None,
        effective_on=change.effective_on,
        changes=list(row.changes),
    )


def jurisdiction_summaries(premises: QuerySet[Premises], *, limit: int = 10) -> list[SummaryView]:
    """Per completed law change: how many premises of the jurisdiction gain or lose which
    obligation (the managers' view)."""
    changes = list(
        LawChange.objects.filter(completed_at__isnull=False)
        .select_related("to_version", "from_version")
        .order_by("-effective_on", "-id")[:limit]
    )
    per_change: dict[int, list[list[dict[str, Any]]]] = defaultdict(list)
    for law_change_id, items in PremisesLawChange.objects.filter(
        law_change__in=changes, premises__in=premises
    ).values_list("law_change_id", "changes"):
        per_change[law_change_id].append(items)
    return [
        SummaryView(
            catalogue_version=c.to_version.label,
            from_version=c.from_version.label if c.from_version_id else None,
            effective_on=c.effective_on,
            premises_changed=len(per_change.get(c.pk, [])),
            rows=rules.authority_counts(per_change.get(c.pk, [])),
        )
        for c in changes
        if c.from_version_id
    ]
