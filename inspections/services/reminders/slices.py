"""The daily sweep in slices of premises: one task per slice, run in parallel by the workers of
the notifications queue.

A reminder belongs to one premises (its duty, finding, certificate or scheduled inspection), so
a pk range of premises is a part of the sweep with reminders of its own. Exactly once is
unchanged: a slice records through the same insert-once path as the whole sweep (the unique
key decides, sending is claimed row by row), so a slice run twice, or run again after its
worker died halfway, records nothing new and sends nothing twice.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from inspections.queue import enqueue
from inspections.selectors.premises_slices import Slice, premises_slices
from inspections.services.reminders.delivery import all_pending_ids
from inspections.services.reminders.pages import Span
from inspections.services.reminders.sweep import run_sweep

# 20 slices for 100,000 premises (about a second each on two cores), 200 for a country: each
# task stays far under the time limit and the workers share them evenly.
REMINDER_SLICE_SIZE = 5000


def sweep_slices(size: int = REMINDER_SLICE_SIZE) -> list[Slice]:
    return premises_slices(size)


def record_slice(first_pk: int, last_pk: int | None, *, today: date) -> list[int]:
    """Record the reminders due ``today`` of the premises with pk in ``[first_pk, last_pk]``
    (``None``: no end); the ids of the slice's rows waiting to be sent."""
    return run_sweep(today=today, send=False, span=Span(first_pk, last_pk)).to_send


def queue_sweep(today: date | None = None, *, size: int = REMINDER_SLICE_SIZE) -> int:
    """Queue the sends an earlier sweep left (rows still waiting, claims of dead workers), then
    one recording task per slice (each queues the sends of its rows); returns how many slices.

    A row waiting from before that a slice proposes again is queued twice: the second message
    finds it claimed or sent and does nothing.
    """
    day = (today or timezone.localdate()).isoformat()
    for pk in all_pending_ids():
        enqueue("inspections.tasks.send_notification", pk)
    slices = sweep_slices(size)
    for first, last in slices:
        enqueue("inspections.tasks.run_reminder_slice", first, last, day)
    return len(slices)
