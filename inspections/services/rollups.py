"""Keeps the rolled-up dashboard counters exact: one delta per changed premises, a nightly rebuild.

Every service that changes what a premises counts for (its kind or ward, obligations, findings,
inspections) calls ``premises_changed`` in its transaction, after the change. The premises'
previous contribution is stored (``RollupShare``), so the delta needs no "before" snapshot and
a caller may call it twice: the second call finds nothing to change. ``rebuild_rollups``
recomputes every share and then the counters from the shares, repairing any drift (a raw SQL
edit, a write path that forgot the call).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from inspections.models import (
    NO_DAY,
    Finding,
    Inspection,
    Obligation,
    Premises,
    RollupCell,
    RollupShare,
)
from inspections.rules.deadlines import add_months
from inspections.rules.facts import derive_facts
from inspections.rules.planning import periodic_interval_months
from inspections.selectors.catalogue import current_version, parameters_of
from inspections.selectors.compliance import ROADMAP_RULE
from inspections.selectors.obligations import premises_facts
from inspections.selectors.planning import CAPPED_KINDS

logger = logging.getLogger(__name__)

DONE_STATES = (Inspection.State.SUBMITTED, Inspection.State.SIGNED)
# (metric, key, day, authority_id) inside one premises' (province, ward, kind).
Part = tuple[str, str, dt.date, int]
# (metric, province, ward, kind, key, day, authority_id): one RollupCell.
Cell = tuple[str, int, int, str, str, dt.date, int]


# Days near today are counted exactly: the dashboard compares them with today, today - 30,
# today - 90 and the month's end; summaries with last week and last month. Days farther away
# only ever fall wholly inside or outside such ranges, so they are counted on the first day of
# their month. The counters then stay a bounded size (about 220 days and one cell per month)
# however many premises and dates there are, and the nightly rebuild moves the window. The
# margins cover a rebuild that runs a few days late.
EXACT_DAYS_BEFORE = 150
EXACT_DAYS_AFTER = 70


def counted_day(day: dt.date, today: dt.date) -> dt.date:
    """The day a figure is counted on: ``day`` near ``today``, else the first of its month."""
    if day == NO_DAY:
        return day
    if dt.timedelta(days=-EXACT_DAYS_BEFORE) <= day - today <= dt.timedelta(days=EXACT_DAYS_AFTER):
        return day
    return day.replace(day=1)


@dataclass
class Share:
    province_code: int
    ward_code: int
    premises_kind: str
    parts: Counter[Part]
    today: dt.date = NO_DAY
    last_inspected_on: dt.date | None = None
    periodic_due_on: dt.date | None = None

    def count(self, metric: str, key: str, day: dt.date, authority: int = 0) -> None:
        self.parts[(metric, key, counted_day(day, self.today), authority)] += 1

    def cells(self, sign: int = 1) -> Counter[Cell]:
        out: Counter[Cell] = Counter()
        for (metric, key, day, authority), n in self.parts.items():
            cell = (
                metric,
                self.province_code,
                self.ward_code,
                self.premises_kind,
                key,
                day,
                authority,
            )
            out[cell] += sign * n
        return out

    def stored_cells(self) -> list[list]:
        return sorted(
            [m, k, "" if d == NO_DAY else d.isoformat(), a, n]
            for (m, k, d, a), n in self.parts.items()
        )


def _from_stored(row: RollupShare) -> Share:
    parts: Counter[Part] = Counter()
    for metric, key, day, authority, n in row.cells:
        parts[(metric, key, dt.date.fromisoformat(day) if day else NO_DAY, authority)] += n
    return Share(row.province_code, row.ward_code, row.premises_kind, parts)


def _periodic_params() -> dict:
    version = current_version()
    return parameters_of(version) if version else {}


def compute_shares(premises: Sequence[Premises]) -> dict[int, Share]:
    """What each premises contributes now: five queries for the batch, whatever its size.

    ``premises`` need their ``training_certificates`` prefetched (the periodic interval
    depends on the facts, certificates included).
    """
    ids = [p.pk for p in premises]
    today = timezone.localdate()
    shares = {
        p.pk: Share(
            p.province_code, p.ward_code, p.kind, Counter({("premises", "", NO_DAY, 0): 1}), today
        )
        for p in premises
    }
    _count_obligations(shares, ids)
    _count_roadmap(shares, premises)
    _count_findings(shares, ids)
    last = _count_inspections(shares, ids)
    _count_periodic(shares, premises, last)
    return shares


def _count_obligations(shares: dict[int, Share], ids: list[int]) -> None:
    for pid, status, n in (
        Obligation.objects.filter(premises_id__in=ids)
        .values_list("premises_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        shares[pid].parts[("obligation", status, NO_DAY, 0)] += n
        # The premises behind the number: the dashboard links to the list of these.
        shares[pid].parts[("obligation_premises", status, NO_DAY, 0)] += 1


def _count_roadmap(shares: dict[int, Share], premises: Sequence[Premises]) -> None:
    roadmap = set(
        Obligation.objects.filter(ROADMAP_RULE, premises_id__in=[p.pk for p in premises])
        .values_list("premises_id", flat=True)
        .distinct()
        .order_by()
    )
    for p in premises:
        if p.pk in roadmap:
            shares[p.pk].parts[("roadmap", p.alarm_device_state, NO_DAY, 0)] += 1


def _count_findings(shares: dict[int, Share], ids: list[int]) -> None:
    for pid, status, deadline, closed_at in Finding.objects.filter(premises_id__in=ids).values_list(
        "premises_id", "status", "remediation_deadline", "closed_at"
    ):
        share = shares[pid]
        # Only an open finding's deadline is ever compared (overdue, age): the others are
        # counted without it, in one cell per ward and kind.
        day = deadline if status == Finding.Status.OPEN and deadline else NO_DAY
        share.count("finding", status, day)
        if status == Finding.Status.CLOSED and closed_at is not None:
            share.count("finding_closed", "", timezone.localdate(closed_at))


def _count_inspections(shares: dict[int, Share], ids: list[int]) -> dict[int, dt.date]:
    """Count the inspections; returns each premises' last authority inspection day."""
    last: dict[int, dt.date] = {}
    for pid, kind, state, planned, submitted_at, authority in Inspection.objects.filter(
        premises_id__in=ids
    ).values_list("premises_id", "kind", "state", "scheduled_for", "submitted_at", "authority_id"):
        metric = "self_inspection" if kind == Inspection.Kind.SELF else "inspection"
        share = shares[pid]
        authority = authority or 0
        # By state without a day, except a scheduled one (overdue once its day passes); by
        # planned day once, whatever the state (the summaries' "planned in the period").
        day = (planned or NO_DAY) if state == Inspection.State.SCHEDULED else NO_DAY
        share.count(metric, state, day, authority)
        if state != Inspection.State.CANCELLED:
            share.count(f"{metric}_planned", "", planned or NO_DAY, authority)
        if state in DONE_STATES and submitted_at is not None:
            day = timezone.localdate(submitted_at)
            share.count(f"{metric}_done", "", day, authority)
            if kind in CAPPED_KINDS:
                last[pid] = max(last.get(pid, day), day)
    return last


