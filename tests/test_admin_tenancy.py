"""The admin is no back door: a staff manager of one authority, with the demo
managers' permissions, against another authority's objects, the yearly cap and signed records."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Membership
from inspections.demo.accounts import MANAGER_PERMISSIONS
from inspections.models import Finding, Inspection, SyncTombstone
from inspections.services import inspections as services
from tests import factories as f
from tests import inspection_factories as inf

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_manager(client, manager):
    manager.is_staff = True
    manager.save()
    for app, codename in MANAGER_PERMISSIONS:
        manager.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    client.force_login(manager)
    return client


@pytest.fixture
def theirs(catalogue, other_authority, other_premises, other_inspector):
    other_manager = f.UserFactory(email="other-manager@test.vn")
    f.MembershipFactory(user=other_manager, authority=other_authority, role=Membership.Role.MANAGER)
    inspection, _ = services.start_unplanned_inspection(
        user=other_inspector,
        premises=other_premises,
        client_uuid=uuid.uuid4(),
        kind=Inspection.Kind.UNANNOUNCED,
        authority=other_authority,
        unannounced_reason="Phản ánh",
    )
    finding, _ = services.raise_finding(
        user=other_inspector,
        inspection=inspection,
        client_uuid=uuid.uuid4(),
        description="Lối thoát nạn bị khóa",
        item_id=inspection.items.first().pk,
    )
    return inspection, finding


def add_body(premises, authority, inspectors, **extra):
    return {
        "premises": premises.pk,
        "authority": authority.pk,
        "kind": "periodic",
        "scheduled_for": inf.device_time().date().isoformat(),
        "inspectors": [u.pk for u in inspectors],
        "place": "",
        "cap_override_reason": "",
        "unannounced_reason": "",
        "findings-TOTAL_FORMS": 0,
        "findings-INITIAL_FORMS": 0,
        **extra,
    }


def test_cannot_plan_on_another_authoritys_premises(
    staff_manager, catalogue, authority, inspector, other_premises
):
    r = staff_manager.post(
        reverse("admin:inspections_inspection_add"),
        add_body(other_premises, authority, [inspector]),
    )
    assert r.status_code == 200 and "premises" in r.context["adminform"].form.errors
    assert not Inspection.objects.exists()


def test_dropdowns_offer_only_the_jurisdiction(
    staff_manager, catalogue, premises, other_premises, inspector, other_inspector, outsider
):
    form = staff_manager.get(reverse("admin:inspections_inspection_add")).context["adminform"].form
    assert list(form.fields["premises"].queryset) == [premises]
    offered = set(form.fields["inspectors"].queryset)
    assert inspector in offered and other_inspector not in offered and outsider not in offered
    heads = (
        staff_manager.get(reverse("admin:inspections_premises_change", args=[premises.pk]))
        .context["adminform"]
        .form.fields["heads"]
        .queryset
    )
    assert outsider not in heads and other_inspector not in heads
    assert premises.heads.first() in heads


def test_second_inspection_in_a_year_needs_the_managers_reason(
    staff_manager, scheduled, manager, authority, inspector, premises
):
    url = reverse("admin:inspections_inspection_add")
    refused = staff_manager.post(url, add_body(premises, authority, [inspector]))
    assert refused.status_code == 200
    assert "cap_override_reason" in refused.context["adminform"].form.errors
    assert Inspection.objects.count() == 1
    accepted = staff_manager.post(
        url,
        add_body(
            premises, authority, [inspector], cap_override_reason="Tin báo có dấu hiệu vi phạm"
        ),
    )
    assert accepted.status_code == 302
    new = Inspection.objects.exclude(pk=scheduled.pk).get()
    assert new.cap_override_by == manager and new.items.exists()  # the checklist is frozen


def test_another_authoritys_inspection_and_finding_are_out_of_reach(staff_manager, theirs):
    inspection, finding = theirs
    change = reverse("admin:inspections_inspection_change", args=[inspection.pk])
    assert staff_manager.get(change).status_code == 404  # not in the queryset: as if unknown
    finding_url = reverse("admin:inspections_finding_change", args=[finding.pk])
    assert staff_manager.get(finding_url).status_code == 404
    listing = staff_manager.get(reverse("admin:inspections_finding_changelist"))
    assert "Lối thoát nạn bị khóa" not in listing.content.decode()


def test_findings_are_read_only_for_a_manager(staff_manager, in_progress, inspector):
    finding, _ = services.raise_finding(
        user=inspector,
        inspection=in_progress,
        client_uuid=uuid.uuid4(),
        description="Bình hết hạn",
        item_id=in_progress.items.first().pk,
    )
    url = reverse("admin:inspections_finding_change", args=[finding.pk])
    assert staff_manager.get(url).status_code == 200  # may look
    r = staff_manager.post(
        url,
        {
            "inspection": finding.inspection_id,
            "description": "Sửa",
            "severity": "minor",
            "status": "closed",
        },
    )
    assert r.status_code == 403
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN and finding.description == "Bình hết hạn"


def test_superuser_cannot_edit_a_submitted_records_findings(client, in_progress, inspector):
    finding, _ = services.raise_finding(
        user=inspector,
        inspection=in_progress,
        client_uuid=uuid.uuid4(),
        description="Bình hết hạn",
        item_id=in_progress.items.first().pk,
    )
    Inspection.objects.filter(pk=in_progress.pk).update(state=Inspection.State.SIGNED)
    client.force_login(f.UserFactory(email="root@test.vn", is_staff=True, is_superuser=True))
    url = reverse("admin:inspections_finding_change", args=[finding.pk])
    assert client.post(url, {"description": "Sửa"}).status_code == 403


def test_reassigning_in_the_admin_goes_through_the_service(
    staff_manager, scheduled, inspector, authority, other_inspector
):
    second = f.UserFactory(email="second@test.vn")
    f.MembershipFactory(user=second, authority=authority, role=Membership.Role.INSPECTOR)
    url = reverse("admin:inspections_inspection_change", args=[scheduled.pk])
    form = staff_manager.get(url).context["adminform"].form
    assert set(form.fields) == {"inspectors"}  # the rest is fixed once planned
    bad = staff_manager.post(
        url,
        {
            "inspectors": [other_inspector.pk],
            "findings-TOTAL_FORMS": 0,
            "findings-INITIAL_FORMS": 0,
        },
    )
    assert bad.status_code == 200
    r = staff_manager.post(
        url, {"inspectors": [second.pk], "findings-TOTAL_FORMS": 0, "findings-INITIAL_FORMS": 0}
    )
    assert r.status_code == 302
    scheduled.refresh_from_db()
    assert list(scheduled.inspectors.all()) == [second]
    assert SyncTombstone.objects.filter(user=inspector, inspection_id_value=scheduled.pk).exists()


def test_manager_cannot_delete_or_read_the_notification_log(staff_manager, scheduled):
    url = reverse("admin:inspections_inspection_delete", args=[scheduled.pk])
    assert staff_manager.post(url, {"post": "yes"}).status_code == 403
    assert Inspection.objects.filter(pk=scheduled.pk).exists()
    assert (
        staff_manager.get(reverse("admin:inspections_notification_changelist")).status_code == 403
    )


def test_import_does_not_confirm_another_tenants_users(manager, other_inspector, outsider):
    from inspections.models import Premises
    from inspections.services.premises_import import import_premises

    def run(email: str):
        raw = (
            "external_id,kind,name,province_code,ward_code,head_emails\n"
            f"HK-{email},home,Nhà thử,1,70,{email}\n"
        ).encode()
        return import_premises(raw, user=manager)

    theirs = run(other_inspector.email)
    nobody = run("khong-ton-tai@test.vn")
    assert theirs.errors and nobody.errors
    # The same refusal whether the address belongs to another tenant or to nobody.
    assert [r.replace(other_inspector.email, "X") for r in theirs.errors[0].reasons] == [
        r.replace("khong-ton-tai@test.vn", "X") for r in nobody.errors[0].reasons
    ]
    assert not Premises.objects.filter(heads=other_inspector).exists()
    # A user of no tenant yet (a new head) can still be linked by e-mail.
    assert not run(outsider.email).errors
    assert Premises.objects.filter(heads=outsider).exists()
