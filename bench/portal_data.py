"""bench_portal.py's data, generated with ``generate_series``: premises in Hà Nội (and 5% in Sơn
La, outside the manager's jurisdiction), obligations from the engine copied across 60 fact
profiles, inspections with answered items, findings, and the rolled-up counters."""

from __future__ import annotations

import time
from dataclasses import dataclass

ITEMS_PER_INSPECTION = 20  # ~50,000 inspections in Hà Nội x 20 = ~1,000,000 answers
PROFILES = 60  # premises g has the facts of profile g % 60 (kind, category, floors, area, device)
HANOI, SON_LA = 1, 14


@dataclass(frozen=True)
class Sizes:
    premises: int
    inspections: int
    findings: int


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


def generate(sizes: Sizes) -> None:
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
        insert_premises(cur, wards, son_la_ward, sizes.premises)
        insert_obligations(cur)
        insert_inspections(cur, authority, version, sizes)
        insert_items_and_answers(cur, requirements)
        insert_findings(cur, sizes.findings)
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


def insert_premises(cur, wards: list[int], son_la_ward: int, premises: int) -> None:
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
            [SON_LA, HANOI, son_la_ward, wards, len(wards), premises],
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


def insert_inspections(cur, authority, version, sizes: Sizes) -> None:
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
            JOIN inspections_premises p ON p.id = (SELECT min(id) FROM inspections_premises) + (g::bigint * 7919) %% %s
            WHERE p.province_code = %s
            """,
            [authority.pk, version.pk, sizes.inspections, sizes.premises, HANOI],
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


def insert_findings(cur, findings: int) -> None:
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
            [findings],
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