def _count_periodic(
    shares: dict[int, Share], premises: Sequence[Premises], last: dict[int, dt.date]
) -> None:
    """Never inspected, or the periodic inspection's due day (decree interval from the last)."""
    params = _periodic_params()
    for p in premises:
        share = shares[p.pk]
        share.last_inspected_on = last.get(p.pk)
        if share.last_inspected_on is None:
            share.parts[("never_inspected", "", NO_DAY, 0)] += 1
            continue
        # Facts are derived only for a premises inspected before: the interval runs from that
        # inspection (deriving them for every premises was a sixth of a first fill's batch).
        months = (
            periodic_interval_months(derive_facts(premises_facts(p), params), params)
            if params
            else None
        )
        if months:
            # The decree's interval for this premises, from its last authority inspection.
            share.periodic_due_on = add_months(share.last_inspected_on, int(months))
            share.count("periodic_due", "", share.periodic_due_on)


def apply_delta(delta: Counter[Cell]) -> int:
    """Add ``delta`` to the counters (one upsert per changed cell); returns the cells changed."""
    # In key order: two transactions changing the same counters lock them in the same order,
    # so concurrent slices of the daily refresh (or two inspectors' batches) never deadlock.
    rows = [(*cell, n) for cell, n in sorted(delta.items()) if n]
    if not rows:
        return 0
    table = RollupCell._meta.db_table
    q = connection.ops.quote_name
    cols = ", ".join(
        q(c)
        for c in (
            "metric",
            "province_code",
            "ward_code",
            "premises_kind",
            "key",
            "day",
            "authority_id",
            "n",
        )
    )
    conflict = ", ".join(cols.split(", ")[:-1])
    with connection.cursor() as cursor:
        # Identifiers from the model's meta and constants (quoted), every value a parameter.
        cursor.executemany(
            f"INSERT INTO {q(table)} ({cols}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({conflict}) DO UPDATE SET n = {q(table)}.n + excluded.n",
            rows,
        )
    return len(rows)


