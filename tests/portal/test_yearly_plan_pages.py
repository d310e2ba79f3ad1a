"""Manager pages of the yearly plan: the deadline, proposals, PDF/XLSX export, notices, the
joint-inspection offer; personas: manager, inspector, head, another authority's manager."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Authority, Membership
from inspections.exports import safe_cell
from inspections.models import Inspection, Notification
from inspections.services import inspections as services
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = "2026-11-30 09:00 +07:00"


@pytest.fixture
def restaurant(head):
    return f.PremisesFactory(
        name='=HYPERLINK("http://evil.test","Nhà hàng")',
        occupancy_category="restaurant",
        floors=1,
        floor_area_m2=150,
        business_area_m2=150,  # Appendix I item 11, not Appendix II: the commune plans it
        heads=[head],
    )


@pytest.fixture
def other_manager(other_authority):
    user = f.UserFactory(email="other-manager@test.vn")
    f.MembershipFactory(user=user, authority=other_authority, role=Membership.Role.MANAGER)
    return user


@time_machine.travel(TODAY, tick=False)
def test_plan_page_says_when_the_plan_is_due_and_proposes(
    client, published_catalogue, manager, restaurant
):
    client.force_login(manager)
    r = client.get(reverse("portal:yearly_plan"))
    body = r.content.decode()
    assert r.status_code == 200 and r.context["plan"].year == 2027
    assert "trước ngày 15/12/2026" in body and "Còn 15 ngày" in body
    assert [row.premises for row in r.context["plan"].rows] == [restaurant]
    planning = client.get(reverse("portal:planning")).content.decode()
    assert "Kế hoạch kiểm tra định kỳ năm 2027 phải được lập trước ngày 15/12/2026" in planning


def test_plan_pages_are_for_managers(client, published_catalogue, inspector, head, outsider):
    for user in (inspector, head, outsider):
        client.force_login(user)
        assert client.get(reverse("portal:yearly_plan")).status_code == 403
        url = reverse("portal:yearly_plan_export", args=[2027, "xlsx"])
        assert client.get(url).status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_other_authoritys_manager_sees_none_of_our_premises(
    client, published_catalogue, other_manager, restaurant
):
    client.force_login(other_manager)
    assert client.get(reverse("portal:yearly_plan")).context["plan"].rows == []


@time_machine.travel(TODAY, tick=False)
def test_xlsx_export_neutralises_formulas(client, published_catalogue, manager, restaurant):
    from openpyxl import load_workbook

    client.force_login(manager)
    r = client.get(reverse("portal:yearly_plan_export", args=[2027, "xlsx"]))
    assert r.status_code == 200 and r["Content-Disposition"].endswith('2027.xlsx"')
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Cơ sở"
    assert rows[1][2] == "'" + restaurant.name  # text, not a live formula
    assert rows[1][6].date() == date(2027, 1, 1)


@time_machine.travel(TODAY, tick=False)
def test_pdf_export(client, published_catalogue, manager, restaurant):
    from pypdf import PdfReader

    client.force_login(manager)
    r = client.get(reverse("portal:yearly_plan_export", args=[2027, "pdf"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    assert "2027" in text and "15/12/2026" in text
    assert client.get(reverse("portal:yearly_plan_export", args=[2027, "exe"])).status_code == 404


def test_safe_cell_contract():
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(bad) == "'" + bad
    assert safe_cell("Nhà hàng") == "Nhà hàng" and safe_cell(3) == 3 and safe_cell(None) is None


@time_machine.travel(TODAY, tick=False)
def test_scheduling_a_periodic_inspection_sends_the_notice(
    client, published_catalogue, manager, inspector, restaurant, head
):
    client.force_login(manager)
    url = reverse("portal:inspection_create", args=[restaurant.pk])
    too_soon = client.post(
        url,
        {
            "kind": "periodic",
            "scheduled_for": "2026-12-02",
            "inspectors": [inspector.pk],
            "send_notice": "on",
        },
    )
    assert too_soon.status_code == 200 and "sớm nhất ngày 04/12/2026" in too_soon.content.decode()
    ok = client.post(
        url,
        {
            "kind": "periodic",
            "scheduled_for": "2026-12-07",
            "inspectors": [inspector.pk],
            "send_notice": "on",
        },
    )
    assert ok.status_code == 302
    inspection = Inspection.objects.get(premises=restaurant)
    assert inspection.notice_sent_at is not None
    assert Notification.objects.get(kind="inspection_notice").user == head
    page = client.get(reverse("portal:inspection_detail", args=[inspection.pk])).content.decode()
    assert 'id="notice-status">Đã gửi lúc' in page


@time_machine.travel(TODAY, tick=False)
def test_notice_button_is_the_managers(
    client, published_catalogue, manager, inspector, restaurant, authority
):
    inspection, _ = services.create_inspection(
        user=manager,
        premises=restaurant,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=date(2026, 12, 10),
        inspectors=[inspector],
    )
    url = reverse("portal:inspection_notice", args=[inspection.pk])
    client.force_login(inspector)
    assert client.post(url).status_code == 403
    client.force_login(manager)
    page = client.get(reverse("portal:inspection_detail", args=[inspection.pk])).content.decode()
    assert "chậm nhất ngày 06/12/2026" in page and "Gửi thông báo kiểm tra" in page
    assert client.post(url).status_code == 302
    inspection.refresh_from_db()
    assert inspection.notice_sent_at is not None


@time_machine.travel(TODAY, tick=False)
def test_joint_inspection_is_offered_for_an_appendix_ii_business(client, published_catalogue):
    police = f.AuthorityFactory(
        name="Phòng Cảnh sát PCCC", kind=Authority.Kind.FIRE_POLICE, ward_codes=[]
    )
    construction = f.AuthorityFactory(
        name="Sở Xây dựng", kind=Authority.Kind.CONSTRUCTION, ward_codes=[]
    )
    chief = f.UserFactory(email="chief@test.vn")
    f.MembershipFactory(user=chief, authority=police, role=Membership.Role.MANAGER)
    factory = f.PremisesFactory(
        name="Xưởng sơn", occupancy_category="factory", hazard_class="A", floor_area_m2=5000,
        volume_m3=20000,
    )  # fmt: skip
    client.force_login(chief)
    url = reverse("portal:inspection_create", args=[factory.pk])
    page = client.get(url)
    assert 'id="joint-offer"' in page.content.decode()
    assert list(page.context["form"].fields["joint_authority"].queryset) == [construction]
    r = client.post(
        url,
        {"kind": "periodic", "scheduled_for": "2026-12-21", "joint_authority": construction.pk},
    )
    assert r.status_code == 302
    assert Inspection.objects.get(premises=factory).joint_authority == construction
    small = f.PremisesFactory(
        name="Quán nhỏ", occupancy_category="restaurant", floors=1, floor_area_m2=100,
        business_area_m2=100,
    )  # fmt: skip
    assert (
        'id="joint-offer"'
        not in client.get(reverse("portal:inspection_create", args=[small.pk])).content.decode()
    )


@time_machine.travel(TODAY, tick=False)
def test_plan_page_in_english(client, published_catalogue, manager, restaurant):
    from django.conf import settings

    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("portal:yearly_plan")).content.decode()
    assert "The periodic inspection plan for 2027 is due before 15/12/2026" in body
    assert "Download the plan (XLSX)" in body
