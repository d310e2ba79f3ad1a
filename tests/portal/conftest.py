"""Portal fixtures: a published catalogue, an inspection with a finding and a signed report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from inspections.models import Finding, Inspection, Report
from inspections.services.obligations import refresh_obligations


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def catalogue(published_catalogue):
    return published_catalogue


def make_inspection(premises, authority, catalogue, *, state=Inspection.State.SIGNED, **kw):
    return Inspection.objects.create(
        premises=premises,
        authority=authority,
        kind=kw.pop("kind", Inspection.Kind.PERIODIC),
        state=state,
        catalogue_version=catalogue,
        scheduled_for=kw.pop("scheduled_for", timezone.localdate() - dt.timedelta(days=30)),
        submitted_at=kw.pop("submitted_at", timezone.now() - dt.timedelta(days=29)),
        **kw,
    )


@pytest.fixture
def inspection(premises, authority, catalogue):
    refresh_obligations(premises)
    return make_inspection(premises, authority, catalogue)


@pytest.fixture
def finding(inspection):
    return Finding.objects.create(
        inspection=inspection,
        premises=inspection.premises,
        description="Bình chữa cháy tại tầng 2 đã hết hạn kiểm định",
        severity="major",
        remediation_deadline=timezone.localdate() + dt.timedelta(days=10),
    )


@pytest.fixture
def report(inspection):
    r = Report.objects.create(
        inspection=inspection,
        status=Report.Status.READY,
        sha256="ab" * 32,
        signer="CN=PCCC Inspect development signer",
        signed_at=timezone.now(),
    )
    r.file.save("record.pdf", ContentFile(b"%PDF-1.7\n% signed record\n"), save=True)
    return r


@pytest.fixture
def other_inspection(other_premises, other_authority, catalogue):
    return make_inspection(other_premises, other_authority, catalogue)


@pytest.fixture
def other_finding(other_inspection):
    return Finding.objects.create(
        inspection=other_inspection,
        premises=other_inspection.premises,
        description="Lối thoát nạn bị chắn",
        severity="critical",
        remediation_deadline=timezone.localdate() - dt.timedelta(days=3),
    )
