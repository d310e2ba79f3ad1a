"""The inspections demo: what inspector@demo.test syncs on day one, and running it twice."""

from __future__ import annotations

import io

import pytest

from inspections.demo import accounts, catalogue, premises
from inspections.demo import inspections as demo
from inspections.models import Inspection, Photo, PhotoBlob, Report, Signature


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    out = io.StringIO()
    for module in (accounts, premises, catalogue, demo):
        module.seed(out)
    return out.getvalue()


def test_demo_gives_the_inspector_work_in_every_state(seeded):
    mine = Inspection.objects.filter(inspectors__email=demo.INSPECTOR)
    states = set(mine.values_list("state", flat=True))
    assert {"scheduled", "in_progress", "submitted"} <= states
    assert mine.filter(state="scheduled").values("premises__kind").distinct().count() >= 3
    done = Inspection.objects.get(client_uuid=demo.key("completed"))
    assert done.answers.count() == done.items.count() > 0
    assert done.findings.count() == 2 and done.photos.count() == 3
    assert set(done.signatures.values_list("role", flat=True)) == {"inspector", "representative"}
    assert Report.objects.filter(inspection=done).exists()  # queued for signing
    photo = Photo.objects.filter(inspection=done).select_related("blob").first()
    assert photo.blob.content_type == "image/jpeg" and photo.blob.width == 320


def test_demo_is_idempotent(seeded):
    counts = (
        Inspection.objects.count(),
        Photo.objects.count(),
        PhotoBlob.objects.count(),
        Signature.objects.count(),
    )
    out = io.StringIO()
    demo.seed(out)
    assert "0 scheduled, 0 started, 0 submitted now" in out.getvalue()
    assert counts == (
        Inspection.objects.count(),
        Photo.objects.count(),
        PhotoBlob.objects.count(),
        Signature.objects.count(),
    )
