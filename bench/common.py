"""Shared bench plumbing: a fresh database, realistic premises, ANALYZE, measured phases.

Benches print figures and assert nothing. Each phase prints wall and CPU time, SQL statements
(COPY included), and with per-batch samples their p50/p95.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

TODAY = date(2026, 11, 23)  # fixed, so reminder windows (roadmap T-365 ...) match on every run
HANOI = 1
TAG = "bench"


def fresh_database(name: str) -> str:
    """Drop and create the bench's own database ``name`` on the PostgreSQL server of
    DATABASE_URL (default 127.0.0.1), then set up Django and migrate.

    Every run starts from nothing: no statistics, caches or rows left by an earlier run. Only
    the bench's own database is ever dropped, whatever DATABASE_URL names.
    """
    import psycopg

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not server.startswith("postgres"):
        sys.exit("these benches measure PostgreSQL: set DATABASE_URL=postgres://...")
    server = server.rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    t0 = time.perf_counter()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from inspections.legal.catalogue_file import latest_catalogue_file
    from inspections.services.catalogue_loading import load_catalogue

    load_catalogue(latest_catalogue_file(), publish=True)
    print(f"fresh database {name}: migrated, catalogue loaded in {time.perf_counter() - t0:.1f} s")
    return name


def analyze() -> float:
    """ANALYZE after a bulk load: without statistics the planner guesses (8 ms became 150 ms)."""
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return time.perf_counter() - t0


def database_size() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cur.fetchone()[0]


def table_sizes(*tables: str) -> str:
    from django.db import connection

    parts = []
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(
                "SELECT count(*), pg_size_pretty(pg_total_relation_size(%s)) FROM " + t, [t]
            )
            n, size = cur.fetchone()
            parts.append(f"{t} {n} rows {size}")
    return "; ".join(parts)


# --- Measuring --------------------------------------------------------------------------------


class _Counter:
    """Statements through Django, those of other threads (the sweep's writer) apart."""

    def __init__(self) -> None:
        self.n = 0
        self.other_threads = 0

    def __call__(self, execute, sql, params, many, context):
        if threading.current_thread() is threading.main_thread():
            self.n += 1
        else:
            self.other_threads += 1
        return execute(sql, params, many, context)

    @contextmanager
    def on_every_connection(self) -> Iterator[None]:
        """Count on the main thread's connection and on every connection opened meanwhile
        (a thread's own, such as the sweep's writer)."""
        from django.db import connection
        from django.db.backends.signals import connection_created

        def opened(sender, connection, **kwargs):
            # The main thread's connection opened again (closed before a fork) has it already.
            if self not in connection.execute_wrappers:
                connection.execute_wrappers.append(self)

        connection_created.connect(opened, weak=False)
        try:
            with connection.execute_wrapper(self):
                yield
        finally:
            connection_created.disconnect(opened)


@dataclass
class Phase:
    label: str
    wall: float = 0.0
    cpu: float = 0.0
    queries: int = 0
    samples: list[float] = field(default_factory=list)
    main_cpu: float = 0.0  # the main thread's share of ``cpu``
    other_queries: int = 0  # of ``queries``, those of other threads (the sweep's writer)

    def line(self) -> str:
        out = f"{self.label:<58} {self.wall:8.2f} s wall {self.cpu:7.2f} s cpu {self.queries:7d} q"
        if self.other_queries or self.cpu - self.main_cpu > 0.05:
            out += (
                f" (main thread {self.main_cpu:.2f} s cpu; {self.other_queries} q on other threads)"
            )
        if len(self.samples) > 1:
            s = sorted(self.samples)
            p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
            out += (
                f"  {len(s)} batches p50 {statistics.median(s) * 1e3:.0f} ms p95 {p95 * 1e3:.0f} ms"
            )
        return out


_copies = _Counter()


def _count_copies() -> None:
    """COPY goes through psycopg's cursor, not Django's execute: count it there."""
    import psycopg

    if getattr(psycopg.Cursor.copy, "_bench", False):
        return
    real = psycopg.Cursor.copy

    def copy(self, *args, **kwargs):
        _copies.n += 1  # every thread's
        if threading.current_thread() is not threading.main_thread():
            _copies.other_threads += 1
        return real(self, *args, **kwargs)

    copy._bench = True  # type: ignore[attr-defined]
    psycopg.Cursor.copy = copy  # type: ignore[method-assign]


def measure(label: str, fn: Callable[[], Any], *, samples: list[float] | None = None) -> Any:
    """Run ``fn`` once and print its phase line; ``samples`` collects per-batch times.

    CPU is the whole process's (every thread: ``process_time``), with the main thread's share;
    statements are those of every connection the phase used, COPY included, with the share of
    other threads' connections (the sweep records pages on its writer thread's own).
    """
    _count_copies()
    counter = _Counter()
    copies0, copies0_other = _copies.n, _copies.other_threads
    t0, c0, m0 = time.perf_counter(), time.process_time(), time.thread_time()
    with counter.on_every_connection():
        result = fn()
    phase = Phase(
        label,
        wall=time.perf_counter() - t0,
        cpu=time.process_time() - c0,
        queries=counter.n + counter.other_threads + _copies.n - copies0,
        samples=list(samples or []),
        main_cpu=time.thread_time() - m0,
        other_queries=counter.other_threads + _copies.other_threads - copies0_other,
    )
    print(phase.line(), flush=True)
    measure.last = phase  # type: ignore[attr-defined]
    return result


@contextmanager
def timed_calls(module: Any, name: str) -> Iterator[list[float]]:
    """Time every call of ``module.name`` (one batch each) for p50/p95."""
    real = getattr(module, name)
    samples: list[float] = []

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            samples.append(time.perf_counter() - t0)

    setattr(module, name, wrapper)
    try:
        yield samples
    finally:
        setattr(module, name, real)


def ratio(label: str, value: float, floor: float, floor_label: str) -> None:
    print(f"   ratio {label}: {value:.2f} s / {floor:.2f} s ({floor_label}) = {value / floor:.1f}x")


def copy_floor(table: str, columns: list[str], rows: list[tuple]) -> float:
    """Seconds to COPY ``rows`` into an empty copy of ``table`` with its indexes: the least any
    way of writing these rows can cost on this machine, measured in the same run."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"CREATE TEMP TABLE floor_copy (LIKE {table} INCLUDING ALL) ON COMMIT DROP")
        t0 = time.perf_counter()
        with cur.cursor.copy(f"COPY floor_copy ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return time.perf_counter() - t0


# --- Data --------------------------------------------------------------------------------------

CATEGORIES = ["karaoke", "hotel", "restaurant", "office", "shop", "apartment", "factory",
              "warehouse", "market", "school", "kindergarten", "hospital", "clinic", "bar",
              "petrol_station", "car_park", "mall", "other"]  # fmt: skip


def _maybe(rng: random.Random, p: float, value: Any) -> Any:
    return value if rng.random() < p else None


def generate_premises(n: int, *, seed: int = 7, heads_per: int = 5) -> dict[str, Any]:
    """``n`` premises in Hà Nội with varied facts (kinds, categories, sizes, device states, the
    dates of drills, checks, reports and insurance), a head for every ``heads_per`` premises,
    and a training certificate on one in ten. Obligations are not written here: the engine
    computes them (services/obligations.py)."""
    from django.db import transaction

    from accounts import divisions
    from inspections.models import Premises

    rng = random.Random(seed)
    wards = [code for code, _ in divisions.ward_choices(HANOI)]
    t0 = time.perf_counter()
    with transaction.atomic():
        authority, heads, inspectors = _authority_and_people(n, heads_per)
        ids: list[int] = []
        for start in range(0, n, 10_000):
            chunk = [_random_premises(rng, i, wards) for i in range(start, min(n, start + 10_000))]
            ids.extend(p.pk for p in Premises.objects.bulk_create(chunk, batch_size=5000))
        _heads_and_certificates(rng, ids, heads, heads_per)
    print(f"generated {n} premises, heads and certificates in {time.perf_counter() - t0:.1f} s")
    return {"authority": authority, "premises_ids": ids, "inspectors": inspectors}


def _authority_and_people(n: int, heads_per: int):
    """The province's authority, its manager, a head for every ``heads_per`` premises and 50
    inspectors (the users after the heads)."""
    from accounts.models import Authority, Membership, User

    authority = Authority.objects.create(
        name="Bench: Công an Thành phố Hà Nội",
        kind=Authority.Kind.FIRE_POLICE,
        province_code=HANOI,
        ward_codes=[],
    )
    manager = User.objects.create_user(f"manager@{TAG}.test", None, full_name="Quản lý")
    Membership.objects.create(user=manager, authority=authority, role="manager")
    users = User.objects.bulk_create(
        [
            User(
                email=f"u{i}@{TAG}.test",
                full_name=f"Người dùng {i}",
                language="en" if i % 10 == 0 else "vi",
                password="!",
            )
            for i in range(n // heads_per + 50)
        ],
        batch_size=5000,
    )
    heads, inspectors = users[: n // heads_per or 1], users[n // heads_per :]
    Membership.objects.bulk_create(
        [Membership(user=u, authority=authority, role="inspector") for u in inspectors]
    )
    return authority, heads, inspectors


def _random_premises(rng: random.Random, i: int, wards: list[int]):
    """Premises number ``i``: mostly establishments, their facts drawn from ``rng``."""
    from inspections.models import Premises, PremisesKind

    r = rng.random()
    kind = (
        PremisesKind.ESTABLISHMENT
        if r < 0.7
        else PremisesKind.HOME
        if r < 0.95
        else PremisesKind.HOME_BUSINESS
    )
    state = rng.choice(["connected"] * 3 + ["installed"] * 2 + ["none"] * 5)
    est = kind == PremisesKind.ESTABLISHMENT
    return Premises(
        external_id=f"{TAG}-{i}",
        kind=kind,
        name=f"Cơ sở {i}",
        address_line=f"{i} phố Bench",
        province_code=HANOI,
        ward_code=rng.choice(wards),
        occupancy_category=rng.choice(CATEGORIES) if est else "",
        floors=rng.randint(1, 25 if est else 6),
        floor_area_m2=rng.randint(30, 20000 if est else 400),
        beds=rng.randint(0, 600) if est and rng.random() < 0.2 else None,
        employees=rng.randint(1, 400) if est else None,
        business_area_m2=rng.randint(20, 400) if kind == PremisesKind.HOME_BUSINESS else None,
        hazard_class=rng.choice(["", "", "", "A", "B", "C", "D", "E"]),
        trades_hazardous_goods=rng.random() < 0.05,
        has_ev_charging=rng.random() < 0.1,
        in_infra_deficient_area=kind == PremisesKind.HOME and rng.random() < 0.3,
        alarm_device_state=state,
        alarm_connected_on=_maybe(
            rng,
            0.8 if state == "connected" else 0.0,
            TODAY - timedelta(days=rng.randint(1, 400)),
        ),  # fmt: skip
        fire_data_declared_on=_maybe(
            rng,
            0.7 if state == "connected" else 0.0,
            TODAY - timedelta(days=rng.randint(1, 300)),
        ),  # fmt: skip
        insurance_expires_on=_maybe(rng, 0.4, TODAY + timedelta(days=rng.randint(-60, 400))),
        last_drill_on=_maybe(rng, 0.5, TODAY - timedelta(days=rng.randint(30, 700))),
        last_self_inspection_on=_maybe(rng, 0.5, TODAY - timedelta(days=rng.randint(10, 500))),
        last_regular_check_on=_maybe(rng, 0.3, TODAY - timedelta(days=rng.randint(1, 120))),
        last_pc04_report_on=_maybe(rng, 0.3, TODAY - timedelta(days=rng.randint(1, 400))),
    )


def _heads_and_certificates(rng: random.Random, ids: list[int], heads, heads_per: int) -> None:
    """Each head heads ``heads_per`` premises; one premises in ten has a training certificate."""
    from inspections.models import Premises, TrainingCertificate

    through = Premises.heads.through
    through.objects.bulk_create(
        [through(premises_id=pid, user_id=heads[i // heads_per].pk) for i, pid in enumerate(ids)],
        batch_size=20000,
    )
    TrainingCertificate.objects.bulk_create(
        [
            TrainingCertificate(
                premises_id=pid,
                holder_name=f"Người {pid}",
                duty="head",
                issued_on=TODAY - timedelta(days=rng.randint(30, 900)),
                expires_on=TODAY + timedelta(days=rng.randint(-20, 300)),
            )
            for pid in ids[::10]
        ],
        batch_size=10000,
    )


def premises_arg(default: int) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--premises", type=int, default=default, help="how many premises")
    return parser.parse_known_args()[0].premises
