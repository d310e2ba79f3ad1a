"""Portal dashboard and drill-down lists over 100,000 premises and 1,000,000 answers on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pccc_portal .venv/bin/python \
        bench/bench_portal.py --premises 100000 [--keep] [--runs 25]

Drops and recreates the database (``--keep`` reuses it), migrates, loads the catalogue and
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

PREMISES = 100_000
INSPECTIONS = 52_650  # scaled with --premises
ITEMS_PER_INSPECTION = 20  # ~50,000 inspections in Hà Nội x 20 = ~1,000,000 answers
FINDINGS = 40_000
RUNS = 25
PROFILES = 60  # premises g has the facts of profile g % 60 (kind, category, floors, area, device)
HANOI, SON_LA = 1, 14


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


ZERO = {"boolean": "false", "text": "''", "character varying": "''", "jsonb": "'{}'"}


def zero_defaults(*tables: str) -> None:
    """Give the bench database's NOT NULL columns a zero default (false, '', 0, {}).

    Django keeps model defaults in Python, so every field added to a model would otherwise
    break these generate_series inserts (as ``verification_note`` did).
    """
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_name = ANY(%s) AND is_nullable = 'NO' AND column_default IS NULL
              AND is_identity = 'NO'
            """,
            [list(tables)],
        )
        for table, column, data_type in cur.fetchall():
            zero = ZERO.get(
                data_type, "0" if "int" in data_type or data_type == "numeric" else None
            )
            if zero is not None:
                cur.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" SET DEFAULT {zero}')


def generate() -> None:
    from django.db import connection

    from accounts import divisions
    from inspections.models import Requirement

    version, authority = catalogue_and_people()
    wards = [c for c, _n in divisions.ward_choices(HANOI)][:40]
    son_la_ward = divisions.ward_choices(SON_LA)[0][0]
    requirements = list(
        Requirement.objects.filter(version=version, advice=False)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    t0 = time.perf_counter()
    zero_defaults(
        "inspections_premises",
        "inspections_inspection",
        "inspections_inspectionitem",
        "inspections_answer",
        "inspections_finding",
    )
    with connection.cursor() as cur:
        # 95% in Hà Nội over 40 wards, 5% in Sơn La (outside the manager's jurisdiction). Ward,
        # kind, planned day and status vary independently (moduli without common factors), so
        # the counters have as many cells as real data would.
        insert_premises(cur, wards, son_la_ward)
        insert_obligations(cur)
        insert_inspections(cur, authority, version)
        insert_items_and_answers(cur, requirements)
        insert_findings(cur)
        cur.execute("ANALYZE")
    print(f"generated data in {time.perf_counter() - t0:.1f} s")
    build_rollups()


def catalogue_and_people():
    """The published catalogue, the province's authority, its manager and 40 inspectors."""
    from django.core.management import call_command

    from accounts.models import Authority, Membership, User
    from inspections.legal.catalogue_file import latest_catalogue_file
    from inspections.selectors.catalogue import current_version
    from inspections.services.catalogue_loading import load_catalogue

    call_command("migrate", verbosity=0)
    version = current_version() or load_catalogue(latest_catalogue_file(), publish=True).version
    authority, _ = Authority.objects.get_or_create(
        name="Công an TP Hà Nội (bench)",
        defaults={"kind": Authority.Kind.FIRE_POLICE, "province_code": HANOI, "ward_codes": []},
    )
    manager = User.objects.filter(email="bench-manager@demo.test").first()
    if manager is None:
        manager = User.objects.create_user("bench-manager@demo.test", "bench-pass-2025")
        Membership.objects.create(user=manager, authority=authority, role=Membership.Role.MANAGER)
        for i in range(40):
            u = User.objects.create_user(f"bench-inspector{i}@demo.test", "bench-pass-2025")
            Membership.objects.create(user=u, authority=authority, role="inspector")
    return version, authority


def empty(table: str) -> bool:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})")
        return c.fetchone()[0]


