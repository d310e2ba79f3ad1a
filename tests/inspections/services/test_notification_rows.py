"""Set-based recording of notification rows: each key stored once, statements fixed per batch.

The COPY path runs on PostgreSQL (DATABASE_URL set, as in CI); the portable path on any
database. Both must give the caller the same answer.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Channel, Delivery, Notification
from inspections.services import notification_rows
from inspections.services.notification_rows import row_key, store_rows
from tests import factories as f

pytestmark = pytest.mark.django_db

DUE = date(2026, 12, 1)


def proposals(users, premises, *, stage: str = "t3") -> list[Notification]:
    return [
        Notification(
            kind="finding_deadline",
            subject_key=f"finding:{i}",
            due_on=DUE,
            stage=stage,
            channel=Channel.EMAIL,
            recipient_key=f"user:{u.pk}",
            user_id=u.pk,
            premises_id=premises.pk,
            delivery=Delivery.IMMEDIATE,
            payload={"title_vi": f"Hạn khắc phục vi phạm {i} — “Karaoke” & <b>", "n": i},
        )
        for i in range(len(users))
        for u in users[i : i + 1]
    ]


@pytest.fixture
def users(db):
    return [f.UserFactory(email=f"u{i}@test.vn") for i in range(30)]


def check_stores_each_key_once(users, premises, store) -> None:
    rows = proposals(users, premises)
    first = store(rows)
    assert len(first) == 30 == Notification.objects.count()
    assert {r.status for r in first.values()} == {"pending"}
    # Proposed again (a second sweep), with one row meanwhile sent: same ids, real statuses.
    sent = first[row_key(rows[0])].id
    Notification.objects.filter(pk=sent).update(status="sent")
    again = store(proposals(users, premises) + proposals(users[:2], premises, stage="t1"))
    assert Notification.objects.count() == 32
    assert {k: v.id for k, v in again.items() if k in first} == {k: v.id for k, v in first.items()}
    assert again[row_key(rows[0])].status == "sent"
    stored = Notification.objects.get(pk=first[row_key(rows[5])].id)
    # Every column the ORM would have written, with the model defaults.
    assert (stored.status, stored.attempts, stored.claim_token, stored.error) == (
        "pending", 0, "", ""
    )  # fmt: skip
    assert (stored.claimed_at, stored.next_attempt_at, stored.sent_at) == (None, None, None)
    assert stored.created_at is not None and stored.delivery == "immediate"
    assert stored.payload == {"title_vi": "Hạn khắc phục vi phạm 5 — “Karaoke” & <b>", "n": 5}


def test_portable_path_stores_each_key_once(users, premises):
    check_stores_each_key_once(users, premises, notification_rows._store_with_orm)


def test_portable_path_costs_two_statements_per_batch(users, premises, django_assert_num_queries):
    with django_assert_num_queries(2):  # insert skipping existing keys, read the keys back
        notification_rows._store_with_orm(proposals(users, premises))


def test_copy_path_stores_each_key_once(require_postgres, users, premises):
    check_stores_each_key_once(users, premises, store_rows)


def test_copy_path_statements_do_not_grow_with_rows(require_postgres, users, premises):
    def statements(rows) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            store_rows(rows)
        return [q["sql"] for q in ctx.captured_queries]

    few = statements(proposals(users[:3], premises))
    many = statements(proposals(users, premises, stage="t1"))
    # the stored keys, then savepoint, staging table, ANALYZE, INSERT ... SELECT, join,
    # release (COPY is not a query)
    assert len(few) == len(many) == 7
    assert "unnest(" in few[0] and "unnest(" in many[0]
    insert = next(q for q in many if q.startswith("INSERT INTO"))
    assert 'FROM "pccc_notification_in"' in insert and "ON CONFLICT DO NOTHING" in insert


def test_store_rows_uses_copy_on_postgresql(require_postgres, users, premises, monkeypatch):
    def no_orm(rows):
        raise AssertionError("bulk_create used on PostgreSQL")

    monkeypatch.setattr(notification_rows, "_store_with_orm", no_orm)
    assert len(store_rows(proposals(users, premises))) == 30


def lazy(rows: list[Notification], rendered: list[int]) -> list[notification_rows.Proposal]:
    """The rows as a sweep proposes them: each payload rendered only when asked."""

    def renders(payload):
        def render():
            rendered.append(payload["n"])
            return payload

        return render

    return [notification_rows.as_proposal(r)._replace(payload=renders(r.payload)) for r in rows]


@pytest.mark.parametrize("vendor", ["any", "postgresql"])
def test_stored_keys_cost_one_statement_and_render_nothing(vendor, users, premises, request):
    if vendor == "postgresql":
        request.getfixturevalue("require_postgres")
    first = store_rows(proposals(users[:3], premises))
    rendered: list[int] = []
    with CaptureQueriesContext(connection) as few:
        again_few = store_rows(lazy(proposals(users[:3], premises), rendered))
    store_rows(proposals(users, premises))
    with CaptureQueriesContext(connection) as many:
        again_many = store_rows(lazy(proposals(users, premises), rendered))
    # One statement finds the stored keys, whatever their number; no payload is rendered.
    assert len(few.captured_queries) == len(many.captured_queries) == 1
    assert rendered == []
    assert again_few == first and len(again_many) == 30
    assert Notification.objects.count() == 30


def test_only_new_rows_are_rendered_each_shared_payload_once(users, premises):
    store_rows(proposals(users[:2], premises))
    rendered: list[int] = []
    rows = lazy(proposals(users[:4], premises), rendered)
    # Two recipients of one reminder share its payload: rendered once.
    shared = rows[3]._replace(recipient_key=f"user:{users[0].pk}", user_id=users[0].pk)
    stored = store_rows([*rows, shared])
    assert sorted(rendered) == [2, 3]
    assert len(stored) == 5 and Notification.objects.count() == 5
    assert Notification.objects.get(pk=stored[row_key(shared)].id).payload["n"] == 3


def test_a_payload_that_fails_to_render_leaves_out_its_rows_only(users, premises, caplog):
    rows = [notification_rows.as_proposal(r) for r in proposals(users[:3], premises)]

    def broken():
        raise KeyError("duty")

    rows[1] = rows[1]._replace(payload=broken)
    stored = store_rows(rows)
    assert set(stored) == {row_key(rows[0]), row_key(rows[2])}
    assert Notification.objects.count() == 2
    assert "payload not rendered" in caplog.text
