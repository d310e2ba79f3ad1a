"""Report status, PDF download and verification: who may see what, and what a verifier learns."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import Report
from inspections.services import reports as service
from tests.conftest import authed, file_bytes
from tests.report_fixtures import *  # noqa: F403 (fixtures)


def _status(client, inspection):
    return client.get(reverse("api:inspection-report", kwargs={"pk": inspection.pk}))


def _pdf(client, inspection, **params):
    url = reverse("api:inspection-report-pdf", kwargs={"pk": inspection.pk})
    return client.get(url, params)


@pytest.fixture
def ready(submitted):
    return service.generate_report(submitted.pk)


def test_pending_then_ready_with_download_link(api_client, submitted, inspector):
    client = authed(api_client, inspector)
    body = _status(client, submitted).json()
    assert body["status"] == "pending" and body["download_url"] is None
    assert Report.objects.filter(inspection=submitted).count() == 1  # queued by submit

    report = service.generate_report(submitted.pk)
    body = _status(client, submitted).json()
    assert body["status"] == "ready"
    assert body["sha256"] == report.sha256
    assert body["verification_code"] == report.verification_code
    assert body["verification_url"].endswith(f"/verify/{report.verification_code}/")
    assert body["download_url"].endswith(f"/api/v1/inspections/{submitted.pk}/report/pdf/")


def test_failed_shows_the_reason(api_client, submitted, inspector):
    report = service.report_for(submitted)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.FAILED, failure_reason="SigningConfigurationError: wrong passphrase"
    )
    body = _status(authed(api_client, inspector), submitted).json()
    assert body["status"] == "failed"
    assert "wrong passphrase" in body["failure_reason"]


def test_not_submitted_has_no_report(api_client, in_progress, inspector):
    response = _status(authed(api_client, inspector), in_progress)
    assert response.status_code == 404
    assert response.json()["code"] == "report_not_available"


def test_pdf_while_pending_is_a_409(api_client, submitted, inspector):
    response = _pdf(authed(api_client, inspector), submitted)
    assert response.status_code == 409
    assert response.json()["code"] == "report_not_ready"


@pytest.mark.parametrize("who", ["inspector", "manager", "head"])
def test_allowed_people_download_the_signed_pdf(api_client, ready, submitted, who, request):
    user = request.getfixturevalue(who)
    response = _pdf(authed(api_client, user), submitted)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = file_bytes(response)
    assert hashlib.sha256(data).hexdigest() == ready.sha256 == response["X-Content-SHA256"]


@pytest.mark.parametrize(
    "who", ["outsider", "other_inspector", "unassigned_inspector", "other_head"]
)
def test_outsiders_get_404_for_status_and_pdf(api_client, ready, submitted, who, request):
    user = request.getfixturevalue(who)
    client = authed(api_client, user)
    assert _status(client, submitted).status_code == 404
    assert _pdf(client, submitted).status_code == 404


def test_anonymous_is_401(api_client, ready, submitted):
    assert _status(api_client, submitted).status_code == 401
    assert _pdf(api_client, submitted).status_code == 401


def test_english_copy_is_an_unsigned_translation_rendered_once(
    api_client, ready, submitted, inspector, head, monkeypatch
):
    from inspections.pdf.verification import verify_pdf
    from tests.inspections.pdf.helpers import pdftotext

    response = _pdf(authed(api_client, inspector), submitted, lang="en")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="bien-ban-{ready.verification_code}-en-translation-unsigned.pdf"'
    )
    data = file_bytes(response)
    text = " ".join(pdftotext(data).split())
    assert "INSPECTION RECORD On fire prevention and fighting" in text
    assert "Form PC03" in text
    assert "CONVENIENCE TRANSLATION, NOT DIGITALLY SIGNED" in text
    assert ready.verification_code in text  # the QR and footer lead to the signed original
    assert not verify_pdf(data).signed
    # Kept: the next reader gets the same file without a new rendering.
    monkeypatch.setattr(service, "render_record", lambda ctx: pytest.fail("rendered again"))
    again = _pdf(authed(api_client, head), submitted, lang="en")
    assert file_bytes(again) == data
    # An uploaded translation is not taken for the record.
    assert _verify(api_client, data).json()["result"] == "unknown"


# --- POST /api/v1/verify/ -------------------------------------------------------------------


def _verify(client, data: bytes):
    upload = SimpleUploadedFile("record.pdf", data, content_type="application/pdf")
    return client.post(reverse("api:verify"), {"file": upload}, format="multipart")


def test_verify_valid_record(api_client, ready):
    data = ready.file.open("rb").read()
    response = _verify(api_client, data)
    assert response.status_code == 200
    body = response.json()
    assert body["result"] == "valid"
    assert body["verification_url"] == (f"http://127.0.0.1:8000/verify/{ready.verification_code}/")
    signature = body["signature"]
    assert signature["unaltered"] and signature["trusted"]
    assert signature["signer"] == ready.signer
    assert signature["level"] == "B-B" and not signature["long_term"]
    assert signature["proven_signing_time"] == ""  # no TSA in tests: nothing proves the time


def test_verify_tampered_record(api_client, ready):
    data = bytearray(ready.file.open("rb").read())
    data[len(data) // 3] ^= 0x01
    body = _verify(api_client, bytes(data)).json()
    assert body["result"] == "altered"
    assert not body["signature"]["unaltered"] and "verification_url" not in body


def test_verify_our_record_under_a_root_no_longer_trusted(api_client, ready, settings):
    settings.SIGNING_TRUST_ROOTS = []
    body = _verify(api_client, ready.file.open("rb").read()).json()
    assert body["result"] == "untrusted"
    assert body["signature"]["unaltered"] and not body["signature"]["trusted"]


def test_verify_unknown_pdf(api_client, ready):
    from inspections.pdf.render import render_record
    from inspections.pdf.samples import sample_context

    unsigned = render_record(sample_context(items=2)).pdf
    assert _verify(api_client, unsigned).json() == {"result": "unknown"}
    assert _verify(api_client, b"not a pdf at all").json() == {"result": "unknown"}


def test_verify_without_file_uses_the_error_shape(api_client, db):
    response = api_client.post(reverse("api:verify"), {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "file" in response.json()["fields"]


# --- Public page /verify/<code>/ ------------------------------------------------------------


def test_public_page_proves_authenticity_and_reveals_nothing_else(client, ready, submitted):
    response = client.get(reverse("portal:verify", kwargs={"code": ready.verification_code}))
    assert response.status_code == 200
    html = response.content.decode()
    assert submitted.authority.name in html
    assert "DEVELOPMENT" in html  # the signer
    assert submitted.premises.name not in html
    assert submitted.premises.full_address not in html
    assert ready.sha256 not in html and ready.file.name not in html
    assert reverse("portal:report_download", args=[ready.pk]) not in html


@pytest.mark.parametrize("who", ["outsider", "other_head", "other_inspector"])
def test_public_page_is_the_same_for_someone_signed_in_elsewhere(
    client, ready, submitted, who, request
):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("portal:verify", kwargs={"code": ready.verification_code})).content
    assert submitted.premises.name not in html.decode()
    assert ready.sha256.encode() not in html


def test_public_page_gives_the_head_the_details_and_the_download(client, ready, submitted, head):
    client.force_login(head)
    html = client.get(reverse("portal:verify", kwargs={"code": ready.verification_code}))
    html = html.content.decode()
    assert submitted.premises.name in html and ready.sha256 in html
    download = reverse("portal:report_download", args=[ready.pk])
    assert download in html
    assert file_bytes(client.get(download)) == ready.file.open("rb").read()


def test_public_page_for_unknown_code_reveals_nothing(client, ready):
    response = client.get(reverse("portal:verify", kwargs={"code": "ZZZZZZZZZZZZ"}))
    assert response.status_code == 404
    assert ready.sha256 not in response.content.decode()


def test_public_upload_form_says_valid_and_altered(client, ready):
    data = ready.file.open("rb").read()
    url = reverse("portal:verify_upload")
    ok = client.post(url, {"file": SimpleUploadedFile("r.pdf", data)})
    assert 'data-verdict="valid"' in ok.content.decode()
    bad = bytearray(data)
    bad[len(bad) // 2] ^= 0x01
    altered = client.post(url, {"file": SimpleUploadedFile("r.pdf", bytes(bad))})
    assert 'data-verdict="altered"' in altered.content.decode()
