"""Benchmark: obligations engine throughput on synthetic premises (prints figures, asserts nothing).

Run: .venv/bin/python bench/obligations.py [N]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inspections.legal.catalogue_file import (  # noqa: E402
    latest_catalogue_file,
    read_catalogue,
    requirement_specs,
)
from inspections.rules.facts import derive_facts  # noqa: E402
from inspections.rules.obligations import evaluate_obligations  # noqa: E402

CATEGORIES = ["apartment", "hospital", "clinic", "school", "kindergarten", "karaoke", "bar",
              "market", "mall", "restaurant", "hotel", "office", "factory", "warehouse",
              "petrol_station", "car_park", "shop", "other"]  # fmt: skip
KINDS = ["establishment", "home", "home_business", "construction_site", "vehicle"]


def synthetic(rng: random.Random) -> dict:
    kind = rng.choice(KINDS)
    return {
        "kind": kind,
        "province_code": rng.choice([1, 31, 46, 48, 79, 92, 14, 4, 22]),
        "occupancy_category": rng.choice(
            ["road_passenger", "inland_waterway"] if kind == "vehicle" else CATEGORIES
        ),
        "floors": rng.randint(1, 30),
        "floor_area_m2": rng.randint(30, 20000),
        "beds": rng.randint(0, 600),
        "business_area_m2": rng.randint(0, 500),
        "hazard_class": rng.choice(["", "A", "B", "C", "D", "E"]),
        "trades_hazardous_goods": rng.random() < 0.1,
        "in_infra_deficient_area": rng.random() < 0.2,
        "alarm_device_state": rng.choice(["none", "installed", "connected"]),
        "has_ev_charging": rng.random() < 0.2,
    }


def main(n: int) -> None:
    t0 = time.perf_counter()
    data = read_catalogue(latest_catalogue_file())
    specs, params = requirement_specs(data), data.params
    t_load = time.perf_counter() - t0
    rng = random.Random(4)
    premises = [synthetic(rng) for _ in range(n)]
    t0 = time.perf_counter()
    total = 0
    for raw in premises:
        facts = derive_facts(raw, params)
        total += len(evaluate_obligations(specs, facts, params, {}, date(2026, 11, 23)).obligations)
    elapsed = time.perf_counter() - t0
    print(f"catalogue: {len(specs)} requirements, read+parsed in {t_load * 1000:.0f} ms")
    print(f"premises evaluated: {n} in {elapsed:.2f} s -> {elapsed / n * 1e3:.3f} ms each")
    print(f"obligations produced: {total} ({total / n:.1f} per premises)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
