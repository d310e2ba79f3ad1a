"""Admin: pages open, authority jurisdiction validated, CSV import page, managers limited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Authority
from inspections.models import Premises
from tests import factories as f


@pytest.fixture
def admin_client(client, db):
    client.force_login(f.UserFactory(email="root@test.vn", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "name",
    [
        "accounts_user",
        "accounts_authority",
        "accounts_membership",
        "inspections_premises",
        "inspections_inspection",
        "inspections_finding",
        "inspections_answer",
    ],
)
def test_changelist_and_add_pages_open(admin_client, premises, authority, inspector, name):
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    # Findings and answers are recorded by the phone through the services, never added here.
    expected = 403 if name in ("inspections_finding", "inspections_answer") else 200
    assert admin_client.get(reverse(f"admin:{name}_add")).status_code == expected


def test_premises_change_page_shows_inlines_and_vietnamese_names(admin_client, premises):
    response = admin_client.get(reverse("admin:inspections_premises_change", args=[premises.pk]))
    body = response.content.decode()
    assert "Phường Hoàn Kiếm — Thành phố Hà Nội" in body
    assert "chứng nhận huấn luyện" in body.lower()
    assert "lịch sử thay đổi" in body.lower()


def test_premises_search_and_filters(admin_client, premises, other_premises):
    url = reverse("admin:inspections_premises_changelist")
    body = admin_client.get(url, {"q": "Tô Hiệu"}).content.decode()
    assert "Nhà hàng Tô Hiệu" in body and "Karaoke Hoàn Kiếm" not in body
    body = admin_client.get(url, {"province": 14}).content.decode()
    assert "Nhà hàng Tô Hiệu" in body and "Karaoke Hoàn Kiếm" not in body
    assert (
        admin_client.get(
            url, {"kind__exact": "home", "alarm_device_state__exact": "none"}
        ).status_code
        == 200
    )


def test_authority_ward_must_belong_to_province(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_authority_add"),
        {
            "name": "UBND sai",
            "kind": "commune_committee",
            "province_code": 1,
            "ward_codes": [70, 3646],
            "address": "",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Xã/phường không thuộc tỉnh/thành phố đã chọn: 3646" in response.content.decode()
    assert not Authority.objects.exists()


def test_admin_edit_of_premises_is_audited(admin_client, premises):
    url = reverse("admin:inspections_premises_change", args=[premises.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "heads"}
    data.update(
        {
            "floors": 5,
            "heads": [h.pk for h in premises.heads.all()],
            "training_certificates-TOTAL_FORMS": 0,
            "training_certificates-INITIAL_FORMS": 0,
            "changes-TOTAL_FORMS": 0,
            "changes-INITIAL_FORMS": 0,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = premises.changes.get()
    assert change.source == "admin"
    assert change.changes == {"floors": [3, 5]}


def test_import_csv_page(admin_client, head, eager, django_capture_on_commit_callbacks):
    url = reverse("admin:inspections_premises_import_csv")
    assert (
        "Nhập CSV"
        in admin_client.get(reverse("admin:inspections_premises_changelist")).content.decode()
    )
    upload = SimpleUploadedFile(
        "co-so.csv",
        "external_id,kind,name,province_code,ward_code\nHK-1,home,Nhà bà Hà,1,70\nHK-2,home,X,1,3646\n".encode(),
        content_type="text/csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"file": upload})
    # The worker imports; the job page shows its progress, then the report.
    assert response.status_code == 302
    response = admin_client.get(response.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-created">1<' in body and 'id="import-invalid">1<' in body
    assert 'id="import-saved-lines">Các dòng đã lưu: 2<' in body
    assert "Xã/phường không thuộc tỉnh/thành phố đã chọn" in body
    assert Premises.objects.get().name == "Nhà bà Hà"
    binary = SimpleUploadedFile("x.csv", b"\x00\x00binary", content_type="text/csv")
    assert "nhị phân" in admin_client.post(url, {"file": binary}).content.decode()


def test_manager_in_admin_sees_only_their_jurisdiction(client, manager, premises, other_premises):
    manager.is_staff = True
    manager.save()
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_premises", "change_premises"])
    )
    client.force_login(manager)
    body = client.get(reverse("admin:inspections_premises_changelist")).content.decode()
    assert "Karaoke Hoàn Kiếm" in body and "Nhà hàng Tô Hiệu" not in body
    other = reverse("admin:inspections_premises_change", args=[other_premises.pk])
    assert client.get(other).status_code == 404  # not in their queryset: as if unknown
    assert client.get(reverse("admin:inspections_premises_import_csv")).status_code == 403


def test_inspection_authority_must_cover_the_premises(admin_client, other_premises, authority):
    from inspections.admin.inspections import InspectionForm

    form = InspectionForm(
        data={"premises": other_premises.pk, "authority": authority.pk, "kind": "periodic"}
    )
    assert not form.is_valid()
    assert "authority" in form.errors


def test_manager_cannot_move_premises_out_of_their_jurisdiction(client, manager, premises):
    manager.is_staff = True
    manager.save()
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_premises", "change_premises"])
    )
    client.force_login(manager)
    url = reverse("admin:inspections_premises_change", args=[premises.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "heads"}
    data.update(
        {
            "province_code": 1,
            "ward_code": 73,  # Phường Cửa Nam: Hà Nội, but not Hoàn Kiếm
            "heads": [h.pk for h in premises.heads.all()],
            "training_certificates-TOTAL_FORMS": 0,
            "training_certificates-INITIAL_FORMS": 0,
            "changes-TOTAL_FORMS": 0,
            "changes-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Ngoài địa bàn cơ quan bạn quản lý." in response.content.decode()
    premises.refresh_from_db()
    assert premises.ward_code == 70
