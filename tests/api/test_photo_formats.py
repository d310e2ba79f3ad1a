"""Photos as phones take them: MPO (a JPEG with extra images appended) is accepted as JPEG."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.api.inspection_helpers import client_for, photo_body, url
from tests.conftest import file_bytes

pytestmark = pytest.mark.django_db


def mpo_bytes() -> bytes:
    """What a dual-camera phone writes: the photo, then a second image (depth or preview)."""
    first = Image.new("RGB", (64, 48), (200, 30, 30))
    second = Image.new("RGB", (64, 48), (30, 30, 200))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).format == "MPO"
    return data


def test_mpo_photo_from_a_phone_is_accepted_as_jpeg(in_progress, inspector, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    data = mpo_bytes()
    client = client_for(inspector)
    response = client.post(
        url("inspection-photos", in_progress.pk), photo_body(data), format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == "image/jpeg" and (body["width"], body["height"]) == (64, 48)
    served = client.get(body["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert file_bytes(served) == data  # stored as sent: nothing of the phone's file is lost


def test_mpo_is_still_not_a_png_signature(in_progress, inspector, settings, tmp_path):
    from tests.api.inspection_helpers import signature_body

    settings.MEDIA_ROOT = str(tmp_path)
    response = client_for(inspector).post(
        url("inspection-signatures", in_progress.pk),
        signature_body("inspector", data=mpo_bytes()),
        format="multipart",
    )
    assert response.status_code == 400
