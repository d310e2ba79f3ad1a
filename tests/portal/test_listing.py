"""Portal lists count their rows up to a cap: past it they say "more than" and page to the cap."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Premises
from portal import listing
from portal.listing import CappedPaginator
from tests import factories as f


def _premises(n: int) -> None:
    for i in range(n):
        f.PremisesFactory(name=f"Cơ sở {i:02d}")


def test_under_the_cap_the_count_is_exact(db):
    _premises(5)
    paginator = CappedPaginator(Premises.objects.order_by("name"), 2, cap=5)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, False, 3)
    assert [p.name for p in paginator.page(3)] == ["Cơ sở 04"]


def test_past_the_cap_the_count_stops_there_and_so_do_the_pages(db):
    _premises(7)
    paginator = CappedPaginator(Premises.objects.order_by("name"), 2, cap=5)
    with CaptureQueriesContext(connection) as ctx:
        assert (paginator.count, paginator.capped, paginator.num_pages) == (5, True, 3)
    # One count, over the first cap + 1 rows and in no order.
    (count,) = ctx.captured_queries
    assert "LIMIT 6" in count["sql"] and "ORDER BY" not in count["sql"]
    last = paginator.get_page(99)
    assert last.number == 3 and not last.has_next()
    assert [p.name for p in last] == ["Cơ sở 04"]  # the fifth row, not the sixth or seventh
    assert (last.start_index(), last.end_index()) == (5, 5)


def test_count_from_counts_another_query_of_the_same_rows(db):
    _premises(4)
    rows = Premises.objects.order_by("name").values_list("pk", flat=True)
    paginator = CappedPaginator(rows, 2, cap=3, count_from=Premises.objects.filter(name="Cơ sở 01"))
    assert (paginator.count, paginator.capped) == (1, False)


def test_a_capped_portal_list_says_more_than_and_how_to_narrow_it(client, manager, monkeypatch):
    _premises(3)
    monkeypatch.setattr(listing, "COUNT_CAP", 2)
    client.force_login(manager)
    url = reverse("portal:premises_list")

    first = client.get(url, {"sort": "name"}, HTTP_ACCEPT_LANGUAGE="vi")
    text = " ".join(first.content.decode().split())
    assert "1–2 / hơn 2" in text

    last = client.get(url, {"sort": "name", "page": 50}, HTTP_ACCEPT_LANGUAGE="vi")
    page = last.context["listing"].page
    assert page.paginator.capped and not page.has_next()
    assert page.end_index() == 2
    assert "Danh sách hiển thị 2 dòng đầu" in " ".join(last.content.decode().split())

    manager.language = "en"
    manager.save(update_fields=["language"])
    english = client.get(url, {"sort": "name", "page": 50})
    english_text = " ".join(english.content.decode().split())
    assert "of more than 2" in english_text and "The list shows the first 2 rows" in english_text


def test_an_uncapped_list_keeps_its_exact_total(client, manager):
    _premises(3)
    client.force_login(manager)
    response = client.get(reverse("portal:premises_list"), HTTP_ACCEPT_LANGUAGE="vi")
    paginator = response.context["listing"].page.paginator
    assert not paginator.capped and paginator.count == 3
    assert "1–3 / 3" in " ".join(response.content.decode().split())
