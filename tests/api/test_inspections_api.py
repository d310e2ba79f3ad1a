"""Mobile inspection API: personas, idempotent creation, batches, photos, findings, submit."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.cache import cache
from django.db import OperationalError
from PIL import Image
from rest_framework.throttling import ScopedRateThrottle

from inspections.models import Answer, Inspection, Photo, PhotoBlob
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


# --- Personas -------------------------------------------------------------------------------


def test_outsiders_do_not_see_the_inspection(
    in_progress, other_inspector, unassigned_inspector, other_head, outsider
):
    item = in_progress.items.first()
    for user in (other_inspector, unassigned_inspector, other_head, outsider):
        client = client_for(user)
        assert client.get(url("inspection", in_progress.pk)).status_code == 404
        assert client.post(url("inspection-start", in_progress.pk)).status_code == 404
        r = client.put(
            url("inspection-answers", in_progress.pk),
            {"version": in_progress.version, "answers": [one_answer(item.pk)]},
            format="json",
        )
        assert r.status_code == 404 and r.json()["code"] == "not_found"
        data = inf.jpeg_bytes()
        r = client.post(
            url("inspection-photos", in_progress.pk), photo_body(data), format="multipart"
        )
        assert r.status_code == 404
        r = client.post(
            url("inspection-findings", in_progress.pk),
            {"client_uuid": str(uuid.uuid4()), "description": "x"},
            format="json",
        )
        assert r.status_code == 404
        r = client.post(
            url("inspection-signatures", in_progress.pk),
            signature_body("inspector"),
            format="multipart",
        )
        assert r.status_code == 404
        r = client.post(url("inspection-submit", in_progress.pk), {"version": 1}, format="json")
        assert r.status_code == 404
        listed = client.get(url("inspections")).json()["results"]
        assert in_progress.pk not in [i["id"] for i in listed]
    assert not Answer.objects.exists() and not Photo.objects.exists()


def test_manager_sees_but_cannot_answer(in_progress, manager):
    client = client_for(manager)
    assert client.get(url("inspection", in_progress.pk)).status_code == 200
    r = client.put(
        url("inspection-answers", in_progress.pk),
        {"version": in_progress.version, "answers": [one_answer(in_progress.items.first().pk)]},
        format="json",
    )
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"


def test_head_sees_inspection_of_own_premises_but_cannot_work_on_it(in_progress, head):
    client = client_for(head)
    assert client.get(url("inspection", in_progress.pk)).status_code == 200
    assert client.post(url("inspection-start", in_progress.pk)).status_code == 403


def test_unauthenticated_is_401(in_progress):
    from rest_framework.test import APIClient

    r = APIClient().get(url("sync"))
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"


# --- Scheduling and starting ----------------------------------------------------------------


def test_manager_schedules_with_client_uuid(catalogue, manager, authority, premises, inspector):
    client = client_for(manager)
    body = {
        "premises": premises.pk,
        "authority": authority.pk,
        "kind": "periodic",
        "scheduled_for": "2026-12-01",
        "inspectors": [inspector.pk],
        "client_uuid": str(uuid.uuid4()),
    }
    first = client.post(url("inspections"), body, format="json")
    assert first.status_code == 201, first.json()
    assert len(first.json()["items"]) == 3 and first.json()["state"] == "scheduled"
    again = client.post(url("inspections"), body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    body["scheduled_for"] = "2026-12-02"
    conflict = client.post(url("inspections"), body, format="json")
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "client_uuid_conflict"
    assert conflict.json()["current"]["scheduled_for"] == "2026-12-01"
    assert Inspection.objects.count() == 1


def test_inspector_cannot_schedule(catalogue, inspector, authority, premises):
    r = client_for(inspector).post(
        url("inspections"),
        {
            "premises": premises.pk,
            "authority": authority.pk,
            "kind": "periodic",
            "scheduled_for": "2026-12-01",
        },
        format="json",
    )
    assert r.status_code == 403


def test_manager_of_other_authority_cannot_schedule_here(catalogue, other_authority, premises):
    from accounts.models import Membership
    from tests import factories as f

    boss = f.UserFactory(email="boss@test.vn")
    f.MembershipFactory(user=boss, authority=other_authority, role=Membership.Role.MANAGER)
    r = client_for(boss).post(
        url("inspections"),
        {
            "premises": premises.pk,
            "authority": other_authority.pk,
            "kind": "periodic",
            "scheduled_for": "2026-12-01",
        },
        format="json",
    )
    assert r.status_code == 404  # the premises is outside what they can see


def test_field_errors(catalogue, manager):
    r = client_for(manager).post(url("inspections"), {"kind": "sometimes"}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid" and {"premises", "authority", "kind", "scheduled_for"} <= set(
        body["fields"]
    )


def test_cap_of_resolution_198(catalogue, manager, authority, premises, inspector):
    premises.kind = "establishment"
    premises.save()
    client = client_for(manager)
    body = {
        "premises": premises.pk,
        "authority": authority.pk,
        "kind": "periodic",
        "scheduled_for": "2026-06-01",
    }
    assert client.post(url("inspections"), body, format="json").status_code == 201
    body["scheduled_for"] = "2026-09-01"
    r = client.post(url("inspections"), body, format="json")
    assert r.status_code == 400 and r.json()["code"] == "inspection_cap_reached"
    assert "cap_override_reason" in r.json()["fields"]
    assert r.json()["detail"].startswith("Cơ sở đã được kiểm tra 1 lần trong năm 2026; ")
    en = client.post(url("inspections"), body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert en.json()["detail"].startswith("Already inspected 1 time in 2026; ")
    assert en.json()["fields"]["cap_override_reason"] == [en.json()["detail"]]
    body["cap_override_reason"] = "Phản ánh của người dân về lối thoát nạn bị khóa"
    assert client.post(url("inspections"), body, format="json").status_code == 201


def test_inspector_starts_unplanned_and_head_self_inspects(
    catalogue, inspector, authority, premises, head, other_head
):
    key = str(uuid.uuid4())
    body = {
        "client_uuid": key,
        "premises": premises.pk,
        "kind": "unannounced",
        "authority": authority.pk,
        "unannounced_reason": "Phản ánh của người dân",
    }
    r = client_for(inspector).post(url("inspections-unplanned"), body, format="json")
    assert r.status_code == 201 and r.json()["state"] == "in_progress"
    assert r.json()["inspectors"] == [inspector.pk]
    assert (
        client_for(inspector).post(url("inspections-unplanned"), body, format="json").status_code
        == 200
    )
    own = {"client_uuid": str(uuid.uuid4()), "premises": premises.pk, "kind": "self"}
    assert (
        client_for(head).post(url("inspections-unplanned"), own, format="json").status_code == 201
    )
    own["client_uuid"] = str(uuid.uuid4())
    assert (
        client_for(other_head).post(url("inspections-unplanned"), own, format="json").status_code
        == 404
    )


def test_start_is_idempotent(scheduled, inspector):
    client = client_for(inspector)
    first = client.post(url("inspection-start", scheduled.pk), {}, format="json")
    again = client.post(url("inspection-start", scheduled.pk), {}, format="json")
    assert first.status_code == again.status_code == 200
    assert first.json()["version"] == again.json()["version"] == scheduled.version + 1


def test_answers_before_start_is_conflict(scheduled, inspector):
    r = client_for(inspector).put(
        url("inspection-answers", scheduled.pk),
        {"version": scheduled.version, "answers": [one_answer(scheduled.items.first().pk)]},
        format="json",
    )
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"
    assert r.json()["current"]["state"] == "scheduled"


# --- Answers --------------------------------------------------------------------------------


def test_answers_batch_per_answer_status_and_stale_version(in_progress, inspector):
    client = client_for(inspector)
    a, b, c = in_progress.items.order_by("order")
    batch = [
        one_answer(a.pk, 1),
        one_answer(b.pk, 1, "non_compliant", note="Lối thoát nạn bị khóa"),
    ]
    r = client.put(
        url("inspection-answers", in_progress.pk),
        {"version": in_progress.version, "answers": batch},
        format="json",
    )
    assert r.status_code == 200
    assert [x["status"] for x in r.json()["results"]] == ["created", "created"]
    version = r.json()["inspection_version"]
    # The response was lost; the phone sends the same batch again with its old version.
    r = client.put(
        url("inspection-answers", in_progress.pk),
        {"version": in_progress.version, "answers": batch},
        format="json",
    )
    assert [x["status"] for x in r.json()["results"]] == ["unchanged", "unchanged"]
    assert r.json()["inspection_version"] == version
    # A real change from an old version is refused whole.
    r = client.put(
        url("inspection-answers", in_progress.pk),
        {
            "version": in_progress.version,
            "answers": [one_answer(c.pk, 2), one_answer(a.pk, 3, "non_compliant")],
        },
        format="json",
    )
    assert r.status_code == 409 and r.json()["code"] == "stale_version"
    assert r.json()["current"]["version"] == version
    assert Answer.objects.count() == 2 and Answer.objects.get(item=a).value == "compliant"


def test_answer_field_errors(in_progress, inspector):
    r = client_for(inspector).put(
        url("inspection-answers", in_progress.pk),
        {"version": 1, "answers": [{"item": "x", "value": "maybe"}]},
        format="json",
    )
    assert r.status_code == 400
    assert "answers" in r.json()["fields"]


# --- Photos ---------------------------------------------------------------------------------


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x0132] = "2026:11:23 09:15:00"  # DateTime
    exif[0x010F] = "PhoneMaker"  # Make
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def test_photo_upload_is_stored_once_and_keeps_exif(in_progress, inspector):
    client = client_for(inspector)
    data = jpeg_with_exif()
    item = in_progress.items.first()
    key = uuid.uuid4()
    body = dict(
        item=item.pk,
        taken_at="2026-11-23T09:15:00+07:00",
        latitude="21.028511",
        longitude="105.852020",
        caption="Lối thoát nạn",
    )
    first = client.post(
        url("inspection-photos", in_progress.pk), photo_body(data, key, **body), format="multipart"
    )
    assert first.status_code == 201, first.json()
    assert first.json()["content_type"] == "image/jpeg" and first.json()["width"] == 40
    again = client.post(
        url("inspection-photos", in_progress.pk), photo_body(data, key, **body), format="multipart"
    )
    assert again.status_code == 200 and again.json()["client_uuid"] == str(key)
    other = client.post(
        url("inspection-photos", in_progress.pk), photo_body(data, **body), format="multipart"
    )
    assert other.status_code == 201
    assert Photo.objects.count() == 2 and PhotoBlob.objects.count() == 1
    stored = PhotoBlob.objects.get().file.read()
    assert stored == data and Image.open(io.BytesIO(stored)).getexif()[0x010F] == "PhoneMaker"
    body["caption"] = "Khác"
    conflict = client.post(
        url("inspection-photos", in_progress.pk), photo_body(data, key, **body), format="multipart"
    )
    assert conflict.status_code == 409 and conflict.json()["current"]["caption"] == "Lối thoát nạn"


def test_photo_checks(in_progress, inspector, settings):
    client = client_for(inspector)
    endpoint = url("inspection-photos", in_progress.pk)
    data = inf.jpeg_bytes()
    body = photo_body(data)
    body["sha256"] = "0" * 64
    r = client.post(endpoint, body, format="multipart")
    assert r.status_code == 400 and r.json()["code"] == "sha256_mismatch"
    text = b"definitely not an image" * 10
    r = client.post(endpoint, photo_body(text, name="photo.jpg"), format="multipart")
    assert r.status_code == 400 and r.json()["code"] == "invalid_image"
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    r = client.post(endpoint, photo_body(gif.getvalue(), name="photo.jpg"), format="multipart")
    assert r.status_code == 400 and r.json()["code"] == "unsupported_image_type"
    settings.PHOTO_MAX_PIXELS = 100
    r = client.post(endpoint, photo_body(inf.jpeg_bytes(5, (20, 20))), format="multipart")
    assert r.status_code == 400 and r.json()["code"] == "image_too_many_pixels"
    settings.PHOTO_MAX_BYTES = 100
    r = client.post(endpoint, photo_body(inf.jpeg_bytes(6)), format="multipart")
    assert r.status_code == 413 and r.json()["code"] == "photo_too_large"
    assert not Photo.objects.exists() and not PhotoBlob.objects.exists()


def test_decompression_bomb_is_refused_before_decoding(in_progress, inspector):
    # 20000×20000 PNG of one colour compresses to a few hundred kB but would need 1.2 GB.
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")
    r = client_for(inspector).post(
        url("inspection-photos", in_progress.pk),
        photo_body(buf.getvalue(), name="bomb.png"),
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["code"] == "image_too_many_pixels"


def test_photo_of_unknown_finding_is_retryable_conflict(in_progress, inspector):
    r = client_for(inspector).post(
        url("inspection-photos", in_progress.pk),
        photo_body(inf.jpeg_bytes(), finding=str(uuid.uuid4())),
        format="multipart",
    )
    assert r.status_code == 409 and r.json()["code"] == "depends_on_missing"


# --- Findings, signatures, submit -----------------------------------------------------------


def test_finding_is_idempotent(in_progress, inspector):
    client = client_for(inspector)
    item = in_progress.items.first()
    body = {
        "client_uuid": str(uuid.uuid4()),
        "item": item.pk,
        "description": "Bình chữa cháy hết hạn",
        "severity": "major",
        "remediation_deadline": "2026-12-23",
    }
    first = client.post(url("inspection-findings", in_progress.pk), body, format="json")
    assert first.status_code == 201 and first.json()["requirement"] == item.requirement_id
    assert (
        client.post(url("inspection-findings", in_progress.pk), body, format="json").status_code
        == 200
    )
    body["description"] = "Khác"
    r = client.post(url("inspection-findings", in_progress.pk), body, format="json")
    assert r.status_code == 409 and r.json()["current"]["description"] == "Bình chữa cháy hết hạn"


def test_signature_must_be_png_and_one_per_role(in_progress, inspector):
    client = client_for(inspector)
    endpoint = url("inspection-signatures", in_progress.pk)
    r = client.post(endpoint, signature_body("inspector", inf.jpeg_bytes()), format="multipart")
    assert r.status_code == 400 and r.json()["code"] == "unsupported_image_type"
    key = uuid.uuid4()
    assert (
        client.post(
            endpoint, signature_body("inspector", client_uuid=key), format="multipart"
        ).status_code
        == 201
    )
    assert (
        client.post(
            endpoint, signature_body("inspector", client_uuid=key), format="multipart"
        ).status_code
        == 200
    )
    r = client.post(endpoint, signature_body("inspector", inf.png_bytes(9)), format="multipart")
    assert r.status_code == 409 and r.json()["code"] == "signature_exists"


def test_submit_flow(in_progress, inspector):
    client = client_for(inspector)
    endpoint = url("inspection-submit", in_progress.pk)
    body = {
        "version": in_progress.version,
        "recommendations": "Khắc phục trong 30 ngày",
        "representative_name": "Nguyễn Văn An",
        "representative_position": "Giám đốc",
        "ended_at": "2026-11-23T10:00:00+07:00",
    }
    r = client.post(endpoint, body, format="json")
    assert r.status_code == 400 and r.json()["code"] == "incomplete"
    assert set(r.json()["fields"]) == {"signatures", "items"}
    answers = [one_answer(i.pk) for i in in_progress.items.all()]
    r = client.put(
        url("inspection-answers", in_progress.pk),
        {"version": in_progress.version, "answers": answers},
        format="json",
    )
    for role in ("inspector", "representative"):
        r = client.post(
            url("inspection-signatures", in_progress.pk), signature_body(role), format="multipart"
        )
    version = r.json()["inspection_version"]
    stale = client.post(endpoint, {**body, "version": version - 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    body["version"] = version
    done = client.post(endpoint, body, format="json")
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    again = client.post(endpoint, body, format="json")
    assert again.status_code == 200 and again.json()["version"] == done.json()["version"]
    other = client.post(endpoint, {**body, "recommendations": "Khác"}, format="json")
    assert other.status_code == 409 and other.json()["code"] == "already_submitted"
    late = client.put(
        url("inspection-answers", in_progress.pk),
        {
            "version": done.json()["version"],
            "answers": [one_answer(in_progress.items.first().pk, 99, "non_compliant")],
        },
        format="json",
    )
    assert late.status_code == 409 and late.json()["code"] == "invalid_state"


# --- Retry-able status codes ----------------------------------------------------------------


def test_sync_is_throttled_per_user_with_retry_after(
    in_progress, inspector, unassigned_inspector, monkeypatch
):
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "sync": "2/min"}
    )
    client = client_for(inspector)
    assert client.get(url("sync")).status_code == 200
    assert client.get(url("sync")).status_code == 200
    r = client.get(url("sync"))
    assert r.status_code == 429 and r.json()["code"] == "throttled"
    assert int(r["Retry-After"]) > 0
    # Another user has a budget of their own.
    assert client_for(unassigned_inspector).get(url("sync")).status_code == 200


def test_database_busy_is_503_with_retry_after(in_progress, inspector, monkeypatch):
    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("api.sync.sync_page", busy)
    r = client_for(inspector).get(url("sync"))
    assert r.status_code == 503 and r["Retry-After"] and r.json()["code"] == "unavailable"


def test_photo_metadata_without_bytes_when_server_has_them(in_progress, inspector):
    client = client_for(inspector)
    endpoint = url("inspection-photos", in_progress.pk)
    data = inf.jpeg_bytes(77)
    body = photo_body(data)
    del body["file"]
    r = client.post(endpoint, body, format="multipart")
    assert r.status_code == 400 and r.json()["code"] == "file_required"
    assert client.post(endpoint, photo_body(data), format="multipart").status_code == 201
    r = client.post(endpoint, body, format="multipart")  # same bytes, new photo, no upload
    assert r.status_code == 201 and r.json()["sha256"] == inf.sha256(data)
    assert Photo.objects.count() == 2 and PhotoBlob.objects.count() == 1
