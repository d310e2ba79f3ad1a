"""Two retries of the same request racing on PostgreSQL create one object."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection

from inspections.models import Answer, Inspection, Photo, PhotoBlob
from tests import inspection_factories as inf
from tests.api.inspection_helpers import client_for, one_answer, photo_body, url

pytestmark = [pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def race(user, send: Callable, n: int = 2) -> list:
    """Run ``send(client)`` in ``n`` threads released at the same instant."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i: int) -> None:
        try:
            client = client_for(user)
            barrier.wait()
            results[i] = send(client)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_racing_unplanned_start_creates_one(
    transactional_db, require_postgres, catalogue, inspector, authority, premises
):
    body = {
        "client_uuid": str(uuid.uuid4()),
        "premises": premises.pk,
        "kind": "unannounced",
        "authority": authority.pk,
        "unannounced_reason": "Phản ánh của người dân",
    }
    responses = race(inspector, lambda c: c.post(url("inspections-unplanned"), body, format="json"))
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert {r.json()["id"] for r in responses} == {Inspection.objects.get().pk}


def test_racing_answer_batches_store_each_answer_once(
    transactional_db, require_postgres, in_progress, inspector
):
    batch = [one_answer(i.pk) for i in in_progress.items.all()]
    body = {"version": in_progress.version, "answers": batch}
    responses = race(
        inspector, lambda c: c.put(url("inspection-answers", in_progress.pk), body, format="json")
    )
    assert [r.status_code for r in responses] == [200, 200]
    statuses = sorted({x["status"] for r in responses for x in r.json()["results"]})
    assert statuses == ["created", "unchanged"]
    assert Answer.objects.filter(inspection=in_progress).count() == len(batch)
    in_progress.refresh_from_db()
    assert in_progress.version == 3  # created 1, started 2, one batch 3


def test_racing_photo_uploads_store_one_photo(
    transactional_db, require_postgres, in_progress, inspector
):
    data = inf.jpeg_bytes(42)
    key = uuid.uuid4()
    responses = race(
        inspector,
        lambda c: c.post(
            url("inspection-photos", in_progress.pk), photo_body(data, key), format="multipart"
        ),
    )
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert Photo.objects.count() == 1 and PhotoBlob.objects.count() == 1


def test_racing_distinct_photos_of_same_bytes_share_one_blob(
    transactional_db, require_postgres, in_progress, inspector
):
    data = inf.jpeg_bytes(43)
    responses = race(
        inspector,
        lambda c: c.post(
            url("inspection-photos", in_progress.pk), photo_body(data), format="multipart"
        ),
    )
    assert [r.status_code for r in responses] == [201, 201]
    assert Photo.objects.count() == 2 and PhotoBlob.objects.count() == 1


def test_racing_resumable_chunks_store_each_byte_once(
    transactional_db, require_postgres, in_progress, inspector, settings
):
    from inspections.models import PhotoUploadChunk

    settings.PHOTO_CHUNK_MAX_BYTES = 1024
    data = inf.jpeg_bytes(seed=5, size=(64, 48))
    digest = inf.sha256(data)
    created = client_for(inspector).post(
        url("inspection-photo-uploads", in_progress.pk),
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(len(data)),
    )
    location = created["Location"]

    def chunk(client, offset):
        return client.generic(
            "PATCH",
            location,
            data[offset : offset + 1024],
            content_type="application/offset+octet-stream",
            HTTP_TUS_RESUMABLE="1.0.0",
            HTTP_UPLOAD_OFFSET=str(offset),
        )

    # Two copies of each chunk race (a retry overtaking its original) until the photo is whole.
    offset = 0
    while offset < len(data):
        responses = race(inspector, lambda c, at=offset: chunk(c, at))
        assert [r.status_code for r in responses] == [204, 204], [r.content for r in responses]
        offset = max(int(r["Upload-Offset"]) for r in responses)
        if offset < len(data):
            assert PhotoUploadChunk.objects.filter(offset__lt=offset).count() == -(-offset // 1024)
    assert PhotoBlob.objects.get(sha256=digest).file.read() == data