def insert_premises(cur, wards: list[int], son_la_ward: int) -> None:
    if empty("inspections_premises"):
        cur.execute(
            """
            INSERT INTO inspections_premises (
              kind, name, address_line, external_id, province_code, ward_code,
              occupancy_category, floors,
              floor_area_m2, hazard_class, trades_hazardous_goods, in_infra_deficient_area,
              hosts_other_organisations, legacy_noncompliant_listed, has_ev_charging,
              uses_electricity_for_production, alarm_device_state, alarm_device_id,
              insurer, insurance_policy_number, contact_phone, created_at, updated_at)
            SELECT (ARRAY['establishment','home','home_business','construction_site','vehicle'])[1 + (g %% 5)],
                   'Cơ sở ' || g, g || ' Phố Huế', 'B' || g,
                   CASE WHEN g %% 20 = 0 THEN %s ELSE %s END,
                   CASE WHEN g %% 20 = 0 THEN %s ELSE (%s::int[])[1 + ((g / 5) %% %s)] END,
                   (ARRAY['karaoke','restaurant','apartment','hospital','warehouse',''])[1 + (g %% 6)],
                   1 + (g %% 60) %% 12, 50 + (g %% 60) * 33, '', false, false, false, false, false, false,
                   (ARRAY['none','installed','connected'])[1 + (g %% 3)], '', '', '', '',
                   now() - (g || ' minutes')::interval, now()
            FROM generate_series(1, %s) AS g
            """,
            [SON_LA, HANOI, son_la_ward, wards, len(wards), PREMISES],
        )


def insert_obligations(cur) -> None:
    # Obligations from the engine: one premises per fact profile is evaluated, and its
    # rows are copied to the premises of the same profile.
    if empty("inspections_obligation"):
        from inspections.models import Premises
        from inspections.services.obligations import refresh_obligations

        for template in Premises.objects.filter(
            external_id__in=[f"B{g}" for g in range(1, PROFILES + 1)]
        ):
            refresh_obligations(template)
        cur.execute(
            """
            INSERT INTO inspections_obligation (premises_id, requirement_id, status, due_on,
                                                reason_vi, reason_en, missing_facts,
                                                computed_at)
            SELECT p.id, o.requirement_id, o.status, o.due_on, o.reason_vi, o.reason_en,
                   o.missing_facts, now()
            FROM inspections_premises p
            JOIN inspections_premises t
              ON t.external_id = 'B' || (CASE WHEN substr(p.external_id, 2)::int %% %s = 0
                                              THEN %s ELSE substr(p.external_id, 2)::int %% %s END)
            JOIN inspections_obligation o ON o.premises_id = t.id
            WHERE p.id <> t.id
            """,
            [PROFILES, PROFILES, PROFILES],
        )
        cur.execute("UPDATE inspections_premises SET obligations_computed_at = now()")


def insert_inspections(cur, authority, version) -> None:
    """Inspections of the Hà Nội premises in every state, and their inspectors."""
    from accounts.models import User

    if empty("inspections_inspection"):
        cur.execute(
            """
            INSERT INTO inspections_inspection (client_uuid, number, premises_id, authority_id,
              kind, state, catalogue_version_id, scheduled_for, submitted_at, place,
              recommendations, representative_name, representative_position,
              cap_override_reason, cancelled_reason, submission_hash, version, created_at,
              updated_at)
            SELECT gen_random_uuid(), '', p.id, %s,
                   CASE WHEN g %% 7 = 0 THEN 'unannounced' ELSE 'periodic' END,
                   (ARRAY['scheduled','in_progress','submitted','signed'])[1 + (g %% 4)],
                   %s, CURRENT_DATE - (g %% 699)::int,
                   CASE WHEN g %% 4 >= 2 THEN now() - ((g %% 699) || ' days')::interval END,
                   '', '', '', '', '', '', '', 1, now(), now()
            FROM generate_series(1, %s) AS g
            JOIN inspections_premises p ON p.id = (SELECT min(id) FROM inspections_premises) + (g * 7919) %% %s
            WHERE p.province_code = %s
            """,
            [authority.pk, version.pk, INSPECTIONS, PREMISES, HANOI],
        )
    if empty("inspections_inspection_inspectors"):
        cur.execute(
            """
            INSERT INTO inspections_inspection_inspectors (inspection_id, user_id)
            SELECT i.id, (%s::bigint[])[1 + (i.id %% 40)] FROM inspections_inspection i
            """,
            [
                list(
                    User.objects.filter(email__startswith="bench-inspector").values_list(
                        "pk", flat=True
                    )
                )
            ],
        )


