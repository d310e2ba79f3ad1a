"""Keyset pages and the heads of a page's premises."""

from __future__ import annotations

from inspections.models import Premises
from inspections.services.reminders.pages import heads_of, pages
from tests import factories as f


def test_pages_cover_every_row_once_in_id_order(db):
    made = [f.PremisesFactory(name=f"Cơ sở {i}") for i in range(5)]
    got = list(pages(Premises.objects.all(), ["name"], 2))
    assert [len(p) for p in got] == [2, 2, 1]
    assert [r["id"] for p in got for r in p] == sorted(p.pk for p in made)
    assert got[0][0]["name"] == "Cơ sở 0"
    assert list(pages(Premises.objects.none(), ["name"], 2)) == []


def test_heads_of_lists_active_heads_only(db):
    active, gone = f.UserFactory(), f.UserFactory(is_active=False)
    one = f.PremisesFactory(heads=[active, gone])
    other = f.PremisesFactory(heads=[])
    heads = heads_of([one.pk, other.pk])
    assert heads == {one.pk: [active.pk]}


def test_heads_of_binds_the_ids_as_one_array_on_postgresql(require_postgres):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statement(premises_ids: list[int]) -> str:
        with CaptureQueriesContext(connection) as ctx:
            heads_of(premises_ids)
        [query] = ctx.captured_queries
        return query["sql"]

    few, many = statement([1, 2]), statement(list(range(1, 2001)))
    # One array parameter whatever the page's size, not 2,000 bound parameters.
    assert "= ANY(" in few and "= ANY(" in many and " IN (" not in many
