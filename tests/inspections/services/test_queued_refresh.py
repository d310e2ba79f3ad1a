"""Answers queue one obligations refresh per premises until it starts; none is ever lost."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from inspections.models import Obligation
from inspections.services import inspections as services
from inspections.services import queued_refresh
from tests import inspection_factories as inf

pytestmark = pytest.mark.django_db
TASK = "inspections.tasks.refresh_premises_obligations"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def queued(monkeypatch):
    sent: list[tuple[str, int]] = []
    monkeypatch.setattr(queued_refresh, "enqueue", lambda name, pk: sent.append((name, pk)))
    return sent


def _answer(inspection, user, minute, captured):
    """A batch that changes the first item's answer (a later device time each call)."""
    item = inspection.items.order_by("order").first()
    value = "compliant" if minute % 2 else "non_compliant"
    with captured(execute=True):
        _, results = services.record_answers(
            user=user,
            inspection=inspection,
            answers=[services.AnswerInput(inf.new_uuid(), item.pk, inf.device_time(minute), value)],
            version=inspection.version,
        )
    assert [r.status for r in results] == ["created" if minute == 1 else "updated"]
    inspection.refresh_from_db()


def test_batches_before_the_refresh_starts_queue_it_once(
    in_progress, inspector, queued, django_capture_on_commit_callbacks
):
    _answer(in_progress, inspector, 1, django_capture_on_commit_callbacks)
    _answer(in_progress, inspector, 2, django_capture_on_commit_callbacks)

    assert queued == [(TASK, in_progress.premises_id)]


def test_a_batch_after_the_refresh_started_queues_another(
    in_progress, inspector, queued, django_capture_on_commit_callbacks
):
    _answer(in_progress, inspector, 1, django_capture_on_commit_callbacks)
    Obligation.objects.filter(premises=in_progress.premises).delete()

    stored = queued_refresh.run_queued_refresh(in_progress.premises_id)
    _answer(in_progress, inspector, 2, django_capture_on_commit_callbacks)

    assert stored == Obligation.objects.filter(premises=in_progress.premises).count() > 0
    assert queued == [(TASK, in_progress.premises_id)] * 2


def test_without_a_broker_the_refresh_runs_inline_and_the_next_batch_tries_again(
    in_progress, inspector, monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def broken(name, pk):
        attempts.append(pk)
        raise ConnectionError("broker down")

    monkeypatch.setattr(queued_refresh, "enqueue", broken)
    Obligation.objects.filter(premises=in_progress.premises).delete()

    _answer(in_progress, inspector, 1, django_capture_on_commit_callbacks)
    assert Obligation.objects.filter(premises=in_progress.premises).exists()
    _answer(in_progress, inspector, 2, django_capture_on_commit_callbacks)

    assert attempts == [in_progress.premises_id] * 2


def test_a_refresh_of_a_deleted_premises_stores_nothing():
    assert queued_refresh.run_queued_refresh(987654) == 0
