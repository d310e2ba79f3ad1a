"""Consecutive pk ranges of premises: how the daily whole-country jobs (the obligations refresh,
the reminder sweep) are cut into tasks that worker processes share."""

from __future__ import annotations

from django.db.models import F, Window
from django.db.models.functions import Mod, RowNumber

from inspections.models import Premises

# (first pk, last pk), both included; a last of None is open-ended.
Slice = tuple[int, int | None]


def premises_slices(size: int) -> list[Slice]:
    """Consecutive pk ranges of ``size`` premises covering every premises, the last one open
    (a premises created meanwhile is in it)."""
    # The database numbers the rows and returns only each slice's first pk: 200 values for a
    # country, not a million read into Python.
    firsts = list(
        Premises.objects.order_by()
        .annotate(row=Window(RowNumber(), order_by=F("pk").asc()))
        .annotate(offset=Mod(F("row") - 1, size))
        .filter(offset=0)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [
        (first, firsts[i + 1] - 1 if i + 1 < len(firsts) else None)
        for i, first in enumerate(firsts)
    ]
