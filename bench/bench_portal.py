"""Portal dashboard and lists over 100,000 premises and 1,000,000 answers on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pccc_portal .venv/bin/python bench/bench_portal.py

Creates the database if missing, migrates, loads the catalogue, generates the data once with
``generate_series`` (re-runs reuse it), then requests every manager page through Django's test
client as a province-wide manager and prints p50/p95 latency and the number of SQL queries.
"""

from __future__ import annotations

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

PREMISES = int(os.environ.get("BENCH_PREMISES", 100_000))
INSPECTIONS = int(os.environ.get("BENCH_INSPECTIONS", 52_650))
ITEMS_PER_INSPECTION = 20  # ~50,000 inspections in Hà Nội x 20 = ~1,000,000 answers
FINDINGS = int(os.environ.get("BENCH_FINDINGS", 40_000))
RUNS = int(os.environ.get("BENCH_RUNS", 25))
HANOI, SON_LA = 1, 14


def ensure_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate() -> None:
    from django.core.management import call_command
    from django.db import connection

    from accounts import divisions
    from accounts.models import Authority, Membership, User
    from inspections.legal.catalogue_file import latest_catalogue_file
    from inspections.models import Requirement
    from inspections.selectors.catalogue import current_version
    from inspections.services.catalogue import load_catalogue

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

    def empty(table: str) -> bool:
        with connection.cursor() as c:
            c.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})")
            return c.fetchone()[0]

    wards = [c for c, _n in divisions.ward_choices(HANOI)][:40]
    son_la_ward = divisions.ward_choices(SON_LA)[0][0]
    requirements = list(
        Requirement.objects.filter(version=version, advice=False)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        # 95% in Hà Nội over 40 wards, 5% in Sơn La (outside the manager's jurisdiction).
        if empty("inspections_premises"):
            cur.execute(
                """
                INSERT INTO inspections_premises (
                  kind, name, address_line, province_code, ward_code, occupancy_category, floors,
                  floor_area_m2, hazard_class, trades_hazardous_goods, in_infra_deficient_area,
                  hosts_other_organisations, legacy_noncompliant_listed, has_ev_charging,
                  uses_electricity_for_production, alarm_device_state, alarm_device_id,
                  insurer, insurance_policy_number, contact_phone, created_at, updated_at)
                SELECT (ARRAY['establishment','home','home_business','construction_site','vehicle'])[1 + (g %% 5)],
                       'Cơ sở ' || g, g || ' Phố Huế',
                       CASE WHEN g %% 20 = 0 THEN %s ELSE %s END,
                       CASE WHEN g %% 20 = 0 THEN %s ELSE (%s::int[])[1 + (g %% %s)] END,
                       (ARRAY['karaoke','restaurant','apartment','hospital','warehouse',''])[1 + (g %% 6)],
                       1 + (g %% 12), 50 + (g %% 2000), '', false, false, false, false, false, false,
                       (ARRAY['none','installed','connected'])[1 + (g %% 3)], '', '', '', '',
                       now() - (g || ' minutes')::interval, now()
                FROM generate_series(1, %s) AS g
                """,
                [SON_LA, HANOI, son_la_ward, wards, len(wards), PREMISES],
            )
        # Five obligations per premises with mixed statuses (what refresh_obligations stores).
        if empty("inspections_obligation"):
            cur.execute(
                """
                INSERT INTO inspections_obligation (premises_id, requirement_id, status, due_on,
                                                    reason_vi, reason_en, computed_at)
                SELECT p.id, (%s::bigint[])[1 + r],
                       (ARRAY['met','not_met','unknown','overdue'])[1 + ((p.id + r) %% 4)],
                       CASE WHEN r = 0 THEN DATE '2027-07-01' ELSE NULL END, '', '', now()
                FROM inspections_premises p CROSS JOIN generate_series(0, 4) AS r
                """,
                [requirements[:5]],
            )
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
                       %s, CURRENT_DATE - (g %% 700)::int,
                       CASE WHEN g %% 4 >= 2 THEN now() - ((g %% 700) || ' days')::interval END,
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
        if empty("inspections_finding"):
            cur.execute(
                """
                INSERT INTO inspections_finding (client_uuid, inspection_id, premises_id,
                  description, severity, remediation_deadline, status, remediation_note,
                  content_hash, created_at, updated_at)
                SELECT gen_random_uuid(), i.id, i.premises_id, 'Vi phạm ' || i.id, 'major',
                       CURRENT_DATE + ((i.id %% 90) - 45)::int,
                       (ARRAY['open','open','remediated','closed'])[1 + (i.id %% 4)], '', '', now(), now()
                FROM inspections_inspection i WHERE i.state IN ('submitted','signed')
                ORDER BY i.id LIMIT %s
                """,
                [FINDINGS],
            )
        cur.execute("ANALYZE")
    print(f"generated data in {time.perf_counter() - t0:.1f} s")


def counts() -> dict[str, int]:
    from inspections.models import Answer, Finding, Inspection, Obligation, Premises

    return {
        "premises": Premises.objects.count(),
        "obligations": Obligation.objects.count(),
        "inspections": Inspection.objects.count(),
        "answers": Answer.objects.count(),
        "findings": Finding.objects.count(),
    }


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
        ("planning", "/manage/planning/"),
        ("planning ward", f"/manage/planning/?ward={ward}"),
        ("inspections", "/manage/inspections/"),
        ("inspections scheduled", "/manage/inspections/?state=scheduled&sort=premises"),
        ("findings open", "/findings/"),
        ("notifications", "/manage/notifications/"),
        ("premises page (obligations)", f"/premises/{some}/"),
    ]
    print(f"\n{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages:
        times = []
        queries = 0
        for i in range(RUNS):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            if i == 0:
                queries = len(ctx.captured_queries)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"{name:32} {p50:8.1f} {p95:8.1f} {queries:8d}")


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
    ensure_database()
    import django

    django.setup()
    generate()
    fill_search_text()
    print("rows:", counts())
    measure()


if __name__ == "__main__":
    main()
