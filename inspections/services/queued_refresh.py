"""Obligation refreshes after answers: at most one queued and not yet started per premises.

An inspector's phone sends answers in many small batches; each used to queue its own refresh
of the premises' obligations, so the worker recomputed the same premises dozens of times and
every batch paid for a message to the broker. A refresh reads the answers when it starts, so
one that is queued and has not started yet covers every batch committed before it starts: a
marker in the cache says so, and the task removes it before it reads anything.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

from inspections.models import Premises
from inspections.queue import enqueue
from inspections.services.obligations import refresh_obligations

logger = logging.getLogger(__name__)

# A lost message must not block refreshes for long: the marker expires. Longer than a queue
# normally waits; the nightly refresh repairs anything missed meanwhile.
QUEUED_SECONDS = 600


def _marker(premises_id: int | str) -> str:
    return f"obligations-refresh-queued:v1:{premises_id}"


def queue_refresh(premises: Premises) -> None:
    """Queue a refresh of ``premises``' obligations unless one is queued and not started."""
    marker = _marker(premises.pk)
    try:
        if not cache.add(marker, True, QUEUED_SECONDS):
            return
    except Exception:
        logger.exception("obligations refresh marker unavailable; queueing anyway")
    try:
        enqueue("inspections.tasks.refresh_premises_obligations", premises.pk)
    except Exception:
        # The answers are committed and the phone must hear so; without a broker the
        # (idempotent) refresh runs here instead of being lost.
        logger.exception("could not queue the obligations refresh; running it inline")
        cache.delete(marker)
        refresh_obligations(premises)


def run_queued_refresh(premises_id: int) -> int:
    """The task's work: drop the marker first, so answers committed from now on queue again."""
    cache.delete(_marker(premises_id))
    premises = Premises.objects.filter(pk=premises_id).first()
    if premises is None:
        return 0
    return len(refresh_obligations(premises))
