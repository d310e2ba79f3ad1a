"""The reminder sweep: collect what is due today, record it once, send it once.

Every collector yields one page of reminders at a time; each page becomes Notification rows
(inserted once per unique key, set-based: services/notification_rows.py), then the immediate
rows are delivered (``delivery``). The management command and the Celery task call the two
entry points here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from inspections.rules.reminders.reminder import DueReminder
from inspections.services import notifications as notes
from inspections.services.digests import send_daily_digests
from inspections.services.reminders.certificates import certificate_reminders
from inspections.services.reminders.delivery import (
    Say,
    SweepResult,
    deliver_ids,
    deliver_leftovers,
)
from inspections.services.reminders.duties import duty_reminders
from inspections.services.reminders.findings import finding_reminders
from inspections.services.reminders.jurisdictions import Jurisdictions
from inspections.services.reminders.pages import EVERY_PREMISES, Span
from inspections.services.reminders.scheduled_inspections import inspection_reminders

T = TypeVar("T")
Collector = Callable[[date, Jurisdictions, int, Span], Iterator[list[DueReminder]]]

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
    span: Span = EVERY_PREMISES,
) -> SweepResult:
    """Record every reminder due ``today`` and (with ``send``) deliver the immediate ones.

    ``send=False`` only records rows and keeps the ids of those waiting to be sent in
    ``result.to_send`` (the Celery sweep then queues one task per row); ``dry_run`` writes
    nothing and reports what would be sent; ``span`` limits the sweep to one slice of premises
    (``reminders/slices.py``).
    """
    today = today or timezone.localdate()
    batch = batch or settings.REMINDER_BATCH_SIZE
    result = SweepResult()
    j = Jurisdictions.load()
    say = on_line or (lambda line: None)

    def settle(recorded: notes.Recorded) -> None:
        result.already_sent += recorded.already_sent
        result.held_for_digest += recorded.held_for_digest
        if send:
            deliver_ids(recorded.to_send, result, say)
        else:
            result.to_send += recorded.to_send

    with _writer(dry_run) as writer:
        pending: Future[notes.Recorded] | None = None
        for reminders in _pages(today, j, batch, span):
            rows, suppressed = notes.rows_for(reminders, webhooks_by_authority=j.webhooks)
            result.proposed += len(rows)
            result.suppressed += suppressed
            if dry_run:
                _report_dry_run(rows, result, say)
                continue
            queued = writer.submit(notes.record, rows, suppressed=suppressed)
            # The page before is settled (counted, delivered) once this one is queued.
            if pending is not None:
                settle(pending.result())
            pending = queued
        if pending is not None:
            settle(pending.result())
    if send and not dry_run:
        # Rows whose earlier attempt failed (now due again) and claims of dead workers.
        deliver_leftovers(result, say)
        if digests:
            result.sent += send_daily_digests(today=today, on_line=say)
    return result


def _pages(today: date, j: Jurisdictions, batch: int, span: Span) -> Iterator[list[DueReminder]]:
    """Every collector's pages of reminders, in turn, empty ones left out."""
    for collect in COLLECTORS:
        yield from (reminders for reminders in collect(today, j, batch, span) if reminders)


class _Inline(Executor):
    """Records a page at once, on the caller's connection."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        done: Future[T] = Future()
        done.set_result(fn(*args, **kwargs))
        return done


@contextmanager
def _writer(dry_run: bool) -> Iterator[Executor]:
    """Where pages are recorded: on PostgreSQL outside a transaction, by one background thread
    on its own connection, so that the database inserts a page while the sweep collects and
    renders the next (the wait for the database was a third of the sweep). Inside a caller's
    transaction (a test, an atomic block) the rows must be part of it: recorded inline.

    Exactly once is unchanged: each page is still one transaction that inserts only the keys
    not stored yet, and its rows are delivered only once it has committed.
    """
    if dry_run or connection.vendor != "postgresql" or connection.in_atomic_block:
        yield _Inline()
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sweep-record") as pool:
        try:
            yield pool
        finally:
            # The thread's own connection is closed by the thread itself.
            pool.submit(connections.close_all)


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
            f"{notes.payload_of(row).get('title_vi', '')}"
        )
