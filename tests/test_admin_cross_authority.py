# ruff: noqa: F811  (fixtures imported from tests.inspection_fixtures are parameters here)
"""The admin as a manager of authority A against authority B's objects, with every Django model
permission granted (so only the object checks of the access module stand in the way), and the
admin's saves going through the services."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Membership
from inspections.models import Answer, Finding, Inspection, Premises
from inspections.services import corrections
from inspections.services import inspections as services
from inspections.services.errors import Conflict, Invalid
from tests import factories as f
from tests import inspection_factories as inf
from tests.inspection_fixtures import catalogue, in_progress, scheduled  # noqa: F401

pytestmark = pytest.mark.django_db

MODELS = ("premises", "inspection", "finding", "answer")


@pytest.fixture
def manager_a(client, manager):
    """A staff manager of authority A holding every permission on the tenant models."""
    manager.is_staff = True
    manager.save()
    perms = Permission.objects.filter(
        content_type__app_label__in=["inspections", "accounts"],
        content_type__model__in=[*MODELS, "membership", "authority", "user"],
    )
    manager.user_permissions.add(*perms)
    client.force_login(manager)
    return client


@pytest.fixture
def of_b(catalogue, other_authority, other_premises, other_inspector):
    """Authority B's premises, an assigned inspection in progress, a finding and an answer."""
    inspection, _ = services.start_unplanned_inspection(
        user=other_inspector,
        premises=other_premises,
        client_uuid=uuid.uuid4(),
        kind=Inspection.Kind.UNANNOUNCED,
        authority=other_authority,
        unannounced_reason="Phản ánh của người dân",
    )
    item = inspection.items.first()
    finding, _ = services.raise_finding(
        user=other_inspector,
        inspection=inspection,
        client_uuid=uuid.uuid4(),
        description="Lối thoát nạn bị khóa",
        item_id=item.pk,
    )
    answer = Answer.objects.create(
        client_uuid=uuid.uuid4(),
        inspection=inspection,
        item=item,
        value=Answer.Value.choices[0][0],
        answered_at=inf.device_time(),
        answered_by=other_inspector,
        content_hash="0" * 64,
    )
    membership = Membership.objects.get(user=other_inspector, authority=other_authority)
    return {
        "premises": other_premises,
        "inspection": inspection,
        "finding": finding,
        "answer": answer,
        "membership": membership,
        "authority": other_authority,
        "user": other_inspector,
    }


def _app(name: str) -> str:
    return "accounts" if name in ("membership", "authority", "user") else "inspections"


def _objects(of_b):
    return list(of_b.items())


def _snapshot(of_b) -> dict:
    inspection = Inspection.objects.get(pk=of_b["inspection"].pk)
    finding = Finding.objects.get(pk=of_b["finding"].pk)
    return {
        "premises": Premises.objects.filter(pk=of_b["premises"].pk).values().get(),
        "inspection": (inspection.version, inspection.state, inspection.place),
        "inspectors": sorted(inspection.inspectors.values_list("pk", flat=True)),
        "finding": (finding.description, finding.status, finding.severity),
        "membership": Membership.objects.filter(pk=of_b["membership"].pk).exists(),
    }


def test_b_objects_are_not_found_on_every_admin_page(manager_a, of_b):
    before = _snapshot(of_b)
    for name, obj in _objects(of_b):
        app = _app(name)
        for page in ("change", "delete", "history"):
            url = reverse(f"admin:{app}_{name}_{page}", args=[obj.pk])
            # 404: as if the id were unknown; 403 where the page is refused to A outright.
            assert manager_a.get(url).status_code in (403, 404), (name, page)
            assert manager_a.post(url, {"post": "yes"}).status_code in (403, 404), (name, page)
        listing = manager_a.get(reverse(f"admin:{app}_{name}_changelist"))
        assert listing.status_code in (200, 403), name
        if listing.status_code == 200:
            assert obj.pk not in {o.pk for o in listing.context["cl"].result_list}, name
    assert _snapshot(of_b) == before


