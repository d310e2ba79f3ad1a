"""Periodic tasks edited in the admin keep their schedule when beat restarts."""

from __future__ import annotations

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from config.beat import AdminEditableScheduler
from config.celery import app

NAME = "purge-consumed-broker-messages"


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    """Beat closes "old" connections between ticks; inside a test transaction that would close
    the test's own connection (PostgreSQL), so the test keeps it."""
    monkeypatch.setattr("django_celery_beat.schedulers.close_old_connections", lambda: None)


def test_first_start_installs_every_settings_entry(db):
    AdminEditableScheduler(app=app)
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(app.conf.beat_schedule) <= names


def test_admin_edit_survives_restart_and_deleted_entries_come_back(db):
    AdminEditableScheduler(app=app)
    every_six_hours, _ = IntervalSchedule.objects.get_or_create(
        every=6, period=IntervalSchedule.HOURS
    )
    task = PeriodicTask.objects.get(name=NAME)
    task.interval = every_six_hours
    task.save()
    other = next(n for n in app.conf.beat_schedule if n != NAME)
    PeriodicTask.objects.filter(name=other).delete()

    AdminEditableScheduler(app=app)  # beat restarts

    assert PeriodicTask.objects.get(name=NAME).interval == every_six_hours
    assert PeriodicTask.objects.filter(name=other).exists()
