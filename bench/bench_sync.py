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
3. PUT /answers/ with 200 answers that all change (one transaction, bulk writes).

Prints requests/s, p50/p95 latency and SQL queries per request. Figures are printed, never
asserted.
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
PG_URL = "postgres://postgres@127.0.0.1:5432/pccc_mobile"
INSPECTIONS = int(os.environ.get("BENCH_INSPECTIONS", 200))
ITEMS = 150
BATCH = 200
SYNC_RUNS = int(os.environ.get("BENCH_SYNC_RUNS", 5))
UPSERT_RUNS = int(os.environ.get("BENCH_UPSERT_RUNS", 30))


def ensure_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
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
            label="bench-sync", status="published", published_at=timezone.now()
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
    return {"inspector": inspector, "batch_inspection": batch_inspection}


def measure(label: str, timings: list[float], queries: list[int], wall: float) -> None:
    p50 = statistics.median(timings) * 1000
    p95 = statistics.quantiles(timings, n=20)[18] * 1000 if len(timings) >= 2 else p50
    print(
        f"  {label:<34} {len(timings):>4} req  {len(timings) / wall:8.1f} req/s  "
        f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  queries/req {statistics.mean(queries):5.1f}"
        f" (max {max(queries)})"
    )


def run() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework_simplejwt.tokens import RefreshToken

    from inspections.selectors import sync as sync_selectors

    t0 = time.perf_counter()
    data = generate()
    print(f"  data generated in {time.perf_counter() - t0:.1f} s ({connection.vendor})")
    token = str(RefreshToken.for_user(data["inspector"]).access_token)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(path: str, params: dict) -> tuple[dict, float, int]:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(path, params)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.content[:500]
        return response.json(), elapsed, len(ctx.captured_queries)

    # 1. Full sync, page by page.
    timings, queries, sizes = [], [], []
    wall = time.perf_counter()
    cursor = None
    for _ in range(SYNC_RUNS):
        cursor, pages, sent = None, 0, 0
        while True:
            params = {"page_size": 20, **({"cursor": cursor} if cursor else {})}
            body, elapsed, n = get("/api/v1/sync/", params)
            timings.append(elapsed)
            queries.append(n)
            pages += 1
            sent += sum(len(i["items"]) for i in body["inspections"])
            cursor = body["next_cursor"]
            if not body["has_more"]:
                break
        sizes.append((pages, sent))
    measure("full sync (page of 20 × 150 items)", timings, queries, time.perf_counter() - wall)
    print(f"    per full sync: {sizes[0][0]} pages, {sizes[0][1]} items")

    # 2. Nothing changed since the cursor (outside the late-commit window).
    sync_selectors.SAFETY = sync_selectors.SAFETY.__class__(0)
    body, _, _ = get("/api/v1/sync/", {"cursor": cursor})
    cursor = body["next_cursor"]
    timings, queries = [], []
    wall = time.perf_counter()
    for _ in range(50):
        body, elapsed, n = get("/api/v1/sync/", {"cursor": cursor})
        timings.append(elapsed)
        queries.append(n)
    measure("incremental sync, nothing new", timings, queries, time.perf_counter() - wall)

    # 3. Batch upserts of 200 answers, every answer changing each time.
    inspection = data["batch_inspection"]
    items = list(inspection.items.order_by("order").values_list("pk", flat=True))
    assert len(items) == BATCH, len(items)
    version = inspection.version
    timings, queries, statuses = [], [], {}
    wall = time.perf_counter()
    import datetime as dt

    for run_no in range(UPSERT_RUNS):
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
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.put(
                f"/api/v1/inspections/{inspection.pk}/answers/",
                {"version": version, "answers": answers},
                content_type="application/json",
            )
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        version = body["inspection_version"]
        for r in body["results"]:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        timings.append(elapsed)
        queries.append(len(ctx.captured_queries))
    measure(f"PUT answers ({BATCH} per batch)", timings, queries, time.perf_counter() - wall)
    print(f"    statuses: {statuses}")


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
            ensure_postgres(url)
            env["DATABASE_URL"] = url
        else:
            env.pop("DATABASE_URL", None)
            env.pop("REDIS_URL", None)
        print(f"== {target} ==", flush=True)
        subprocess.run([sys.executable, __file__, "--child"], env=env, check=True)


if __name__ == "__main__":
    main()
