"""Signed records validate with pyHanko and Poppler; one changed byte makes both reject them."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from inspections.pdf.render import render_record
from inspections.pdf.samples import sample_context
from inspections.pdf.signing import SigningConfigurationError, load_signing_identity, sign_pdf
from inspections.pdf.verification import load_trust_roots, verify_pdf
from tests.signing_fixtures import PASSPHRASE

from .helpers import info_producer, nss_db_trusting, output_intents, pdffonts, pdfsig, xmp


@pytest.fixture(scope="module")
def signed(dev_pki):
    ctx = sample_context(items=12, photos=1)
    rendered = render_record(ctx)
    identity = load_signing_identity(dev_pki["p12"], PASSPHRASE)
    result = sign_pdf(
        rendered.pdf,
        box=rendered.signature_box,
        verification_code=ctx.verification_code,
        identity=identity,
        tsa_url="",
    )
    return ctx, rendered, result


def _flip_byte(pdf: bytes, at: float = 0.3) -> bytes:
    data = bytearray(pdf)
    index = int(len(data) * at)
    data[index] = (data[index] + 1) % 256
    return bytes(data)


def test_pyhanko_says_intact_trusted_and_whole_file(signed, dev_pki):
    _, _, result = signed
    outcome = verify_pdf(result.pdf, load_trust_roots([str(dev_pki["ca"])]))
    assert outcome.valid, outcome
    assert (outcome.intact, outcome.trusted, outcome.covers_whole_file) == (True, True, True)
    assert "DEVELOPMENT" in outcome.signer
    assert result.level == "B-B"


def test_unknown_root_is_not_trusted(signed):
    _, _, result = signed
    outcome = verify_pdf(result.pdf, trust_roots=[])
    assert outcome.intact and not outcome.trusted and not outcome.valid


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_one_changed_byte_fails_validation(signed, dev_pki, where):
    _, _, result = signed
    outcome = verify_pdf(_flip_byte(result.pdf, where), load_trust_roots([str(dev_pki["ca"])]))
    assert not outcome.valid


def test_appended_bytes_are_not_covered(signed, dev_pki):
    _, _, result = signed
    outcome = verify_pdf(result.pdf + b"\n%extra\n", load_trust_roots([str(dev_pki["ca"])]))
    assert not outcome.valid


def test_pdfsig_valid_whole_document_and_trusted_with_nss(signed, dev_pki, tmp_path):
    _, _, result = signed
    out = pdfsig(result.pdf)
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    assert "ETSI.CAdES.detached" in out
    nss = nss_db_trusting(dev_pki["ca"], tmp_path / "nss")
    assert "Certificate is Trusted" in pdfsig(result.pdf, nssdir=nss)


def test_pdfsig_reports_digest_mismatch_after_one_changed_byte(signed):
    _, _, result = signed
    out = pdfsig(_flip_byte(result.pdf, 0.5))
    assert "Digest Mismatch" in out
    assert "Signature is Valid" not in out


def test_signed_file_stays_pdfa_consistent(signed):
    _, rendered, result = signed
    metadata = xmp(result.pdf)
    producer = re.search(
        r"<pdf:Producer>([^<]*)</pdf:Producer>|pdf:Producer=\"([^\"]*)\"", metadata
    )
    assert producer
    assert info_producer(result.pdf) == (producer.group(1) or producer.group(2))
    assert re.search(r"pdfaid:part(>|=\")3", metadata)
    assert output_intents(result.pdf)
    fonts = pdffonts(result.pdf)
    assert not any("Courier" in row[0] for row in fonts), fonts
    assert all("yes" in row[-5:-3] for row in fonts), fonts
    assert result.pdf.startswith(rendered.pdf)  # incremental update: rendered bytes untouched


def test_wrong_passphrase_fails_loudly(dev_pki):
    with pytest.raises(SigningConfigurationError, match="PASSPHRASE"):
        load_signing_identity(dev_pki["p12"], "not-the-passphrase")


def test_missing_key_file_names_the_command(tmp_path):
    with pytest.raises(SigningConfigurationError, match="create_dev_signing_cert"):
        load_signing_identity(tmp_path / "absent.p12", "x")


def test_pc02_stamp_uses_the_heads_drawing_and_validates(dev_pki):
    ctx = sample_context(items=3, form="pc02")
    rendered = render_record(ctx)
    result = sign_pdf(
        rendered.pdf,
        box=rendered.signature_box,
        verification_code=ctx.verification_code,
        identity=load_signing_identity(dev_pki["p12"], PASSPHRASE),
        stamp_png=ctx.signature("facility_head").png,
        tsa_url="",
    )
    assert verify_pdf(result.pdf, load_trust_roots([str(dev_pki["ca"])])).valid
    assert "Signature is Valid" in pdfsig(result.pdf)


def test_create_dev_signing_cert_is_idempotent(settings, tmp_path):
    settings.SIGNING_P12_PATH = str(tmp_path / "dev.p12")
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "ca.pem")]
    settings.SIGNING_P12_PASSPHRASE = "pass-for-test"
    call_command("create_dev_signing_cert")
    first = (tmp_path / "dev.p12").read_bytes(), (tmp_path / "ca.pem").read_bytes()
    call_command("create_dev_signing_cert")
    assert ((tmp_path / "dev.p12").read_bytes(), (tmp_path / "ca.pem").read_bytes()) == first
    identity = load_signing_identity()
    assert identity.is_development
    assert "NOT FOR PRODUCTION" in identity.subject


def _tsa(tmp_path):
    """A throw-away timestamp authority (EKU timeStamping) with its own self-signed root."""
    import datetime as dt

    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    asn1_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    asn1_key = keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return DummyTimeStamper(tsa_cert=asn1_cert, tsa_key=asn1_key), asn1_cert


def test_with_a_timestamp_authority_the_signature_is_b_t(dev_pki, tmp_path):
    timestamper, tsa_root = _tsa(tmp_path)
    ctx = sample_context(items=3)
    rendered = render_record(ctx)
    result = sign_pdf(
        rendered.pdf,
        box=rendered.signature_box,
        verification_code=ctx.verification_code,
        identity=load_signing_identity(dev_pki["p12"], PASSPHRASE),
        timestamper=timestamper,
    )
    assert result.level == "B-T"
    roots = [*load_trust_roots([str(dev_pki["ca"])]), tsa_root]
    outcome = verify_pdf(result.pdf, roots)
    assert outcome.valid and outcome.timestamped
    assert "Signature is Valid" in pdfsig(result.pdf)


def test_tsa_url_setting_selects_the_http_timestamper(signing_settings, settings):
    from unittest import mock

    settings.SIGNING_TSA_URL = "http://tsa.example.test/"
    ctx = sample_context(items=1)
    rendered = render_record(ctx)
    with mock.patch("pyhanko.sign.timestamps.HTTPTimeStamper") as http:
        http.side_effect = RuntimeError("no network in tests")
        with pytest.raises(RuntimeError, match="no network"):
            sign_pdf(rendered.pdf, box=rendered.signature_box, verification_code="X")
    http.assert_called_once_with("http://tsa.example.test/", timeout=20)
