"""Catalogue and obligations API: filters, verbatim citations, permissions, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.legal.parser import get_provision
from inspections.selectors import catalogue as catalogue_selectors
from tests.conftest import authed

pytestmark = pytest.mark.django_db

REQUIREMENTS = reverse("api:requirements")
VERSIONS = reverse("api:catalogue-versions")
PREVIEW = reverse("api:obligations-preview")


def obligations_url(pk: int) -> str:
    return reverse("api:premises-obligations", args=[pk])


def test_requirements_filtered_by_kind_and_article_with_verbatim_text(
    api_client, inspector, published_catalogue, django_assert_max_num_queries
):
    client = authed(api_client, inspector)
    with django_assert_max_num_queries(8):
        response = client.get(REQUIREMENTS, {"premises_kind": "vehicle", "page_size": 200})
    assert response.status_code == 200
    codes = [r["code"] for r in response.json()["results"]]
    assert "L55-8.4.d" in codes and "L55-22.1.a" in codes
    assert not any(c.startswith("L55-23.") for c in codes)

    response = client.get(REQUIREMENTS, {"article": 23, "premises_kind": "establishment"})
    body = response.json()
    # 23.1 a–e (with 16.1 a–e, water, device upkeep and updates, signs, specialised team),
    # 23.2 a–d, and Decree 105 Art. 26.2.a (first data declaration, cites 23.1.c)
    assert body["count"] == 21
    c = next(r for r in body["results"] if r["code"] == "L55-23.1.c")
    assert c["due_date"] == "2027-07-01"
    assert c["citations"][0]["text_vi"] == get_provision(23, 1, "c").text
    assert c["citations"][0]["heading"] == "Phòng cháy đối với cơ sở"


def test_requirements_query_count_does_not_grow_with_the_page(
    api_client, inspector, published_catalogue, django_assert_num_queries
):
    client = authed(api_client, inspector)
    counts = []
    for size in (5, 60):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(REQUIREMENTS, {"page_size": size})
        assert len(response.json()["results"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_requirements_bad_filters_use_the_error_shape(api_client, inspector, published_catalogue):
    client = authed(api_client, inspector)
    response = client.get(REQUIREMENTS, {"premises_kind": "spaceship"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "premises_kind" in response.json()["fields"]
    assert client.get(REQUIREMENTS, {"version": "9.9"}).status_code == 404


def test_requirements_without_catalogue_and_anonymous(api_client, inspector, db):
    assert api_client.get(REQUIREMENTS).status_code == 401
    response = authed(api_client, inspector).get(REQUIREMENTS)
    assert response.status_code == 503
    assert response.json()["code"] == "no_published_catalogue"


def test_versions_list(api_client, manager, published_catalogue, django_assert_max_num_queries):
    client = authed(api_client, manager)
    with django_assert_max_num_queries(4):
        response = client.get(VERSIONS)
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (
        row["label"] == published_catalogue.label
        and row["status"] == "published"
        and row["published_at"]
    )


@pytest.mark.parametrize("who", ["inspector", "manager", "head"])
def test_premises_obligations_visible_to_its_people(
    request, api_client, who, premises, published_catalogue, django_assert_max_num_queries
):
    client = authed(api_client, request.getfixturevalue(who))
    catalogue_selectors.specs_and_params(published_catalogue)  # warm the per-process cache
    with django_assert_max_num_queries(8):
        response = client.get(obligations_url(premises.pk), {"on": "2027-07-02"})
    assert response.status_code == 200
    body = response.json()
    assert body["catalogue_version"] == published_catalogue.label
    roadmap = next(o for o in body["obligations"] if o["requirement"] == "L55-23.1.c")
    assert roadmap["status"] == "overdue" and roadmap["due_date"] == "2027-07-01"
    assert roadmap["citations"][0]["text_vi"] == get_provision(23, 1, "c").text
    assert body["derived"]["under_fire_safety_management"] is True


@pytest.mark.parametrize("who", ["other_inspector", "outsider"])
def test_premises_obligations_hidden_from_others(
    request, api_client, who, premises, published_catalogue
):
    response = authed(api_client, request.getfixturevalue(who)).get(obligations_url(premises.pk))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_premises_obligations_anonymous(api_client, premises, published_catalogue):
    assert api_client.get(obligations_url(premises.pk)).status_code == 401


def test_premises_obligations_bad_date(api_client, head, premises, published_catalogue):
    response = authed(api_client, head).get(obligations_url(premises.pk), {"on": "tomorrow"})
    assert response.status_code == 400


def test_preview_400_m2_karaoke(
    api_client, outsider, published_catalogue, django_assert_max_num_queries
):
    client = authed(api_client, outsider)
    facts = {"kind": "establishment", "province_code": 1, "ward_code": 70,
             "occupancy_category": "karaoke", "floor_area_m2": 400, "floors": 1}  # fmt: skip
    catalogue_selectors.specs_and_params(published_catalogue)
    with django_assert_max_num_queries(3):
        response = client.post(PREVIEW, {**facts, "on": "2026-12-01"}, format="json")
    assert response.status_code == 200
    body = response.json()
    codes = {o["requirement"] for o in body["obligations"]}
    assert {"L55-48.1", "L55-23.1.c", "L55-23.1.e"} <= codes
    insurance = next(o for o in body["obligations"] if o["requirement"] == "L55-48.1")
    assert "300 m²" in insurance["reason"]
    derived = body["derived"]
    assert derived["appendix_vii_row"] == "vii.10" and derived["appendix_vii_item"] == 10
    # Decree 105: Appendix I item 8 (from 50 m²), Appendix II row 10 group 2 (300–<1,000 m²):
    # police and construction authority every 2 years.
    assert (derived["appendix_i_item"], derived["appendix_ii_row"]) == (8, 10)
    # The head count decides team vs assigned persons (Art. 20.2): it is the only fact missing.
    assert derived["appendix_ii_group"] == 2 and derived["missing_facts"] == ["employees"]
    assert [
        (a["authority_kind"], a["interval_months"]) for a in derived["inspecting_authorities"]
    ] == [
        ("fire_police", 24),
        ("construction", 24),
    ]
    nested = client.post(PREVIEW, {"facts": facts, "on": "2026-12-01"}, format="json").json()
    assert nested["obligations"] == body["obligations"]


def test_preview_names_the_missing_facts(api_client, outsider, published_catalogue):
    client = authed(api_client, outsider)
    facts = {"kind": "establishment", "province_code": 1, "ward_code": 70,
             "occupancy_category": "restaurant", "floor_area_m2": 150}  # fmt: skip
    body = client.post(PREVIEW, {**facts, "on": "2026-12-01"}, format="json").json()
    # The headcount matters only once the premises is known to be under management.
    assert body["derived"]["missing_facts"] == ["business_area_m2"]
    assert body["derived"]["under_fire_safety_management"] is None
    device = next(o for o in body["obligations"] if o["requirement"] == "L55-23.1.c")
    assert device["status"] == "unknown" and device["missing_facts"] == ["business_area_m2"]


def test_preview_rejects_bad_facts(api_client, inspector, published_catalogue):
    client = authed(api_client, inspector)
    r = client.post(PREVIEW, {"kind": "castle"}, format="json")
    assert r.status_code == 400 and "kind" in r.json()["fields"]
    r = client.post(PREVIEW, {"kind": "home", "floors": "many"}, format="json")
    assert r.status_code == 400 and "floors" in r.json()["fields"]
    r = client.post(PREVIEW, {"kind": "home", "colour": "red"}, format="json")
    assert r.status_code == 400 and "colour" in r.json()["fields"]
    assert api_client.logout() is None
    assert api_client.post(PREVIEW, {"kind": "home"}, format="json").status_code == 401
