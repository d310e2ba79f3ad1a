"""Persist a premises' obligations (status, due date, reason) after its facts or answers change."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from inspections.models import Obligation, Premises
from inspections.selectors.obligations import NoPublishedCatalogue, obligations_for
from inspections.services import rollups

logger = logging.getLogger(__name__)


@transaction.atomic
def refresh_obligations(premises: Premises, on: date | None = None) -> list[Obligation]:
    """Recompute and store the obligations of ``premises``; returns the stored rows.

    Call it after a change of premises facts, of an inspection answer, or of the published
    catalogue. Rows of requirements that no longer apply (or of an older version) are removed.
    Without a published catalogue there is nothing to compute and nothing is stored.
    """
    # Taken before the facts are read: a change committed meanwhile leaves the row stale
    # (updated_at later than this), so the sweep recomputes it.
    started = timezone.now()
    try:
        view = obligations_for(premises, on=on)
    except NoPublishedCatalogue:
        return []
    existing = {o.requirement_id: o for o in Obligation.objects.filter(premises=premises)}
    keep: list[Obligation] = []
    to_create, to_update = [], []
    for result in view.evaluation.obligations:
        rid = result.requirement.id
        answer_id = view.answer_ids.get(result.requirement.code)
        row = existing.pop(rid, None)
        values = {
            "status": result.status,
            "due_on": result.due_date,
            "reason_vi": result.reason_vi,
            "reason_en": result.reason_en,
            "source_answer_id": answer_id,
        }
        if row is None:
            row = Obligation(premises=premises, requirement_id=rid, **values)
            to_create.append(row)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            to_update.append(row)
        keep.append(row)
    if existing:
        Obligation.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
    Obligation.objects.bulk_create(to_create)
    for row in to_update:
        # save() (not bulk_update) so computed_at (auto_now) records the recomputation.
        row.save()
    # update(), not save(): updated_at must keep meaning "facts changed".
    Premises.objects.filter(pk=premises.pk).update(obligations_computed_at=started)
    premises.obligations_computed_at = started
    rollups.premises_changed([premises.pk])
    return keep


def refresh_all_obligations(on: date | None = None, *, chunk_size: int = 500) -> int:
    """Recompute every premises' obligations; returns how many premises were refreshed.

    Run daily (statuses turn "overdue" as dates pass, e.g. the day after 1 July 2027) and after
    a catalogue version is published. Each premises is its own transaction: a failure on one
    is logged and skipped, the others are still refreshed, and running it twice gives the same
    rows.
    """
    return refresh_many(
        Premises.objects.order_by("pk").iterator(chunk_size=chunk_size), on=on
    ).refreshed


@dataclass
class RefreshResult:
    refreshed: int = 0
    failed: list[int] = field(default_factory=list)


def refresh_many(premises: Iterable[Premises], *, on: date | None = None) -> RefreshResult:
    """Refresh each premises in its own transaction; one that fails is logged and skipped."""
    result = RefreshResult()
    for p in premises:
        try:
            refresh_obligations(p, on=on)
        except Exception:
            logger.exception("obligations of premises %s not refreshed", p.pk)
            result.failed.append(p.pk)
        else:
            result.refreshed += 1
    return result


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
