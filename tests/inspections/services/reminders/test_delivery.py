"""Delivering recorded rows: each outcome counted once, leftovers picked up, pending ids listed."""

from __future__ import annotations

from inspections.models import Notification
from inspections.services import transports
from inspections.services.reminders.delivery import (
    SweepResult,
    all_pending_ids,
    deliver_ids,
    deliver_leftovers,
)
from inspections.services.reminders.sweep import run_sweep

from .conftest import TODAY


def pending(world) -> list[int]:
    run_sweep(today=TODAY, send=False)
    ids = all_pending_ids()
    assert ids == sorted(ids) and len(ids) >= 3
    return ids


def test_each_outcome_is_counted_and_said(world, monkeypatch):
    ids = pending(world)
    calls = []

    def notify(self, n):
        calls.append(n.pk)
        if n.pk == ids[0]:
            raise transports.TransportError("mailbox does not exist", permanent=True)
        if n.pk == ids[1]:
            raise transports.TransportError("SMTP: timed out")

    monkeypatch.setattr(transports.EmailTransport, "notify", notify)
    monkeypatch.setattr(transports.WebhookTransport, "notify", notify)
    lines: list[str] = []
    result = SweepResult()
    deliver_ids([*ids, ids[-1]], result, lines.append)
    assert (result.failed, result.retrying) == (1, 1)
    assert result.sent == len(ids) - 2
    # The last id twice: the second time it is already sent, not sent again.
    assert result.already_sent == 1 and calls.count(ids[-1]) == 1
    assert lines[0] == f"failed #{ids[0]}: mailbox does not exist"
    assert lines[1] == f"will retry #{ids[1]}: SMTP: timed out"
    assert lines[2].startswith("sent ")
    assert Notification.objects.get(pk=ids[0]).status == Notification.Status.FAILED
    # The retry waits for its backoff: it is not pending yet, nothing is left to deliver.
    assert all_pending_ids() == []
    later = SweepResult()
    deliver_leftovers(later, lines.append)
    assert later == SweepResult()


def test_leftovers_are_delivered_in_pages(world):
    ids = pending(world)
    result = SweepResult()
    deliver_leftovers(result, lambda line: None)
    assert result.sent == len(ids)
    assert all_pending_ids() == []
    assert result.as_json() == {"sent": len(ids), "already_sent": 0, "failed": 0}
