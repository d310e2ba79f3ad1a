# ruff: noqa: F811  (fixtures imported from tests.inspection_fixtures are parameters here)
"""Resumable photo upload: chunks by SHA-256, resume after a lost response, check once complete."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from inspections.models import Photo, PhotoBlob, PhotoUpload
from inspections.services import photo_uploads
from tests import inspection_factories as inf
from tests.api.inspection_helpers import client_for, url
from tests.inspection_fixtures import (  # noqa: F401
    catalogue,
    in_progress,
    scheduled,
    unassigned_inspector,
)

pytestmark = pytest.mark.django_db

CHUNK = 4096


@pytest.fixture(autouse=True)
def _small_chunks(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PHOTO_CHUNK_MAX_BYTES = CHUNK


def noisy_jpeg() -> bytes:
    """A JPEG of a few chunks (noise does not compress)."""
    rng = random.Random(7)
    image = Image.new("RGB", (160, 120))
    image.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(160 * 120)])
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def endpoint(inspection, digest):
    from django.urls import reverse

    return reverse("api:inspection-photo-upload", args=[inspection.pk, digest])


def send(client, inspection, digest, chunk, offset, total, content_type=None):
    return client.generic(
        "PUT",
        endpoint(inspection, digest),
        chunk,
        content_type=content_type or "application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        HTTP_UPLOAD_LENGTH=str(total),
    )


def test_resume_after_lost_responses_then_attach_without_the_file(in_progress, inspector):
    data = noisy_jpeg()
    assert len(data) > 3 * CHUNK
    digest = inf.sha256(data)
    client = client_for(inspector)
    state = client.get(endpoint(in_progress, digest)).json()
    assert state == {"sha256": digest, "size": None, "received": 0, "complete": False}

    first = send(client, in_progress, digest, data[:CHUNK], 0, len(data))
    assert first.status_code == 200 and first.json()["received"] == CHUNK
    # The response was lost: the phone sends the same chunk again, nothing is doubled.
    again = send(client, in_progress, digest, data[:CHUNK], 0, len(data))
    assert again.status_code == 200 and again.json()["received"] == CHUNK
    # A chunk from the wrong place is refused with where the server stands.
    skipped = send(client, in_progress, digest, data[2 * CHUNK : 3 * CHUNK], 2 * CHUNK, len(data))
    assert skipped.status_code == 409
    assert skipped.json()["code"] == "upload_offset_mismatch"
    assert skipped.json()["current"]["received"] == CHUNK

    offset = client.get(endpoint(in_progress, digest)).json()["received"]
    while offset < len(data):
        r = send(client, in_progress, digest, data[offset : offset + CHUNK], offset, len(data))
        assert r.status_code == 200, r.json()
        offset = r.json()["received"]
    assert r.json()["complete"] is True
    blob = PhotoBlob.objects.get(sha256=digest)
    assert blob.file.read() == data and blob.content_type == "image/jpeg"
    assert not PhotoUpload.objects.exists()  # chunks deleted once stored

    photo = client.post(
        url("inspection-photos", in_progress.pk),
        {"client_uuid": str(inf.new_uuid()), "sha256": digest},
        format="multipart",
    )
    assert photo.status_code == 201, photo.json()
    assert Photo.objects.get().blob == blob
    # Asking again after completion: complete, nothing more to send.
    assert client.get(endpoint(in_progress, digest)).json()["complete"] is True


def test_corrupt_bytes_are_refused_and_the_upload_starts_over(in_progress, inspector):
    data = noisy_jpeg()[: 2 * CHUNK]
    claimed = inf.sha256(b"something else")
    client = client_for(inspector)
    send(client, in_progress, claimed, data[:CHUNK], 0, len(data))
    last = send(client, in_progress, claimed, data[CHUNK:], CHUNK, len(data))
    assert last.status_code == 400 and last.json()["code"] == "sha256_mismatch"
    assert client.get(endpoint(in_progress, claimed)).json()["received"] == 0

    text = b"not an image at all" * 10
    r = send(client, in_progress, inf.sha256(text), text, 0, len(text))
    assert r.status_code == 400 and r.json()["code"] != "sha256_mismatch"
    assert not PhotoBlob.objects.exists() and not PhotoUpload.objects.exists()


def test_limits_and_bad_headers(in_progress, inspector, settings):
    client = client_for(inspector)
    digest = "ab" * 32
    too_big = send(client, in_progress, digest, b"x", 0, settings.PHOTO_MAX_BYTES + 1)
    assert too_big.status_code == 413 and too_big.json()["code"] == "photo_too_large"
    big_chunk = send(client, in_progress, digest, b"x" * (CHUNK + 1), 0, 10 * CHUNK)
    assert big_chunk.status_code == 413 and big_chunk.json()["code"] == "chunk_too_large"
    past_end = send(client, in_progress, digest, b"x" * 10, 0, 5)
    assert past_end.status_code == 400 and past_end.json()["code"] == "chunk_past_end"
    no_header = client.generic(
        "PUT", endpoint(in_progress, digest), b"x", content_type="application/octet-stream"
    )
    assert no_header.status_code == 400 and "Upload-Offset" in no_header.json()["fields"]
    english = client.generic(
        "PUT",
        endpoint(in_progress, digest),
        b"x",
        content_type="application/octet-stream",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["detail"].startswith("Missing or invalid Upload-Offset header")
    bad_hash = client.get(endpoint(in_progress, "nothex"))
    assert bad_hash.status_code == 400 and bad_hash.json()["code"] == "invalid_sha256"
    send(client, in_progress, digest, b"x" * 10, 0, 20)
    other_length = send(client, in_progress, digest, b"y" * 10, 10, 30)
    assert other_length.status_code == 400
    assert other_length.json()["code"] == "upload_length_mismatch"


def test_only_assigned_inspectors_upload(in_progress, unassigned_inspector, head):
    data = noisy_jpeg()
    digest = inf.sha256(data)
    r = send(client_for(unassigned_inspector), in_progress, digest, data[:CHUNK], 0, len(data))
    assert r.status_code == 404  # not assigned: the inspection is not even visible
    r = send(client_for(head), in_progress, digest, data[:CHUNK], 0, len(data))
    assert r.status_code == 403  # the head sees the inspection but does not record it
    assert not PhotoUpload.objects.exists()


def test_stale_uploads_are_purged(in_progress, inspector):
    from datetime import timedelta

    from django.utils import timezone

    data = noisy_jpeg()
    send(client_for(inspector), in_progress, inf.sha256(data), data[:CHUNK], 0, len(data))
    assert photo_uploads.purge_stale_uploads() == 0
    PhotoUpload.objects.update(updated_at=timezone.now() - timedelta(days=8))
    assert photo_uploads.purge_stale_uploads() >= 1
    assert not PhotoUpload.objects.exists()
