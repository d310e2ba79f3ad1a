"""Search as Vietnamese users type: with or without accents, any case, in portal, admin and API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from inspections.models import Premises, SearchWord
from inspections.services.premises import update_premises_facts
from inspections.textsearch import fold
from tests import factories as f
from tests.conftest import authed

QUERIES = ["ho guom", "hồ gươm", "HỒ GƯƠM", "Ho Guom"]


@pytest.fixture
def ho_guom(head):
    return f.PremisesFactory(
        name="Nhà hàng Hồ Gươm", address_line="12 Đinh Tiên Hoàng", heads=[head]
    )


@pytest.fixture
def elsewhere(head):
    return f.PremisesFactory(name="Karaoke Tràng Tiền", address_line="3 Hàng Khay", heads=[head])


def test_fold_strips_marks_and_maps_d():
    assert fold("HỒ GƯƠM") == "ho guom"
    assert fold("  Đường   Điện Biên Phủ ") == "duong dien bien phu"
    assert fold("Phở Thìn – 13 Lò Đúc") == "pho thin – 13 lo duc"
    assert fold(None) == ""


def test_search_text_follows_edits_and_bulk_writes(ho_guom, manager):
    assert ho_guom.search_text == "nha hang ho guom 12 dinh tien hoang"
    update_premises_facts(
        ho_guom, user=manager, changes={"name": "Quán Đồng Xuân"}, source="portal"
    )
    ho_guom.refresh_from_db()
    assert ho_guom.search_text.startswith("quan dong xuan ")
    assert set(SearchWord.objects.values_list("word", flat=True)) >= {"quan", "dong", "xuan"}
    [bulk] = Premises.objects.bulk_create(
        [Premises(kind="home", name="Nhà Bà Triệu", province_code=1, ward_code=70)]
    )
    assert Premises.objects.get(pk=bulk.pk).search_text == "nha ba trieu"
    bulk.address_line = "Ngõ Huế"
    Premises.objects.bulk_update([bulk], ["address_line"])
    assert Premises.objects.get(pk=bulk.pk).search_text == "nha ba trieu ngo hue"


@pytest.mark.parametrize("q", QUERIES)
def test_manager_premises_list(client, manager, ho_guom, elsewhere, q):
    client.force_login(manager)
    page = client.get(reverse("portal:premises_list"), {"q": q}).content.decode()
    assert "Nhà hàng Hồ Gươm" in page
    assert "Karaoke Tràng Tiền" not in page


@pytest.mark.parametrize("q", QUERIES)
def test_head_home_search(client, head, ho_guom, elsewhere, q):
    client.force_login(head)
    page = client.get(reverse("portal:home"), {"q": q}).content.decode()
    assert "Nhà hàng Hồ Gươm" in page
    assert "Karaoke Tràng Tiền" not in page


@pytest.mark.parametrize("q", QUERIES)
def test_api_search(api_client, manager, ho_guom, elsewhere, q):
    resp = authed(api_client, manager).get("/api/v1/premises/", {"search": q})
    assert resp.status_code == 200
    names = [row["name"] for row in resp.json()["results"]]
    assert names == ["Nhà hàng Hồ Gươm"]


def test_api_search_keeps_jurisdiction(api_client, inspector, other_premises):
    other_premises.name = "Hồ Gươm Sơn La"
    other_premises.save()
    resp = authed(api_client, inspector).get("/api/v1/premises/", {"search": "ho guom"})
    assert resp.json()["results"] == []


@pytest.mark.parametrize("q", [*QUERIES, "dinh tien hoang", "head@test.vn"])
def test_admin_search(client, ho_guom, elsewhere, q):
    client.force_login(f.UserFactory(email="root@test.vn", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:inspections_premises_changelist"), {"q": q}).content.decode()
    assert "Nhà hàng Hồ Gươm" in page
    if q != "head@test.vn":  # both premises have the same head
        assert "Karaoke Tràng Tiền" not in page


def test_words_in_any_order(client, manager, ho_guom, elsewhere):
    client.force_login(manager)
    page = client.get(reverse("portal:premises_list"), {"q": "guom nha hang"}).content.decode()
    assert "Nhà hàng Hồ Gươm" in page
    assert "Karaoke Tràng Tiền" not in page


@pytest.mark.parametrize("q", ["dinh tien hoag", "nha hàng hồ guơm", "HO GUONG"])
def test_typo_found_on_postgresql(require_postgres, client, manager, ho_guom, elsewhere, q):
    """A mistyped word is corrected against the premises' words: the premises is still found."""
    client.force_login(manager)
    page = client.get(reverse("portal:premises_list"), {"q": q}).content.decode()
    assert "Nhà hàng Hồ Gươm" in page
    assert "Karaoke Tràng Tiền" not in page


def test_typo_correction_needs_a_close_word(require_postgres, ho_guom):
    from inspections.selectors.search import corrected

    assert corrected("dinh tien hoag") == "dinh tien hoang"
    assert corrected("dinh tien hoang") is None  # nothing to correct
    assert corrected("vinpearl") is None  # nothing close enough


def test_trigram_index_serves_search_on_postgresql(require_postgres, ho_guom):
    from inspections.selectors.search import search

    with connection.cursor() as cur:
        cur.execute("SET enable_seqscan = off")
        sql, params = search(
            Premises.objects.all(), "ho guom", ["search_text"]
        ).query.sql_with_params()
        cur.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(r[0] for r in cur.fetchall())
        cur.execute("SET enable_seqscan = on")
    assert "premises_search_trgm_idx" in plan
