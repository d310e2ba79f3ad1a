"""Mobile API under load: an inspector's sync and batch answer upserts, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_sync.py                 # both databases, one after the other
    .venv/bin/python bench/bench_sync.py --db sqlite     # embedded default (SQLite file in a temp dir)
    .venv/bin/python bench/bench_sync.py --db postgres   # DATABASE_URL, default .../pccc_mobile

Data (its own generator, rebuilt on every run): a published catalogue of 200 requirements, 150
of which apply to establishments; an inspector assigned to 200 inspections of establishments
(150 items each, answered), and one in-progress inspection of a household business with 200
items. Requests go through Django's test client with a JWT bearer token (no HTTP server):

1. full sync, page by page (page_size 20: 10 pages of 20 inspections × 150 items);
2. incremental sync with the last cursor when nothing changed;
3. PUT /answers/ with 200 answers that all change (one transaction, one upsert), side by side
   with its floor: a raw ``bulk_create`` of the same 200 rows (rolled back), in the same run.

The database is fresh (PostgreSQL: the bench database is dropped and created again; SQLite: a
new file) and ANALYZEd after loading. The first call of each kind (connection, caches, the
first message to the broker) is reported apart from the steady state. Prints requests/s,
p50/p95 wall time, median CPU time, SQL queries per request and the ratio to the floor.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.sync_data import BATCH, generate  # noqa: E402

PG_URL = "postgres://postgres@127.0.0.1:5432/pccc_bench_sync"
SYNC_RUNS = int(os.environ.get("BENCH_SYNC_RUNS", 5))
UPSERT_RUNS = int(os.environ.get("BENCH_UPSERT_RUNS", 30))


def fresh_postgres(url: str) -> None:
    """Drop and create the bench database: no bloat or statistics from earlier runs."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the bench database name must say 'bench'")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The throttles are not what is measured here.
    for scope in ("THROTTLE_USER", "THROTTLE_SYNC", "THROTTLE_UPLOADS"):
        os.environ[scope] = "1000000/min"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 2 else values[0]


def measure(
    label: str, timings: list[float], queries: list[int], wall: float, cpu: list[float]
) -> None:
    p50 = statistics.median(timings) * 1000
    print(
        f"  {label:<34} {len(timings):>4} req  {len(timings) / wall:8.1f} req/s  "
        f"p50 {p50:7.1f} ms  p95 {p95(timings) * 1000:7.1f} ms  "
        f"cpu p50 {statistics.median(cpu) * 1000:6.1f} ms  "
        f"queries/req {statistics.mean(queries):5.1f} (max {max(queries)})"
    )


class TimedClient:
    """The inspector's API client: each call gives its body, wall time, CPU time and queries."""

    def __init__(self, inspector) -> None:
        from django.test import Client
        from rest_framework_simplejwt.tokens import RefreshToken

        token = str(RefreshToken.for_user(inspector).access_token)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def timed(self, call) -> tuple[object, float, float, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            start, cpu = time.perf_counter(), time.process_time()
            response = call()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert response.status_code == 200, response.content[:500]
        return response, elapsed, cpu, len(ctx.captured_queries)

    def get(self, path: str, params: dict) -> tuple[dict, float, float, int]:
        response, elapsed, cpu, n = self.timed(lambda: self.client.get(path, params))
        return response.json(), elapsed, cpu, n

    def put_answers(
        self, url: str, items: list[int], *, version: int, run_no: int
    ) -> tuple[dict, float, float, int]:
        """Every item answered again, the value flipping with each run so all of them change."""
        import json

        at = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=run_no)
        value = "compliant" if run_no % 2 == 0 else "non_compliant"
        answers = [
            {
                "client_uuid": str(uuid.uuid4()),
                "item": pk,
                "value": value,
                "answered_at": at.isoformat(),
            }
            for pk in items
        ]
        payload = json.dumps({"version": version, "answers": answers})
        response, elapsed, cpu, n = self.timed(
            lambda: self.client.put(url, payload, content_type="application/json")
        )
        return response.json(), elapsed, cpu, n


def run() -> None:
    setup_django()
    from django.db import connection

    t0 = time.perf_counter()
    data = generate()
    print(f"  data generated in {time.perf_counter() - t0:.1f} s ({connection.vendor})")
    # As config.wsgi does in a web process: start-up objects (and, here, the generator's) are
    # kept out of garbage collection.
    from config.startup import freeze_startup_objects

    freeze_startup_objects()
    api = TimedClient(data["inspector"])
    cursor = measure_full_sync(api)
    measure_incremental_sync(api, cursor)
    measure_upserts(api, data["batch_inspection"], data["floor_inspection"])


def measure_full_sync(api: TimedClient):
    """1. Full sync, page by page. The first pass warms the process (and the checklist cache);
    the later passes are the steady state. Returns the last cursor."""
    first: list[float] = []
    timings, cpus, queries, sizes = [], [], [], []
    wall = 0.0
    cursor = None
    for run_no in range(SYNC_RUNS + 1):
        cursor, pages, sent = None, 0, 0
        started = time.perf_counter()
        while True:
            params = {"page_size": 20, **({"cursor": cursor} if cursor else {})}
            body, elapsed, cpu, n = api.get("/api/v1/sync/", params)
            if run_no == 0:
                first.append(elapsed)
            else:
                timings.append(elapsed)
                cpus.append(cpu)
                queries.append(n)
            pages += 1
            sent += sum(len(i["items"]) for i in body["inspections"])
            cursor = body["next_cursor"]
            if not body["has_more"]:
                break
        if run_no:
            wall += time.perf_counter() - started
        sizes.append((pages, sent))
    print(
        f"  full sync, first pass: first page {first[0] * 1000:.1f} ms, "
        f"p50 {statistics.median(first) * 1000:.1f} ms over {len(first)} pages"
    )
    measure("full sync (page of 20 × 150 items)", timings, queries, wall, cpus)
    print(f"    per full sync: {sizes[0][0]} pages, {sizes[0][1]} items (target p95 <= 150 ms)")
    return cursor