def _settle(premises: Sequence[Premises]) -> tuple[int, int]:
    """Apply the deltas of locked ``premises``; returns (cells changed, shares changed)."""
    ids = [p.pk for p in premises]
    stored = {s.premises_id: s for s in RollupShare.objects.filter(premises_id__in=ids)}
    fresh = compute_shares(premises)
    delta: Counter[Cell] = Counter()
    to_create, to_update, moved = [], [], []
    for p in premises:
        new = fresh[p.pk]
        row = stored.get(p.pk)
        new_cells = new.stored_cells()
        if row is not None:
            if (row.province_code, row.ward_code, row.premises_kind, row.cells) == (
                new.province_code,
                new.ward_code,
                new.premises_kind,
                new_cells,
            ):
                pass
            else:
                delta.update(_from_stored(row).cells(-1))
                delta.update(new.cells())
                row.province_code, row.ward_code = new.province_code, new.ward_code
                row.premises_kind, row.cells = new.premises_kind, new_cells
                to_update.append(row)
        else:
            delta.update(new.cells())
            to_create.append(
                RollupShare(
                    premises_id=p.pk,
                    province_code=new.province_code,
                    ward_code=new.ward_code,
                    premises_kind=new.premises_kind,
                    cells=new_cells,
                )
            )
        if (p.last_inspected_on, p.periodic_due_on) != (new.last_inspected_on, new.periodic_due_on):
            p.last_inspected_on, p.periodic_due_on = new.last_inspected_on, new.periodic_due_on
            moved.append(p)
    # Counters first, shares second: a rebuild that locks the counters then sees either both
    # or neither (see rebuild_rollups).
    changed = apply_delta(delta)
    RollupShare.objects.bulk_create(to_create)
    RollupShare.objects.bulk_update(
        to_update, ["province_code", "ward_code", "premises_kind", "cells"]
    )
    # bulk_update, not save(): updated_at keeps meaning "facts changed".
    Premises.objects.bulk_update(moved, ["last_inspected_on", "periodic_due_on"])
    return changed, len(to_create) + len(to_update)


def _locked(ids: Iterable[int]) -> list[Premises]:
    # Locking the premises rows serialises two transactions changing the same premises, so
    # each one's delta starts from the share the other one stored.
    return list(
        Premises.objects.select_for_update()
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
        .prefetch_related("training_certificates")
    )


def premises_changed(premises_ids: Iterable[int]) -> None:
    """Bring the counters up to date with ``premises_ids`` (call after the change, same transaction)."""
    ids = list(premises_ids)
    if not ids:
        return
    with transaction.atomic():
        _settle(_locked(ids))


def premises_deleted(premises_id: int) -> None:
    """Take a premises about to be deleted out of the counters (its share goes with it)."""
    row = RollupShare.objects.filter(premises_id=premises_id).first()
    if row is not None:
        apply_delta(_from_stored(row).cells(-1))


@dataclass
class RebuildResult:
    premises: int = 0
    shares_fixed: int = 0
    cells_fixed: int = 0


def rebuild_rollups(*, chunk_size: int = 1000) -> RebuildResult:
    """Recompute every premises' share, then every counter from the shares (repairs drift).

    Safe beside live writes: each chunk is settled like a change (premises rows locked), and
    the final reconciliation locks the counters table, so a writer either committed its delta
    before (and the shares read include it) or applies it after (on top of the rebuilt rows).
    """
    result = RebuildResult()
    last_pk = 0
    while True:
        with transaction.atomic():
            ids = list(
                Premises.objects.filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:chunk_size]
            )
            if not ids:
                break
            _cells, shares = _settle(_locked(ids))
            result.premises += len(ids)
            result.shares_fixed += shares
            last_pk = ids[-1]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {RollupCell._meta.db_table} IN EXCLUSIVE MODE")
        want: Counter[Cell] = Counter()
        for row in RollupShare.objects.order_by().iterator(chunk_size=5000):
            want.update(_from_stored(row).cells())
        have: Counter[Cell] = Counter()
        for stored_row in (
            RollupCell.objects.order_by()
            .values_list(
                "metric",
                "province_code",
                "ward_code",
                "premises_kind",
                "key",
                "day",
                "authority_id",
                "n",
            )
            .iterator(chunk_size=5000)
        ):
            have[stored_row[:-1]] += stored_row[-1]
        delta: Counter[Cell] = Counter()
        for cell in set(want) | set(have):
            diff = want.get(cell, 0) - have.get(cell, 0)
            if diff:
                delta[cell] = diff
        result.cells_fixed = apply_delta(delta)
        RollupCell.objects.filter(n=0).delete()
    if result.shares_fixed or result.cells_fixed:
        logger.warning(
            "rollup rebuild repaired %s shares and %s counters over %s premises",
            result.shares_fixed,
            result.cells_fixed,
            result.premises,
        )
    return result
