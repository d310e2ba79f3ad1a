# ruff: noqa: F811  (fixtures imported from tests.inspection_fixtures are parameters here)
"""Sync sends checklist items and answers built once per inspection version: a warm page reads
neither."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Answer, InspectionItem
from inspections.selectors import sync as sync_selectors
from inspections.services import inspections as services
from tests import inspection_factories as inf
from tests.api.inspection_helpers import client_for, url
from tests.inspection_fixtures import catalogue, in_progress, scheduled  # noqa: F401

pytestmark = pytest.mark.django_db
ITEMS_TABLE = InspectionItem._meta.db_table
ANSWERS_TABLE = Answer._meta.db_table


@pytest.fixture(autouse=True)
def _isolated(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    monkeypatch.setattr(sync_selectors, "SAFETY", timedelta(0))


def _sync(client):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url("sync"))
    assert r.status_code == 200
    return r.json(), [q["sql"] for q in ctx.captured_queries]


def test_a_warm_full_sync_reads_no_items_and_sends_the_same_page(in_progress, inspector):
    client = client_for(inspector)
    cold, cold_sql = _sync(client)
    warm, warm_sql = _sync(client)

    assert sum(ITEMS_TABLE in q for q in cold_sql) == 1
    assert sum(f'FROM "{ANSWERS_TABLE}"' in q for q in cold_sql) == 1
    assert not any(f'FROM "{ITEMS_TABLE}"' in q for q in warm_sql), warm_sql
    assert not any(f'FROM "{ANSWERS_TABLE}"' in q for q in warm_sql), warm_sql
    assert len(warm_sql) == len(cold_sql) - 2
    assert warm["inspections"] == cold["inspections"]
    assert warm["citations"] == cold["citations"]
    items = warm["inspections"][0]["items"]
    assert [i["id"] for i in items] == list(
        in_progress.items.order_by("order").values_list("pk", flat=True)
    )
    assert all(key in warm["citations"] for i in items for key in i["citations"])


def test_a_new_inspection_version_is_built_again(in_progress, inspector):
    client = client_for(inspector)
    _sync(client)
    item = in_progress.items.order_by("order").first()
    services.record_answers(
        user=inspector,
        inspection=in_progress,
        answers=[services.AnswerInput(inf.new_uuid(), item.pk, inf.device_time(), "compliant")],
        version=in_progress.version,
    )
    # A change the cache must not hide (items are frozen in practice; the key is the version).
    InspectionItem.objects.filter(pk=item.pk).update(title_vi="Tiêu đề đã sửa")

    page, sql = _sync(client)
    assert sum(ITEMS_TABLE in q and "SELECT" in q[:10] for q in sql) >= 1
    assert page["inspections"][0]["items"][0]["title_vi"] == "Tiêu đề đã sửa"
    assert page["inspections"][0]["answers"][0]["value"] == "compliant"
