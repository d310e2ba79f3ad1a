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
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgres://postgres@127.0.0.1:5432/pccc_bench_sync"
INSPECTIONS = int(os.environ.get("BENCH_INSPECTIONS", 200))
ITEMS = 150
BATCH = 200
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


def generate() -> dict:
    """Fresh bench data: previous bench rows are removed first (they carry a bench marker)."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Authority, Membership, User
    from inspections.models import (
        Answer,
        CatalogueVersion,
        ChecklistTemplate,
        Inspection,
        InspectionItem,
        LegalDocument,
        Premises,
        Provision,
        Requirement,
    )
    from inspections.services import inspections as services
    from inspections.services.checklists import template_for

    Inspection.objects.filter(premises__external_id__startswith="bench-sync-").delete()
    Premises.objects.filter(external_id__startswith="bench-sync-").delete()
    ChecklistTemplate.objects.filter(version__label="bench-sync").delete()
    CatalogueVersion.objects.filter(label="bench-sync").delete()
    User.objects.filter(email__endswith="@bench-sync.test").delete()
    Authority.objects.filter(name="Bench sync authority").delete()

    with transaction.atomic():
        # Published last, so it is the current version for new inspections.
        version = CatalogueVersion.objects.create(
            label="bench-sync",
            status="published",
            published_at=timezone.now(),
            effective_on=timezone.localdate(),
        )
        doc, _ = LegalDocument.objects.get_or_create(
            code="BENCH/SYNC", defaults={"kind": "law", "title": "Bench document"}
        )
        reqs = []
        for n in range(BATCH):
            kinds = ["home_business"] + (["establishment"] if n < ITEMS else [])
            reqs.append(
                Requirement(
                    version=version,
                    code=f"B-{n:03d}",
                    title_vi=f"Yêu cầu kiểm tra số {n}",
                    question_vi=f"Cơ sở có đáp ứng yêu cầu số {n} về phòng cháy, chữa cháy không?",
                    premises_kinds=kinds,
                    order=n,
                )
            )
        Requirement.objects.bulk_create(reqs)
        provisions = Provision.objects.bulk_create(
            [
                Provision(
                    document=doc,
                    article=9000 + n,
                    clause=1,
                    text_vi="Cơ sở phải bảo đảm điều kiện an toàn về phòng cháy. " * 4,
                    order=n,
                )
                for n in range(BATCH)
            ],
            ignore_conflicts=True,
        )
        provisions = list(Provision.objects.filter(document=doc).order_by("article")[:BATCH])
        from inspections.models import Citation

        Citation.objects.bulk_create(
            [
                Citation(requirement=r, provision=p)
                for r, p in zip(
                    Requirement.objects.filter(version=version).order_by("order"),
                    provisions,
                    strict=True,
                )
            ]
        )
        authority = Authority.objects.create(
            name="Bench sync authority", kind="commune_committee", province_code=1, ward_codes=[70]
        )
        inspector = User.objects.create_user("inspector@bench-sync.test", "x")
        manager = User.objects.create_user("manager@bench-sync.test", "x")
        Membership.objects.create(user=inspector, authority=authority, role="inspector")
        Membership.objects.create(user=manager, authority=authority, role="manager")
        premises = Premises.objects.bulk_create(
            [
                Premises(
                    kind="establishment",
                    external_id=f"bench-sync-{n}",
                    name=f"Cơ sở bench {n}",
                    province_code=1,
                    ward_code=70,
                    occupancy_category="office",
                    floors=3,
                )
                for n in range(INSPECTIONS)
            ]
            + [
                Premises(
                    kind="home_business",
                    external_id="bench-sync-batch",
                    name="Hộ kinh doanh bench",
                    province_code=1,
                    ward_code=70,
                )
            ]
        )
    template = template_for(version, "establishment")
    today = timezone.localdate()
    # Inspections and their frozen items in bulk (the service path is measured in the tests).
    inspections = Inspection.objects.bulk_create(
        [
            Inspection(
                premises=p,
                authority=authority,
                kind="periodic",
                state="in_progress",
                catalogue_version=version,
                template=template,
                scheduled_for=today,
                started_at=timezone.now(),
            )
            for p in premises[:INSPECTIONS]
        ]
    )
    Inspection.inspectors.through.objects.bulk_create(
        [
            Inspection.inspectors.through(inspection_id=i.pk, user_id=inspector.pk)
            for i in inspections
        ]
    )
    items = []
    for inspection in inspections:
        for order, item in enumerate(template.items, start=1):
            items.append(
                InspectionItem(
                    inspection=inspection,
                    requirement_id=item["requirement_id"],
                    code=item["code"],
                    order=order,
                    title_vi=item["title_vi"],
                    question_vi=item["question_vi"],
                    citations=item["citations"],
                    answer_type=item["answer_type"],
                    required=True,
                    severity=item["severity"],
                )
            )
    items = InspectionItem.objects.bulk_create(items, batch_size=2000)
    now = timezone.now()
    Answer.objects.bulk_create(
        [
            Answer(
                client_uuid=uuid.uuid4(),
                inspection_id=item.inspection_id,
                item=item,
                value="compliant",
                answered_at=now,
                content_hash="bench",
            )
            for item in items
        ],
        batch_size=2000,
    )
    batch_inspection, _ = services.start_unplanned_inspection(
        user=inspector,
        premises=premises[-1],
        client_uuid=uuid.uuid4(),
        kind="reinspection",
        authority=authority,
    )
    floor_inspection, _ = services.start_unplanned_inspection(
        user=inspector,
        premises=premises[-1],
        client_uuid=uuid.uuid4(),
        kind="unannounced",
        authority=authority,
        unannounced_reason="bench floor",
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "inspector": inspector,
        "batch_inspection": batch_inspection,
        "floor_inspection": floor_inspection,
    }


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


def run() -> None:
    setup_django()
    import datetime as dt
    import json

    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework_simplejwt.tokens import RefreshToken

    from inspections.models import Answer
    from inspections.selectors import sync as sync_selectors

    t0 = time.perf_counter()
    data = generate()
    print(f"  data generated in {time.perf_counter() - t0:.1f} s ({connection.vendor})")
    # As config.wsgi does in a web process: start-up objects (and, here, the generator's) are
    # kept out of garbage collection.
    from config.startup import freeze_startup_objects

    freeze_startup_objects()
    token = str(RefreshToken.for_user(data["inspector"]).access_token)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def timed(call) -> tuple[object, float, float, int]:
        with CaptureQueriesContext(connection) as ctx:
            start, cpu = time.perf_counter(), time.process_time()
            response = call()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert response.status_code == 200, response.content[:500]
        return response, elapsed, cpu, len(ctx.captured_queries)

    def get(path: str, params: dict) -> tuple[dict, float, float, int]:
        response, elapsed, cpu, n = timed(lambda: client.get(path, params))
        return response.json(), elapsed, cpu, n

    # 1. Full sync, page by page. The first pass warms the process (and the checklist cache);
    # the later passes are the steady state.
    first: list[float] = []
    timings, cpus, queries, sizes = [], [], [], []
    wall = 0.0
    cursor = None
    for run_no in range(SYNC_RUNS + 1):
        cursor, pages, sent = None, 0, 0
        started = time.perf_counter()
        while True:
            params = {"page_size": 20, **({"cursor": cursor} if cursor else {})}
            body, elapsed, cpu, n = get("/api/v1/sync/", params)
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

    # 2. Nothing changed since the cursor (outside the late-commit window).
    sync_selectors.SAFETY = sync_selectors.SAFETY.__class__(0)
    body, _, _, _ = get("/api/v1/sync/", {"cursor": cursor})
    cursor = body["next_cursor"]
    timings, cpus, queries = [], [], []
    wall = time.perf_counter()
    for _ in range(50):
        body, elapsed, cpu, n = get("/api/v1/sync/", {"cursor": cursor})
        timings.append(elapsed)
        cpus.append(cpu)
        queries.append(n)
    measure("incremental sync, nothing new", timings, queries, time.perf_counter() - wall, cpus)

    # 3. Batch upserts of 200 answers, every answer changing each time, each followed by its
    # floor: a raw bulk_create of the same 200 rows into another inspection, rolled back.
    inspection = data["batch_inspection"]
    items = list(inspection.items.order_by("order").values_list("pk", flat=True))
    floor_items = list(
        data["floor_inspection"].items.order_by("order").values_list("pk", flat=True)
    )
    assert len(items) == BATCH == len(floor_items), (len(items), len(floor_items))
    version = inspection.version
    url = f"/api/v1/inspections/{inspection.pk}/answers/"

    def put(run_no: int) -> tuple[dict, float, float, int]:
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
        response, elapsed, cpu, n = timed(
            lambda: client.put(url, payload, content_type="application/json")
        )
        return response.json(), elapsed, cpu, n

    def floor(run_no: int) -> tuple[float, float]:
        at = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=run_no)
        inspection_id = data["floor_inspection"].pk
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
                    for pk in floor_items
                ]
            )
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            transaction.set_rollback(True)
        return elapsed, cpu

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
