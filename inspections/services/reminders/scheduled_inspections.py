"""Collect the reminders of scheduled inspections: their assigned inspectors, page by page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import F

from accounts import divisions
from inspections.lookups import AnyOf
from inspections.models import Inspection
from inspections.rules.reminders.reminder import DueReminder
from inspections.rules.reminders.schedule import ReminderConfig, lookahead_days
from inspections.rules.reminders.scheduled_inspections import inspection_reminder
from inspections.selectors.notifications import reminder_config
from inspections.services.reminders.jurisdictions import Jurisdictions
from inspections.services.reminders.pages import EVERY_PREMISES, Span, pages

FIELDS = [
    "premises_id",
    "premises__name",
    "premises__address_line",
    "premises__ward_code",
    "premises__province_code",
    "kind",
    "scheduled_for",
    "authority_id",
]


def inspection_reminders(
    today: date, j: Jurisdictions, batch: int, span: Span = EVERY_PREMISES
) -> Iterator[list[DueReminder]]:
    """Scheduled inspections not yet carried out, up to the largest offset ahead."""
    config = reminder_config("inspection_due")
    horizon = today + timedelta(days=lookahead_days(config))
    qs = span.of(
        Inspection.objects.filter(
            state=Inspection.State.SCHEDULED,
            scheduled_for__isnull=False,
            scheduled_for__lte=horizon,
        )
    )
    for page in pages(qs, FIELDS, batch):
        inspectors = _inspectors_of([r["id"] for r in page])
        found = (_reminder(r, inspectors.get(r["id"], []), today, config) for r in page)
        yield [rem for rem in found if rem]


def _inspectors_of(inspection_ids: list[int]) -> dict[int, list[int]]:
    """Active inspectors assigned per inspection (one query)."""
    inspectors: dict[int, list[int]] = defaultdict(list)
    for iid, uid in Inspection.inspectors.through.objects.filter(
        AnyOf(F("inspection_id"), inspection_ids), user__is_active=True
    ).values_list("inspection_id", "user_id"):
        inspectors[iid].append(uid)
    return inspectors


def _address(r: dict[str, Any]) -> str:
    parts = (
        r["premises__address_line"],
        divisions.ward_name(r["premises__ward_code"]),
        divisions.province_name(r["premises__province_code"]),
    )
    return ", ".join(p for p in parts if p)


def _reminder(
    r: dict[str, Any], inspector_ids: list[int], today: date, config: ReminderConfig
) -> DueReminder | None:
    kind = r["kind"]
    return inspection_reminder(
        inspection_id=r["id"],
        premises_id=r["premises_id"],
        premises_name=r["premises__name"],
        address=_address(r),
        # The translatable label, said in each language of the reminder.
        kind_label=Inspection.Kind(kind).label if kind in Inspection.Kind.values else kind,
        scheduled_for=r["scheduled_for"],
        inspector_ids=inspector_ids,
        authority_id=r["authority_id"],
        today=today,
        config=config,
    )
