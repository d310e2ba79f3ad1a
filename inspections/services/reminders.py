"""The reminder sweep: find what is due today, record it once, send it once.

Premises, findings, inspections and certificates are read in keyset pages (``id > last``,
``REMINDER_BATCH_SIZE`` rows, values only), so 100,000 premises never sit in memory at once.
Each page becomes Notification rows (inserted once per unique key, set-based:
services/notification_rows.py) and every pending row is claimed with a conditional update before it is sent: the sweep can
run twice, or on two workers at the same time, and each reminder still goes out once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts import divisions
from accounts.models import Authority, Membership
from inspections import access
from inspections.models import (
    Citation,
    Finding,
    Inspection,
    Obligation,
    Premises,
    TrainingCertificate,
    WebhookEndpoint,
)
from inspections.rules import reminders as rules
from inspections.rules.obligations import MET
from inspections.selectors.catalogue import current_version, specs_and_params
from inspections.selectors.notifications import reminder_config
from inspections.services import notifications as notes
from inspections.services.digests import send_daily_digests
from inspections.services.obligations import REFRESH_BATCH_SIZE, refresh_many

logger = logging.getLogger(__name__)

ONE_OFF_DUTIES = ("alarm_roadmap", "data_declaration_due")


@dataclass
class SweepResult:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    retrying: int = 0
    held_for_digest: int = 0
    suppressed: int = 0
    proposed: int = 0

    def as_json(self) -> dict[str, int]:
        return {"sent": self.sent, "already_sent": self.already_sent, "failed": self.failed}


@dataclass
class Jurisdictions:
    """Authorities (few) held in memory: who covers a ward, who manages, which webhooks."""

    by_province: dict[int, list[Authority]] = field(default_factory=dict)
    managers: dict[int, list[int]] = field(default_factory=dict)
    webhooks: dict[int, list[WebhookEndpoint]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Jurisdictions:
        j = cls()
        for a in Authority.objects.all():
            j.by_province.setdefault(a.province_code, []).append(a)
        for aid, uid in Membership.objects.filter(
            role__in=(Membership.Role.MANAGER, Membership.Role.ADMIN), user__is_active=True
        ).values_list("authority_id", "user_id"):
            j.managers.setdefault(aid, []).append(uid)
        for hook in WebhookEndpoint.objects.filter(active=True):
            j.webhooks.setdefault(hook.authority_id, []).append(hook)
        return j

    def covering(self, province_code: int, ward_code: int) -> tuple[int, ...]:
        held = self.by_province.get(province_code, ())
        return tuple(
            a.pk for a in access.authorities_covering(province_code, ward_code, among=held)
        )

    def managers_of(self, province_code: int, ward_code: int) -> list[int]:
        return [
            u for aid in self.covering(province_code, ward_code) for u in self.managers.get(aid, ())
        ]


def _pages(qs, fields: list[str], batch: int) -> Iterator[list[dict[str, Any]]]:
    """Keyset pagination over ``qs`` by id: constant memory, stable under concurrent inserts."""
    last = 0
    while True:
        rows = list(qs.filter(id__gt=last).order_by("id").values("id", *fields)[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def _heads_of(premises_ids: list[int]) -> dict[int, list[int]]:
    through = Premises.heads.through
    out: dict[int, list[int]] = defaultdict(list)
    for pid, uid in through.objects.filter(
        premises_id__in=premises_ids, user__is_active=True
    ).values_list("premises_id", "user_id"):
        out[pid].append(uid)
    return out


# --- Reminder generators (one page of reminders at a time) ---------------------------------


def inspection_reminders(
    today: date, j: Jurisdictions, batch: int
) -> Iterator[list[rules.Reminder]]:
    config = reminder_config("inspection_due")
    horizon = today + timedelta(days=rules.lookahead_days(config))
    qs = Inspection.objects.filter(
        state=Inspection.State.SCHEDULED, scheduled_for__isnull=False, scheduled_for__lte=horizon
    )
    fields = [
        "premises_id",
        "premises__name",
        "premises__address_line",
        "premises__ward_code",
        "premises__province_code",
        "kind",
        "scheduled_for",
        "authority_id",
    ]
    labels = dict(Inspection.Kind.choices)
    en = {
        "self": "Self-inspection",
        "periodic": "Periodic inspection",
        "unannounced": "Unannounced inspection",
        "reinspection": "Re-inspection",
    }
    for page in _pages(qs, fields, batch):
        ids = [r["id"] for r in page]
        inspectors: dict[int, list[int]] = defaultdict(list)
        for iid, uid in Inspection.inspectors.through.objects.filter(
            inspection_id__in=ids, user__is_active=True
        ).values_list("inspection_id", "user_id"):
            inspectors[iid].append(uid)
        out = []
        for r in page:
            address = ", ".join(
                p
                for p in (
                    r["premises__address_line"],
                    divisions.ward_name(r["premises__ward_code"]),
                    divisions.province_name(r["premises__province_code"]),
                )
                if p
            )
            rem = rules.inspection_reminder(
                inspection_id=r["id"],
                premises_id=r["premises_id"],
                premises_name=r["premises__name"],
                address=address,
                kind_vi=str(labels.get(r["kind"], r["kind"])),
                kind_en=en.get(r["kind"], r["kind"]),
                scheduled_for=r["scheduled_for"],
                inspector_ids=inspectors.get(r["id"], ()),
                authority_id=r["authority_id"],
                today=today,
                config=config,
            )
            if rem:
                out.append(rem)
        yield out


def _finding_cites(requirement_ids: set[int]) -> dict[int, list[rules.Cite]]:
    from inspections.selectors.catalogue import citation_ref

    out: dict[int, list[rules.Cite]] = defaultdict(list)
    for c in (
        Citation.objects.filter(requirement_id__in=requirement_ids)
        .select_related("provision__document")
        .order_by("requirement_id", "order")
    ):
        out[c.requirement_id].append(rules.catalogue_cite(citation_ref(c)))
    return out


def finding_reminders(today: date, j: Jurisdictions, batch: int) -> Iterator[list[rules.Reminder]]:
    config = reminder_config("finding_deadline")
    manager_config = reminder_config("finding_overdue_manager")
    horizon = today + timedelta(days=rules.lookahead_days(config))
    qs = Finding.objects.filter(
        status=Finding.Status.OPEN,
        remediation_deadline__isnull=False,
        remediation_deadline__lte=horizon,
    )
    fields = [
        "premises_id",
        "premises__name",
        "premises__province_code",
        "premises__ward_code",
        "description",
        "remediation_deadline",
        "requirement_id",
    ]
    for page in _pages(qs, fields, batch):
        heads = _heads_of(list({r["premises_id"] for r in page}))
        cites = _finding_cites({r["requirement_id"] for r in page if r["requirement_id"]})
        out = []
        for r in page:
            prov, ward = r["premises__province_code"], r["premises__ward_code"]
            covering = j.covering(prov, ward)
            rem = rules.finding_reminder(
                finding_id=r["id"],
                premises_id=r["premises_id"],
                premises_name=r["premises__name"],
                description=r["description"],
                deadline=r["remediation_deadline"],
                head_ids=heads.get(r["premises_id"], ()),
                cites=cites.get(r["requirement_id"], ()),
                authority_ids=covering,
                today=today,
                config=config,
            )
            if rem:
                out.append(rem)
            mgr = rules.finding_overdue_manager_reminder(
                finding_id=r["id"],
                premises_id=r["premises_id"],
                premises_name=r["premises__name"],
                ward_name=divisions.ward_name(ward),
                description=r["description"],
                deadline=r["remediation_deadline"],
                manager_ids=j.managers_of(prov, ward),
                today=today,
                config=manager_config,
            )
            if mgr:
                out.append(mgr)
        yield out


def certificate_reminders(
    today: date, j: Jurisdictions, batch: int
) -> Iterator[list[rules.Reminder]]:
    config = reminder_config("training_expiry")
    horizon = today + timedelta(days=rules.lookahead_days(config))
    qs = TrainingCertificate.objects.filter(expires_on__isnull=False, expires_on__lte=horizon)
    fields = [
        "premises_id",
        "premises__name",
        "premises__province_code",
        "premises__ward_code",
        "holder_name",
        "expires_on",
        "duty",
    ]
    for page in _pages(qs, fields, batch):
        # A holder with a newer certificate that is still valid needs no reminder.
        heads = _heads_of(list({r["premises_id"] for r in page}))
        newer = set(
            TrainingCertificate.objects.filter(
                premises_id__in={r["premises_id"] for r in page}, expires_on__gt=horizon
            ).values_list("premises_id", "holder_name")
        )
        out = []
        for r in page:
            if (r["premises_id"], r["holder_name"]) in newer:
                continue
            rem = rules.training_reminder(
                certificate_id=r["id"],
                premises_id=r["premises_id"],
                premises_name=r["premises__name"],
                holder_name=r["holder_name"],
                expires_on=r["expires_on"],
                duty=r["duty"],
                head_ids=heads.get(r["premises_id"], ()),
                authority_ids=j.covering(r["premises__province_code"], r["premises__ward_code"]),
                today=today,
                config=config,
            )
            if rem:
                out.append(rem)
        yield out


def duty_reminders(today: date, j: Jurisdictions, batch: int) -> Iterator[list[rules.Reminder]]:
    """Catalogue duties with a deadline (alarm roadmap, drill, self-inspection, insurance).

    Read from the stored obligations: whether a duty applies, its status, due date and reason
    were decided by the catalogue's rules when the obligations were refreshed
    (services/obligations.py), so nothing here knows which premises are in Appendix I or what
    the roadmap date is, and the rules are not run again for every premises. Obligations that
    are missing, older than the facts or the catalogue, or computed before ``today`` are
    refreshed first (normally none: the daily refresh runs before the first sweep).
    """
    version = current_version()
    if version is None:
        logger.warning("no published catalogue: roadmap, drill and insurance reminders skipped")
        return
    specs, _params = specs_and_params(version)
    duties = {s.id: (rules.duty_kind(s.deadline_rule), s) for s in specs if not s.advice}
    duties = {rid: (k, s) for rid, (k, s) in duties.items() if k}
    configs = {k: reminder_config(k) for k, _ in duties.values()}
    spec_cites = {
        s.code: tuple(rules.catalogue_cite(c) for c in s.citations) for _, s in duties.values()
    }
    horizon = today + timedelta(days=max(map(rules.lookahead_days, configs.values()), default=0))
    _refresh_stale_obligations(today)
    # Only premises someone can act on: a reminder needs a head to go to.
    through = Premises.heads.through
    qs = Premises.objects.filter(Exists(through.objects.filter(premises_id=OuterRef("pk"))))
    fields = ["name", "province_code", "ward_code", "alarm_device_state"]
    for page in _pages(qs, fields, batch):
        ids = [r["id"] for r in page]
        heads = _heads_of(ids)
        stored: dict[int, list[tuple]] = defaultdict(list)
        for pid, *row in (
            Obligation.objects.filter(
                premises_id__in=ids, requirement_id__in=duties, due_on__lte=horizon
            )
            .order_by("premises_id", "requirement__order", "requirement_id")
            .values_list(
                "premises_id", "requirement_id", "status", "due_on", "reason_vi", "reason_en"
            )
        ):
            stored[pid].append(row)
        out = []
        for r in page:
            head_ids = heads.get(r["id"])
            if not head_ids or r["id"] not in stored:
                continue
            # One premises whose reminder cannot be built is logged and skipped: the reminders
            # of every other premises still go out.
            try:
                out += _duty_reminders_of(
                    r,
                    stored[r["id"]],
                    head_ids=head_ids,
                    today=today,
                    j=j,
                    duties=duties,
                    configs=configs,
                    spec_cites=spec_cites,
                )
            except Exception:
                logger.exception("reminders: premises %s skipped", r["id"])
        yield out


def _duty_reminders_of(
    r: dict[str, Any],
    obligations: list[tuple],
    *,
    head_ids: list[int],
    today: date,
    j: Jurisdictions,
    duties: dict[int, tuple[str, Any]],
    configs: dict[str, rules.ReminderConfig],
    spec_cites: dict[str, tuple[rules.Cite, ...]],
) -> list[rules.Reminder]:
    found = []
    covering = j.covering(r["province_code"], r["ward_code"])
    seen: set[tuple[str, date]] = set()
    for rid, status, due, reason_vi, reason_en in obligations:
        kind, spec = duties[rid]
        # A one-off duty already done (device connected, data declared) needs no reminder.
        if kind in ONE_OFF_DUTIES and status == MET:
            continue
        if (kind, due) in seen:  # two requirements, one duty (Art. 20.5 and 23.1.c)
            continue
        seen.add((kind, due))
        rem = rules.duty_reminder(
            kind=kind,
            premises_id=r["id"],
            premises_name=r["name"],
            due=due,
            head_ids=head_ids,
            reason_vi=reason_vi,
            reason_en=reason_en,
            cites=spec_cites[spec.code],
            authority_ids=covering,
            today=today,
            config=configs[kind],
            alarm_state=r["alarm_device_state"],
        )
        if rem:
            found.append(rem)
    return found


def _refresh_stale_obligations(today: date) -> None:
    """Bring the stored obligations of premises with a head up to date for ``today``.

    Stale means missing, older than the facts or the catalogue, or computed on an earlier day
    (a status or a "next 31 December" moves with the date). A sweep for a past day never
    rewrites obligations with that day's view: the portal shows them.
    """
    from inspections.selectors.obligations import premises_with_stale_obligations

    start_of_day = timezone.make_aware(datetime.combine(today, time.min))
    through = Premises.heads.through
    with_heads = Exists(through.objects.filter(premises_id=OuterRef("pk")))
    stale = premises_with_stale_obligations() | Premises.objects.filter(
        obligations_computed_at__lt=start_of_day
    )
    qs = stale.filter(with_heads).order_by("pk")
    refresh_many(qs.iterator(chunk_size=REFRESH_BATCH_SIZE), on=max(today, timezone.localdate()))


GENERATORS: tuple[Callable[[date, Jurisdictions, int], Iterator[list[rules.Reminder]]], ...] = (
    inspection_reminders,
    finding_reminders,
    certificate_reminders,
    duty_reminders,
)


# --- The sweep -----------------------------------------------------------------------------


def run_sweep(
    *,
    today: date | None = None,
    dry_run: bool = False,
    send: bool = True,
    digests: bool = False,
    on_line: Callable[[str], None] | None = None,
    batch: int | None = None,
) -> SweepResult:
    """Record every reminder due ``today`` and (with ``send``) deliver the immediate ones.

    ``send=False`` only records rows (the Celery sweep then queues one task per row);
    ``dry_run`` writes nothing and reports what would be sent.
    """
    today = today or timezone.localdate()
    batch = batch or settings.REMINDER_BATCH_SIZE
    result = SweepResult()
    j = Jurisdictions.load()
    say = on_line or (lambda line: None)
    for generator in GENERATORS:
        for reminders in generator(today, j, batch):
            if not reminders:
                continue
            rows, suppressed = notes.rows_for(reminders, webhooks_by_authority=j.webhooks)
            result.proposed += len(rows)
            result.suppressed += suppressed
            if dry_run:
                existing = notes.existing_rows(rows)
                for row in rows:
                    if notes.row_key(row) in existing:
                        result.already_sent += 1
                    else:
                        result.sent += 1
                        say(
                            f"(dry run) {row.channel} {row.recipient_key} {row.delivery}: "
                            f"{row.kind} [{row.stage}] {row.subject_key} due {row.due_on}: "
                            f"{row.payload.get('title_vi', '')}"
                        )
                continue
            recorded = notes.record(rows, suppressed=suppressed)
            result.already_sent += recorded.already_sent
            result.held_for_digest += recorded.held_for_digest
            if send:
                _deliver_ids(recorded.to_send, result, say)
    if send and not dry_run:
        # Rows whose earlier attempt failed (now due again) and claims of dead workers.
        _deliver_leftovers(result, say)
        if digests:
            result.sent += send_daily_digests(today=today, on_line=say)
    return result


def _deliver_ids(ids: list[int], result: SweepResult, say: Callable[[str], None]) -> None:
    for pk in ids:
        outcome = notes.deliver(pk)
        if outcome.status == "sent":
            result.sent += 1
            n = outcome.notification
            say(
                f"sent {n.channel} {n.recipient_key}: {n.kind} [{n.stage}] {n.subject_key} "
                f"due {n.due_on}: {n.payload.get('title_vi', '')}"
            )
        elif outcome.status == "failed":
            result.failed += 1
            say(f"failed #{pk}: {outcome.error}")
        elif outcome.status == "retry":
            result.retrying += 1
            say(f"will retry #{pk}: {outcome.error}")
        else:
            result.already_sent += 1


def _deliver_leftovers(result: SweepResult, say: Callable[[str], None]) -> None:
    last = 0
    while True:
        ids = notes.pending_ids(limit=500, after_id=last)
        if not ids:
            return
        _deliver_ids(ids, result, say)
        last = ids[-1]


def record_due_reminders(*, today: date | None = None) -> list[int]:
    """Record today's reminders without sending; the ids of rows waiting to be sent."""
    run_sweep(today=today, send=False)
    ids: list[int] = []
    last = 0
    while True:
        page = notes.pending_ids(limit=1000, after_id=last)
        if not page:
            return ids
        ids.extend(page)
        last = page[-1]
