"""Consecutive pk ranges of premises: how the daily whole-country jobs (the obligations refresh,
the reminder sweep) are cut into tasks that worker processes share."""

from __future__ import annotations

from inspections.models import Premises

# (first pk, last pk), both included; a last of None is open-ended.
Slice = tuple[int, int | None]


def premises_slices(size: int) -> list[Slice]:
    """Consecutive pk ranges of ``size`` premises covering every premises, the last one open
    (a premises created meanwhile is in it)."""
    firsts = []
    for n, pk in enumerate(Premises.objects.order_by("pk").values_list("pk", flat=True).iterator()):
        if n % size == 0:
            firsts.append(pk)
    return [
        (first, firsts[i + 1] - 1 if i + 1 < len(firsts) else None)
        for i, first in enumerate(firsts)
    ]
