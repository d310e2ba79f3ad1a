"""Stored files are private: every file route asks the access module, then sends the bytes
(Django in development, X-Accel-Redirect in production, a pre-signed redirect with S3)."""

from __future__ import annotations

import hashlib
import importlib
import io
import os
import subprocess
import sys
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import Resolver404, URLResolver, clear_url_caches, reverse
from django.urls.resolvers import RegexPattern
from pypdf import PdfWriter

from inspections.models import Notification, NotificationKind, Report
from inspections.services import remediation
from inspections.services.summary_delivery import summary_file_path
from tests.conftest import file_bytes

ALLOWED = ["inspector", "manager", "head"]
REFUSED = ["outsider", "other_inspector", "other_head", "unassigned_inspector"]


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


RECORD = pdf_bytes(2)
EVIDENCE = pdf_bytes(1)
SUMMARY = "Xã,Cơ sở\nHoàn Kiếm,2\n".encode()


@pytest.fixture
def world(submitted, head, manager, authority):
    """A submitted inspection with its photo and signatures, a ready record (stored directly:
    signing is tested elsewhere), the head's PDF evidence and the manager's summary file."""
    report = Report.objects.get(inspection=submitted)
    report.status = Report.Status.READY
    report.sha256 = hashlib.sha256(RECORD).hexdigest()
    report.file.save("record.pdf", ContentFile(RECORD), save=False)
    report.save()
    evidence = remediation.add_finding_evidence(
        user=head,
        finding=submitted.findings.get(),
        data=EVIDENCE,
        original_name='../Biên bản "khắc phục".pdf',
    )
    summary = Notification.objects.create(
        kind=NotificationKind.SUMMARY_WEEKLY,
        subject_key=f"authority:{authority.pk}",
        due_on=date(2026, 11, 22),
        stage="weekly",
        channel="email",
        recipient_key=f"user:{manager.pk}",
        user=manager,
        payload={
            "authority_id": authority.pk,
            "figures": {"period": {"kind": "weekly", "end": "2026-11-22"}},
        },
    )
    default_storage.save(summary_file_path(summary, "csv"), ContentFile(SUMMARY))
    photo = submitted.photos.select_related("blob").get()
    signature = submitted.signatures.get(role="inspector")
    return {
        "inspection": submitted,
        "report": report,
        "evidence": evidence,
        "summary": summary,
        "photo": photo,
        "signature": signature,
    }


def routes(w) -> dict[str, tuple[str, bytes]]:
    """Every route that serves a stored file of the inspection, with the bytes it serves."""
    pk = w["inspection"].pk
    photo, signature, report = w["photo"], w["signature"], w["report"]
    with photo.blob.file.open("rb") as fh:
        photo_data = fh.read()
    with signature.image.open("rb") as fh:
        signature_data = fh.read()
    return {
        "api-photo": (
            reverse(
                "api:inspection-photo-file", kwargs={"pk": pk, "client_uuid": photo.client_uuid}
            ),
            photo_data,
        ),
        "api-signature": (
            reverse(
                "api:inspection-signature-file",
                kwargs={"pk": pk, "client_uuid": signature.client_uuid},
            ),
            signature_data,
        ),
        "api-record": (reverse("api:inspection-report-pdf", kwargs={"pk": pk}), RECORD),
        "api-record-en": (
            reverse("api:inspection-report-pdf", kwargs={"pk": pk}) + "?lang=en",
            b"%PDF-",
        ),
        "portal-record": (reverse("portal:report_download", args=[report.pk]), RECORD),
        "portal-record-en": (
            reverse("portal:report_download", args=[report.pk]) + "?lang=en",
            b"%PDF-",
        ),
        "portal-evidence": (reverse("portal:evidence_download", args=[w["evidence"].pk]), EVIDENCE),
    }


SAME_BYTES = ["api-photo", "api-signature", "api-record", "portal-record", "portal-evidence"]
ALL_ROUTES = [*SAME_BYTES, "api-record-en", "portal-record-en"]


# One test per persona, looping over the routes: the world takes seconds to build.
@pytest.mark.parametrize("who", ALLOWED)
def test_who_may_see_the_inspection_gets_the_bytes(client, world, who, request):
    client.force_login(request.getfixturevalue(who))
    for route in SAME_BYTES:
        url, data = routes(world)[route]
        response = client.get(url)
        assert response.status_code == 200, route
        assert file_bytes(response) == data, route
        assert response["X-Content-Type-Options"] == "nosniff", route
        assert "private" in response["Cache-Control"], route


@pytest.mark.parametrize("who", REFUSED)
def test_anyone_else_signed_in_gets_404(client, world, who, request):
    client.force_login(request.getfixturevalue(who))
    for route in ALL_ROUTES:
        url, data = routes(world)[route]
        response = client.get(url)
        assert response.status_code == 404, route
        assert data[:64] not in response.content, route
    assert not Report.objects.get(pk=world["report"].pk).english_copy  # nothing was rendered


def test_anonymous_gets_nothing(client, world):
    for route in ALL_ROUTES:
        url, _data = routes(world)[route]
        response = client.get(url)
        if route.startswith("api-"):
            assert response.status_code == 401, route
        else:
            assert response.status_code == 302, route
            assert response["Location"].startswith(reverse("portal:login")), route


