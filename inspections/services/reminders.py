"""The reminder sweep: find what is due today, record it once, send it once.

Premises, findings, inspections and certificates are read in keyset pages (``id > last``,
``REMINDER_BATCH_SIZE`` rows, values only), so 100,000 premises never sit in memory at once.
Each page becomes Notification rows (``bulk_create(ignore_conflicts=True)`` on the unique key)
and every pending row is claimed with a conditional update before it is sent: the sweep can
run twice, or on two workers at the same time, and each reminder still goes out once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
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
    Premises,
    TrainingCertificate,
    WebhookEndpoint,
)
from inspections.rules import reminders as rules
from inspections.rules.facts import FACT_DEFAULTS, derive_facts
from inspections.rules.obligations import MET, applicable, evaluate_status
from inspections.selectors.catalogue import current_version, specs_and_params
from inspections.selectors.notifications import reminder_config
from inspections.services import notifications as notes

logger = logging.getLogger(__name__)

ONE_OFF_DUTIES = ("alarm_roadmap", "data_declaration_due")
PREMISES_FACT_FIELDS = [f.name for f in Premises._meta.get_fields() if f.name in FACT_DEFAULTS]


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

    Whether a duty applies is decided by the published catalogue's own applicability rules on
    the premises' derived facts (inspections/rules/obligations.py), and the deadline comes from
    its decree parameters (roadmap.alarm_transmission_deadline, frequency.*): nothing here
    knows which premises are in Appendix I or what the roadmap date is.
    """
    version = current_version()
    if version is None:
        logger.warning("no published catalogue: roadmap, drill and insurance reminders skipped")
        return
    specs, params = specs_and_params(version)
    duties = [(rules.duty_kind(s.deadline_rule), s) for s in specs if not s.advice]
    duties = [(k, s) for k, s in duties if k]
    configs = {k: reminder_config(k) for k, _ in duties}
    spec_cites = {s.code: tuple(rules.catalogue_cite(c) for c in s.citations) for _, s in duties}
    # Only premises someone can act on: a reminder needs a head to go to.
    through = Premises.heads.through
    qs = Premises.objects.filter(Exists(through.objects.filter(premises_id=OuterRef("pk"))))
    fields = ["name", *PREMISES_FACT_FIELDS]
    for page in _pages(qs, fields, batch):
        heads = _heads_of([r["id"] for r in page])
        out = []
        for r in page:
            head_ids = heads.get(r["id"])
            if not head_ids:
                continue
            # One premises with bad data (e.g. a date stored before input was checked) is
            # logged and skipped: the reminders of every other premises still go out.
            try:
                found = []
                facts = derive_facts(r, params)
                covering = j.covering(r["province_code"], r["ward_code"])
                seen: set[tuple[str, date]] = set()
                for kind, spec in duties:
                    result = applicable(spec, facts, params)
                    if result is None:
                        continue
                    status, due, *_rest = evaluate_status(spec, facts, params, None, today)
                    # A one-off duty already done (device connected, data declared) needs no
                    # reminder.
                    if due is None or (kind in ONE_OFF_DUTIES and status == MET):
                        continue
                    if (kind, due) in seen:  # two requirements, one duty (Art. 20.5 and 23.1.c)
                        continue
                    seen.add((kind, due))
                    reason_vi, reason_en = _reason(result.because, facts)
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
                        alarm_state=facts.get("alarm_device_state"),
                    )
                    if rem:
                        found.append(rem)
                out.extend(found)
            except Exception:
                logger.exception("reminders: premises %s skipped", r["id"])
        yield out


def _reason(because, facts: dict[str, Any]) -> tuple[str, str]:
    vi = [b.vi for b in because if b.vi]
    en = [b.en for b in because if b.en]
    where_vi = f" tại {facts['province_name']}" if facts.get("province_name") else ""
    where_en = f" in {facts['province_name']}" if facts.get("province_name") else ""
    base_vi = f"Nghĩa vụ áp dụng cho cơ sở{where_vi}"
    base_en = f"The duty applies to these premises{where_en}"
    return (
        base_vi + (": " + "; ".join(vi) if vi else "") + ".",
        base_en + (": " + "; ".join(en) if en else "") + ".",
    )


GENERATORS: tuple[Callable[[date, Jurisdictions, int], Iterator[list[rules.Reminder]]], ...] = (
    inspection_reminders,
    finding_reminders,
    certificate_reminders,
    duty_reminders,
)


# --- The sweep -----------------------------------------------------------------------------


def describe(r: rules.Reminder, uid_or_hook: str) -> str:
    return f"{r.kind} [{r.stage}] due {r.due_on.isoformat()} {r.subject_key} → {uid_or_hook}: {r.title_vi}"


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
            result.sent += notes.send_digests(on_line=say)
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
