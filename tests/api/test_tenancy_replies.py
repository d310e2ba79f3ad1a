"""Replies that must not cross tenants, the cap override, ids-only errors and late resends.

Issue 13 defects 2, 4, 5 and 11: a conflict or a replay shows the stored object only to who may
see it; only a manager overrides the yearly cap; errors name ids, never other tenants' e-mails;
an exact resend of an accepted write answers success whatever happened since.
"""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache

from accounts.models import Membership
from inspections.models import Finding, Inspection
from inspections.services import inspections as services
from tests import factories as f
from tests import inspection_factories as inf
from tests.api.inspection_helpers import (
    client_for,
    one_answer,
    photo_body,
    signature_body,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def other_manager(other_authority):
    user = f.UserFactory(email="other-manager@test.vn", full_name="Quàng Văn Quản")
    f.MembershipFactory(user=user, authority=other_authority, role=Membership.Role.MANAGER)
    return user


def unplanned(premises, authority, key, **extra):
    return {
        "client_uuid": str(key),
        "premises": premises.pk,
        "kind": "unannounced",
        "authority": authority.pk,
        "unannounced_reason": "Phản ánh của người dân",
        **extra,
    }


# --- Defect 2: conflicts and replays ask the access module ------------------------------------


def test_another_authoritys_uuid_is_unknown_not_a_conflict(
    catalogue, inspector, authority, premises, other_inspector, other_authority, other_premises
):
    key = uuid.uuid4()
    theirs = client_for(inspector).post(
        url("inspections-unplanned"), unplanned(premises, authority, key), format="json"
    )
    assert theirs.status_code == 201
    # Same UUID, the other authority's own premises: before the fix a 409 with ours in current.
    r = client_for(other_inspector).post(
        url("inspections-unplanned"),
        unplanned(other_premises, other_authority, key),
        format="json",
    )
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert "current" not in r.json() and "Karaoke" not in r.content.decode()
    assert Inspection.objects.count() == 1


def test_uuid_of_an_invisible_finding_photo_or_signature_is_unknown(
    catalogue, manager, authority, inspector, premises, other_manager, other_authority
):
    mine, _ = services.start_unplanned_inspection(
        user=inspector,
        premises=premises,
        client_uuid=uuid.uuid4(),
        kind="unannounced",
        authority=authority,
        unannounced_reason="Phản ánh",
    )
    item = mine.items.first()
    finding_key, photo_key, sig_key = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    me = client_for(inspector)
    assert (
        me.post(
            url("inspection-findings", mine.pk),
            {"client_uuid": str(finding_key), "item": item.pk, "description": "Bình hết hạn"},
            format="json",
        ).status_code
        == 201
    )
    data = inf.jpeg_bytes()
    assert (
        me.post(
            url("inspection-photos", mine.pk),
            photo_body(data, client_uuid=photo_key),
            format="multipart",
        ).status_code
        == 201
    )
    assert (
        me.post(
            url("inspection-signatures", mine.pk),
            signature_body("inspector", client_uuid=sig_key),
            format="multipart",
        ).status_code
        == 201
    )
    # An inspector of another authority, on their own inspection, reuses our client UUIDs.
    other_inspector = f.UserFactory(email="khac2@test.vn")
    f.MembershipFactory(
        user=other_inspector, authority=other_authority, role=Membership.Role.INSPECTOR
    )
    theirs, _ = services.start_unplanned_inspection(
        user=other_inspector,
        premises=f.PremisesFactory(
            name="Nhà nghỉ Sơn La", province_code=f.SON_LA_PROVINCE, ward_code=f.SON_LA_WARD
        ),
        client_uuid=uuid.uuid4(),
        kind="unannounced",
        authority=other_authority,
        unannounced_reason="Phản ánh",
    )
    them = client_for(other_inspector)
    r = them.post(
        url("inspection-findings", theirs.pk),
        {
            "client_uuid": str(finding_key),
            "item": theirs.items.first().pk,
            "description": "Khác",
        },
        format="json",
    )
    assert r.status_code == 404
    r = them.post(
        url("inspection-photos", theirs.pk),
        {"client_uuid": str(photo_key), "sha256": inf.sha256(data)},
        format="multipart",
    )
    assert r.status_code == 404
    r = them.post(
        url("inspection-signatures", theirs.pk),
        signature_body("inspector", client_uuid=sig_key),
        format="multipart",
    )
    assert r.status_code == 404
    # Our own conflicting resend still sees what is stored.
    r = me.post(
        url("inspection-findings", mine.pk),
        {"client_uuid": str(finding_key), "item": item.pk, "description": "Khác hẳn"},
        format="json",
    )
    assert r.status_code == 409 and r.json()["current"]["description"] == "Bình hết hạn"


def test_schedule_replay_of_another_authoritys_uuid_is_unknown(
    scheduled, other_manager, other_authority, other_premises
):
    r = client_for(other_manager).post(
        url("inspections"),
        {
            "premises": other_premises.pk,
            "authority": other_authority.pk,
            "kind": "periodic",
            "scheduled_for": "2026-12-20",
            "client_uuid": str(scheduled.client_uuid),
        },
        format="json",
    )
    assert r.status_code == 404 and "current" not in r.json()


# --- Defect 4: only managers override the yearly cap ------------------------------------------


def test_inspector_cannot_override_the_yearly_cap(scheduled, inspector, authority, premises):
    r = client_for(inspector).post(
        url("inspections-unplanned"),
        unplanned(premises, authority, uuid.uuid4(), cap_override_reason="Tôi muốn"),
        format="json",
    )
    assert r.status_code == 403 and r.json()["code"] == "cap_override_forbidden"
    assert "cap_override_reason" in r.json()["fields"]
    assert Inspection.objects.count() == 1


def test_manager_overrides_with_a_recorded_reason(
    scheduled, manager, inspector, authority, premises
):
    body = {
        "premises": premises.pk,
        "authority": authority.pk,
        "kind": "periodic",
        "scheduled_for": scheduled.scheduled_for.isoformat(),
        "inspectors": [inspector.pk],
    }
    blank = client_for(manager).post(
        url("inspections"), {**body, "cap_override_reason": "   "}, format="json"
    )
    assert blank.status_code == 400 and blank.json()["code"] == "inspection_cap_reached"
    r = client_for(manager).post(
        url("inspections"),
        {**body, "cap_override_reason": "Dấu hiệu vi phạm rõ ràng: lối thoát nạn bị khóa"},
        format="json",
    )
    assert r.status_code == 201
    stored = Inspection.objects.get(pk=r.json()["id"])
    assert stored.cap_override_reason == "Dấu hiệu vi phạm rõ ràng: lối thoát nạn bị khóa"
    assert stored.cap_override_by == manager


def test_reason_under_the_cap_is_not_recorded_as_an_override(
    catalogue, manager, inspector, authority, premises
):
    inspection, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=inf.device_time().date(),
        inspectors=[inspector],
        cap_override_reason="Không cần",
    )
    assert inspection.cap_override_reason == "" and inspection.cap_override_by is None


