"""Records signed with a key on a real PKCS#11 token (SoftHSM2), one key per authority, then
upgraded to PAdES B-LTA by the worker against a local PKI (OCSP, CRL, TSA over HTTP)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from inspections.models import AuthoritySigner, Report, ReportRevision
from inspections.pdf.errors import SigningConfigurationError
from inspections.pdf.render import render_record
from inspections.pdf.samples import sample_context
from inspections.pdf.signing import open_signing_identity, sign_pdf
from inspections.pdf.verification import verify_pdf
from inspections.selectors.signing import signer_config_for
from inspections.services import long_term
from inspections.services import reports as service
from tests import factories as f
from tests.local_pki import TOKEN_PIN
from tests.report_fixtures import complete

PIN = TOKEN_PIN


@pytest.fixture
def token_settings(settings, hsm_tokens):
    token = hsm_tokens["hk"]
    settings.SIGNING_KEY_BACKEND = "pkcs11"
    settings.SIGNING_PKCS11_MODULE = token.module
    settings.SIGNING_PKCS11_TOKEN_LABEL = token.token_label
    settings.SIGNING_PKCS11_KEY_LABEL = token.key_label
    settings.SIGNING_PKCS11_CERT_LABEL = ""
    settings.SIGNING_PKCS11_PIN = PIN
    settings.SIGNING_PKCS11_PIN_FILE = ""
    return token


def test_a_record_signed_on_the_token_validates_with_the_chain(token_settings, local_pki):
    ctx = sample_context(items=3, photos=0)
    rendered = render_record(ctx)
    with open_signing_identity() as identity:
        assert identity.subject == "Nguyễn Văn Ký (UBND Phường Thử)"
        signed = sign_pdf(
            rendered.pdf,
            box=rendered.signature_box,
            verification_code=ctx.verification_code,
            identity=identity,
            tsa_url="",
        )
    outcome = verify_pdf(signed.pdf, [local_pki.root])
    assert outcome.valid, outcome
    assert outcome.organisation == "UBND Phường Thử"


def test_a_wrong_pin_fails_loudly(token_settings, settings):
    settings.SIGNING_PKCS11_PIN = "000000"
    with pytest.raises(SigningConfigurationError, match="PCCC-HK"), open_signing_identity():
        pass


def test_pin_from_a_secret_file(token_settings, settings, tmp_path):
    secret = tmp_path / "pin"
    secret.write_text(PIN + "\n")
    settings.SIGNING_PKCS11_PIN = ""
    settings.SIGNING_PKCS11_PIN_FILE = str(secret)
    with open_signing_identity() as identity:
        assert identity.subject.startswith("Nguyễn Văn Ký")


@pytest.mark.django_db
def test_each_authority_signs_with_its_own_token(
    hsm_tokens,
    local_pki,
    settings,
    monkeypatch,
    in_progress,
    inspector,
    media,
    signing_settings,
):
    settings.SIGNING_TRUST_ROOTS = []
    own = hsm_tokens["hk"]
    monkeypatch.setenv("PCCC_HK_PIN", PIN)
    AuthoritySigner.objects.create(
        authority=in_progress.authority,
        backend=AuthoritySigner.Backend.PKCS11,
        pkcs11_module=own.module,
        pkcs11_token_label=own.token_label,
        pkcs11_key_label=own.key_label,
        secret_env="PCCC_HK_PIN",
    )
    other = f.AuthorityFactory(name="UBND Xã Khác")
    other_token = hsm_tokens["khac"]
    AuthoritySigner.objects.create(
        authority=other,
        backend=AuthoritySigner.Backend.PKCS11,
        pkcs11_module=own.module,
        pkcs11_token_label=other_token.token_label,
        pkcs11_key_label="record-signing",
        secret_env="PCCC_HK_PIN",
    )
    assert signer_config_for(other).pkcs11_token_label == other_token.token_label
    assert signer_config_for(None).backend == "pkcs12"  # no authority: the deployment's key

    report = service.generate_report(complete(in_progress, inspector).pk)
    assert report.signer == "Nguyễn Văn Ký (UBND Phường Thử)"
    data = default_storage.open(report.file.name).read()
    assert verify_pdf(data, [local_pki.root]).valid


@pytest.mark.django_db
def test_worker_upgrades_the_record_to_b_lta_and_keeps_the_old_hash_verifiable(
    local_pki,
    settings,
    in_progress,
    inspector,
    media,
    signing_settings,
    eager,
    django_capture_on_commit_callbacks,
):
    settings.SIGNING_TSA_URL = local_pki.tsa_url()
    settings.SIGNING_TRUST_ROOTS = [str(local_pki.directory / "root.pem")]
    (local_pki.directory / "root.pem").write_bytes(local_pki.root.dump())
    AuthoritySigner.objects.create(
        authority=in_progress.authority,
        backend=AuthoritySigner.Backend.PKCS12,
        p12_path=str(local_pki.directory / "signer.p12"),
        secret_file=str(local_pki.directory / "p12-pass"),
    )
    local_pki.write_pkcs12("signer", local_pki.directory / "signer.p12", b"p12-secret")
    (local_pki.directory / "p12-pass").write_text("p12-secret")

    with django_capture_on_commit_callbacks(execute=True):
        report = service.generate_report(complete(in_progress, inspector).pk)
    report.refresh_from_db()
    assert report.signature_level == "B-LTA" and not report.ltv_pending
    assert report.archive_expires_at.year == 2100
    first_hash = ReportRevision.objects.get(report=report).sha256
    assert first_hash != report.sha256

    data = default_storage.open(report.file.name).read()
    outcome = verify_pdf(data)
    assert outcome.valid and outcome.level == "B-LTA", outcome
    # A copy downloaded before the upgrade is still recognised as this record.
    assert service.report_by_sha256(first_hash) == report
    assert long_term.upgrade_to_long_term(report.pk) is None  # done once
    assert Report.objects.get(pk=report.pk).sha256 == report.sha256


@pytest.mark.django_db
def test_tsa_down_keeps_the_record_and_retries_later(
    local_pki,
    settings,
    in_progress,
    inspector,
    media,
    signing_settings,
):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/down"
    report = service.generate_report(complete(in_progress, inspector).pk)
    assert report.status == Report.Status.READY  # submission never waits for the TSA
    assert report.signature_level == "B-B" and report.ltv_pending
    with pytest.raises(Exception):  # noqa: B017 — any network error: the task retries
        long_term.upgrade_to_long_term(report.pk)
    report.refresh_from_db()
    assert report.ltv_pending and report.ltv_error and report.ltv_attempts == 1
    assert list(long_term.reports_waiting_for_upgrade()) == [report]


@pytest.mark.django_db
def test_check_signatures_reports_levels_renewals_and_alterations(
    local_pki,
    settings,
    in_progress,
    inspector,
    media,
    signing_settings,
    eager,
    django_capture_on_commit_callbacks,
    tmp_path,
):
    settings.SIGNING_TSA_URL = local_pki.tsa_url("tsa_short")  # its certificate ends in 60 days
    (tmp_path / "root.der").write_bytes(local_pki.root.dump())
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "root.der")]
    settings.SIGNING_P12_PATH = str(
        local_pki.write_pkcs12("signer", tmp_path / "signer.p12", b"p12-secret")
    )
    settings.SIGNING_P12_PASSPHRASE = "p12-secret"
    with django_capture_on_commit_callbacks(execute=True):
        report = service.generate_report(complete(in_progress, inspector).pk)
    report.refresh_from_db()
    assert report.signature_level == "B-LTA"

    out = io.StringIO()
    call_command("check_signatures", "--json", "--window-days", "90", stdout=out)
    (row,) = json.loads(out.getvalue())["records"]
    assert row["valid"] and row["level"] == "B-LTA" and row["renew"] and row["stored_hash_matches"]
    assert list(long_term.reports_needing_renewal(90)) == [report]
    assert list(long_term.reports_needing_renewal(30)) == []

    # Renewal with the long-lived TSA moves the archive horizon far out.
    settings.SIGNING_TSA_URL = local_pki.tsa_url()
    renewed = long_term.renew_archive_timestamp(report.pk)
    assert renewed.archive_expires_at.year == 2100
    assert list(long_term.reports_needing_renewal(90)) == []

    data = bytearray(default_storage.open(renewed.file.name).read())
    data[len(data) // 3] ^= 0x01
    with default_storage.open(renewed.file.name, "wb") as handle:
        handle.write(bytes(data))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_signatures", stdout=out)
    assert exit_info.value.code == 1
    assert out.getvalue().startswith("BAD " + report.verification_code)
    assert "file differs from the stored hash" in out.getvalue()