def test_downloads_are_attachments_with_safe_names_and_checked_types(client, world, head):
    client.force_login(head)
    r = routes(world)
    evidence = client.get(r["portal-evidence"][0])
    assert evidence["Content-Type"] == "application/pdf"
    # The uploaded name had a path, quotes and Vietnamese letters: none reaches the header.
    assert evidence["Content-Disposition"] == 'attachment; filename="Bien-ban-khac-phuc.pdf"'
    record = client.get(r["portal-record"][0])
    code = world["report"].verification_code
    assert record["Content-Disposition"] == f'attachment; filename="bien-ban-{code}.pdf"'
    photo = client.get(r["api-photo"][0])
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["Content-Disposition"].startswith("inline;")  # checked image: shown in place


def test_api_url_fields_point_to_the_checked_views(api_client, world, inspector, outsider):
    from tests.conftest import authed

    pk = world["inspection"].pk
    body = authed(api_client, inspector).get(reverse("api:inspection", kwargs={"pk": pk})).json()
    r = routes(world)
    assert [p["url"] for p in body["photos"]] == [r["api-photo"][0]]
    assert r["api-signature"][0] in [s["url"] for s in body["signatures"]]
    for item in [*body["photos"], *body["signatures"]]:
        assert "/media/" not in item["url"]
        response = api_client.get(item["url"])  # the phone's own token works on them
        assert response.status_code == 200
    assert authed(api_client, outsider).get(body["photos"][0]["url"]).status_code == 404


def test_summary_files_only_for_their_recipient(client, world, manager, head, inspector):
    from tests import factories as f

    url = reverse("portal:summary_file", args=[world["summary"].pk, "csv"])
    colleague = f.UserFactory(email="manager2@test.vn")
    f.MembershipFactory(user=colleague, authority=world["inspection"].authority, role="manager")
    for user in (head, inspector, colleague):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200 and file_bytes(response) == SUMMARY
    assert response["Content-Disposition"] == (
        f'attachment; filename="pccc-weekly-2026-11-22-{world["inspection"].authority_id}.csv"'
    )


# --- Production: nginx sends the file, the application only checks ----------------------------


def production_setting(*names: str) -> list[str]:
    """Settings as config.settings_production computes them (in a fresh interpreter: importing
    it here would change this process's settings)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "pccc.example.vn",
    }
    env.pop("SENDFILE_BACKEND", None)
    code = f"from django.conf import settings; print(*(getattr(settings, n) for n in {names!r}))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def test_production_settings_send_files_with_x_accel_redirect(client, world, head, settings):
    backend, url = production_setting("SENDFILE_BACKEND", "SENDFILE_URL")
    assert backend == "django_sendfile.backends.nginx"
    settings.SENDFILE_BACKEND, settings.SENDFILE_URL = backend, url
    client.force_login(head)
    report = world["report"]
    response = client.get(routes(world)["portal-record"][0])
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/private-media/{report.file.name}"
    assert response.content == b""  # nginx reads the file from its internal location
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"

    photo = client.get(routes(world)["api-photo"][0])
    assert photo["X-Accel-Redirect"] == f"/private-media/{world['photo'].blob.file.name}"
    assert photo["Content-Type"] == "image/jpeg"


def test_no_url_serves_media_even_in_debug(settings):
    settings.DEBUG = True
    urls = importlib.reload(importlib.import_module("config.urls"))
    try:
        resolver = URLResolver(RegexPattern(r"^/"), urls.urlpatterns)
        for path in ("/media/reports/ab/record.pdf", "/media/summaries/1/summary.csv"):
            with pytest.raises(Resolver404):
                resolver.resolve(path)
    finally:
        settings.DEBUG = False
        importlib.reload(urls)
        clear_url_caches()


# --- S3: a short-lived pre-signed URL, the bucket stays private -------------------------------


@pytest.fixture
def s3(settings):
    moto = pytest.importorskip("moto")
    import boto3

    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="pccc-private")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "pccc-private",
                    "access_key": "test",
                    "secret_key": "test",
                    "region_name": "us-east-1",
                    "default_acl": None,
                    "querystring_auth": True,
                    "signature_version": "s3v4",
                },
            },
        }
        yield


def test_s3_files_are_a_short_lived_presigned_redirect(client, world, head, s3):
    import requests

    report = world["report"]
    report.file.save("record.pdf", ContentFile(RECORD), save=True)  # now in the bucket
    client.force_login(head)
    response = client.get(reverse("portal:report_download", args=[report.pk]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert report.file.name in location.path
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]
    assert query["response-content-disposition"] == [
        f'attachment; filename="bien-ban-{report.verification_code}.pdf"'
    ]
    assert requests.get(response["Location"], timeout=5).content == RECORD
    # Without the signature the object is not readable.
    unsigned = f"{location.scheme}://{location.netloc}{location.path}"
    assert requests.get(unsigned, timeout=5).status_code == 403

    client.force_login(world["inspection"].inspectors.first())
    assert client.get(reverse("portal:report_download", args=[report.pk])).status_code == 302
