"""The daily sweep in slices of premises: every premises in exactly one slice, each slice
idempotent, a slice cut short by a dead worker safe to run again, statements per slice fixed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Finding, Inspection, Notification, TrainingCertificate
from inspections.services import notifications as notes
from inspections.services.reminders.slices import queue_sweep, record_slice, sweep_slices
from inspections.services.reminders.sweep import run_sweep
from tests import factories as f

from .conftest import TODAY


def add_premises(world, n: int) -> list[int]:
    """``n`` premises, each with something due from every collector but duties: a finding due
    in 3 days, a certificate and insurance expiring in 5, an inspection tomorrow."""
    done, inspector = world["late_finding"].inspection, world["inspector"]
    ids = []
    for i in range(n):
        p = f.PremisesFactory(
            heads=[f.UserFactory(email=f"slice{i}-{n}@test.vn")],
            insurance_expires_on=TODAY + timedelta(days=5),
        )
        Finding.objects.create(
            inspection=done,
            premises=p,
            description=f"Vi phạm {i}",
            severity="minor",
            remediation_deadline=TODAY + timedelta(days=3),
        )
        TrainingCertificate.objects.create(
            premises=p, holder_name=f"Người {i}", expires_on=TODAY + timedelta(days=5)
        )
        planned = Inspection.objects.create(
            premises=p,
            authority=world["authority"],
            kind=Inspection.Kind.PERIODIC,
            catalogue_version=done.catalogue_version,
            scheduled_for=TODAY + timedelta(days=1),
        )
        planned.inspectors.add(inspector)
        ids.append(p.pk)
    return ids


@pytest.fixture
def country(world):
    return [world["premises"].pk, *add_premises(world, 6)]


def test_slices_record_every_premises_once_and_what_the_whole_sweep_would(country):
    slices = sweep_slices(size=2)
    assert len(slices) == 4 and slices[-1][1] is None
    recorded_by: dict[int, int] = {}  # premises → the slice that recorded its rows
    proposed = 0
    for n, (first, last) in enumerate(slices):
        before = set(Notification.objects.values_list("pk", flat=True))
        record_slice(first, last, today=TODAY)
        new = Notification.objects.exclude(pk__in=before)
        for pid in set(new.values_list("premises_id", flat=True)):
            assert first <= pid and (last is None or pid <= last)
            assert recorded_by.setdefault(pid, n) == n, "a premises in two slices"
        proposed += new.count()
    assert set(recorded_by) == set(country)
    # Each premises got a finding, certificate, inspection and insurance reminder.
    kinds = set(Notification.objects.filter(premises_id=country[-1]).values_list("kind", flat=True))
    assert kinds >= {"finding_deadline", "training_expiry", "inspection_due"}
    # The whole sweep proposes the same rows and finds every one recorded.
    whole = run_sweep(today=TODAY, send=False)
    assert whole.proposed == proposed == Notification.objects.count()


def test_a_slice_run_again_records_nothing_new(country):
    first, last = sweep_slices(size=3)[1]
    ids = record_slice(first, last, today=TODAY)
    rows = list(Notification.objects.order_by("pk").values_list("pk", "status"))
    assert ids and rows
    assert record_slice(first, last, today=TODAY) == ids  # still waiting to be sent
    assert list(Notification.objects.order_by("pk").values_list("pk", "status")) == rows


def test_a_slice_cut_short_by_a_dead_worker_runs_again_safely(country, settings, monkeypatch):
    settings.REMINDER_BATCH_SIZE = 2
    [(first, last)] = sweep_slices(size=100)
    real, calls = notes.record, []

    def dies_on_the_third_page(rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 3:
            raise SystemExit("worker lost")
        return real(rows, **kwargs)

    monkeypatch.setattr(notes, "record", dies_on_the_third_page)
    with pytest.raises(SystemExit):
        record_slice(first, last, today=TODAY)
    monkeypatch.setattr(notes, "record", real)
    kept = dict(Notification.objects.values_list("pk", "subject_key"))
    assert 0 < len(kept) < sum(calls)
    # The task is delivered again (acks_late): the slice records the rest, and only the rest.
    record_slice(first, last, today=TODAY)
    after = dict(Notification.objects.values_list("pk", "subject_key"))
    assert kept.items() <= after.items()
    assert run_sweep(today=TODAY, send=False).proposed == len(after)


def test_slice_statements_do_not_grow_with_its_premises(world, settings):
    settings.REMINDER_BATCH_SIZE = 1000
    run_sweep(today=TODAY, send=False)  # the world's rows are recorded already

    def statements(n: int) -> int:
        ids = add_premises(world, n)
        with CaptureQueriesContext(connection) as ctx:
            record_slice(ids[0], ids[-1], today=TODAY)
        return len(ctx.captured_queries)

    # Per collector a page, its heads or inspectors, preferences and the recording; for duties
    # the stale obligations of the slice, refreshed in one batch (rollups included, and on
    # PostgreSQL the batch's look at the obligations table's statistics and the staging table its
    # rows are copied through).
    few, many = statements(3), statements(30)
    assert few == many <= (66 if connection.vendor == "postgresql" else 52)


def test_the_beat_task_queues_leftover_sends_then_slices_that_send_once(country, eager, mailoutbox):
    from inspections import tasks

    record_slice(*sweep_slices(size=100)[0], today=TODAY)
    stuck = Notification.objects.filter(delivery="immediate").first()
    # A worker claimed it long ago and died: the slices leave it alone, the leftovers take it.
    Notification.objects.filter(pk=stuck.pk).update(
        status="sending", claimed_at=stuck.created_at - timedelta(days=1), attempts=1
    )
    assert queue_sweep(TODAY, size=3) == 3
    immediate = Notification.objects.filter(delivery="immediate")
    assert immediate.filter(status="sent").count() == immediate.count() > 5
    assert len(mailoutbox) == immediate.filter(channel="email").count()
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("sent", 2)
    assert tasks.run_reminder_sweep.delay().get() == 1  # a small country: one slice
    assert len(mailoutbox) == immediate.filter(channel="email").count()
