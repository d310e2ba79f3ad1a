"""Persist premises' obligations (status, due date, reason) after their facts or answers change.

Work is done in batches of about ``REFRESH_BATCH_SIZE`` premises: one query per related table
(certificates, answers, stored obligations), the engine in memory, then one delete, one bulk
upsert (``obligation_rows``) and one update of the premises' stamp, in one transaction per batch. After each batch
``obligations_changed`` receives what changed: the single place where work that follows the
stored obligations (rollup counters) is hooked.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from inspections.models import Obligation, Premises
from inspections.queue import enqueue
from inspections.selectors.catalogue import version_in_force
from inspections.selectors.obligations import (
    ObligationsView,
    certificates_of,
    evaluate_premises,
    latest_answers_of,
)
from inspections.selectors.premises_slices import Slice, premises_slices
from inspections.services import rollups
from inspections.services.obligation_rows import ObligationRow, upsert_obligations
from inspections.services.table_statistics import analyze_if_stale

logger = logging.getLogger(__name__)

REFRESH_BATCH_SIZE = 1000
# The daily refresh is cut into slices of this many premises, one task each, so the workers of
# the obligations queue share it and no task comes near its time limit (a first fill costs about
# 10 ms per premises: 50 s a slice; a whole country in one task would take hours).
REFRESH_SLICE_SIZE = 5000
# The columns the engine decides (obligation_rows.VALUE_COLUMNS) as read back for the diff
# (missing_facts as text: see _stored_rows).
STORED_FIELDS = ("status", "due_on", "reason_vi", "reason_en", "missing_text", "source_answer_id")

PairKey = tuple[int, int]  # (premises id, requirement id)


@dataclass
class ObligationChanges:
    """What one batch changed in the stored obligations (only rows that differ).

    ``written`` are created or changed rows; ``previous`` the status each written row had
    before (absent for new rows); ``removed`` the (premises, requirement) rows deleted with
    their last status. Enough for counters kept by deltas.
    """

    premises_ids: list[int] = field(default_factory=list)
    written: list[ObligationRow] = field(default_factory=list)
    previous: dict[PairKey, str] = field(default_factory=dict)
    removed: dict[PairKey, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.written or self.removed)


def obligations_changed(changes: ObligationChanges) -> None:
    """Called after every refreshed batch, inside its transaction, with what it changed.

    The one hook for work that must follow stored obligations exactly (rollup counters): a
    batch that rolls back takes the hook's writes with it.
    """
    if changes:
        rollups.premises_changed(changes.premises_ids)
        logger.debug(
            "obligations of %s premises: %s rows written, %s removed",
            len(changes.premises_ids),
            len(changes.written),
            len(changes.removed),
        )


@dataclass
class RefreshResult:
    refreshed: int = 0
    failed: list[int] = field(default_factory=list)
    written: int = 0
    removed: int = 0

    def add(self, other: RefreshResult) -> None:
        self.refreshed += other.refreshed
        self.failed.extend(other.failed)
        self.written += other.written
        self.removed += other.removed


def refresh_obligations(premises: Premises, on: date | None = None) -> list[Obligation]:
    """Recompute and store the obligations of ``premises``; returns the stored rows.

    Call it after a change of premises facts, of an inspection answer, or of the published
    catalogue. Rows of requirements that no longer apply (or of an older version) are removed.
    Without a published catalogue there is nothing to compute and nothing is stored. An error
    is raised to the caller (a batch logs and skips it instead).
    """
    result = refresh_batch([premises], on=on, raise_errors=True)
    if not result.refreshed:
        return []
    return list(Obligation.objects.filter(premises=premises))


def refresh_batch(
    premises: Sequence[Premises], *, on: date | None = None, raise_errors: bool = False
) -> RefreshResult:
    """Recompute and store the obligations of a batch of premises in one transaction.

    A premises whose evaluation fails is logged and skipped (its stamp is left stale, so the
    stale sweep tries it again); the rest of the batch is stored.
    """
    result = RefreshResult()
    if not premises:
        return result
    # Taken before the facts are read: a change committed meanwhile leaves the row stale
    # (updated_at later than this), so the sweep recomputes it.
    started = timezone.now()
    on = on or timezone.localdate()
    version = version_in_force(on)
    if version is None:
        return result  # no published catalogue: nothing to compute, nothing stored
    ids = [p.pk for p in premises]
    certificates = certificates_of(ids)
    answers = latest_answers_of(ids)
    stored = _stored_rows(ids)

    changes = ObligationChanges()
    removed_ids: list[int] = []
    for p in premises:
        values_of, ids_of = answers.get(p.pk, ({}, {}))
        try:
            view = evaluate_premises(
                p,
                values_of,
                ids_of,
                on=on,
                version=version,
                with_missing=False,
                certificates=certificates.get(p.pk, ()),
            )
        except Exception:
            if raise_errors:
                raise
            logger.exception("obligations of premises %s not refreshed", p.pk)
            result.failed.append(p.pk)
            continue
        removed_ids += _diff_premises(p.pk, view, stored.get(p.pk, {}), changes)

    _store_changes(changes, removed_ids, started)
    done = set(changes.premises_ids)
    for p in premises:
        if p.pk in done:
            p.obligations_computed_at = started
    result.refreshed = len(changes.premises_ids)
    result.written, result.removed = len(changes.written), len(changes.removed)
    return result


def _stored_rows(ids: list[int]) -> dict[int, dict[int, tuple[int, tuple]]]:
    """Stored obligations of the premises: premises id -> requirement id -> (pk, values), the
    values in VALUE_COLUMNS order with missing_facts as a tuple (as the engine gives it)."""
    # missing_facts is read as its JSON text and each distinct text decoded once: the same few
    # lists ("[]" mostly) recur on every row, and decoding each row was a third of this read.
    decoded: dict[str | None, Any] = {None: None}
    stored: dict[int, dict[int, tuple[int, tuple]]] = {}
    rows = (
        Obligation.objects.filter(premises_id__in=ids)
        .annotate(missing_text=Cast("missing_facts", TextField()))
        .values_list("id", "premises_id", "requirement_id", *STORED_FIELDS)
    )
    for pk, pid, rid, status, due_on, reason_vi, reason_en, text, answer_id in rows:
        try:
            missing = decoded[text]
        except KeyError:
            value = json.loads(text)
            missing = decoded[text] = tuple(value) if isinstance(value, list) else value
        by_requirement = stored.get(pid)
        if by_requirement is None:
            by_requirement = stored[pid] = {}
        by_requirement[rid] = (pk, (status, due_on, reason_vi, reason_en, missing, answer_id))
    return stored


def _diff_premises(
    premises_id: int,
    view: ObligationsView,
    old: dict[int, tuple[int, tuple]],
    changes: ObligationChanges,
) -> list[int]:
    """Record in ``changes`` the rows of one premises that differ from ``old`` (its stored rows,
    consumed); returns the ids of stored rows whose requirement no longer applies."""
    answer_ids = view.answer_ids
    for o in view.evaluation.obligations:
        rid = o.requirement.id
        answer_id = answer_ids.get(o.requirement.code)
        new = ObligationRow(
            premises_id,
            rid,
            o.status,
            o.due_date,
            o.reason_vi,
            o.reason_en,
            o.missing_facts,
            answer_id,
        )
        row = old.pop(rid, None)  # type: ignore[arg-type]
        if row is not None:
            if row[1] == new[2:]:  # the stored values, in the same order
                continue
            changes.previous[(premises_id, rid)] = row[1][0]  # type: ignore[index]
        changes.written.append(new)
    removed_ids = []
    for rid, (pk, values) in old.items():
        removed_ids.append(pk)
        changes.removed[(premises_id, rid)] = values[0]
    changes.premises_ids.append(premises_id)
    return removed_ids


def _store_changes(changes: ObligationChanges, removed_ids: list[int], started: datetime) -> None:
    """Write one batch's changes (delete, upsert, stamp) and run the hook, in one transaction."""
    with transaction.atomic():
        if removed_ids:
            Obligation.objects.filter(pk__in=removed_ids).delete()
        # One upsert: a concurrent refresh of the same premises updates instead of failing.
        upsert_obligations(changes.written)
        if changes.premises_ids:
            # update(), not save(): updated_at must keep meaning "facts changed".
            Premises.objects.filter(pk__in=changes.premises_ids).update(
                obligations_computed_at=started
            )
        obligations_changed(changes)


