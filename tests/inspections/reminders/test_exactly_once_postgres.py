"""Exactly once against PostgreSQL: a double sweep, two concurrent sweeps, a worker that died.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/pccc_reminders (skipped on SQLite,
a failure under CI=true).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from inspections.models import Notification
from inspections.services import notifications as notes
from inspections.services import transports
from inspections.services.notifications import deliver
from inspections.services.reminders.sweep import run_sweep
from tests import factories as f

from .conftest import TODAY

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sends(monkeypatch):
    """Every transport call, by notification id; each send takes a little while so two
    concurrent sweeps really overlap."""
    calls: Counter[int] = Counter()
    lock = threading.Lock()
    real = transports.EmailTransport.notify

    def slow_notify(self, n):
        with lock:
            calls[n.pk] += 1
        time.sleep(0.005)
        real(self, n)

    monkeypatch.setattr(transports.EmailTransport, "notify", slow_notify)
    return calls


@pytest.fixture
def many(require_postgres, world):
    """The world plus 40 premises with a finding due in 3 days (80 heads' reminders)."""
    from inspections.models import Finding

    done = world["late_finding"].inspection
    for i in range(40):
        head = f.UserFactory(email=f"h{i}@test.vn")
        p = f.PremisesFactory(heads=[head, world["head"]])
        Finding.objects.create(
            inspection=done,
            premises=p,
            description=f"Vi phạm {i}",
            severity="minor",
            remediation_deadline=TODAY + timedelta(days=3),
        )
    return world


def test_double_sweep_sends_once(many, sends):
    first = run_sweep(today=TODAY)
    second = run_sweep(today=TODAY)
    assert first.sent == Notification.objects.filter(status="sent").count() > 80
    assert second.sent == 0 and second.already_sent == first.sent
    assert max(sends.values()) == 1
    assert len(mail.outbox) == first.sent


@pytest.fixture
def recording_threads(monkeypatch):
    """The name of the thread that recorded each page."""
    names: list[str] = []
    real = notes.record

    def spy(rows, **kwargs):
        names.append(threading.current_thread().name)
        return real(rows, **kwargs)

    monkeypatch.setattr(notes, "record", spy)
    return names


def test_sweep_outside_a_transaction_records_pages_in_the_background(
    many, sends, recording_threads
):
    first = run_sweep(today=TODAY, batch=10)
    assert len(recording_threads) > 3
    assert all(name.startswith("sweep-record") for name in recording_threads)
    # Every page was settled: each immediate row recorded, delivered once and counted.
    rows = Notification.objects.filter(delivery="immediate")
    assert first.sent == rows.filter(status="sent").count() == rows.count() > 80
    assert max(sends.values()) == 1 and len(sends) == first.sent
    assert first.held_for_digest == Notification.objects.filter(delivery="digest").count() > 0
    second = run_sweep(today=TODAY, batch=7)
    assert (second.sent, second.already_sent) == (0, first.sent)
    assert second.held_for_digest == first.held_for_digest
    assert max(sends.values()) == 1


def test_sweep_inside_a_transaction_records_on_its_connection(many, sends, recording_threads):
    with transaction.atomic():
        first = run_sweep(today=TODAY, batch=10, send=False)
    assert set(recording_threads) == {threading.current_thread().name}
    assert first.proposed == Notification.objects.count() > 80


def run_in_threads(target, n: int) -> list[BaseException]:
    """``target`` run by ``n`` threads at once, each on its own connection; what they raised
    (an exception in a thread would otherwise be lost)."""
    errors: list[BaseException] = []

    def run():
        try:
            target()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_two_concurrent_sweeps_send_each_reminder_once(many, sends):
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        barrier.wait()
        results.append(run_sweep(today=TODAY, digests=True))

    errors = run_in_threads(sweep, 2)
    assert not errors
    rows = Notification.objects.filter(channel="email")
    assert rows.filter(status="sent").count() == rows.count() > 80
    assert max(sends.values()) == 1, "a notification was sent twice"
    immediate = rows.filter(delivery="immediate").count()
    assert len(sends) == immediate
    # What is not urgent (the manager's overdue findings, the certificate due in 20 days, the
    # inspection tomorrow) is in digests: one e-mail per person, from one of the two sweeps.
    digests = [
        m for m in mail.outbox if "Bản tin nhắc việc" in m.subject or "Daily digest" in m.subject
    ]
    recipients = [m.to[0] for m in digests]
    assert "manager@test.vn" in recipients and len(recipients) == len(set(recipients))
    assert len(mail.outbox) == immediate + len(digests)
    assert sum(r.sent for r in results) == rows.count()
    assert len(results) == 2
    print(
        "concurrent sweeps sent",
        [r.sent for r in results],
        "skipped",
        [r.already_sent for r in results],
    )


def test_worker_died_mid_send_is_retried_after_the_timeout(many, sends, settings):
    run_sweep(today=TODAY, send=False)
    n = Notification.objects.filter(kind="finding_deadline").first()
    # A worker claimed the row and died: the row stays "sending".
    Notification.objects.filter(pk=n.pk).update(
        status="sending", claimed_at=timezone.now(), attempts=1
    )
    assert deliver(n.pk).status == "skipped"  # still fresh: someone may be sending it
    Notification.objects.filter(pk=n.pk).update(
        claimed_at=timezone.now() - settings.NOTIFICATION_CLAIM_TIMEOUT - timedelta(seconds=1)
    )
    assert deliver(n.pk).status == "sent"
    assert deliver(n.pk).status == "skipped"
    n.refresh_from_db()
    assert (n.status, n.attempts, sends[n.pk]) == ("sent", 2, 1)


def test_slices_in_parallel_one_of_them_twice_send_each_reminder_once(many, sends):
    """The beat sweep's slices on three workers at once, two slices delivered twice (a message
    redelivered after its worker was lost): every row recorded once, every e-mail sent once."""
    from queue import Empty, SimpleQueue

    from inspections.services.reminders.slices import record_slice, sweep_slices

    slices = sweep_slices(size=8)
    assert len(slices) > 4
    work: SimpleQueue = SimpleQueue()
    for s in [*slices, slices[0], slices[-1]]:
        work.put(s)

    def worker():
        while True:
            try:
                first, last = work.get_nowait()
            except Empty:
                return
            for pk in record_slice(first, last, today=TODAY):
                deliver(pk)

    errors = run_in_threads(worker, 3)
    assert not errors
    immediate = Notification.objects.filter(delivery="immediate", channel="email")
    assert immediate.filter(status="sent").count() == immediate.count() > 80
    assert len(sends) == immediate.count() and max(sends.values()) == 1
    assert len(mail.outbox) == immediate.count()
    # The whole sweep finds every row of the slices recorded.
    again = run_sweep(today=TODAY, send=False)
    assert again.proposed == Notification.objects.count()