def test_public_body_is_not_capped(scheduled, inspector, authority, premises):
    premises.is_public_body = True
    premises.save(update_fields=["is_public_body"])
    r = client_for(inspector).post(
        url("inspections-unplanned"), unplanned(premises, authority, uuid.uuid4()), format="json"
    )
    assert r.status_code == 201


def test_surprise_inspection_records_its_reason(catalogue, inspector, authority, premises):
    body = unplanned(premises, authority, uuid.uuid4())
    body.pop("unannounced_reason")
    r = client_for(inspector).post(url("inspections-unplanned"), body, format="json")
    assert r.status_code == 400 and "unannounced_reason" in r.json()["fields"]
    body["unannounced_reason"] = "Tin báo cháy nổ từ người dân"
    r = client_for(inspector).post(url("inspections-unplanned"), body, format="json")
    assert r.status_code == 201 and r.json()["unannounced_reason"] == body["unannounced_reason"]


# --- Defect 5: errors name ids, never e-mails -------------------------------------------------


def test_assigning_another_tenants_user_names_only_the_id(
    scheduled, manager, other_inspector, outsider
):
    r = client_for(manager).put(
        url("inspection-inspectors", scheduled.pk),
        {"inspectors": [other_inspector.pk, outsider.pk, 999999]},
        format="json",
    )
    assert r.status_code == 400 and r.json()["code"] == "inspector_not_member"
    text = r.content.decode()
    assert "@" not in text
    assert r.json()["fields"]["inspectors"] == sorted(
        [str(other_inspector.pk), str(outsider.pk), "999999"]
    )


