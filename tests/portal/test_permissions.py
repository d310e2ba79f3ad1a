"""Every portal page checks who asks: a head never sees another's premises, a manager only the
jurisdiction, an outsider nothing; anonymous users are sent to the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Membership
from inspections.models import FindingEvidence
from tests import factories as f


@pytest.fixture
def other_head(other_premises):
    user = f.UserFactory(email="other-head@test.vn")
    other_premises.heads.add(user)
    return user


@pytest.fixture
def other_manager(other_authority):
    user = f.UserFactory(email="other-manager@test.vn")
    f.MembershipFactory(user=user, authority=other_authority, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def evidence(finding, head):
    from django.core.files.base import ContentFile

    e = FindingEvidence(finding=finding, sha256="0" * 64, original_name="a.pdf", uploaded_by=head)
    e.file.save("a.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return e


def premises_pages(p):
    return [
        reverse("portal:premises_detail", args=[p]),
        reverse("portal:premises_inspections", args=[p]),
        reverse("portal:premises_facts", args=[p]),
        reverse("portal:self_inspection_start", args=[p]),
    ]


def object_pages(finding, report, evidence):
    return [
        reverse("portal:finding_detail", args=[finding.pk]),
        reverse("portal:inspection_detail", args=[finding.inspection_id]),
        reverse("portal:report_download", args=[report.pk]),
        reverse("portal:evidence_download", args=[evidence.pk]),
    ]


MANAGER_PAGES = [
    "portal:dashboard",
    "portal:premises_list",
    "portal:planning",
    "portal:inspections",
    "portal:notifications",
]


def test_anonymous_is_sent_to_login_everywhere(client, premises, finding, report, evidence):
    urls = premises_pages(premises.pk) + object_pages(finding, report, evidence)
    urls += [reverse(n) for n in MANAGER_PAGES] + [
        reverse("portal:home"),
        reverse("portal:findings"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("portal:login")), url


def test_head_sees_own_premises_pages(client, head, premises, finding, report, evidence):
    client.force_login(head)
    for url in premises_pages(premises.pk) + object_pages(finding, report, evidence):
        assert client.get(url).status_code == 200, url


def test_head_never_sees_another_premises(
    client, head, premises, other_premises, other_finding, catalogue
):
    client.force_login(head)
    for url in premises_pages(other_premises.pk):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("portal:finding_detail", args=[other_finding.pk])).status_code == 404
    assert (
        client.get(
            reverse("portal:inspection_detail", args=[other_finding.inspection_id])
        ).status_code
        == 404
    )
    home = client.get(reverse("portal:home")).content.decode()
    assert "Karaoke Hoàn Kiếm" in home and "Nhà hàng Tô Hiệu" not in home
    findings = client.get(reverse("portal:findings") + "?status=all").content.decode()
    assert "Lối thoát nạn bị chắn" not in findings


def test_other_head_cannot_open_my_objects(client, other_head, finding, report, evidence):
    client.force_login(other_head)
    for url in premises_pages(finding.premises_id) + object_pages(finding, report, evidence):
        assert client.get(url).status_code == 404, url


def test_head_cannot_post_to_another_premises(client, head, other_premises, other_finding):
    client.force_login(head)
    url = reverse("portal:premises_facts", args=[other_premises.pk])
    assert client.post(url, {"alarm_device_state": "connected"}).status_code == 404
    url = reverse("portal:finding_remediated", args=[other_finding.pk])
    assert client.post(url).status_code == 404
    url = reverse("portal:self_inspection_start", args=[other_premises.pk])
    assert client.post(url).status_code == 404


def test_head_is_refused_manager_pages(client, head, premises):
    client.force_login(head)
    for name in MANAGER_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    url = reverse("portal:inspection_create", args=[premises.pk])
    assert client.get(url).status_code == 403


def test_outsider_is_refused_everything(client, outsider, premises, finding, report, evidence):
    client.force_login(outsider)
    for url in premises_pages(premises.pk) + object_pages(finding, report, evidence):
        assert client.get(url).status_code == 404, url
    for name in MANAGER_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert "Karaoke" not in home.content.decode()


def test_manager_sees_jurisdiction_only(
    client, manager, premises, other_premises, finding, other_finding, report, evidence
):
    client.force_login(manager)
    for name in MANAGER_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    for url in premises_pages(premises.pk)[:3] + object_pages(finding, report, evidence):
        assert client.get(url).status_code == 200, url
    for url in premises_pages(other_premises.pk):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("portal:finding_detail", args=[other_finding.pk])).status_code == 404
    listing = client.get(reverse("portal:premises_list")).content.decode()
    assert "Karaoke Hoàn Kiếm" in listing and "Nhà hàng Tô Hiệu" not in listing
    planning = client.get(reverse("portal:planning")).content.decode()
    assert "Nhà hàng Tô Hiệu" not in planning
    inspections = client.get(reverse("portal:inspections")).content.decode()
    assert "Karaoke Hoàn Kiếm" in inspections and "Nhà hàng Tô Hiệu" not in inspections
    findings = client.get(reverse("portal:findings") + "?status=all").content.decode()
    assert "Bình chữa cháy" in findings and "Lối thoát nạn" not in findings
    url = reverse("portal:inspection_create", args=[other_premises.pk])
    assert client.get(url).status_code == 404
    url = reverse("portal:inspection_assign", args=[other_finding.inspection_id])
    assert client.get(url).status_code == 404


def test_manager_of_other_authority_cannot_assign_here(client, other_manager, inspection):
    client.force_login(other_manager)
    url = reverse("portal:inspection_assign", args=[inspection.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"inspectors": []}).status_code == 404


def test_manager_cannot_upload_evidence_or_mark_remediated(client, manager, finding):
    client.force_login(manager)
    url = reverse("portal:finding_remediated", args=[finding.pk])
    assert client.post(url).status_code == 403
    page = client.get(reverse("portal:finding_detail", args=[finding.pk])).content.decode()
    assert 'enctype="multipart/form-data"' not in page


def test_inspector_is_not_a_manager(client, inspector, premises):
    client.force_login(inspector)
    for name in MANAGER_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
