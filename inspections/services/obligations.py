"""Persist a premises' obligations (status, due date, reason) after its facts or answers change."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from inspections.models import Obligation, Premises
from inspections.selectors.obligations import NoPublishedCatalogue, obligations_for


@transaction.atomic
def refresh_obligations(premises: Premises, on: date | None = None) -> list[Obligation]:
    """Recompute and store the obligations of ``premises``; returns the stored rows.

    Call it after a change of premises facts, of an inspection answer, or of the published
    catalogue. Rows of requirements that no longer apply (or of an older version) are removed.
    Without a published catalogue there is nothing to compute and nothing is stored.
    """
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
    return keep


def refresh_all_obligations(on: date | None = None, *, chunk_size: int = 500) -> int:
    """Recompute every premises' obligations; returns how many premises were refreshed.

    Run daily (statuses turn "overdue" as dates pass, e.g. the day after 1 July 2027) and after
    a catalogue version is published. Each premises is its own transaction: a failure on one
    does not roll back the others, and running it twice gives the same rows.
    """
    count = 0
    for premises in Premises.objects.order_by("pk").iterator(chunk_size=chunk_size):
        refresh_obligations(premises, on=on)
        count += 1
    return count
