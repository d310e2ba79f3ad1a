"""Reminder sweep and compliance summary over 100,000 premises; prints figures, asserts none.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pccc_reminders .venv/bin/python bench/bench_reminders.py

Creates the database if missing, migrates, loads the catalogue, bulk-generates the data once
(premises with heads, scheduled inspections, open findings, certificates, roadmap obligations;
re-runs reuse it, BENCH_REGENERATE=1 rebuilds it), then measures, each phase with its wall time,
SQL query count and Python memory peak (tracemalloc):

1. the sweep as the Celery beat task runs it (record rows only, one send task per row);
2. the same sweep again (everything already recorded: nothing new);
3. delivery of BENCH_SEND pending rows (claim, render vi/en e-mail, send, mark) through
   Django's dummy mail backend, so SMTP latency is not measured;
4. (BENCH_ONLY=summary: this phase alone) compliance_summary() for a province-wide authority, the CSV + XLSX of 100,000 rows, and the
   whole summary e-mail (PDF with chart, XLSX, CSV).
"""

from __future__ import annotations

import os
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pccc_reminders")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

PREMISES = int(os.environ.get("BENCH_PREMISES", 100_000))
HEADS = PREMISES // 5
INSPECTIONS = int(os.environ.get("BENCH_INSPECTIONS", 5_000))
FINDINGS = int(os.environ.get("BENCH_FINDINGS", 20_000))
SEND = int(os.environ.get("BENCH_SEND", 2_000))
TAG = "bench-rem"
HANOI = 1
TODAY = date(2026, 11, 23)  # fixed, so windows (roadmap T-365 ...) are the same on every run


def ensure_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


class Queries:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def measure(label: str, fn: Callable[[], Any], *, trace: bool = False) -> Any:
    """Wall time, CPU time of this process, queries; with ``trace`` also the Python memory peak
    (tracemalloc slows allocation-heavy code, so traced times read high)."""
    from django.db import connection

    counter = Queries()
    if trace:
        tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        result = fn()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    line = f"{label:<56} {elapsed:8.2f} s wall {cpu:8.2f} s cpu {counter.n:7d} queries"
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        line += f"  peak {peak / 2**20:6.1f} MiB (tracemalloc)"
    print(line, flush=True)
    return result