def insert_items_and_answers(cur, requirements: list[int]) -> None:
    if empty("inspections_inspectionitem"):
        cur.execute(
            """
            INSERT INTO inspections_inspectionitem (inspection_id, requirement_id, code, "order",
              title_vi, title_en, question_vi, question_en, citations, answer_type, required,
              severity, evidence)
            SELECT i.id, (%s::bigint[])[1 + n], 'Q' || n, n, 'Câu hỏi ' || n, '', 'Câu hỏi ' || n,
                   '', '[]', 'yes_no_na', true, 'major', '[]'
            FROM inspections_inspection i CROSS JOIN generate_series(0, %s) AS n
            """,
            [requirements[:ITEMS_PER_INSPECTION], ITEMS_PER_INSPECTION - 1],
        )
    if empty("inspections_answer"):
        cur.execute(
            """
            INSERT INTO inspections_answer (client_uuid, inspection_id, item_id, value, note,
              answered_at, content_hash, created_at, updated_at)
            SELECT gen_random_uuid(), it.inspection_id, it.id,
                   (ARRAY['compliant','non_compliant','not_applicable'])[1 + (it.id %% 3)], '',
                   now(), md5(it.id::text), now(), now()
            FROM inspections_inspectionitem it
            """,
            [],
        )


def insert_findings(cur) -> None:
    if empty("inspections_finding"):
        cur.execute(
            """
            INSERT INTO inspections_finding (client_uuid, inspection_id, premises_id,
              description, severity, remediation_deadline, status, remediation_note,
              verification_note, content_hash, created_at, updated_at)
            SELECT gen_random_uuid(), i.id, i.premises_id, 'Vi phạm ' || i.id, 'major',
                   CURRENT_DATE + ((i.id %% 181) - 90)::int,
                   (ARRAY['open','open','remediated','closed'])[1 + (i.id %% 4)], '', '', '', now(), now()
            FROM inspections_inspection i WHERE i.state IN ('submitted','signed')
            ORDER BY i.id LIMIT %s
            """,
            [FINDINGS],
        )


def build_rollups() -> None:
    """The rolled-up counters of every premises (timed), unless already built."""
    from django.db import connection

    from inspections.models import Premises, RollupCell, RollupShare
    from inspections.services.rollups import rebuild_rollups

    # The profile templates are already counted (refresh_obligations): count every premises.
    if RollupShare.objects.count() != Premises.objects.count():
        t0, c0 = time.perf_counter(), time.process_time()
        r = rebuild_rollups()
        print(
            f"built rollups for {r.premises} premises in {time.perf_counter() - t0:.1f} s "
            f"(CPU {time.process_time() - c0:.1f} s): {RollupCell.objects.count()} counters"
        )
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


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


def measure() -> None:
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
        ("premises list p2000 by ward", "/manage/premises/?sort=-ward&page=2000"),
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
    args = parser.parse_args()
    scale = args.premises / PREMISES
    PREMISES, RUNS = args.premises, args.runs
    INSPECTIONS, FINDINGS = int(INSPECTIONS * scale), int(FINDINGS * scale)
    ensure_database(fresh=not args.keep)
    import django

    django.setup()
    generate()
    fill_search_text()
    print("rows:", counts())
    compare_selectors()
    measure()


if __name__ == "__main__":
    main()
