"""Portal dashboard and drill-down lists over 100,000 premises and 1,000,000 answers on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pccc_portal .venv/bin/python \
        bench/bench_portal.py --premises 100000 [--keep] [--runs 25]

Drops and recreates the database (``--keep`` reuses it; ``--measure-only`` reuses it and the
data already generated, to measure a change to the pages without generating again), migrates, loads the catalogue and
generates the data with ``generate_series``. Obligations come from the engine: premises fall in
60 fact profiles; ``refresh_obligations`` evaluates one premises of each profile (about 19
obligations each, roadmap ones included) and SQL copies its rows to the others of the profile.
The rolled-up counters are then built by ``rebuild_rollups`` (timed) and the tables ANALYZEd.
Every manager page is requested through Django's test client as a province-wide manager: the
first call (cold caches, translations) is printed apart from the steady state (p50/p95 wall
time, mean CPU time of this process, SQL queries per request).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pccc_portal")
os.environ.setdefault("DJANGO_DEBUG", "false")

from bench.portal_data import HANOI, Sizes, generate  # noqa: E402

PREMISES = 100_000
INSPECTIONS = 52_650  # scaled with --premises
FINDINGS = 40_000
RUNS = 25


def ensure_database(*, fresh: bool) -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def counts() -> dict[str, int]:
    from inspections.models import Answer, Finding, Inspection, Obligation, Premises

    rows = {
        "premises": Premises.objects.count(),
        "obligations": Obligation.objects.count(),
        "roadmap obligations": Obligation.objects.filter(
            requirement__deadline_rule__type="roadmap"
        ).count(),
        "inspections": Inspection.objects.count(),
        "answers": Answer.objects.count(),
        "findings": Finding.objects.count(),
    }
    rows["obligations per premises"] = round(rows["obligations"] / max(rows["premises"], 1), 1)
    return rows


def measure(only: str = "") -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from inspections.models import Premises

    manager = User.objects.get(email="bench-manager@demo.test")
    client = Client()
    client.force_login(manager)
    ward = Premises.objects.filter(province_code=HANOI).values_list("ward_code", flat=True)[0]
    some = (
        Premises.objects.filter(province_code=HANOI)
        .order_by("pk")
        .values_list("pk", flat=True)[500]
    )
    pages = [
        ("dashboard", "/manage/"),
        ("dashboard ward+kind", f"/manage/?ward={ward}&kind=establishment"),
        ("premises list p1", "/manage/premises/"),
        # Page 2,000 is past the count cap (portal/listing.py): the last page, 80, is served.
        ("premises list last page, ward", "/manage/premises/?sort=-ward&page=2000"),
        ("premises search", "/manage/premises/?q=C%C6%A1+s%E1%BB%9F+9999"),
        ("drill: overdue obligations", "/manage/premises/?state=overdue_obligations"),
        ("drill: open findings", "/manage/premises/?state=open_findings"),
        ("drill: overdue findings", "/manage/premises/?state=overdue_findings"),
        ("drill: device not equipped", "/manage/premises/?state=device_none"),
        ("drill: never inspected", "/manage/premises/?state=never_inspected"),
        ("drill: periodic overdue", "/manage/premises/?state=periodic_overdue"),
        ("drill: due this month", "/manage/premises/?state=periodic_due_month"),
        ("drill: obligation not met", "/manage/premises/?obligation=not_met"),
        ("drill: device connected", "/manage/premises/?device=connected"),
        ("premises sorted by state", "/manage/premises/?sort=state"),
        ("drill: findings overdue >90d", "/findings/?status=open&age=more"),
        ("planning", "/manage/planning/"),
        ("planning ward", f"/manage/planning/?ward={ward}"),
        ("inspections", "/manage/inspections/"),
        ("inspections scheduled", "/manage/inspections/?state=scheduled&sort=premises"),
        ("findings open", "/findings/"),
        ("notifications", "/manage/notifications/"),
        ("premises page (obligations)", f"/premises/{some}/"),
    ]
    head = f"{'page':30} {'1st ms':>7} {'1st q':>6} {'p50 ms':>7} {'p95 ms':>7} {'cpu ms':>7} {'sql ms':>7} {'q':>4}"
    print("\n" + head)
    for name, url in pages:
        if only not in name:
            continue
        # First call: cold plan cache and translations, a fresh session row.
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
            first = (time.perf_counter() - t0) * 1000
        assert response.status_code == 200, (url, response.status_code)
        first_queries = len(ctx.captured_queries)
        times, cpu, sql, queries = [], [], [], 0
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as ctx:
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(ctx.captured_queries)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(
            f"{name:30} {first:7.1f} {first_queries:6d} {p50:7.1f} {p95:7.1f} "
            f"{statistics.mean(cpu):7.1f} {statistics.median(sql):7.1f} {queries:4d}"
        )


def compare_selectors() -> None:
    """The dashboard's figures live (GROUP BY over the rows) and from the counters: same?"""
    import dataclasses

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from inspections import access
    from inspections.selectors.dashboard import jurisdiction_dashboard
    from inspections.selectors.rollups import rollup_dashboard, rollup_scope

    manager = User.objects.get(email="bench-manager@demo.test")
    authorities = access.authorities_of(manager, access.MANAGING_ROLES)
    premises = access.premises_managed_by(manager)
    today = timezone.localdate()

    def live():
        return jurisdiction_dashboard(premises, authorities, on=today)

    def rolled():
        return rollup_dashboard(rollup_scope(authorities), authorities, on=today)

    print(f"\n{'dashboard figures':30} {'p50 ms':>7} {'p95 ms':>7} {'sql ms':>7} {'q':>4}")
    results = {}
    for name, fn, runs in (("live aggregation", live, 5), ("rolled-up counters", rolled, RUNS)):
        fn()  # first call apart
        times, sql = [], []
        for _ in range(runs):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                results[name] = fn()
                times.append((time.perf_counter() - t0) * 1000)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(
            f"{name:30} {statistics.median(times):7.1f} {p95:7.1f} "
            f"{statistics.median(sql):7.1f} {len(ctx.captured_queries):4d}"
        )
    same = dataclasses.asdict(results["live aggregation"]) == dataclasses.asdict(
        results["rolled-up counters"]
    )
    print(f"same figures: {same}")


def fill_search_text() -> None:
    """Rows inserted by SQL skip Premises.save(): fold their search text the way the model does
    (unaccent maps đ to d), so the "premises search" row finds what it searches for."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "UPDATE inspections_premises SET search_text = lower(unaccent(concat_ws(' ', name, "
            "nullif(address_line, ''), external_id))) WHERE search_text = ''"
        )


def main() -> None:
    global PREMISES, INSPECTIONS, FINDINGS, RUNS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--premises", type=int, default=PREMISES)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--keep", action="store_true", help="reuse the database if present")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="reuse the database and the data already generated in it; only measure",
    )
    parser.add_argument("--only", default="", help="measure only the pages whose name has this")
    args = parser.parse_args()
    scale = args.premises / PREMISES
    PREMISES, RUNS = args.premises, args.runs
    INSPECTIONS, FINDINGS = int(INSPECTIONS * scale), int(FINDINGS * scale)
    ensure_database(fresh=not (args.keep or args.measure_only))
    import django

    django.setup()
    if not args.measure_only:
        generate(Sizes(premises=PREMISES, inspections=INSPECTIONS, findings=FINDINGS))
        fill_search_text()
    print("rows:", counts())
    if not args.measure_only:
        compare_selectors()
    measure(only=args.only)


if __name__ == "__main__":
    main()
