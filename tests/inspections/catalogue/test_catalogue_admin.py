"""Catalogue admin: drafts editable, published versions read-only, publish, new draft, diff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.models import CatalogueVersion, Requirement
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = f.UserFactory(email="admin@test.vn", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_published_version_is_read_only(admin_client, published_catalogue):
    requirement = published_catalogue.requirements.get(code="L55-23.1.c")
    url = reverse("admin:inspections_requirement_change", args=[requirement.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="title_vi"' not in page.content  # rendered read-only
    response = admin_client.post(url, {"title_vi": "Sửa", "code": requirement.code})
    assert response.status_code == 403
    requirement.refresh_from_db()
    assert requirement.title_vi != "Sửa"
    version_url = reverse(
        "admin:inspections_catalogueversion_change", args=[published_catalogue.pk]
    )
    assert b'name="label"' not in admin_client.get(version_url).content


def test_new_draft_publish_and_diff_actions(admin_client, published_catalogue):
    changelist = reverse("admin:inspections_catalogueversion_changelist")
    response = admin_client.post(
        changelist, {"action": "new_draft", "_selected_action": [published_catalogue.pk]}
    )
    assert response.status_code == 302
    draft = CatalogueVersion.objects.get(based_on=published_catalogue)
    assert draft.status == "draft" and draft.based_on == published_catalogue

    requirement = draft.requirements.get(code="L55-8.3.a")
    page = admin_client.get(reverse("admin:inspections_requirement_change", args=[requirement.pk]))
    assert b'name="title_vi"' in page.content  # drafts are editable
    Requirement.objects.filter(pk=requirement.pk).update(severity="critical")

    diff_url = reverse(
        "admin:inspections_catalogueversion_diff", args=[published_catalogue.pk, draft.pk]
    )
    diff = admin_client.get(diff_url)
    assert diff.status_code == 200
    assert "L55-8.3.a" in diff.content.decode() and "critical" in diff.content.decode()

    admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at


def test_law_provisions_cannot_be_edited(admin_client, published_catalogue):
    provision = (
        published_catalogue.requirements.get(code="L55-20.5-alarm").citations.first().provision
    )
    url = reverse("admin:inspections_provision_change", args=[provision.pk])
    assert admin_client.post(url, {"text_vi": "khác"}).status_code == 403


def test_admin_requires_staff(client, published_catalogue):
    url = reverse("admin:inspections_catalogueversion_changelist")
    assert client.get(url).status_code == 302


def test_category_parameter_shows_the_appendix_rows_of_each_category(
    admin_client, published_catalogue
):
    param = published_catalogue.parameters.get(key="occupancy_categories")
    page = admin_client.get(reverse("admin:inspections_decreeparameter_change", args=[param.pk]))
    html = page.content.decode()
    # Karaoke: Appendix I item 8, Appendix II row 10 (both groups), Appendix VII item 10.
    assert "<td><code>karaoke</code></td><td>Cơ sở kinh doanh dịch vụ karaoke</td>" in html
    assert "<td>8</td><td>10 (nhóm 1), 10 (nhóm 2)</td><td>10</td>" in html
