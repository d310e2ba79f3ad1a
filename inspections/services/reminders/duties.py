"""Collect the reminders of catalogue duties with a deadline (alarm roadmap, drill,
self-inspection, PC04 report, first data declaration, insurance) from stored obligations.

Whether a duty applies, its status, due date and reason were decided by the catalogue's rules
when the obligations were refreshed (services/obligations.py), so nothing here knows which
premises are in Appendix I or what the roadmap date is, and the rules are not run again for
every premises. Obligations that are missing, older than the facts or the catalogue, or
computed before ``today`` are refreshed first (normally none: the daily refresh runs before the
first sweep).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from inspections.lookups import AnyOf
from inspections.models import Obligation, Premises
from inspections.rules.reminders.citations import Cite, catalogue_cite
from inspections.rules.reminders.duties import duty_kind, duty_reminder
from inspections.rules.reminders.reminder import DueReminder
from inspections.rules.reminders.schedule import ReminderConfig, lookahead_days
from inspections.rules.requirements import RequirementSpec
from inspections.rules.statuses import MET
from inspections.selectors.catalogue import current_version, specs_and_params
from inspections.selectors.notifications import reminder_config
from inspections.selectors.obligations import premises_with_stale_obligations
from inspections.services.obligations import REFRESH_BATCH_SIZE, refresh_many
from inspections.services.reminders.jurisdictions import Jurisdictions
from inspections.services.reminders.pages import EVERY_PREMISES, Span, heads_of, pages

logger = logging.getLogger(__name__)

# Done once for good: a connected device or declared data needs no further reminder.
ONE_OFF_DUTIES = ("alarm_roadmap", "data_declaration_due")

FIELDS = ["name", "province_code", "ward_code", "alarm_device_state"]

# (requirement id, status, due date, reason vi, reason en) of one stored obligation.
StoredDuty = tuple[int, str, date, str, str]


@dataclass(frozen=True)
class TrackedDuties:
    """The catalogue's requirements that a reminder kind tracks, with settings and citations."""

    kinds: dict[int, tuple[str, RequirementSpec]]  # requirement id → (reminder kind, spec)
    configs: dict[str, ReminderConfig]
    cites: dict[str, tuple[Cite, ...]]  # requirement code → citations

    @classmethod
    def of(cls, specs: list[RequirementSpec]) -> TrackedDuties:
        kinds = {}
        for s in specs:
            kind = None if s.advice else duty_kind(s.deadline_rule)
            if kind and s.id is not None:
                kinds[s.id] = (kind, s)
        return cls(
            kinds=kinds,
            configs={k: reminder_config(k) for k, _ in kinds.values()},
            cites={
                s.code: tuple(catalogue_cite(c) for c in s.citations) for _, s in kinds.values()
            },
        )

    def horizon(self, today: date) -> date:
        """The last due date any tracked kind reminds of today."""
        return today + timedelta(days=max(map(lookahead_days, self.configs.values()), default=0))


def duty_reminders(
    today: date, j: Jurisdictions, batch: int, span: Span = EVERY_PREMISES
) -> Iterator[list[DueReminder]]:
    """Reminders of the duties stored for premises with a head, one page of premises at a time."""
    version = current_version()
    if version is None:
        logger.warning("no published catalogue: roadmap, drill and insurance reminders skipped")
        return
    specs, _params = specs_and_params(version)
    duties = TrackedDuties.of(specs)
    horizon = duties.horizon(today)
    _refresh_stale_obligations(today, span)
    # Only premises someone can act on: a reminder needs a head to go to.
    through = Premises.heads.through
    qs = span.of(
        Premises.objects.filter(Exists(through.objects.filter(premises_id=OuterRef("pk")))), "pk"
    )
    for page in pages(qs, FIELDS, batch):
        ids = [r["id"] for r in page]
        heads = heads_of(ids)
        stored = _stored_duties(ids, duties, horizon)
        out: list[DueReminder] = []
        for r in page:
            head_ids = heads.get(r["id"])
            if not head_ids or r["id"] not in stored:
                continue
            # One premises whose reminder cannot be built is logged and skipped: the reminders
            # of every other premises still go out.
            try:
                out += _duty_reminders_of(
                    r, stored[r["id"]], head_ids=head_ids, today=today, j=j, duties=duties
                )
            except Exception:
                logger.exception("reminders: premises %s skipped", r["id"])
        yield out


def _stored_duties(
    premises_ids: list[int], duties: TrackedDuties, horizon: date
) -> dict[int, list[StoredDuty]]:
    """The tracked obligations due up to ``horizon``, per premises, in catalogue order."""
    stored: dict[int, list[StoredDuty]] = defaultdict(list)
    for pid, *row in (
        Obligation.objects.filter(
            AnyOf(F("premises_id"), premises_ids),
            requirement_id__in=duties.kinds,
            due_on__lte=horizon,
        )
        .order_by("premises_id", "requirement__order", "requirement_id")
        .values_list("premises_id", "requirement_id", "status", "due_on", "reason_vi", "reason_en")
    ):
        stored[pid].append(tuple(row))  # type: ignore[arg-type]
    return stored


def _duty_reminders_of(
    r: dict[str, Any],
    obligations: list[StoredDuty],
    *,
    head_ids: list[int],
    today: date,
    j: Jurisdictions,
    duties: TrackedDuties,
) -> list[DueReminder]:
    found = []
    covering = j.covering(r["province_code"], r["ward_code"])
    seen: set[tuple[str, date]] = set()
    for rid, status, due, reason_vi, reason_en in obligations:
        kind, spec = duties.kinds[rid]
        # A one-off duty already done (device connected, data declared) needs no reminder.
        if kind in ONE_OFF_DUTIES and status == MET:
            continue
        if (kind, due) in seen:  # two requirements, one duty (Art. 20.5 and 23.1.c)
            continue
        seen.add((kind, due))
        rem = duty_reminder(
            kind=kind,
            premises_id=r["id"],
            premises_name=r["name"],
            due=due,
            head_ids=head_ids,
            reason_vi=reason_vi,
            reason_en=reason_en,
            cites=duties.cites[spec.code],
            authority_ids=covering,
            today=today,
            config=duties.configs[kind],
            alarm_state=r["alarm_device_state"],
        )
        if rem:
            found.append(rem)
    return found


def _refresh_stale_obligations(today: date, span: Span) -> None:
    """Bring the stored obligations of the span's premises with a head up to date for ``today``.

    Stale means missing, older than the facts or the catalogue, or computed on an earlier day
    (a status or a "next 31 December" moves with the date). A sweep for a past day never
    rewrites obligations with that day's view: the portal shows them.
    """
    start_of_day = timezone.make_aware(datetime.combine(today, time.min))
    through = Premises.heads.through
    with_heads = Exists(through.objects.filter(premises_id=OuterRef("pk")))
    stale = premises_with_stale_obligations() | Premises.objects.filter(
        obligations_computed_at__lt=start_of_day
    )
    qs = span.of(stale.filter(with_heads), "pk").order_by("pk")
    refresh_many(qs.iterator(chunk_size=REFRESH_BATCH_SIZE), on=max(today, timezone.localdate()))
