"""Sync tombstones when a user loses access other than by (re)assignment.

A phone keeps what sync sent it until sync says to drop it. Unassignment and cancellation are
handled where they happen (``services.inspections``); this module covers the two ways access
ends from outside an inspection: the user leaves the authority (their last membership in it is
deleted) or stops heading a premises (their self-inspections of it). Both are reversible, so
regaining access deletes the tombstones and re-sends what is still assigned.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from inspections.models import Inspection, SyncTombstone

from .inspection_state import bump, lock

State = Inspection.State

# Open inspections are handed back to the manager; finished ones stay in the record as they are.
_OPEN = (State.SCHEDULED, State.IN_PROGRESS)


def after_membership_removed(*, user_id: int, authority_id: int) -> None:
    """The user's membership in an authority ended: drop its inspections from their phone.

    Open inspections they were assigned to lose them as inspector (with a version bump, so the
    manager's screen and other phones see the change) — someone who left the authority may not
    finish its inspections. Submitted and signed ones keep their inspectors, who are named in
    the record.
    """
    if Membership.objects.filter(user_id=user_id, authority_id=authority_id).exists():
        return  # still a member under another role: nothing was lost
    assigned = Inspection.objects.filter(authority_id=authority_id, inspectors=user_id).exclude(
        state=State.CANCELLED
    )
    with transaction.atomic():
        rows = list(assigned.values_list("pk", "client_uuid"))
        for inspection in assigned.filter(state__in=_OPEN).order_by("pk"):
            locked = lock(inspection)
            locked.inspectors.remove(user_id)
            bump(locked)
        _tombstone(user_id, rows)


def after_membership_added(*, user_id: int, authority_id: int) -> None:
    """Back in the authority: inspections still assigned to them come back to the phone."""
    regained = Inspection.objects.filter(authority_id=authority_id, inspectors=user_id).exclude(
        state=State.CANCELLED
    )
    _restore(user_id, regained)


def after_heads_removed(*, premises_ids: Iterable[int], user_ids: Iterable[int]) -> None:
    """No longer heading a premises: its self-inspections leave the former head's phone."""
    lost = Inspection.objects.filter(
        premises_id__in=list(premises_ids), kind=Inspection.Kind.SELF, authority__isnull=True
    ).exclude(state=State.CANCELLED)
    rows = list(lost.values_list("pk", "client_uuid"))
    for user_id in user_ids:
        _tombstone(user_id, rows)


def after_heads_added(*, premises_ids: Iterable[int], user_ids: Iterable[int]) -> None:
    regained = Inspection.objects.filter(
        premises_id__in=list(premises_ids), kind=Inspection.Kind.SELF, authority__isnull=True
    ).exclude(state=State.CANCELLED)
    for user_id in user_ids:
        _restore(user_id, regained)


def _tombstone(user_id: int, rows: Iterable[tuple[int, object]]) -> None:
    SyncTombstone.objects.bulk_create(
        [
            SyncTombstone(
                user_id=user_id,
                inspection_id_value=pk,
                inspection_uuid=client_uuid,
                reason=SyncTombstone.Reason.REVOKED,
            )
            for pk, client_uuid in rows
        ],
        ignore_conflicts=True,
    )


def _restore(user_id: int, inspections) -> None:
    revoked = SyncTombstone.objects.filter(
        user_id=user_id,
        reason=SyncTombstone.Reason.REVOKED,
        inspection_id_value__in=inspections.values("pk"),
    )
    ids = list(revoked.values_list("inspection_id_value", flat=True))
    if not ids:
        return
    with transaction.atomic():
        revoked.delete()
        # Sync pages by updated_at: touching the rows re-sends them to this user's next sync.
        # No version bump — the inspection itself did not change.
        Inspection.objects.filter(pk__in=ids).update(updated_at=timezone.now())
