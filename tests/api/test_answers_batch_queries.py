# ruff: noqa: F811  (fixtures imported from tests.inspection_fixtures are parameters here)
"""A 200-answer batch is a constant handful of queries: one locked read, one upsert."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Answer, InspectionItem, Photo
from tests import inspection_factories as inf
from tests.api.inspection_helpers import client_for, one_answer, photo_body, url
from tests.inspection_fixtures import catalogue, in_progress, scheduled  # noqa: F401

pytestmark = pytest.mark.django_db
BATCH = 200


def _items(inspection) -> list[int]:
    """The inspection's items, completed to 200 (copies of its first one)."""
    first = inspection.items.order_by("order").first()
    have = inspection.items.count()
    InspectionItem.objects.bulk_create(
        [
            InspectionItem(
                inspection=inspection,
                requirement_id=first.requirement_id,
                code=f"Q-{n:03d}",
                order=100 + n,
                title_vi=first.title_vi,
                question_vi=first.question_vi,
                citations=first.citations,
                answer_type=first.answer_type,
                severity=first.severity,
            )
            for n in range(BATCH - have)
        ]
    )
    return list(inspection.items.order_by("order").values_list("pk", flat=True))


def _put(client, inspection, version: int, answers: list[dict]):
    with CaptureQueriesContext(connection) as ctx:
        r = client.put(
            url("inspection-answers", inspection.pk),
            {"version": version, "answers": answers},
            format="json",
        )
    assert r.status_code == 200, r.content[:300]
    return r.json(), ctx.captured_queries


def _sql(queries) -> str:
    return "\n".join(q["sql"][:160] for q in queries)


def test_a_200_answer_batch_takes_at_most_ten_queries(in_progress, inspector):
    items = _items(in_progress)
    client = client_for(inspector)
    # A photo sent before its answer: the first batch links it (two more statements).
    client.post(
        url("inspection-photos", in_progress.pk), photo_body(inf.jpeg_bytes(), item=items[0])
    )
    in_progress.refresh_from_db()

    created, queries = _put(
        client, in_progress, in_progress.version, [one_answer(pk, 1) for pk in items]
    )
    assert [r["status"] for r in created["results"]] == ["created"] * BATCH
    assert len(queries) <= 10, _sql(queries)
    assert Answer.objects.filter(inspection=in_progress).count() == BATCH
    assert Photo.objects.get(inspection=in_progress).answer.item_id == items[0]

    newer = [one_answer(pk, 2, "non_compliant") for pk in items]
    updated, queries = _put(client, in_progress, created["inspection_version"], newer)
    assert [r["status"] for r in updated["results"]] == ["updated"] * BATCH
    assert len(queries) <= 10, _sql(queries)
    # The assignment is checked once, in the read that takes the lock.
    assert sum("inspectors" in q["sql"] for q in queries) == 1, _sql(queries)
    assert set(Answer.objects.filter(inspection=in_progress).values_list("value", flat=True)) == {
        "non_compliant"
    }
    assert updated["inspection_version"] == created["inspection_version"] + 1
    # The reply shows each answer as the inspection detail does.
    detail = client.get(url("inspection", in_progress.pk)).json()
    shown = {a["client_uuid"]: a for a in detail["answers"]}
    for r in updated["results"]:
        assert r["answer"] == shown[r["client_uuid"]]


def test_a_resent_batch_reads_and_writes_nothing_more(in_progress, inspector):
    items = _items(in_progress)
    client = client_for(inspector)
    batch = [one_answer(pk, 1) for pk in items]
    first, _ = _put(client, in_progress, in_progress.version, batch)

    again, queries = _put(client, in_progress, in_progress.version, batch)
    assert [r["status"] for r in again["results"]] == ["unchanged"] * BATCH
    assert again["inspection_version"] == first["inspection_version"]
    assert not any(q["sql"].startswith(("INSERT", "UPDATE")) for q in queries), _sql(queries)
    assert len(queries) <= 6, _sql(queries)


def test_older_answers_in_a_batch_do_not_replace_newer_ones(in_progress, inspector):
    items = _items(in_progress)[:3]
    client = client_for(inspector)
    first, _ = _put(client, in_progress, in_progress.version, [one_answer(pk, 5) for pk in items])

    # One newer, one older, and the same UUID with other content.
    reused = first["results"][2]["client_uuid"]
    batch = [
        one_answer(items[0], 6, "non_compliant"),
        one_answer(items[1], 4, "non_compliant"),
        one_answer(items[2], 7, "non_compliant", client_uuid=uuid.UUID(reused)),
    ]
    body, _ = _put(client, in_progress, first["inspection_version"], batch)
    assert [r["status"] for r in body["results"]] == ["updated", "conflict", "conflict"]
    stored = dict(Answer.objects.filter(inspection=in_progress).values_list("item_id", "value"))
    assert stored == {
        items[0]: "non_compliant",
        items[1]: "compliant",
        items[2]: "compliant",
    }


@pytest.mark.parametrize("low_first", [True, False])
def test_same_device_time_the_greater_uuid_wins_in_any_order(in_progress, inspector, low_first):
    """The deciding code (Python) and the upsert's WHERE (SQL, UUIDs as text) agree on ties."""
    item = _items(in_progress)[0]
    # 0x9… < 0xa… as numbers and as text ('9' < 'a'); a third digit keeps them apart in both.
    low = uuid.UUID("9fffffff-ffff-4fff-bfff-ffffffffffff")
    high = uuid.UUID("a0000000-0000-4000-8000-000000000000")
    order = [(low, "compliant"), (high, "non_compliant")]
    if not low_first:
        order.reverse()
    client = client_for(inspector)
    version = in_progress.version
    statuses = []
    for client_uuid, value in order:
        body, _ = _put(
            client, in_progress, version, [one_answer(item, 5, value, client_uuid=client_uuid)]
        )
        version = body["inspection_version"]
        statuses.append(body["results"][0]["status"])
    stored = Answer.objects.get(inspection=in_progress, item_id=item)
    assert (stored.client_uuid, stored.value) == (high, "non_compliant")
    assert statuses == (["created", "updated"] if low_first else ["created", "conflict"])