def test_scheduling_with_an_unknown_id_says_the_same_as_another_tenants(
    catalogue, manager, authority, premises, other_inspector
):
    body = {
        "premises": premises.pk,
        "authority": authority.pk,
        "kind": "periodic",
        "scheduled_for": "2026-12-20",
    }
    known = client_for(manager).post(
        url("inspections"), {**body, "inspectors": [other_inspector.pk]}, format="json"
    )
    unknown = client_for(manager).post(
        url("inspections"), {**body, "inspectors": [987654]}, format="json"
    )
    assert known.status_code == unknown.status_code == 400
    assert known.json()["code"] == unknown.json()["code"] == "inspector_not_member"
    assert "@" not in known.content.decode()


# --- Defect 11: late exact resends succeed ----------------------------------------------------


def submitted_inspection(in_progress, inspector):
    client = client_for(inspector)
    answers = [one_answer(i.pk) for i in in_progress.items.all()]
    r = client.put(
        url("inspection-answers", in_progress.pk),
        {"version": in_progress.version, "answers": answers},
        format="json",
    )
    finding = {
        "client_uuid": str(uuid.uuid4()),
        "item": in_progress.items.first().pk,
        "description": "Bình hết hạn",
    }
    assert client.post(url("inspection-findings", in_progress.pk), finding, format="json")
    sigs = [signature_body(role) for role in ("inspector", "representative")]
    for body in sigs:
        r = client.post(
            url("inspection-signatures", in_progress.pk), dict(body), format="multipart"
        )
    submit = {"version": r.json()["inspection_version"], "representative_name": "Nguyễn Văn An"}
    done = client.post(url("inspection-submit", in_progress.pk), submit, format="json")
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    return client, answers, finding, sigs, submit, done.json()


def test_late_start_after_submission_is_a_success(in_progress, inspector):
    client, *_rest, done = submitted_inspection(in_progress, inspector)
    r = client.post(url("inspection-start", in_progress.pk), {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    assert r.json()["version"] == done["version"]


def test_late_resends_of_every_write_after_submission(in_progress, inspector):
    client, answers, finding, sigs, submit, done = submitted_inspection(in_progress, inspector)
    pk = in_progress.pk
    r = client.put(url("inspection-answers", pk), {"version": 1, "answers": answers}, format="json")
    assert r.status_code == 200
    assert {x["status"] for x in r.json()["results"]} == {"unchanged"}
    assert client.post(url("inspection-findings", pk), finding, format="json").status_code == 200
    for body in sigs:
        body["image"].seek(0)
        again = client.post(url("inspection-signatures", pk), body, format="multipart")
        assert again.status_code == 200
    assert client.post(url("inspection-submit", pk), submit, format="json").status_code == 200
    assert Inspection.objects.get(pk=pk).version == done["version"]
    # Different content is still refused: a new finding on a submitted record.
    other = {**finding, "client_uuid": str(uuid.uuid4())}
    late = client.post(url("inspection-findings", pk), other, format="json")
    assert late.status_code == 409 and late.json()["code"] == "invalid_state"
    assert Finding.objects.filter(inspection_id=pk).count() == 1


def test_schedule_resend_after_the_inspector_left(
    catalogue, manager, inspector, authority, premises
):
    body = {
        "premises": premises.pk,
        "authority": authority.pk,
        "kind": "periodic",
        "scheduled_for": "2026-12-20",
        "inspectors": [inspector.pk],
        "client_uuid": str(uuid.uuid4()),
    }
    first = client_for(manager).post(url("inspections"), body, format="json")
    assert first.status_code == 201
    Membership.objects.filter(user=inspector).delete()
    again = client_for(manager).post(url("inspections"), body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_answer_uuid_of_another_authoritys_inspection_is_unknown(
    in_progress, inspector, other_authority, other_premises
):
    key = uuid.uuid4()
    client = client_for(inspector)
    item = in_progress.items.first()
    body = {"version": in_progress.version, "answers": [one_answer(item.pk, client_uuid=key)]}
    assert (
        client.put(url("inspection-answers", in_progress.pk), body, format="json").status_code
        == 200
    )
    stranger = f.UserFactory(email="khac3@test.vn")
    f.MembershipFactory(user=stranger, authority=other_authority, role=Membership.Role.INSPECTOR)
    theirs, _ = services.start_unplanned_inspection(
        user=stranger,
        premises=other_premises,
        client_uuid=uuid.uuid4(),
        kind="unannounced",
        authority=other_authority,
        unannounced_reason="Phản ánh",
    )
    r = client_for(stranger).put(
        url("inspection-answers", theirs.pk),
        {
            "version": theirs.version,
            "answers": [one_answer(theirs.items.first().pk, client_uuid=key)],
        },
        format="json",
    )
    assert r.status_code == 404 and "results" not in r.json()
