"""Keyset pages of rows, and the facility heads of a page's premises, for the collectors.

Rows are read ``REMINDER_BATCH_SIZE`` at a time as plain values (``id > last``), so 100,000
premises never sit in memory at once. A ``Span`` limits a collector to one slice of premises
(a pk range): the daily sweep runs as one task per slice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet

from inspections.lookups import AnyOf
from inspections.models import Premises


@dataclass(frozen=True)
class Span:
    """The premises a sweep covers: pk from ``first`` to ``last`` included (None: unbounded)."""

    first: int | None = None
    last: int | None = None

    def of(self, qs: QuerySet[Any], field: str = "premises_id") -> QuerySet[Any]:
        """``qs`` limited to the rows whose ``field`` (a premises pk) lies in the span."""
        if self.first is not None:
            qs = qs.filter(**{f"{field}__gte": self.first})
        if self.last is not None:
            qs = qs.filter(**{f"{field}__lte": self.last})
        return qs


EVERY_PREMISES = Span()


def pages(qs: QuerySet[Any], fields: list[str], batch: int) -> Iterator[list[dict[str, Any]]]:
    """Keyset pagination over ``qs`` by id: constant memory, stable under concurrent inserts."""
    last = 0
    while True:
        rows = list(qs.filter(id__gt=last).order_by("id").values("id", *fields)[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def heads_of(premises_ids: list[int]) -> dict[int, list[int]]:
    """Active facility heads per premises (one query; the ids as one array parameter)."""
    through = Premises.heads.through
    out: dict[int, list[int]] = defaultdict(list)
    for pid, uid in through.objects.filter(
        AnyOf(F("premises_id"), premises_ids), user__is_active=True
    ).values_list("premises_id", "user_id"):
        out[pid].append(uid)
    return out
