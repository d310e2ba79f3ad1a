# ruff: noqa: F811  (fixtures imported from tests.inspection_fixtures are parameters here)
"""A photo is reduced to print size once, when it arrives; the record uses that copy as is."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from inspections.models import Photo
from inspections.pdf.photos import PHOTO_MAX_PX
from inspections.pdf.samples import sample_photo_jpeg
from inspections.selectors.reports import _photo
from tests.api.inspection_helpers import client_for, photo_body, url
from tests.inspection_fixtures import catalogue, in_progress, scheduled  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_an_uploaded_photo_gets_its_print_size_copy(in_progress, inspector):
    phone = sample_photo_jpeg(5, width=1600, height=1200)
    r = client_for(inspector).post(url("inspection-photos", in_progress.pk), photo_body(phone))
    assert r.status_code == 201, r.json()

    photo = Photo.objects.select_related("blob").get(inspection=in_progress)
    with photo.blob.file.open("rb") as fh:
        assert fh.read() == phone  # the evidence is kept as sent
    with photo.blob.print_file.open("rb") as fh:
        small = Image.open(io.BytesIO(fh.read()))
    assert small.size[0] <= PHOTO_MAX_PX[0] and small.size[1] <= PHOTO_MAX_PX[1]

    ref = _photo(photo)
    assert ref.print_ready and ref.content_type == "image/jpeg"
    assert ref.path is not None and ref.path.name.endswith(".print.jpg")


def test_a_photo_stored_before_the_copy_existed_is_still_printed(in_progress, inspector):
    phone = sample_photo_jpeg(6, width=800, height=600)
    client_for(inspector).post(url("inspection-photos", in_progress.pk), photo_body(phone))
    photo = Photo.objects.select_related("blob").get(inspection=in_progress)
    photo.blob.print_file.delete(save=True)

    ref = _photo(photo)
    assert not ref.print_ready  # the render reduces the original instead
    assert ref.path is not None and ref.path.read_bytes() == phone
