"""The reminder sweep: collect what is due today, record it once, send it once.

Every collector yields one page of reminders at a time; each page becomes Notification rows
(inserted once per unique key, set-based: services/notification_rows.py), then the immediate
rows are delivered (``delivery``). The management command and the Celery task call the two
entry points here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from django.conf import settings
from django.utils import timezone

from inspections.rules.reminders.reminder import Reminder
from inspections.services import notifications as notes
from inspections.services.digests import send_daily_digests
from inspections.services.reminders.certificates import certificate_reminders
from inspections.services.reminders.delivery import (
    Say,
    SweepResult,
    all_pending_ids,
    deliver_ids,
    deliver_leftovers,
)
from inspections.services.reminders.duties import duty_reminders
from inspections.services.reminders.findings import finding_reminders
from inspections.services.reminders.jurisdictions import Jurisdictions
from inspections.services.reminders.scheduled_inspections import inspection_reminders

Collector = Callable[[date, Jurisdictions, int], Iterator[list[Reminder]]]

COLLECTORS: tuple[Collector, ...] = (
    inspection_reminders,
    finding_reminders,
    certificate_reminders,
    duty_reminders,
)


def run_sweep(
    *,
    today: date | None = None,
    dry_run: bool = False,
    send: bool = True,
    digests: bool = False,
    on_line: Say | None = None,
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
    for collect in COLLECTORS:
        for reminders in collect(today, j, batch):
            if not reminders:
                continue
            rows, suppressed = notes.rows_for(reminders, webhooks_by_authority=j.webhooks)
            result.proposed += len(rows)
            result.suppressed += suppressed
            if dry_run:
                _report_dry_run(rows, result, say)
                continue
            recorded = notes.record(rows, suppressed=suppressed)
            result.already_sent += recorded.already_sent
            result.held_for_digest += recorded.held_for_digest
            if send:
                deliver_ids(recorded.to_send, result, say)
    if send and not dry_run:
        # Rows whose earlier attempt failed (now due again) and claims of dead workers.
        deliver_leftovers(result, say)
        if digests:
            result.sent += send_daily_digests(today=today, on_line=say)
    return result


def _report_dry_run(rows: list[notes.Proposal], result: SweepResult, say: Say) -> None:
    """Count and print what recording ``rows`` would send, writing nothing."""
    existing = notes.existing_rows(rows)
    for row in rows:
        if notes.row_key(row) in existing:
            result.already_sent += 1
            continue
        result.sent += 1
        say(
            f"(dry run) {row.channel} {row.recipient_key} {row.delivery}: "
            f"{row.kind} [{row.stage}] {row.subject_key} due {row.due_on}: "
            f"{row.payload.get('title_vi', '')}"
        )


def record_due_reminders(*, today: date | None = None) -> list[int]:
    """Record today's reminders without sending; the ids of rows waiting to be sent."""
    run_sweep(today=today, send=False)
    return all_pending_ids()
