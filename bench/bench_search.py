"""Accent-insensitive premises search over 100,000 premises on PostgreSQL (trigram index).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pccc_search_bench \
        .venv/bin/python bench/bench_search.py

Creates the database if missing, migrates, generates 100,000 premises with Vietnamese names
once through ``Premises.objects.bulk_create`` (the bulk path that fills ``search_text``; re-runs
reuse them), then times each query three ways: the selector alone (count + first page of 25),
the portal premises list as a province-wide manager, and the API (BENCH_RANDOM_PAGE_COST=1.1
measures with the SSD planner setting). Prints p50/p95 in ms, the
number of matches and whether PostgreSQL's plan uses the trigram index (for a query with a
typo, the plan of the corrected query).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pccc_search_bench")
os.environ.setdefault("DJANGO_DEBUG", "false")

PREMISES = int(os.environ.get("BENCH_PREMISES", 100_000))
RUNS = int(os.environ.get("BENCH_RUNS", 25))
HANOI = 1
KINDS = ["Nhà hàng", "Karaoke", "Khách sạn", "Quán cà phê", "Cửa hàng", "Chung cư", "Xưởng"]
PLACES = [
    "Hồ Gươm", "Tràng Tiền", "Hàng Bài", "Đinh Tiên Hoàng", "Lý Thái Tổ", "Bà Triệu",
    "Hàng Đào", "Đồng Xuân", "Hàng Bạc", "Lò Đúc", "Phố Huế", "Trần Hưng Đạo", "Quán Sứ",
    "Hai Bà Trưng", "Nguyễn Du", "Điện Biên Phủ", "Hàng Gai", "Cầu Gỗ", "Hàng Mã", "Hàng Buồm",
]  # fmt: skip
QUERIES = [
    ("unaccented, common", "ho guom"),
    ("accented, common", "hồ gươm"),
    ("upper case", "HỒ GƯƠM"),
    ("one premises (id)", "BS-004711"),
    ("typo, common word", "dien bien phuu"),
    ("typo in one word", "nha hang ho guong"),
    ("word order", "guom ho nha hang"),
    ("no match", "vinpearl"),
]


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
    from inspections.models import Premises

    call_command("migrate", verbosity=0)
    authority, _ = Authority.objects.get_or_create(
        name="Công an TP Hà Nội (bench search)",
        defaults={"kind": Authority.Kind.FIRE_POLICE, "province_code": HANOI, "ward_codes": []},
    )
    if not User.objects.filter(email="bench-search@demo.test").exists():
        manager = User.objects.create_user("bench-search@demo.test", "bench-pass-2025")
        Membership.objects.create(user=manager, authority=authority, role=Membership.Role.MANAGER)
    have = Premises.objects.count()
    if have >= PREMISES:
        return
    wards = [c for c, _n in divisions.ward_choices(HANOI)][:40]
    rnd = random.Random(7)
    t0 = time.perf_counter()
    batch = []
    for i in range(have, PREMISES):
        batch.append(
            Premises(
                kind="establishment",
                name=f"{KINDS[i % len(KINDS)]} {rnd.choice(PLACES)} {i}",
                address_line=f"{rnd.randint(1, 300)} {rnd.choice(PLACES)}",
                external_id=f"BS-{i:06d}",
                province_code=HANOI,
                ward_code=wards[i % len(wards)],
                occupancy_category="karaoke",
            )
        )
        if len(batch) == 5000:
            Premises.objects.bulk_create(batch)
            batch = []
    Premises.objects.bulk_create(batch)
    with connection.cursor() as cur:
        cur.execute("ANALYZE inspections_premises")
    print(f"generated {PREMISES - have} premises in {time.perf_counter() - t0:.1f} s")


def _timed(fn) -> tuple[float, float]:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def _uses_trigram_index(qs) -> bool:
    from django.db import connection

    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN {sql}", params)
        return any("premises_search_trgm_idx" in row[0] for row in cur.fetchall())


def measure_search() -> None:
    """The search alone, then through the portal and the API (what a user waits for)."""
    from django.test import Client
    from rest_framework.test import APIClient

    from accounts.models import User
    from inspections import access
    from inspections.models import Premises
    from inspections.selectors.search import corrected, search, search_text_q
    from inspections.textsearch import fold

    if os.environ.get("BENCH_RANDOM_PAGE_COST"):
        # PostgreSQL's default (4) models spinning disks and turns a common word's search into
        # a sequential scan; 1.1 is the usual SSD setting and lets the trigram index serve it.
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SET random_page_cost = %s", [float(os.environ["BENCH_RANDOM_PAGE_COST"])])
    manager = User.objects.get(email="bench-search@demo.test")
    client = Client()
    client.force_login(manager)
    api = APIClient()
    api.force_authenticate(manager)
    base = access.premises_managed_by(manager)
    print(f"premises: {Premises.objects.count()}, runs per figure: {RUNS}")
    header = f"{'query':20} {'q':22} {'corrected to':18} {'matches':>8} {'index':>6}"
    print(f"\n{header} {'select p50/p95':>16} {'portal p50/p95':>16} {'api p50/p95':>16}")
    for label, q in QUERIES:
        qs = search(base, q, ["search_text"]).order_by("name", "id")
        exact = base.filter(search_text_q(fold(q))).exists()
        fixed = "" if exact else (corrected(fold(q)) or "-")
        matches = qs.count()

        def select(qs=qs):
            qs.count()
            list(qs[:25])

        def portal(q=q):
            resp = client.get("/manage/premises/?" + urlencode({"q": q}))
            assert resp.status_code == 200, resp.status_code

        def api_call(q=q):
            resp = api.get("/api/v1/premises/?" + urlencode({"search": q}))
            assert resp.status_code == 200, resp.status_code

        figures = [_timed(fn) for fn in (select, portal, api_call)]
        cells = " ".join(f"{p50:7.1f}/{p95:<8.1f}" for p50, p95 in figures)
        index = "yes" if _uses_trigram_index(qs) else "no"
        print(f"{label:20} {q:22} {fixed:18} {matches:8d} {index:>6} {cells}")


def main() -> None:
    ensure_database()
    import django

    django.setup()
    generate()
    measure_search()


if __name__ == "__main__":
    main()
