"""Collect the reminders of open findings: remediation deadlines for heads, overdue findings for
the managers of the jurisdiction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from accounts import divisions
from inspections.models import Citation, Finding
from inspections.rules.reminders.citations import Cite, catalogue_cite
from inspections.rules.reminders.findings import (
    finding_overdue_manager_reminder,
    finding_reminder,
)
from inspections.rules.reminders.reminder import DueReminder
from inspections.rules.reminders.schedule import ReminderConfig, lookahead_days
from inspections.selectors.catalogue import citation_ref
from inspections.selectors.notifications import reminder_config
from inspections.services.reminders.jurisdictions import Jurisdictions
from inspections.services.reminders.pages import EVERY_PREMISES, Span, heads_of, pages

FIELDS = [
    "premises_id",
    "premises__name",
    "premises__province_code",
    "premises__ward_code",
    "description",
    "remediation_deadline",
    "requirement_id",
]


@dataclass(frozen=True)
class _Page:
    """What one page of findings needs besides its rows."""

    today: date
    j: Jurisdictions
    heads: dict[int, list[int]]
    cites: dict[int, list[Cite]]
    config: ReminderConfig
    manager_config: ReminderConfig


def finding_reminders(
    today: date, j: Jurisdictions, batch: int, span: Span = EVERY_PREMISES
) -> Iterator[list[DueReminder]]:
    """Open findings with a remediation deadline, up to the largest offset ahead."""
    config = reminder_config("finding_deadline")
    manager_config = reminder_config("finding_overdue_manager")
    horizon = today + timedelta(days=lookahead_days(config))
    qs = span.of(
        Finding.objects.filter(
            status=Finding.Status.OPEN,
            remediation_deadline__isnull=False,
            remediation_deadline__lte=horizon,
        )
    )
    for rows in pages(qs, FIELDS, batch):
        page = _Page(
            today=today,
            j=j,
            heads=heads_of(list({r["premises_id"] for r in rows})),
            cites=_finding_cites({r["requirement_id"] for r in rows if r["requirement_id"]}),
            config=config,
            manager_config=manager_config,
        )
        yield [rem for r in rows for rem in _reminders_of(r, page) if rem]


def _finding_cites(requirement_ids: set[int]) -> dict[int, list[Cite]]:
    """The catalogue citations of the findings' requirements (one query)."""
    out: dict[int, list[Cite]] = defaultdict(list)
    for c in (
        Citation.objects.filter(requirement_id__in=requirement_ids)
        .select_related("provision__document")
        .order_by("requirement_id", "order")
    ):
        out[c.requirement_id].append(catalogue_cite(citation_ref(c)))
    return out


def _reminders_of(r: dict[str, Any], page: _Page) -> tuple[DueReminder | None, DueReminder | None]:
    """The heads' reminder and the managers' one of a finding (either may be None)."""
    prov, ward = r["premises__province_code"], r["premises__ward_code"]
    heads = finding_reminder(
        finding_id=r["id"],
        premises_id=r["premises_id"],
        premises_name=r["premises__name"],
        description=r["description"],
        deadline=r["remediation_deadline"],
        head_ids=page.heads.get(r["premises_id"], ()),
        cites=page.cites.get(r["requirement_id"], ()),
        authority_ids=page.j.covering(prov, ward),
        today=page.today,
        config=page.config,
    )
    managers = finding_overdue_manager_reminder(
        finding_id=r["id"],
        premises_id=r["premises_id"],
        premises_name=r["premises__name"],
        ward_name=divisions.ward_name(ward),
        description=r["description"],
        deadline=r["remediation_deadline"],
        manager_ids=page.j.managers_of(prov, ward),
        today=page.today,
        config=page.manager_config,
    )
    return heads, managers