def measure_incremental_sync(api: TimedClient, cursor) -> None:
    """2. Nothing changed since the cursor (outside the late-commit window)."""
    from inspections.selectors import sync as sync_selectors

    sync_selectors.SAFETY = sync_selectors.SAFETY.__class__(0)
    body, _, _, _ = api.get("/api/v1/sync/", {"cursor": cursor})
    cursor = body["next_cursor"]
    timings, cpus, queries = [], [], []
    wall = time.perf_counter()
    for _ in range(50):
        body, elapsed, cpu, n = api.get("/api/v1/sync/", {"cursor": cursor})
        timings.append(elapsed)
        cpus.append(cpu)
        queries.append(n)
    measure("incremental sync, nothing new", timings, queries, time.perf_counter() - wall, cpus)


def floor_bulk_create(inspection_id: int, items: list[int], run_no: int) -> tuple[float, float]:
    """The floor of an upsert: a raw bulk_create of the same rows, rolled back."""
    from django.db import transaction

    from inspections.models import Answer

    at = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=run_no)
    with transaction.atomic():
        start, cpu = time.perf_counter(), time.process_time()
        Answer.objects.bulk_create(
            [
                Answer(
                    client_uuid=uuid.uuid4(),
                    inspection_id=inspection_id,
                    item_id=pk,
                    value="compliant",
                    answered_at=at,
                    content_hash="floor",
                )
                for pk in items
            ]
        )
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        transaction.set_rollback(True)
    return elapsed, cpu


def measure_upserts(api: TimedClient, inspection, floor_inspection) -> None:
    """3. Batch upserts of 200 answers, every answer changing each time, each followed by its
    floor: a raw bulk_create of the same 200 rows into another inspection, rolled back."""
    items = list(inspection.items.order_by("order").values_list("pk", flat=True))
    floor_items = list(floor_inspection.items.order_by("order").values_list("pk", flat=True))
    assert len(items) == BATCH == len(floor_items), (len(items), len(floor_items))
    version = inspection.version
    url = f"/api/v1/inspections/{inspection.pk}/answers/"

    def put(run_no: int) -> tuple[dict, float, float, int]:
        return api.put_answers(url, items, version=version, run_no=run_no)

    def floor(run_no: int) -> tuple[float, float]:
        return floor_bulk_create(floor_inspection.pk, floor_items, run_no)

    body, elapsed, cpu, n = put(0)
    version = body["inspection_version"]
    floor_first = floor(0)
    print(
        f"  PUT answers, first call (creates 200 rows, first message to the broker): "
        f"{elapsed * 1000:.1f} ms, cpu {cpu * 1000:.1f} ms, {n} queries; "
        f"first bulk_create {floor_first[0] * 1000:.1f} ms"
    )
    for run_no in range(1, 4):  # warm-up of the steady state (updates)
        version = put(run_no)[0]["inspection_version"]
        floor(run_no)
    timings, cpus, queries, statuses = [], [], [], {}
    floor_timings, floor_cpus = [], []
    wall = 0.0
    for run_no in range(4, 4 + UPSERT_RUNS):
        body, elapsed, cpu, n = put(run_no)
        version = body["inspection_version"]
        for r in body["results"]:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        timings.append(elapsed)
        cpus.append(cpu)
        queries.append(n)
        wall += elapsed
        f_elapsed, f_cpu = floor(run_no)
        floor_timings.append(f_elapsed)
        floor_cpus.append(f_cpu)
    measure(f"PUT answers ({BATCH} per batch)", timings, queries, wall, cpus)
    print(f"    statuses: {statuses}")
    raw = statistics.median(floor_timings)
    print(
        f"    floor, raw bulk_create of {BATCH} rows: p50 {raw * 1000:.1f} ms  "
        f"p95 {p95(floor_timings) * 1000:.1f} ms  cpu p50 "
        f"{statistics.median(floor_cpus) * 1000:.1f} ms"
    )
    print(
        f"    PUT throughput / raw bulk_create throughput: "
        f"{raw / statistics.median(timings):.0%} by wall p50, "
        f"{statistics.median(floor_cpus) / statistics.median(cpus):.0%} by CPU p50 "
        f"(target >= 50%)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run()
        return
    targets = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for target in targets:
        env = dict(os.environ, DJANGO_DEBUG="false", LOG_LEVEL="ERROR")
        tmp = tempfile.mkdtemp(prefix="bench-sync-")
        env["PCCC_VAR_DIR"] = tmp
        if target == "postgres":
            url = os.environ.get("DATABASE_URL", PG_URL)
            fresh_postgres(url)
            env["DATABASE_URL"] = url
        else:
            env.pop("DATABASE_URL", None)
            env.pop("REDIS_URL", None)
        print(f"== {target} ==", flush=True)
        subprocess.run([sys.executable, __file__, "--child"], env=env, check=True)


if __name__ == "__main__":
    main()