def _batches(premises: Iterable[Premises], size: int) -> Iterator[list[Premises]]:
    batch: list[Premises] = []
    for p in premises:
        batch.append(p)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def refresh_many(
    premises: Iterable[Premises], *, on: date | None = None, batch_size: int | None = None
) -> RefreshResult:
    """Refresh premises batch by batch; one that fails is logged and skipped.

    A batch whose write fails as a whole (a database error) is retried premises by premises,
    so one bad row costs its own premises only.
    """
    result = RefreshResult()
    for batch in _batches(premises, batch_size or REFRESH_BATCH_SIZE):
        # The first fill grows the table by millions of rows within one run: each batch's read
        # of stored rows must not be planned on the statistics of an empty table.
        analyze_if_stale(Obligation)
        try:
            result.add(refresh_batch(batch, on=on))
        except Exception:
            logger.exception("obligations batch from premises %s failed; one by one", batch[0].pk)
            for p in batch:
                try:
                    result.add(refresh_batch([p], on=on, raise_errors=True))
                except Exception:
                    logger.exception("obligations of premises %s not refreshed", p.pk)
                    result.failed.append(p.pk)
    return result


def refresh_all_obligations(on: date | None = None, *, batch_size: int | None = None) -> int:
    """Recompute every premises' obligations; returns how many premises were refreshed.

    Run daily (statuses turn "overdue" as dates pass, e.g. the day after 1 July 2027) and after
    a catalogue version is published. Each batch is its own transaction: a premises that fails
    is logged and skipped, the others are still refreshed, and running it twice gives the same
    rows.
    """
    return refresh_all(on=on, batch_size=batch_size).refreshed


