"""Obligation refresh over N premises (default 100,000) on a fresh PostgreSQL database.

    .venv/bin/python bench/obligations.py [--premises N] [--workers W]
    (database pccc_bench_obligations, or BENCH_DATABASE, on DATABASE_URL's server, default
    127.0.0.1: DROPPED and created again on every run; no other database is touched)

Phases, each with wall and CPU time, statements and per-batch p50/p95:
  floor   the engine alone on every premises (no database), and COPY of a sample of the
          obligation rows into an empty copy of the table (scaled to all rows);
  fill    the first refresh: every obligation row inserted, as production runs it: the daily
          task's slices (``refresh_slices``) run by ``--workers`` worker processes (default:
          one per core, as the obligations queue's worker is started);
  steady  the daily refresh the same way, nothing changed; then again in one process, as
          ``refresh_all`` (the management command) runs it;
  change  5% of the premises' facts edited, then the stale sweep's refresh of those;
  single  refresh_obligations() one premises at a time (what a form save costs).
Prints nothing it has not measured; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    TODAY,
    Phase,
    analyze,
    copy_floor,
    database_size,
    fresh_database,
    generate_premises,
    measure,
    ratio,
    table_sizes,
    timed_calls,
)
from bench.workers import counted  # noqa: E402
from bench.workers import in_workers as run_in_workers  # noqa: E402

# Dropped and created again on every run; BENCH_DATABASE names another one (two people benching
# on one server at once), which must start with "pccc_" too.
DATABASE = os.environ.get("BENCH_DATABASE", "pccc_bench_obligations")
FLOOR_SAMPLE_ROWS = 200_000


def engine_floor(batch: int = 1000) -> tuple[float, float, int]:
    """CPU seconds of the engine alone over every premises (facts read untimed)."""
    from django.db.models import prefetch_related_objects

    from inspections.models import Premises
    from inspections.selectors.catalogue import version_in_force
    from inspections.selectors.obligations import evaluate_premises

    version = version_in_force(TODAY)
    evaluate_premises(Premises.objects.first(), {}, {}, on=TODAY, version=version)  # warm cache
    wall = cpu = 0.0
    rows = 0
    last = 0
    while True:
        page = list(Premises.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not page:
            return wall, cpu, rows
        prefetch_related_objects(page, "training_certificates")
        t0, c0 = time.perf_counter(), time.process_time()
        for p in page:
            rows += len(
                evaluate_premises(p, {}, {}, on=TODAY, version=version).evaluation.obligations
            )
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
        last = page[-1].pk


def obligation_copy_floor(total_rows: int) -> float:
    """COPY of a sample of the stored rows into an empty indexed copy, scaled to all rows."""
    from inspections.models import Obligation

    cols = ["premises_id", "requirement_id", "status", "due_on", "reason_vi", "reason_en",
            "missing_facts", "source_answer_id", "computed_at"]  # fmt: skip
    at = cols.index("missing_facts")  # a JSON column: COPY takes its text
    sample = [
        (*row[:at], json.dumps(row[at]), *row[at + 1 :])
        for row in Obligation.objects.order_by("pk").values_list(*cols)[:FLOOR_SAMPLE_ROWS]
    ]
    seconds = copy_floor("inspections_obligation", cols, sample)
    return seconds * total_rows / max(len(sample), 1)


def _run_slice(first_pk: int, last_pk: int | None) -> tuple[Any, ...]:
    """One slice in a worker process, as the task runs it: (statements, wall seconds,
    refreshed, failed, written, removed)."""
    from inspections.services.obligations import refresh_slice

    with counted() as figures:
        r = refresh_slice(first_pk, last_pk, on=TODAY)
    return (*figures, r.refreshed, len(r.failed), r.written, r.removed)


def in_workers(label: str, workers: int) -> tuple[Phase, int, int, int]:
    """The daily refresh's slices run by ``workers`` processes (bench/workers.py). Returns the
    phase and the refreshed, written and removed totals."""
    from inspections.services.obligations import refresh_slices

    phase, results = run_in_workers(label, _run_slice, refresh_slices, workers)
    failed = sum(r[1] for r in results)
    if failed:
        print(f"   {failed} premises failed")
    return phase, sum(r[0] for r in results), sum(r[2] for r in results), sum(r[3] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--premises", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    n, workers = args.premises, args.workers
    if not DATABASE.startswith("pccc_"):
        sys.exit("BENCH_DATABASE must start with pccc_ (the bench drops it)")
    fresh_database(DATABASE)
    from inspections.models import Obligation, Premises
    from inspections.services import obligations as service

    generate_premises(n)
    print(f"   ANALYZE after loading: {analyze():.1f} s")

    engine_wall, engine_cpu, engine_rows = measure(
        "floor: engine alone, every premises", engine_floor
    )
    print(f"   {engine_rows} obligations, {engine_rows / n:.1f} per premises, "
          f"{engine_cpu / n * 1e3:.2f} ms CPU per premises")  # fmt: skip

    fill_phase, refreshed, written, _ = in_workers(f"fill: first refresh of {n} premises", workers)
    print(f"   refreshed {refreshed}, rows written {written}")
    print(f"   ANALYZE after the fill: {analyze():.1f} s")
    copy_seconds = obligation_copy_floor(Obligation.objects.count())
    print(f"floor: COPY of the {engine_rows} rows (sample of {FLOOR_SAMPLE_ROWS}, scaled)"
          f"  {copy_seconds:.2f} s")  # fmt: skip

    steady_phase, refreshed, written, removed = in_workers(
        f"steady: daily refresh of {n} premises, nothing changed", workers
    )
    print(f"   refreshed {refreshed}, rows written {written}, removed {removed}"
          f"; {steady_phase.queries / n:.3f} statements per premises")  # fmt: skip
    with timed_calls(service, "refresh_batch") as samples:
        steady = measure(
            "steady, one process: refresh_all() (the management command)",
            lambda: service.refresh_all(on=TODAY),
            samples=samples,
        )
    print(f"   refreshed {steady.refreshed}, rows written {steady.written}, removed {steady.removed}"
          f"; {measure.last.wall / n * 1e3:.2f} ms per premises")  # fmt: skip

    changed = list(Premises.objects.order_by("?").values_list("pk", flat=True)[: max(1, n // 20)])
    Premises.objects.filter(pk__in=changed).update(alarm_device_state="connected", floors=3)
    with timed_calls(service, "refresh_batch") as samples:
        measure(
            f"change: refresh of the {len(changed)} premises edited",
            lambda: service.refresh_many(Premises.objects.filter(pk__in=changed).order_by("pk").iterator(chunk_size=1000), on=TODAY),
            samples=samples,
        )  # fmt: skip

    single = list(Premises.objects.order_by("pk")[:300])
    with timed_calls(service, "refresh_batch") as samples:
        measure(
            f"single: refresh_obligations() on {len(single)} premises one by one",
            lambda: [service.refresh_obligations(p, on=TODAY) for p in single],
            samples=samples,
        )
    one = measure.last
    print(f"   {one.wall / len(single) * 1e3:.2f} ms and {one.queries / len(single):.1f} statements"
          " per premises")  # fmt: skip

    ratio("steady refresh (CPU, all processes) vs engine alone", steady_phase.cpu, engine_cpu,
          "floor: engine CPU")  # fmt: skip
    ratio(
        "fill vs engine + COPY", fill_phase.wall, engine_wall + copy_seconds, "floor: engine + COPY"
    )
    print(f"database size {database_size()}; "
          + table_sizes("inspections_premises", "inspections_obligation"))  # fmt: skip


if __name__ == "__main__":
    main()
