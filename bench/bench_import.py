"""CSV import of premises: rows per second for a first import, a re-run and a one-column change.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pccc_foundation_bench \\
        .venv/bin/python bench/bench_import.py

Creates the database if missing and migrates it, publishes the catalogue (so every created or
changed premises also gets its obligations computed, as in production), then imports
``BENCH_ROWS`` generated rows three times: new, the same file again (nothing changes), and with
one fact changed on every row. Prints wall and CPU seconds and rows per second for each run.
Obligations are queued for the worker (one broker message per created or changed premises);
run ``celery -A config worker`` to drain them, or ``bench/obligations.py`` to time that part.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pccc_foundation_bench")
os.environ.setdefault("DJANGO_DEBUG", "false")

ROWS = int(os.environ.get("BENCH_ROWS", 2000))
KINDS = ["establishment", "home", "home_business", "construction_site", "vehicle"]
CATEGORIES = ["karaoke", "hotel", "apartment", "shop", "restaurant", "warehouse"]


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


def csv_file(floors_offset: int) -> bytes:
    lines = [
        "external_id;kind;name;address_line;province_code;ward_code;occupancy_category;"
        "floors;floor_area_m2;alarm_device_state;insurance_expires_on"
    ]
    for i in range(ROWS):
        kind = KINDS[i % len(KINDS)]
        category = CATEGORIES[i % len(CATEGORIES)] if kind == "establishment" else ""
        lines.append(
            f"BENCH-{i:06d};{kind};Cơ sở thử nghiệm số {i};{i} phố Hàng Bài;1;70;{category};"
            f"{2 + (i % 8) + floors_offset};{100 + i % 900},5;none;31/12/2027"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from inspections.legal.catalogue_file import latest_catalogue_file
    from inspections.models import Premises
    from inspections.services.catalogue import CatalogueError
    from inspections.services.catalogue_loading import load_catalogue
    from inspections.services.premises_import import import_premises

    with contextlib.suppress(CatalogueError):  # already published in this bench database
        load_catalogue(latest_catalogue_file(), publish=True)
    Premises.objects.filter(external_id__startswith="BENCH-").delete()

    print(f"{ROWS} rows, database {os.environ['DATABASE_URL'].rsplit('/', 1)[1]}")
    for label, data in [
        ("first import", csv_file(0)),
        ("same file again", csv_file(0)),
        ("one fact changed", csv_file(1)),
    ]:
        wall, cpu = time.perf_counter(), time.process_time()
        report = import_premises(data)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{label:17s} {wall:7.2f} s wall {cpu:7.2f} s CPU {ROWS / wall:8.0f} rows/s  "
            f"({report.summary()})"
        )


if __name__ == "__main__":
    main()
