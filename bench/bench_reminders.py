"""Reminder sweep over N premises (default 100,000) on a fresh PostgreSQL database.

    .venv/bin/python bench/bench_reminders.py [--premises N] [--workers W] [--summary]
        [--refresh] [--slices-only]
    (database pccc_bench_reminders, or BENCH_DATABASE, on DATABASE_URL's server, default
    127.0.0.1: DROPPED and created again on every run; no other database is touched)

Data: premises with varied facts and heads (bench/common.py), scheduled inspections with their
inspectors, open findings, training certificates, and obligations computed by the engine
(services/obligations.py, not a fixed few; its daily slices over the workers), then ANALYZE. Phases, each with wall and CPU time
(the whole process, and the main thread's share), statements of every connection (COPY
included; the sweep's writer thread has its own, counted apart too) and p50/p95 per recorded
batch:
  0. --refresh: the daily obligations refresh as the beat task queues it (slices over the
     workers), right after the fill: nothing has changed, so it is the steady daily figure;
  1. the first sweep in one process (record rows only: ``run_sweep``, the command's path);
     then the log is emptied again (--slices-only skips this phase and phase 2);
  1w. the first sweep as production runs it: the beat task's slices (``slices.py``) run by
     ``--workers`` worker processes (default one per core, as the notifications pool);
  2w. the same sweep again in slices: steady state, every row already recorded (the daily
     figure);
  2. the steady sweep in one process;
  3. delivery of BENCH_SEND pending rows through Django's dummy mail backend;
  floor: COPY of the same notification rows into an empty copy of the table with its indexes,
  measured in the same run, and each sweep's ratio to it;
  --summary: compliance_summary() and the summary e-mail for the province-wide authority.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    TODAY,
    Phase,
    analyze,
    copy_floor,
    database_size,
    fresh_database,
    generate_premises,
    measure,
    ratio,
    table_sizes,
    timed_calls,
)
from bench.workers import counted, in_workers  # noqa: E402

# Dropped and created again on every run; BENCH_DATABASE names another one (two people benching
# on one server at once), which must start with "pccc_" too.
DATABASE = os.environ.get("BENCH_DATABASE", "pccc_bench_reminders")
SEND = int(os.environ.get("BENCH_SEND", 2_000))
NOTIFICATION_COLUMNS = ["kind", "subject_key", "due_on", "stage", "channel", "recipient_key",
                        "user_id", "webhook_id", "premises_id", "delivery", "status", "attempts",
                        "claim_token", "error", "payload", "created_at"]  # fmt: skip


def generate_activity(world: dict, n: int) -> None:
    """Inspections (5% of premises, half scheduled around today), findings (20%), on the
    premises generate_premises made."""
    from django.db import transaction

    from inspections.models import Finding, Inspection
    from inspections.selectors.catalogue import current_version

    rng = random.Random(11)
    ids, authority, inspectors = world["premises_ids"], world["authority"], world["inspectors"]
    version = current_version()
    with transaction.atomic():
        inspections = Inspection.objects.bulk_create(
            [
                Inspection(
                    premises_id=rng.choice(ids),
                    authority=authority,
                    kind=Inspection.Kind.PERIODIC,
                    catalogue_version=version,
                    state=Inspection.State.SCHEDULED if i % 2 else Inspection.State.SIGNED,
                    scheduled_for=TODAY + timedelta(days=rng.randint(-10, 10)),
                )
                for i in range(max(2, n // 20))
            ],
            batch_size=5000,
        )
        through = Inspection.inspectors.through
        through.objects.bulk_create(
            [through(inspection_id=x.pk, user_id=rng.choice(inspectors).pk) for x in inspections],
            batch_size=10000,
        )
        signed = [x for x in inspections if x.state == Inspection.State.SIGNED]
        Finding.objects.bulk_create(
            [
                Finding(
                    inspection=(ins := rng.choice(signed)),
                    premises_id=ins.premises_id,
                    description=f"Vi phạm {i}",
                    severity="major",
                    remediation_deadline=TODAY + timedelta(days=rng.randint(-30, 30)),
                )
                for i in range(n // 5)
            ],
            batch_size=5000,
        )


def notification_floor() -> float:
    from inspections.models import Notification

    rows = list(Notification.objects.order_by("pk").values_list(*NOTIFICATION_COLUMNS))
    rows = [(*r[:-2], json.dumps(r[-2]), r[-1]) for r in rows]
    return copy_floor("inspections_notification", NOTIFICATION_COLUMNS, rows)


def payload_size() -> float:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT avg(length(payload::text)) FROM inspections_notification")
        return float(cur.fetchone()[0] or 0)


def _refresh_slice(first_pk: int, last_pk: int | None) -> tuple[Any, ...]:
    """The daily obligations refresh of one slice (setup): (statements, seconds, rows)."""
    from inspections.services.obligations import refresh_slice

    with counted() as figures:
        r = refresh_slice(first_pk, last_pk, on=TODAY)
    return (*figures, r.written)


def _sweep_slice(first_pk: int, last_pk: int | None) -> tuple[Any, ...]:
    """One slice in a worker process, as ``record_slice`` runs it: (statements, wall seconds,
    rows proposed, rows waiting to be sent)."""
    from inspections.services.reminders.pages import Span
    from inspections.services.reminders.sweep import run_sweep

    with counted() as figures:
        r = run_sweep(today=TODAY, send=False, span=Span(first_pk, last_pk))
    return (*figures, r.proposed, len(r.to_send))


def sliced(label: str, workers: int) -> tuple[Phase, int]:
    """The sweep as the beat task queues it, slices over ``workers`` processes; its phase and
    the rows proposed."""
    from inspections.services.reminders.slices import sweep_slices

    phase, results = in_workers(label, _sweep_slice, sweep_slices, workers)
    return phase, sum(r[0] for r in results)


def one_process(label: str) -> tuple[Phase, Any]:
    from inspections.services import notifications as notes
    from inspections.services.reminders.sweep import run_sweep

    with timed_calls(notes, "record") as samples:
        result = measure(label, lambda: run_sweep(today=TODAY, send=False), samples=samples)
    return measure.last, result


def empty_log() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("TRUNCATE inspections_notification")
    analyze()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--premises", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--summary", action="store_true")
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="also time the daily obligations refresh (slices) after the fill",
    )
    parser.add_argument(
        "--slices-only",
        action="store_true",
        help="skip the one-process sweeps (phases 1 and 2), as at 1,000,000",
    )
    args = parser.parse_args()
    n, workers = args.premises, args.workers
    if not DATABASE.startswith("pccc_"):
        sys.exit("BENCH_DATABASE must start with pccc_ (the bench drops it)")
    fresh_database(DATABASE)
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    from inspections.models import Notification
    from inspections.services import notifications as notes
    from inspections.services.obligations import refresh_slices

    world = generate_premises(n)
    generate_activity(world, n)
    _, filled = in_workers("obligations computed by the engine (setup)", _refresh_slice,
                           refresh_slices, workers)  # fmt: skip
    print(
        f"   {sum(r[0] for r in filled)} obligation rows; ANALYZE after loading: {analyze():.1f} s"
    )
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {n} premises,"
          f" batch {settings.REMINDER_BATCH_SIZE}")  # fmt: skip
    if args.refresh:
        _, daily = in_workers("0. daily obligations refresh in slices (production's beat task)",
                              _refresh_slice, refresh_slices, workers)  # fmt: skip
        print(
            f"   {sum(r[0] for r in daily)} obligation rows written (nothing changed since the fill)"
        )

    if not args.slices_only:
        first_one, first = one_process("1. first sweep, one process (record only)")
        print(f"   {first.proposed} rows proposed, {Notification.objects.count()} in the log")
        empty_log()
    first_phase, proposed = sliced("1w. first sweep in slices (beat task)", workers)
    rows = Notification.objects.count()
    print(f"   {proposed} rows proposed, {rows} in the log")
    print(f"   ANALYZE after the first sweep: {analyze():.1f} s")
    steady_phase, proposed = sliced(
        "2w. same sweep again in slices (steady: all recorded)", workers
    )
    print(f"   rows still {Notification.objects.count()}, {proposed} proposed again; "
          f"{steady_phase.queries / max(n, 1) * 1000:.2f} statements per 1,000 premises")  # fmt: skip
    if not args.slices_only:
        steady_one, again = one_process("2. steady sweep again, one process")
        print(f"   rows still {Notification.objects.count()}, {again.proposed} proposed again")
    floor = notification_floor()
    print(f"floor: COPY of the {rows} rows into an empty indexed copy      {floor:8.2f} s")
    ratio("first sweep (slices) vs COPY of its rows", first_phase.wall, floor, "floor: raw COPY")
    ratio("steady sweep (slices) vs COPY of the rows", steady_phase.wall, floor, "floor: raw COPY")
    if not args.slices_only:
        ratio("first sweep (one process) vs COPY", first_one.wall, floor, "floor: raw COPY")
        ratio("steady sweep (one process) vs COPY", steady_one.wall, floor, "floor: raw COPY")

    ids = notes.pending_ids(limit=SEND)

    def deliver_all() -> int:
        return sum(1 for pk in ids if notes.deliver(pk).status == "sent")

    sent = measure(f"3. deliver {len(ids)} e-mails (claim, render, send, mark)", deliver_all)
    print(f"   sent {sent}; payload {payload_size():.0f} bytes on average")
    if args.summary:
        summary()
    print(f"database size {database_size()}; "
          + table_sizes("inspections_premises", "inspections_obligation", "inspections_notification"))  # fmt: skip
    print(
        f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


def summary() -> None:
    from accounts.models import Authority
    from inspections.models import Notification
    from inspections.selectors.compliance import compliance_summary, period_ending_before
    from inspections.services.summaries import record_summaries
    from inspections.services.summary_delivery import build_summary_email, spreadsheets

    authority = Authority.objects.get(name__startswith="Bench")
    period = period_ending_before("weekly", TODAY)
    summary = measure(
        "4a. compliance_summary(), province-wide", lambda: compliance_summary(authority, period)
    )
    print(
        f"   {len(summary.wards)} wards, {summary.total.premises_total} premises, roadmap "
        f"{summary.total.roadmap_connected}/{summary.total.roadmap_obligated}"
    )
    figures = summary.figures()
    csv_bytes, xlsx_bytes = measure(
        f"4b. CSV + XLSX of {summary.total.premises_total} rows",
        lambda: spreadsheets(authority, period, figures, "vi"),
    )
    print(f"   CSV {len(csv_bytes) / 2**20:.1f} MiB, XLSX {len(xlsx_bytes) / 2**20:.1f} MiB")
    ids = measure(
        "4c. record summaries (snapshot + rows)",
        lambda: record_summaries(period="weekly", today=TODAY),
    )
    n = Notification.objects.filter(pk__in=ids, subject_key=f"authority:{authority.pk}").first()
    msg = measure(
        "4d. summary e-mail (PDF + chart + XLSX + CSV)",
        lambda: build_summary_email(n),
    )
    sizes = ", ".join(f"{name} {len(data) / 2**10:.0f} KiB" for name, data, _ in msg.attachments)
    print(f"   attachments: {sizes}")


if __name__ == "__main__":
    main()