def refresh_all(*, on: date | None = None, batch_size: int | None = None) -> RefreshResult:
    return refresh_slice(None, None, on=on, batch_size=batch_size)


def refresh_slice(
    first_pk: int | None,
    last_pk: int | None,
    *,
    on: date | None = None,
    batch_size: int | None = None,
) -> RefreshResult:
    """Refresh the premises whose pk lies in ``[first_pk, last_pk]`` (``None``: unbounded)."""
    size = batch_size or REFRESH_BATCH_SIZE
    premises = Premises.objects.order_by("pk")
    if first_pk is not None:
        premises = premises.filter(pk__gte=first_pk)
    if last_pk is not None:
        premises = premises.filter(pk__lte=last_pk)
    return refresh_many(premises.iterator(chunk_size=size), on=on, batch_size=size)


def refresh_slices(size: int = REFRESH_SLICE_SIZE) -> list[Slice]:
    """Consecutive pk ranges of ``size`` premises covering every premises, the last one open."""
    return premises_slices(size)


def queue_refresh_of_all(on: date | None = None, *, size: int = REFRESH_SLICE_SIZE) -> int:
    """Queue one refresh task per slice of premises (the daily refresh); returns how many.

    The slices run on whichever workers of the obligations queue are free, in parallel. Each
    is idempotent and acknowledged late, so a worker that dies mid-slice leaves it to be run
    again; premises it did not reach stay stale for the stale sweep meanwhile.
    """
    day = (on or timezone.localdate()).isoformat()
    slices = refresh_slices(size)
    for first, last in slices:
        enqueue("inspections.tasks.refresh_obligations_slice", first, last, day)
    return len(slices)


def sweep_stale_obligations(*, limit: int = 2000) -> RefreshResult:
    """Recompute the obligations of premises whose stored ones are missing or stale (facts
    changed since, or a newer catalogue published): a lost task message or a worker killed in
    the middle of a large import is repaired here, at most ``limit`` premises per run."""
    from inspections.selectors.obligations import premises_with_stale_obligations

    ids = list(premises_with_stale_obligations().values_list("pk", flat=True)[:limit])
    result = refresh_many(Premises.objects.filter(pk__in=ids).order_by("pk"))
    if ids:
        logger.info(
            "stale obligations: %s premises refreshed, %s failed",
            result.refreshed,
            len(result.failed),
        )
    return result
