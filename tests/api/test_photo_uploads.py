"""Resumable photo uploads over tus 1.0: an off-the-shelf client (tuspy) against a live server,
then the protocol's edges (offsets, checksums, termination, expiry, late resends, tenants)."""

from __future__ import annotations

import base64
import hashlib
import io
import random
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from rest_framework_simplejwt.tokens import RefreshToken

from inspections.models import Inspection, Photo, PhotoBlob, PhotoUpload, PhotoUploadChunk
from inspections.services import photo_uploads
from tests import inspection_factories as inf
from tests.api.inspection_helpers import client_for, photo_body, url

pytestmark = pytest.mark.django_db

CHUNK = 4096
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PHOTO_CHUNK_MAX_BYTES = CHUNK


def noisy_jpeg(seed: int = 7) -> bytes:
    """A JPEG of a few chunks (noise does not compress)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (160, 120))
    image.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(160 * 120)])
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def create(client, inspection, length: int, sha256: str | None = None, **headers):
    meta = f"filetype {b64('image/jpeg')}" + (f",sha256 {b64(sha256)}" if sha256 else "")
    headers = {"HTTP_UPLOAD_LENGTH": str(length), "HTTP_UPLOAD_METADATA": meta, **TUS, **headers}
    return client.post(url("inspection-photo-uploads", inspection.pk), **headers)


def patch(client, location: str, data: bytes, offset: int, **headers):
    return client.generic(
        "PATCH",
        location,
        data,
        content_type=headers.pop("content_type", "application/offset+octet-stream"),
        HTTP_UPLOAD_OFFSET=str(offset),
        **{**TUS, **headers},
    )


def attach(client, inspection, sha256: str, **extra):
    body = {"client_uuid": str(uuid.uuid4()), "sha256": sha256, **extra}
    return client.post(url("inspection-photos", inspection.pk), body, format="multipart")


# --- An off-the-shelf client -------------------------------------------------------------------


def tus_client(live_server, inspection, user):
    from tusclient.client import TusClient

    token = str(RefreshToken.for_user(user).access_token)
    endpoint = live_server.url + url("inspection-photo-uploads", inspection.pk)
    return TusClient(endpoint, headers={"Authorization": f"Bearer {token}"})


def test_tuspy_uploads_in_chunks_with_checksums_then_the_photo_is_attached(
    live_server, in_progress, inspector
):
    data = noisy_jpeg()
    digest = inf.sha256(data)
    uploader = tus_client(live_server, in_progress, inspector).uploader(
        file_stream=io.BytesIO(data),
        chunk_size=CHUNK,
        metadata={"sha256": digest, "filetype": "image/jpeg", "filename": "lối thoát.jpg"},
        upload_checksum=True,
    )
    uploader.upload()
    assert uploader.offset == len(data)
    upload = PhotoUpload.objects.get()
    assert upload.metadata["filename"] == "lối thoát.jpg"
    assert upload.blob.sha256 == digest and upload.blob.file.read() == data
    assert not PhotoUploadChunk.objects.exists()  # the pieces are gone once the photo is stored

    photo = attach(client_for(inspector), in_progress, digest, item=in_progress.items.first().pk)
    assert photo.status_code == 201, photo.json()
    assert Photo.objects.get().blob == upload.blob


def test_tuspy_resumes_a_cut_upload_where_the_server_stopped(live_server, in_progress, inspector):
    data = noisy_jpeg(seed=8)
    client = tus_client(live_server, in_progress, inspector)
    first = client.uploader(file_stream=io.BytesIO(data), chunk_size=CHUNK)
    first.upload_chunk()
    first.upload_chunk()
    # The phone lost the connection here; later a fresh client resumes from the URL it kept.
    assert PhotoUpload.objects.get().received == 2 * CHUNK
    resumed = client.uploader(file_stream=io.BytesIO(data), chunk_size=CHUNK, url=first.url)
    assert resumed.get_offset() == 2 * CHUNK
    resumed.upload()
    blob = PhotoUpload.objects.get().blob
    assert blob.file.read() == data and PhotoBlob.objects.count() == 1


# --- The protocol ------------------------------------------------------------------------------


def test_options_advertise_the_protocol(in_progress, inspector, settings):
    r = client_for(inspector).options(url("inspection-photo-uploads", in_progress.pk))
    assert r.status_code == 204
    assert r["Tus-Version"] == "1.0.0" and r["Tus-Resumable"] == "1.0.0"
    assert set(r["Tus-Extension"].split(",")) == {
        "creation",
        "checksum",
        "termination",
        "expiration",
    }
    assert r["Tus-Max-Size"] == str(settings.PHOTO_MAX_BYTES)
    assert set(r["Tus-Checksum-Algorithm"].split(",")) == {"sha1", "sha256"}


def test_offsets_lost_replies_and_conflicting_bytes(in_progress, inspector):
    data = noisy_jpeg()
    client = client_for(inspector)
    created = create(client, in_progress, len(data), inf.sha256(data))
    assert created.status_code == 201 and created["Upload-Offset"] == "0"
    location = created["Location"]
    assert "Upload-Expires" in created

    first = patch(client, location, data[:CHUNK], 0)
    assert first.status_code == 204 and first["Upload-Offset"] == str(CHUNK)
    # Its reply was lost: the same bytes again are a success that stores nothing twice.
    again = patch(client, location, data[:CHUNK], 0)
    assert again.status_code == 204 and again["Upload-Offset"] == str(CHUNK)
    assert PhotoUploadChunk.objects.count() == 1
    # Other bytes where the server already has some, or a gap: 409 with where it stands.
    other = patch(client, location, b"x" * CHUNK, 0)
    assert other.status_code == 409 and other.json()["fields"]["Upload-Offset"] == [str(CHUNK)]
    gap = patch(client, location, data[2 * CHUNK : 3 * CHUNK], 2 * CHUNK)
    assert gap.status_code == 409
    head = client.head(location, **TUS)
    assert head.status_code == 200 and head["Upload-Offset"] == str(CHUNK)
    assert head["Upload-Length"] == str(len(data)) and head["Cache-Control"] == "no-store"

    rest = patch(client, location, data[CHUNK:], CHUNK)
    assert rest.status_code == 204 and rest["Upload-Offset"] == str(len(data))
    assert PhotoBlob.objects.get().file.read() == data


def test_checksums_are_checked_per_request(in_progress, inspector):
    data = noisy_jpeg()
    client = client_for(inspector)
    location = create(client, in_progress, len(data))["Location"]
    good = base64.b64encode(hashlib.sha256(data[:CHUNK]).digest()).decode()
    wrong = base64.b64encode(hashlib.sha1(b"other").digest()).decode()
    r = patch(client, location, data[:CHUNK], 0, HTTP_UPLOAD_CHECKSUM=f"sha1 {wrong}")
    assert r.status_code == 460 and r.json()["code"] == "checksum_mismatch"
    assert PhotoUpload.objects.get().received == 0
    r = patch(client, location, data[:CHUNK], 0, HTTP_UPLOAD_CHECKSUM=f"md5 {good}")
    assert r.status_code == 400 and "Upload-Checksum" in r.json()["fields"]
    r = patch(client, location, data[:CHUNK], 0, HTTP_UPLOAD_CHECKSUM=f"sha256 {good}")
    assert r.status_code == 204 and r["Upload-Offset"] == str(CHUNK)


def test_termination_and_expiration(in_progress, inspector):
    data = noisy_jpeg()
    client = client_for(inspector)
    location = create(client, in_progress, len(data))["Location"]
    patch(client, location, data[:CHUNK], 0)
    assert client.delete(location, **TUS).status_code == 204
    assert client.head(location, **TUS).status_code == 404
    assert not PhotoUploadChunk.objects.exists()

    location = create(client, in_progress, len(data))["Location"]
    patch(client, location, data[:CHUNK], 0)
    PhotoUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.head(location, **TUS).status_code == 410
    assert patch(client, location, data[CHUNK:], CHUNK).status_code == 410
    assert photo_uploads.purge_stale_uploads() >= 1
    assert not PhotoUpload.objects.exists() and not PhotoUploadChunk.objects.exists()
    assert client.head(location, **TUS).status_code == 404


def test_bad_files_are_refused_and_the_upload_starts_over(in_progress, inspector):
    data = noisy_jpeg()[: 2 * CHUNK]
    client = client_for(inspector)
    location = create(client, in_progress, len(data), inf.sha256(b"something else"))["Location"]
    patch(client, location, data[:CHUNK], 0)
    last = patch(client, location, data[CHUNK:], CHUNK)
    assert last.status_code == 400 and last.json()["code"] == "sha256_mismatch"
    assert client.head(location, **TUS).status_code == 404

    text = b"not an image at all" * 10
    location = create(client, in_progress, len(text))["Location"]
    r = patch(client, location, text, 0)
    assert r.status_code == 400 and r.json()["code"] != "sha256_mismatch"
    assert not PhotoBlob.objects.exists() and not PhotoUpload.objects.exists()


def test_limits_and_bad_headers(in_progress, inspector, settings):
    client = client_for(inspector)
    too_big = create(client, in_progress, settings.PHOTO_MAX_BYTES + 1)
    assert too_big.status_code == 413 and too_big.json()["code"] == "photo_too_large"
    assert too_big["Tus-Resumable"] == "1.0.0"
    no_version = client.post(
        url("inspection-photo-uploads", in_progress.pk), HTTP_UPLOAD_LENGTH="9"
    )
    assert no_version.status_code == 412 and no_version["Tus-Version"] == "1.0.0"
    for length in ("", "²", "-1", "9" * 13):
        r = create(client, in_progress, 0, HTTP_UPLOAD_LENGTH=length)
        assert r.status_code == 400 and "Upload-Length" in r.json()["fields"], length
    bad_meta = create(client, in_progress, 10, HTTP_UPLOAD_METADATA="sha256 !!notbase64")
    assert bad_meta.status_code == 400
    bad_sha = create(client, in_progress, 10, sha256="nothex")
    assert bad_sha.status_code == 400 and bad_sha.json()["code"] == "invalid_sha256"

    location = create(client, in_progress, 20)["Location"]
    past_end = patch(client, location, b"x" * 30, 0)
    assert past_end.status_code == 400 and past_end.json()["code"] == "chunk_past_end"
    wrong_type = patch(client, location, b"x", 0, content_type="application/octet-stream")
    assert wrong_type.status_code == 415
    no_offset = client.generic(
        "PATCH", location, b"x", content_type="application/offset+octet-stream", **TUS
    )
    assert no_offset.status_code == 400 and "Upload-Offset" in no_offset.json()["fields"]
    english = client.generic(
        "PATCH",
        location,
        b"x",
        content_type="application/offset+octet-stream",
        HTTP_ACCEPT_LANGUAGE="en",
        **TUS,
    )
    assert english.json()["detail"].startswith("Missing or invalid Upload-Offset header")
    assert PhotoUpload.objects.get().received == 0


def test_only_the_uploader_reaches_an_upload(in_progress, inspector, unassigned_inspector, head):
    data = noisy_jpeg()
    r = create(client_for(unassigned_inspector), in_progress, len(data))
    assert r.status_code == 404  # not assigned: the inspection is not even visible
    r = create(client_for(head), in_progress, len(data))
    assert r.status_code == 403  # the head sees the inspection but does not record it
    location = create(client_for(inspector), in_progress, len(data))["Location"]
    in_progress.inspectors.add(unassigned_inspector)  # a colleague on the same inspection
    assert client_for(unassigned_inspector).head(location, **TUS).status_code == 404
    assert patch(client_for(unassigned_inspector), location, data[:CHUNK], 0).status_code == 404
    assert PhotoUpload.objects.get().received == 0


# --- Late resends and attaching by hash across tenants ------------------------------------------


def test_exact_resends_after_submission_succeed_and_new_uploads_are_refused(in_progress, inspector):
    data = noisy_jpeg()
    digest = inf.sha256(data)
    client = client_for(inspector)
    location = create(client, in_progress, len(data), digest)["Location"]
    patch(client, location, data[:CHUNK], 0)
    patch(client, location, data[CHUNK:], CHUNK)
    assert attach(client, in_progress, digest).status_code == 201
    Inspection.objects.filter(pk=in_progress.pk).update(state=Inspection.State.SUBMITTED)

    # The last reply was lost and the phone sends the last piece again: success.
    late = patch(client, location, data[CHUNK:], CHUNK)
    assert late.status_code == 204 and late["Upload-Offset"] == str(len(data))
    assert client.head(location, **TUS)["Upload-Offset"] == str(len(data))
    # Different bytes are still a conflict.
    assert patch(client, location, b"y" * CHUNK, CHUNK).status_code == 409
    # Uploading again a photo the record holds is a resend; a new photo is refused.
    assert create(client, in_progress, len(data), digest).status_code == 201
    other = noisy_jpeg(seed=9)
    refused = create(client, in_progress, len(other), inf.sha256(other))
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_state"
    assert PhotoBlob.objects.count() == 1 and Photo.objects.count() == 1


def test_attaching_by_hash_needs_the_bytes_or_a_visible_photo(
    in_progress, inspector, other_inspector, other_authority
):
    from tests import factories as f

    data = noisy_jpeg()
    digest = inf.sha256(data)
    client = client_for(inspector)
    # Never sent: the server does not have them.
    assert attach(client, in_progress, digest).json()["code"] == "file_required"
    location = create(client, in_progress, len(data), digest)["Location"]
    patch(client, location, data, 0)
    assert attach(client, in_progress, digest).status_code == 201

    elsewhere = Inspection.objects.create(
        premises=f.PremisesFactory(
            province_code=f.SON_LA_PROVINCE, ward_code=f.SON_LA_WARD, name="Chợ Tô Hiệu"
        ),
        authority=other_authority,
        kind=Inspection.Kind.PERIODIC,
        state=Inspection.State.IN_PROGRESS,
        catalogue_version=in_progress.catalogue_version,
        scheduled_for=in_progress.scheduled_for,
    )
    elsewhere.inspectors.add(other_inspector)
    theirs = client_for(other_inspector)
    # Another authority knows the hash but not the bytes: the same answer as for unknown bytes.
    stolen = attach(theirs, elsewhere, digest)
    assert stolen.status_code == 400 and stolen.json()["code"] == "file_required"
    assert Photo.objects.filter(inspection=elsewhere).count() == 0
    # With the bytes they prove they have them; the blob is still stored once.
    sent = theirs.post(url("inspection-photos", elsewhere.pk), photo_body(data), format="multipart")
    assert sent.status_code == 201 and PhotoBlob.objects.count() == 1
    # From then on they see a photo made of those bytes, so the hash alone is enough.
    assert attach(theirs, elsewhere, digest).status_code == 201
