"""Inspection life cycle: schedule, start, record, submit — idempotent by client UUID.

Every change to an inspection's aggregate (state, answers, photos, findings, signatures) happens
under a row lock of the inspection and bumps its ``version``, so a client that worked from an
older version gets a 409 and nothing half-written. Objects created on a device carry a client
UUID: the same UUID with the same content is answered with the stored object, with different
content by a 409 carrying the stored object.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from inspections import access
from inspections.models import (
    Inspection,
    SyncTombstone,
)

# Recording during the inspection, scheduling and submission live in their own modules; callers
# use this one entry point.
from .answers import AnswerInput, AnswerResult, record_answers
from .errors import Conflict, Invalid, ServiceError
from .findings import raise_finding
from .inspection_state import (
    State,
    lock,
    require_write,
    tombstone,
    transition,
)
from .photos import add_photo
from .scheduling import (
    after_planning_change,
    assign_inspectors,
    create_inspection,
    start_unplanned_inspection,
)
from .signatures import add_signature
from .submission import submit_inspection


def start_inspection(
    *, user: User, inspection: Inspection, started_at: datetime | None = None
) -> tuple[Inspection, bool]:
    """scheduled → in progress; starting again, whatever happened since, is a success that
    changes nothing."""
    require_write(user, inspection)
    with transaction.atomic():
        locked = lock(inspection)
        if locked.state == State.IN_PROGRESS or locked.started_at is not None:
            # Started already, perhaps submitted or signed since: a phone resending a start
            # whose reply was lost must hear success, not a refusal of work that succeeded.
            return locked, False
        transition(locked, State.IN_PROGRESS, started_at=started_at or timezone.now())
    return locked, True


def cancel_inspection(*, user: User, inspection: Inspection, reason: str) -> Inspection:
    from django.core.exceptions import PermissionDenied

    if not access.can_manage_inspection(user, inspection):
        raise PermissionDenied
    with transaction.atomic():
        locked = lock(inspection)
        if locked.state == State.CANCELLED:
            return locked
        transition(locked, State.CANCELLED, cancelled_reason=reason)
        tombstone(
            locked,
            locked.inspectors.values_list("pk", flat=True),
            SyncTombstone.Reason.CANCELLED,
        )
    return locked


def mark_report_signed(inspection: Inspection) -> Inspection:
    """submitted → signed, called when the signed PDF record exists (idempotent)."""
    with transaction.atomic():
        locked = lock(inspection)
        if locked.state != State.SIGNED:
            transition(locked, State.SIGNED)
    return locked


__all__ = [
    "AnswerInput",
    "AnswerResult",
    "Conflict",
    "Invalid",
    "ServiceError",
    "add_photo",
    "add_signature",
    "after_planning_change",
    "assign_inspectors",
    "cancel_inspection",
    "create_inspection",
    "mark_report_signed",
    "raise_finding",
    "record_answers",
    "start_inspection",
    "start_unplanned_inspection",
    "submit_inspection",
]