def generate() -> None:
    from django.db import transaction

    from accounts import divisions
    from accounts.models import Authority, Membership, User
    from inspections.models import (
        AlarmDeviceState,
        Finding,
        Inspection,
        Obligation,
        ObligationStatus,
        Premises,
        PremisesKind,
        TrainingCertificate,
    )
    from inspections.selectors.catalogue import current_version

    version = current_version()
    rng = random.Random(7)
    wards = [code for code, _ in divisions.ward_choices(HANOI)]
    t0 = time.perf_counter()
    with transaction.atomic():
        # Inspections protect their premises and authority: remove them first.
        Inspection.objects.filter(premises__external_id__startswith=TAG).delete()
        Premises.objects.filter(external_id__startswith=TAG).delete()
        User.objects.filter(email__endswith=f"@{TAG}.test").delete()
        Authority.objects.filter(name__startswith="Bench").delete()
        authority = Authority.objects.create(
            name="Bench: Công an Thành phố Hà Nội",
            kind=Authority.Kind.FIRE_POLICE,
            province_code=HANOI,
            ward_codes=[],
        )
        manager = User.objects.create_user(f"manager@{TAG}.test", None, full_name="Bench Manager")
        Membership.objects.create(user=manager, authority=authority, role="manager")
        users = User.objects.bulk_create(
            [
                User(
                    email=f"u{i}@{TAG}.test",
                    full_name=f"Người dùng {i}",
                    language="en" if i % 10 == 0 else "vi",
                    password="!",
                )
                for i in range(HEADS + 50)
            ],
            batch_size=5000,
        )
        heads, inspectors = users[:HEADS], users[HEADS:]
        Membership.objects.bulk_create(
            [Membership(user=u, authority=authority, role="inspector") for u in inspectors]
        )
        categories = ["karaoke", "hotel", "restaurant", "office", "shop", "apartment", "factory"]
        premises = []
        for i in range(PREMISES):
            r = rng.random()
            kind = (
                PremisesKind.ESTABLISHMENT
                if r < 0.7
                else PremisesKind.HOME
                if r < 0.95
                else PremisesKind.HOME_BUSINESS
            )
            state = rng.choice(
                [AlarmDeviceState.CONNECTED] * 3
                + [AlarmDeviceState.INSTALLED] * 2
                + [AlarmDeviceState.NONE] * 5
            )
            premises.append(
                Premises(
                    external_id=f"{TAG}-{i}",
                    kind=kind,
                    name=f"Cơ sở {i}",
                    address_line=f"{i} phố Bench",
                    province_code=HANOI,
                    ward_code=rng.choice(wards),
                    occupancy_category=rng.choice(categories)
                    if kind == PremisesKind.ESTABLISHMENT
                    else "",
                    floors=rng.randint(1, 12),
                    floor_area_m2=rng.randint(50, 5000),
                    business_area_m2=rng.randint(20, 400)
                    if kind == PremisesKind.HOME_BUSINESS
                    else None,
                    in_infra_deficient_area=kind == PremisesKind.HOME and rng.random() < 0.3,
                    alarm_device_state=state,
                    fire_data_declared_on=TODAY - timedelta(days=100)
                    if state == AlarmDeviceState.CONNECTED
                    else None,
                    insurance_expires_on=TODAY + timedelta(days=rng.randint(-60, 400))
                    if rng.random() < 0.4
                    else None,
                    last_drill_on=TODAY - timedelta(days=rng.randint(200, 500))
                    if rng.random() < 0.5
                    else None,
                    last_self_inspection_on=TODAY - timedelta(days=rng.randint(100, 500))
                    if rng.random() < 0.5
                    else None,
                )
            )
        premises = Premises.objects.bulk_create(premises, batch_size=5000)
        through = Premises.heads.through
        through.objects.bulk_create(
            [through(premises_id=p.pk, user_id=heads[i // 5].pk) for i, p in enumerate(premises)],
            batch_size=10000,
        )
        inspections = Inspection.objects.bulk_create(
            [
                Inspection(
                    premises=premises[rng.randrange(PREMISES)],
                    authority=authority,
                    kind=Inspection.Kind.PERIODIC,
                    catalogue_version=version,
                    state=Inspection.State.SCHEDULED if i % 2 else Inspection.State.SIGNED,
                    scheduled_for=TODAY + timedelta(days=rng.randint(-10, 10)),
                )
                for i in range(INSPECTIONS)
            ],
            batch_size=5000,
        )
        it = Inspection.inspectors.through
        it.objects.bulk_create(
            [it(inspection_id=x.pk, user_id=rng.choice(inspectors).pk) for x in inspections],
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
                for i in range(FINDINGS)
            ],
            batch_size=5000,
        )
        TrainingCertificate.objects.bulk_create(
            [
                TrainingCertificate(
                    premises=p,
                    holder_name=f"Người {p.pk}",
                    expires_on=TODAY + timedelta(days=rng.randint(-20, 300)),
                )
                for p in premises[::10]
            ],
            batch_size=5000,
        )
        roadmap = version.requirements.get(code="L55-23.1.c")
        Obligation.objects.bulk_create(
            [
                Obligation(
                    premises=p,
                    requirement=roadmap,
                    status=ObligationStatus.MET
                    if p.alarm_device_state == AlarmDeviceState.CONNECTED
                    else ObligationStatus.NOT_MET,
                    due_on=date(2027, 7, 1),
                )
                for p in premises
                if p.kind == PremisesKind.ESTABLISHMENT
            ],
            batch_size=5000,
        )
    print(f"generated {PREMISES} premises and the rest in {time.perf_counter() - t0:.1f} s")


def payload_size() -> float:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT avg(length(payload::text)) FROM inspections_notification")
        return float(cur.fetchone()[0] or 0)


def main() -> None:
    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    call_command("migrate", verbosity=0)
    from inspections.legal.catalogue_file import latest_catalogue_file
    from inspections.models import Notification, Premises
    from inspections.selectors.catalogue import current_version
    from inspections.services.catalogue import load_catalogue

    if current_version() is None:
        load_catalogue(latest_catalogue_file(), publish=True)
    existing = Premises.objects.filter(external_id__startswith=TAG).count()
    if existing != PREMISES or os.environ.get("BENCH_REGENERATE"):
        generate()
    from accounts.models import Authority
    from inspections.selectors.compliance import compliance_summary, period_ending_before
    from inspections.services import notifications as notes
    from inspections.services.reminders import run_sweep
    from inspections.services.summaries import record_summaries
    from inspections.services.summary_delivery import build_summary_email, spreadsheets

    Notification.objects.filter(
        premises__external_id__startswith=TAG
    ).delete()  # every run measures a first sweep
    Notification.objects.filter(kind__startswith="summary").delete()
    from inspections.models import ComplianceSnapshot

    ComplianceSnapshot.objects.filter(authority__name__startswith="Bench").delete()
    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"{Premises.objects.count()} premises, batch {settings.REMINDER_BATCH_SIZE}"
    )

    if os.environ.get("BENCH_ONLY") != "summary":
        first = measure(
            "1. sweep, record only (beat task)", lambda: run_sweep(today=TODAY, send=False)
        )
        rows = Notification.objects.count()
        print(f"   {first.proposed} rows proposed, {rows} in the log")
        again = measure(
            "2. same sweep again (all recorded), traced",
            lambda: run_sweep(today=TODAY, send=False),
            trace=True,
        )
        print(f"   rows still {Notification.objects.count()}, {again.proposed} proposed again")

        ids = notes.pending_ids(limit=SEND)

        def deliver_all() -> int:
            return sum(1 for pk in ids if notes.deliver(pk).status == "sent")

        sent = measure(f"3. deliver {len(ids)} e-mails (claim, render, send, mark)", deliver_all)
        print(f"   sent {sent}")
        print(f"   payload: {payload_size():.0f} bytes on average")

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
    measure(
        f"4b. CSV + XLSX of {summary.total.premises_total} rows",
        lambda: spreadsheets(authority, period, figures, "vi"),
    )
    csv_bytes, xlsx_bytes = measure(
        f"4b. CSV + XLSX of {summary.total.premises_total} rows, traced",
        lambda: spreadsheets(authority, period, figures, "vi"),
        trace=True,
    )
    print(f"   CSV {len(csv_bytes) / 2**20:.1f} MiB, XLSX {len(xlsx_bytes) / 2**20:.1f} MiB")
    ids = measure(
        "4c. record summaries (snapshot + rows)",
        lambda: record_summaries(period="weekly", today=TODAY),
    )
    n = Notification.objects.filter(pk__in=ids, subject_key=f"authority:{authority.pk}").first()
    msg = measure(
        "4d. summary e-mail (PDF + chart + XLSX + CSV), traced",
        lambda: build_summary_email(n),
        trace=True,
    )
    sizes = ", ".join(f"{name} {len(data) / 2**10:.0f} KiB" for name, data, _ in msg.attachments)
    print(f"   attachments: {sizes}")
    print(
        f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
