"""Premises list and detail: only what the caller may see, filters, constant query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.models import AlarmDeviceState, PremisesKind, TrainingCertificate
from tests import factories as f

LIST = reverse("api:premises-list")


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def registry(premises, other_premises):
    """The conftest premises plus a few more of other kinds in Hoàn Kiếm."""
    f.PremisesFactory(
        name="Bệnh viện Hữu Nghị",
        kind=PremisesKind.ESTABLISHMENT,
        occupancy_category="hospital",
        alarm_device_state=AlarmDeviceState.CONNECTED,
        address_line="1 Trần Khánh Dư",
    )
    f.PremisesFactory(
        name="Nhà bà Lan",
        kind=PremisesKind.HOME,
        occupancy_category="",
        address_line="8 ngõ Tạm Thương",
    )
    f.PremisesFactory(
        name="Karaoke Cửa Nam",
        ward_code=73,  # Phường Cửa Nam: Hà Nội, outside the Hoàn Kiếm authority
        address_line="20 Hàng Bông",
    )


def test_inspector_sees_own_jurisdiction_with_vietnamese_names(api_client, inspector, registry):
    api_client.force_authenticate(inspector)
    response = api_client.get(LIST)
    assert names(response) == {"Karaoke Hoàn Kiếm", "Bệnh viện Hữu Nghị", "Nhà bà Lan"}
    row = next(r for r in response.json()["results"] if r["name"] == "Nhà bà Lan")
    assert row["province_name"] == "Thành phố Hà Nội"
    assert row["ward_name"] == "Phường Hoàn Kiếm"
    assert row["kind_display"] == "Nhà ở"
    assert row["full_address"] == "8 ngõ Tạm Thương, Phường Hoàn Kiếm, Thành phố Hà Nội"
    assert response.json()["count"] == 3


def test_son_la_inspector_sees_no_hoan_kiem_premises(api_client, other_inspector, registry):
    api_client.force_authenticate(other_inspector)
    assert names(api_client.get(LIST)) == {"Nhà hàng Tô Hiệu"}


def test_head_sees_only_premises_they_head(api_client, head, registry):
    api_client.force_authenticate(head)
    assert names(api_client.get(LIST)) == {"Karaoke Hoàn Kiếm"}


def test_outsider_sees_nothing(api_client, outsider, registry):
    api_client.force_authenticate(outsider)
    assert names(api_client.get(LIST)) == set()


def test_anonymous_is_refused(api_client, registry):
    response = api_client.get(LIST)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_superuser_sees_everything(api_client, registry):
    api_client.force_authenticate(f.UserFactory(is_superuser=True, is_staff=True))
    assert len(names(api_client.get(LIST))) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "home"}, {"Nhà bà Lan"}),
        ({"occupancy_category": "hospital"}, {"Bệnh viện Hữu Nghị"}),
        ({"alarm_device_state": "connected"}, {"Bệnh viện Hữu Nghị"}),
        ({"ward_code": 70, "kind": "establishment"}, {"Karaoke Hoàn Kiếm", "Bệnh viện Hữu Nghị"}),
        ({"province_code": 14}, set()),
        ({"search": "Tạm Thương"}, {"Nhà bà Lan"}),
        ({"search": "bệnh viện"}, {"Bệnh viện Hữu Nghị"}),
    ],
)
def test_filters(api_client, manager, registry, query, expected):
    api_client.force_authenticate(manager)
    assert names(api_client.get(LIST, query)) == expected


def test_bad_filter_value_is_400_in_the_error_shape(api_client, manager, registry):
    api_client.force_authenticate(manager)
    response = api_client.get(LIST, {"kind": "castle"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "kind" in body["fields"]


@pytest.mark.parametrize("page_size", [2, 20])
def test_query_count_does_not_grow_with_page_size(
    api_client, manager, django_assert_num_queries, page_size
):
    for i in range(25):
        f.PremisesFactory(name=f"Cửa hàng {i:02d}", heads=[f.UserFactory()])
    api_client.force_authenticate(manager)
    # memberships of the caller, count, page
    with django_assert_num_queries(3):
        response = api_client.get(LIST, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


def test_detail_shows_facts_heads_and_certificates(api_client, inspector, premises, head):
    TrainingCertificate.objects.create(
        premises=premises, holder_name="Lê Thị Chủ", number="HL-01", role="Chủ cơ sở"
    )
    api_client.force_authenticate(inspector)
    response = api_client.get(reverse("api:premises-detail", args=[premises.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Karaoke Hoàn Kiếm"
    assert body["heads"] == [{"id": head.pk, "full_name": "Lê Thị Chủ", "email": "head@test.vn"}]
    assert [c["number"] for c in body["training_certificates"]] == ["HL-01"]
    assert body["in_centrally_run_city"] is True


@pytest.mark.parametrize("persona", ["other_inspector", "outsider"])
def test_detail_of_invisible_premises_is_404(api_client, premises, persona, request):
    api_client.force_authenticate(request.getfixturevalue(persona))
    response = api_client.get(reverse("api:premises-detail", args=[premises.pk]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_head_cannot_open_premises_they_do_not_head(api_client, head, premises):
    elsewhere = f.PremisesFactory(name="Không thuộc quyền")
    api_client.force_authenticate(head)
    assert api_client.get(reverse("api:premises-detail", args=[premises.pk])).status_code == 200
    assert api_client.get(reverse("api:premises-detail", args=[elsewhere.pk])).status_code == 404


def test_schema_documents_the_error_shape(api_client):
    response = api_client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "Error" in schema["components"]["schemas"]
    premises_get = schema["paths"]["/api/v1/premises/{id}/"]["get"]["responses"]
    assert premises_get["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    login = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "401" in login and "429" in login


def test_docs_page_renders(api_client):
    assert api_client.get("/api/docs/").status_code == 200