def test_a_bulk_action_cannot_reach_b_objects(manager_a, of_b):
    before = _snapshot(of_b)
    for name, obj in _objects(of_b):
        app = _app(name)
        r = manager_a.post(
            reverse(f"admin:{app}_{name}_changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        assert r.status_code in (200, 302, 403), name  # the list again, or refused
        assert type(obj).objects.filter(pk=obj.pk).exists(), name
    assert _snapshot(of_b) == before


def test_a_cannot_assign_b_inspectors_nor_plan_on_b_premises(manager_a, scheduled, authority, of_b):
    change = reverse("admin:inspections_inspection_change", args=[scheduled.pk])
    r = manager_a.post(
        change,
        {"inspectors": [of_b["user"].pk], "findings-TOTAL_FORMS": 0, "findings-INITIAL_FORMS": 0},
    )
    assert r.status_code == 200 and "inspectors" in r.context["adminform"].form.errors
    assert of_b["user"] not in scheduled.inspectors.all()
    add = manager_a.post(
        reverse("admin:inspections_inspection_add"),
        {
            "premises": of_b["premises"].pk,
            "authority": of_b["authority"].pk,
            "kind": "periodic",
            "scheduled_for": inf.device_time().date().isoformat(),
            "findings-TOTAL_FORMS": 0,
            "findings-INITIAL_FORMS": 0,
        },
    )
    assert add.status_code == 200
    assert (
        not Inspection.objects.filter(premises=of_b["premises"], authority=of_b["authority"])
        .exclude(pk=of_b["inspection"].pk)
        .exists()
    )


def test_the_yearly_cap_is_refused_with_a_readable_admin_error(
    manager_a, scheduled, authority, inspector, premises
):
    r = manager_a.post(
        reverse("admin:inspections_inspection_add"),
        {
            "premises": premises.pk,
            "authority": authority.pk,
            "kind": "periodic",
            "scheduled_for": inf.device_time().date().isoformat(),
            "inspectors": [inspector.pk],
            "cap_override_reason": "",
            "findings-TOTAL_FORMS": 0,
            "findings-INITIAL_FORMS": 0,
        },
    )
    assert r.status_code == 200
    errors = r.context["adminform"].form.errors["cap_override_reason"]
    assert errors and all(e.strip() for e in errors)
    assert errors[0] in r.content.decode()  # shown on the page, in words
    assert Inspection.objects.filter(premises=premises).count() == 1


def test_a_managers_own_objects_stay_reachable(manager_a, scheduled, premises):
    for name, obj in (("inspection", scheduled), ("premises", premises)):
        url = reverse(f"admin:inspections_{name}_change", args=[obj.pk])
        assert manager_a.get(url).status_code == 200, name


# --- Superuser corrections go through the service (version bumped, closed records refused) --


@pytest.fixture
def root(client):
    user = f.UserFactory(email="root@test.vn", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _inspection_body(inspection: Inspection, **changes) -> dict:
    return {
        "inspectors": list(inspection.inspectors.values_list("pk", flat=True)),
        "place": inspection.place,
        "scheduled_for": inspection.scheduled_for.isoformat(),
        "recommendations": inspection.recommendations,
        "findings-TOTAL_FORMS": 0,
        "findings-INITIAL_FORMS": 0,
        **changes,
    }


def test_superuser_correction_of_an_inspection_bumps_its_version(client, root, scheduled):
    version = scheduled.version
    url = reverse("admin:inspections_inspection_change", args=[scheduled.pk])
    r = client.post(url, _inspection_body(scheduled, place="Tầng 2, số 5 Hàng Bài"))
    assert r.status_code == 302, r.content.decode()[:2000]
    scheduled.refresh_from_db()
    assert scheduled.place == "Tầng 2, số 5 Hàng Bài" and scheduled.version == version + 1


def test_superuser_correction_of_a_finding_bumps_the_inspection(
    client, root, in_progress, inspector
):
    finding, _ = services.raise_finding(
        user=inspector,
        inspection=in_progress,
        client_uuid=uuid.uuid4(),
        description="Bình hết hạn",
        item_id=in_progress.items.first().pk,
    )
    in_progress.refresh_from_db()
    version = in_progress.version
    url = reverse("admin:inspections_finding_change", args=[finding.pk])
    form = client.get(url).context["adminform"].form
    body = {n: "" for n in form.fields}
    body.update(description="Bình chữa cháy hết hạn kiểm định", severity=finding.severity)
    r = client.post(url, body)
    assert r.status_code == 302, r.content.decode()[:2000]
    finding.refresh_from_db()
    in_progress.refresh_from_db()
    assert finding.description == "Bình chữa cháy hết hạn kiểm định"
    assert in_progress.version == version + 1


def test_corrections_service_refuses_closed_records_and_non_superusers(
    root, manager, in_progress, inspector
):
    finding, _ = services.raise_finding(
        user=inspector,
        inspection=in_progress,
        client_uuid=uuid.uuid4(),
        description="Bình hết hạn",
        item_id=in_progress.items.first().pk,
    )
    with pytest.raises(PermissionDenied):
        corrections.correct_inspection(user=manager, inspection=in_progress, changes={"place": "X"})
    with pytest.raises(Invalid):
        corrections.correct_finding(user=root, finding=finding, changes={"status": "closed"})
    Inspection.objects.filter(pk=in_progress.pk).update(state=Inspection.State.SUBMITTED)
    with pytest.raises(Conflict):
        corrections.correct_finding(user=root, finding=finding, changes={"description": "Sửa"})
    finding.refresh_from_db()
    assert finding.description == "Bình hết hạn"


def test_a_certificate_added_in_the_admin_is_audited_like_the_portal(client, root, premises):
    url = reverse("admin:inspections_premises_change", args=[premises.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "heads"}
    data.update(
        {
            "heads": [h.pk for h in premises.heads.all()],
            "training_certificates-TOTAL_FORMS": 1,
            "training_certificates-INITIAL_FORMS": 0,
            "training_certificates-0-holder_name": "Lê Thị Chủ",
            "training_certificates-0-duty": "head",
            "training_certificates-0-training_kind": "full",
            "training_certificates-0-issued_on": "2026-01-05",
            "changes-TOTAL_FORMS": 0,
            "changes-INITIAL_FORMS": 0,
        }
    )
    r = client.post(url, data)
    assert r.status_code == 302, r.context["adminform"].form.errors
    cert = premises.training_certificates.get()
    assert cert.holder_name == "Lê Thị Chủ"
    audit = premises.changes.get()
    assert audit.source == "admin" and audit.changed_by == root
    assert audit.changes["training_certificates"][0] is None
