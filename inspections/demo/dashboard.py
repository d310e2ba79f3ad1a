"""Demo data for the manager dashboard: coordinates for the map, capacity, exact counters."""

from __future__ import annotations

from decimal import Decimal
from typing import TextIO

from accounts.models import Authority
from inspections.models import Premises
from inspections.services.premises import update_premises_facts
from inspections.services.rollups import rebuild_rollups

# Around Hoàn Kiếm lake and in Tô Hiệu (Sơn La): a spiral of points 150-300 m apart.
CENTRES = {
    1: (Decimal("21.028500"), Decimal("105.852000")),
    14: (Decimal("21.325600"), Decimal("103.918800")),
}
CAPACITY = 6  # low enough that the demo inspector's load shows against it


def seed(stdout: TextIO) -> None:
    placed = 0
    demo = Premises.objects.filter(external_id__startswith="DEMO-").order_by("external_id")
    for i, premises in enumerate(demo):
        lat, lon = CENTRES.get(premises.province_code, CENTRES[1])
        ring, step = divmod(i, 6)
        offset = Decimal("0.0015") * (ring + 1)
        dx = [1, 1, 0, -1, -1, 0][step]
        dy = [0, 1, 1, 0, -1, -1][step]
        point = {"latitude": lat + dy * offset, "longitude": lon + dx * offset}
        if premises.latitude is None:
            update_premises_facts(premises, user=None, changes=point, source="demo")
            placed += 1
    updated = Authority.objects.filter(name__in=_demo_authorities()).update(
        inspector_capacity=CAPACITY
    )
    # Earlier demo modules write some rows directly (the reminders' backdated history): the
    # nightly rebuild is what counts them in production, so it runs here too.
    result = rebuild_rollups()
    stdout.write(
        f"dashboard: {placed} premises placed on the map, capacity {CAPACITY} for "
        f"{updated} authorities, counters rebuilt ({result.cells_fixed} repaired)\n"
    )


def _demo_authorities() -> list[str]:
    from inspections.demo.accounts import AUTHORITIES

    return [str(a["name"]) for a in AUTHORITIES]
