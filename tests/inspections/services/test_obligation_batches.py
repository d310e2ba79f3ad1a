"""Batched obligation refresh: one query per related table per batch, one upsert, one hook call."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Obligation, Premises, TrainingCertificate
from inspections.selectors.obligations import obligations_for
from inspections.services import obligations as service
from tests import factories as f

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 23)


def batch(n: int) -> list[Premises]:
    made = [f.PremisesFactory(floors=2 + i % 5, floor_area_m2=100 + 150 * i) for i in range(n)]
    for p in made[::2]:
        TrainingCertificate.objects.create(premises=p, holder_name="Lê Thị Chủ", duty="head")
    return list(Premises.objects.filter(pk__in=[p.pk for p in made]).order_by("pk"))


def test_batch_stores_what_the_engine_says_for_each_premises(published_catalogue):
    premises = batch(6)
    result = service.refresh_batch(premises, on=ON)
    assert result.refreshed == 6 and result.failed == []
    for p in premises:
        expected = {
            o.requirement.id: (o.status, o.due_date, o.reason_vi)
            for o in obligations_for(p, on=ON).evaluation.obligations
        }
        stored = {
            o.requirement_id: (o.status, o.due_on, o.reason_vi)
            for o in Obligation.objects.filter(premises=p)
        }
        assert stored == expected and len(stored) > 20
        assert Premises.objects.get(pk=p.pk).obligations_computed_at is not None


def test_refresh_queries_do_not_grow_with_the_batch(published_catalogue, monkeypatch):
    service.refresh_batch(batch(1), on=ON)  # the catalogue cache is a first-call cost
    few, many = batch(3), batch(12)
    # The refresh's own statements; what the per-batch hook costs (the dashboard's counters)
    # is counted by the rollups' own query tests.
    hooked: list[int] = []
    monkeypatch.setattr(
        service, "obligations_changed", lambda changes: hooked.append(len(changes.premises_ids))
    )

    def statements(premises) -> tuple[list[str], list[str]]:
        with CaptureQueriesContext(connection) as ctx:
            service.refresh_batch(premises, on=ON)
        sql = [q["sql"] for q in ctx.captured_queries]
        return [q for q in sql if not q.startswith("INSERT")], [
            q for q in sql if q.startswith("INSERT")
        ]

    # version, certificates, answers, stored obligations, savepoint, stamp, release; on
    # PostgreSQL the staging table the rows are copied into (COPY is not a captured query)
    postgres = connection.vendor == "postgresql"
    for premises in (few, many):
        others, upserts = statements(premises)
        assert len(others) == 7 + postgres, others
        rows = Obligation.objects.filter(premises__in=premises).count()
        if postgres:
            assert len(upserts) == 1  # one upsert per batch, from the staged rows
            assert "SELECT" in upserts[0] and "DO UPDATE" in upserts[0]
        else:  # SQLite allows 999 variables a statement: 8 columns, 124 rows
            assert len(upserts) == -(-rows // (999 // 8))
        assert all("ON CONFLICT" in q for q in upserts)
    assert hooked == [3, 12]  # the hook runs once per batch, with every premises of it


def test_steady_refresh_writes_nothing_and_changes_only_what_changed(
    published_catalogue, django_assert_num_queries, monkeypatch
):
    premises = batch(5)
    service.refresh_batch(premises, on=ON)
    seen = []
    monkeypatch.setattr(service, "obligations_changed", seen.append)
    again = list(Premises.objects.filter(pk__in=[p.pk for p in premises]).order_by("pk"))
    with django_assert_num_queries(7):  # no upsert: nothing changed
        assert service.refresh_batch(again, on=ON).written == 0
    assert seen[-1].premises_ids == [p.pk for p in premises] and not seen[-1]

    # The device of one premises gets connected and declared; another shrinks.
    connected, shrunk = premises[0], premises[1]
    Premises.objects.filter(pk=connected.pk).update(
        alarm_device_state="connected", fire_data_declared_on=date(2026, 10, 1)
    )
    Premises.objects.filter(pk=shrunk.pk).update(floors=1, floor_area_m2=100)
    fresh = list(Premises.objects.filter(pk__in=[p.pk for p in premises]).order_by("pk"))
    result = service.refresh_batch(fresh, on=ON)
    changes = seen[-1]
    roadmap = Obligation.objects.get(premises=connected, requirement__code="L55-23.1.c")
    assert roadmap.status == "met"
    assert changes.previous[(connected.pk, roadmap.requirement_id)] == "not_met"
    assert any(o.premises_id == connected.pk and o.status == "met" for o in changes.written)
    assert {pid for pid, _ in changes.removed} == {shrunk.pk}  # fewer duties for a small shop
    assert not Obligation.objects.filter(
        premises=shrunk, requirement_id__in=[rid for _, rid in changes.removed]
    ).exists()
    assert result.written == len(changes.written) and result.removed == len(changes.removed)


def test_refresh_all_goes_batch_by_batch(published_catalogue, monkeypatch):
    batch(7)
    sizes = []
    real = service.refresh_batch

    def spy(premises, **kwargs):
        sizes.append(len(premises))
        return real(premises, **kwargs)

    monkeypatch.setattr(service, "refresh_batch", spy)
    assert service.refresh_all_obligations(on=ON, batch_size=3) == 7
    assert sizes == [3, 3, 1]


def test_a_batch_whose_write_fails_is_retried_premises_by_premises(
    published_catalogue, monkeypatch, caplog
):
    premises = batch(3)
    real = service.refresh_batch

    def write_fails_for_many(batch, **kwargs):
        if len(batch) > 1:
            raise RuntimeError("deadlock detected")
        return real(batch, **kwargs)

    monkeypatch.setattr(service, "refresh_batch", write_fails_for_many)
    result = service.refresh_many(premises, on=ON)
    assert result.refreshed == 3 and result.failed == []
    assert "one by one" in caplog.text
    assert (
        Obligation.objects.filter(premises__in=premises).values("premises").distinct().count() == 3
    )


def test_slices_cover_every_premises_once_and_the_last_is_open(published_catalogue):
    ids = [p.pk for p in batch(7)]
    slices = service.refresh_slices(size=3)
    assert slices == [(ids[0], ids[3] - 1), (ids[3], ids[6] - 1), (ids[6], None)]
    assert service.refresh_slices(size=10) == [(ids[0], None)]


def test_a_slice_refreshes_only_its_premises(published_catalogue):
    premises = batch(5)
    first, last = premises[1].pk, premises[3].pk
    result = service.refresh_slice(first, last, on=ON, batch_size=2)
    assert result.refreshed == 3
    done = set(Obligation.objects.values_list("premises_id", flat=True))
    assert done == {p.pk for p in premises[1:4]}


def test_daily_refresh_is_queued_as_slices_that_refresh_every_premises(
    published_catalogue, eager, monkeypatch
):
    from inspections import tasks

    premises = batch(5)
    queued = []
    real = tasks.refresh_obligations_slice.run

    def spy(first_pk, last_pk, on):
        queued.append((first_pk, last_pk, on))
        return real(first_pk, last_pk, on)

    monkeypatch.setattr(tasks.refresh_obligations_slice, "run", spy)
    assert service.queue_refresh_of_all(ON, size=2) == 3
    day = ON.isoformat()
    ids = [p.pk for p in premises]
    assert queued == [(ids[0], ids[2] - 1, day), (ids[2], ids[4] - 1, day), (ids[4], None, day)]
    stamped = Premises.objects.filter(obligations_computed_at__isnull=False).count()
    assert stamped == 5
    assert set(Obligation.objects.values_list("premises_id", flat=True)) == set(ids)


def test_the_daily_task_queues_one_slice_for_a_small_country(published_catalogue, eager):
    from inspections import tasks

    premises = batch(3)
    assert tasks.refresh_all_obligations.delay().get() == 1
    assert set(Obligation.objects.values_list("premises_id", flat=True)) == {p.pk for p in premises}


def test_each_batch_first_checks_the_obligations_statistics(published_catalogue, monkeypatch):
    checked = []
    monkeypatch.setattr(service, "analyze_if_stale", checked.append)
    premises = batch(5)
    result = service.refresh_many(premises, on=ON, batch_size=2)
    assert result.refreshed == 5
    # The first fill grows the table within one run: every batch looks, not only the first.
    assert checked == [Obligation] * 3
