"""Planner statistics refreshed when the product's own writes outgrew them (PostgreSQL)."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Obligation
from inspections.services import table_statistics
from inspections.services.table_statistics import analyze_if_stale, is_stale


@pytest.mark.parametrize(
    ("changed", "rows", "stale"),
    [
        (49_999, -1, False),  # never analyzed, but small: any plan is cheap
        (50_000, -1, True),  # never analyzed and grown: the first fill
        (50_000, 0, True),
        (199_999, 1_000_000, False),  # a fifth of the table not yet changed
        (200_000, 1_000_000, True),
        (60_000, 100_000, True),
    ],
)
def test_stale_once_a_fifth_and_at_least_the_floor_changed(changed, rows, stale):
    assert is_stale(changed, rows) is stale


def _analyzes(model) -> tuple[bool, bool]:
    with CaptureQueriesContext(connection) as seen:
        ran = analyze_if_stale(model)
    return ran, any(q["sql"].startswith("ANALYZE") for q in seen.captured_queries)


def test_a_stale_table_is_analyzed_and_a_fresh_one_is_not(require_postgres, monkeypatch):
    monkeypatch.setattr(table_statistics, "STALE_FLOOR", 0)
    assert _analyzes(Obligation) == (True, True)
    monkeypatch.setattr(table_statistics, "STALE_FLOOR", 10**12)
    assert _analyzes(Obligation) == (False, False)


def test_one_process_analyzes_the_others_go_on(require_postgres, monkeypatch):
    monkeypatch.setattr(table_statistics, "STALE_FLOOR", 0)
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    key = [f"analyze:{Obligation._meta.db_table}"]
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(hashtext(%s))", key)
        assert _analyzes(Obligation) == (False, False)
        # Released by the other session itself: a closed connection's lock goes only when its
        # server process has exited, which may be after the next statement here.
        other.execute("SELECT pg_advisory_unlock(hashtext(%s))", key)
    assert _analyzes(Obligation) == (True, True)


def test_nothing_to_do_elsewhere_than_postgresql(db, monkeypatch):
    monkeypatch.setattr(table_statistics, "STALE_FLOOR", 0)
    monkeypatch.setattr(connection, "vendor", "sqlite")  # also checked on a PostgreSQL run
    with CaptureQueriesContext(connection) as seen:
        assert analyze_if_stale(Obligation) is False
    assert seen.captured_queries == []
