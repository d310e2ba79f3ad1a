"""Deliver the rows a sweep recorded, and the ones an earlier attempt left, counting outcomes.

Each row is claimed with a conditional update before it is sent (services/notifications.py):
the sweep can run twice, or on two workers at the same time, and each reminder still goes out
once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from inspections.services import notifications as notes

Say = Callable[[str], None]


@dataclass
class SweepResult:
    """What a sweep did, as the command prints it."""

    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    retrying: int = 0
    held_for_digest: int = 0
    suppressed: int = 0
    proposed: int = 0
    # Recorded rows waiting to be sent, when the sweep records without sending.
    to_send: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, int]:
        return {"sent": self.sent, "already_sent": self.already_sent, "failed": self.failed}


def deliver_ids(ids: list[int], result: SweepResult, say: Say) -> None:
    """Claim and send each row; a row another worker has, or that is done, counts as sent."""
    for pk in ids:
        outcome = notes.deliver(pk)
        if outcome.status == "sent" and outcome.notification is not None:
            result.sent += 1
            n = outcome.notification
            say(
                f"sent {n.channel} {n.recipient_key}: {n.kind} [{n.stage}] {n.subject_key} "
                f"due {n.due_on}: {n.payload.get('title_vi', '')}"
            )
        elif outcome.status == "failed":
            result.failed += 1
            say(f"failed #{pk}: {outcome.error}")
        elif outcome.status == "retry":
            result.retrying += 1
            say(f"will retry #{pk}: {outcome.error}")
        else:
            result.already_sent += 1


def deliver_leftovers(result: SweepResult, say: Say) -> None:
    """Rows whose earlier attempt failed (now due again) and claims of dead workers."""
    last = 0
    while True:
        ids = notes.pending_ids(limit=500, after_id=last)
        if not ids:
            return
        deliver_ids(ids, result, say)
        last = ids[-1]


def all_pending_ids() -> list[int]:
    """Every row waiting to be sent, in id order (read in pages)."""
    ids: list[int] = []
    last = 0
    while True:
        page = notes.pending_ids(limit=1000, after_id=last)
        if not page:
            return ids
        ids.extend(page)
        last = page[-1]
