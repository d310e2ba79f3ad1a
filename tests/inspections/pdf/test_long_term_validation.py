"""PAdES B-LTA against a real local PKI (OCSP, CRL and TSA over HTTP): a record signed today stays
valid after its signer is revoked and its certificate expires; an altered one never does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from pyhanko.sign import timestamps

from inspections.pdf import ltv
from inspections.pdf.render import render_record
from inspections.pdf.samples import sample_context
from inspections.pdf.signing import SigningIdentity, sign_pdf
from inspections.pdf.verification import verify_pdf

from .helpers import pdfsig


@pytest.fixture(scope="module")
def rendered():
    ctx = sample_context(items=4, photos=0)
    return ctx, render_record(ctx)


def _sign(pki, rendered, *, tsa_url: str, label: str = "signer"):
    ctx, out = rendered
    identity = SigningIdentity(
        signer=pki.simple_signer(label), subject="Nguyễn Văn Ký", is_development=False
    )
    return sign_pdf(
        out.pdf,
        box=out.signature_box,
        verification_code=ctx.verification_code,
        identity=identity,
        tsa_url=tsa_url,
    )


def _later(days: int):
    return time_machine.travel(datetime.now(UTC) + timedelta(days=days), tick=True)


def test_signed_b_t_then_upgraded_to_b_lta(local_pki, rendered):
    signed = _sign(local_pki, rendered, tsa_url=local_pki.tsa_url())
    assert signed.level == "B-T" and ltv.level_of(signed.pdf) == "B-T"

    upgraded = ltv.make_long_term(
        signed.pdf,
        timestamper=timestamps.HTTPTimeStamper(local_pki.tsa_url()),
        trust_roots=[local_pki.root],
    )
    assert upgraded.level == "B-LTA" and ltv.level_of(upgraded.pdf) == "B-LTA"
    assert upgraded.archive_expires_at.year == 2100  # the long-lived TSA's certificate

    today = verify_pdf(upgraded.pdf, [local_pki.root])
    assert today.valid, today
    assert today.level == "B-LTA" and today.long_term and today.timestamped
    assert today.organisation == "UBND Phường Thử"
    assert today.archive_valid_until.startswith("2100-01-01")


def test_still_valid_after_revocation_and_expiry_of_the_signer(local_pki, rendered):
    signed = _sign(local_pki, rendered, tsa_url=local_pki.tsa_url())
    lta = ltv.make_long_term(
        signed.pdf,
        timestamper=timestamps.HTTPTimeStamper(local_pki.tsa_url()),
        trust_roots=[local_pki.root],
    )
    plain = _sign(local_pki, rendered, tsa_url="")  # B-B: nothing proves when it was signed

    # Day 40: the signer was revoked on day 2 and its certificate ended on day 30; the PKI's
    # responders now say so.
    with _later(40):
        later = verify_pdf(lta.pdf, [local_pki.root])
        assert later.valid, later
        assert later.intact and later.trusted and later.covers_whole_file
        assert later.proven_time  # the signature timestamp proves the signing time

        without_ltv = verify_pdf(plain.pdf, [local_pki.root])
        assert without_ltv.intact and not without_ltv.trusted


def test_one_flipped_byte_in_a_long_term_record_is_altered(local_pki, rendered):
    signed = _sign(local_pki, rendered, tsa_url=local_pki.tsa_url())
    lta = ltv.make_long_term(
        signed.pdf,
        timestamper=timestamps.HTTPTimeStamper(local_pki.tsa_url()),
        trust_roots=[local_pki.root],
    )
    for where in (0.2, 0.6, 0.97):
        data = bytearray(lta.pdf)
        index = int(len(data) * where)
        data[index] = (data[index] + 1) % 256
        outcome = verify_pdf(bytes(data), [local_pki.root])
        assert not outcome.valid, (where, outcome)


def test_an_untrusted_key_is_reported_untrusted(local_pki, rendered):
    signed = _sign(local_pki, rendered, tsa_url=local_pki.tsa_url())
    lta = ltv.make_long_term(
        signed.pdf,
        timestamper=timestamps.HTTPTimeStamper(local_pki.tsa_url()),
        trust_roots=[local_pki.root],
    )
    outcome = verify_pdf(lta.pdf, trust_roots=[])
    assert outcome.intact and not outcome.trusted and not outcome.valid


def test_tsa_down_signs_b_b_instead_of_failing(local_pki, rendered):
    signed = _sign(local_pki, rendered, tsa_url="http://127.0.0.1:9/unreachable-tsa")
    assert signed.level == "B-B"
    assert verify_pdf(signed.pdf, [local_pki.root]).valid


def test_archival_timestamp_renewed_before_its_tsa_certificate_ends(local_pki, rendered):
    signed = _sign(local_pki, rendered, tsa_url=local_pki.tsa_url("tsa_short"))
    short = ltv.make_long_term(
        signed.pdf,
        timestamper=timestamps.HTTPTimeStamper(local_pki.tsa_url("tsa_short")),
        trust_roots=[local_pki.root],
    )
    assert short.archive_expires_at < datetime.now(UTC) + timedelta(days=61)

    with _later(50):  # ten days before the short TSA certificate ends
        renewed = ltv.renew_archive_timestamp(
            short.pdf,
            timestamper=timestamps.HTTPTimeStamper(local_pki.tsa_url()),
            trust_roots=[local_pki.root],
        )
    assert renewed.archive_expires_at.year == 2100
    assert len(ltv.document_timestamps(ltv._reader(renewed.pdf))) == 2

    with _later(120):  # both the signer and the first TSA certificate have ended
        assert verify_pdf(renewed.pdf, [local_pki.root]).valid
        assert not verify_pdf(short.pdf, [local_pki.root]).trusted


def test_poppler_validates_the_record_signature_of_a_b_lta_file(local_pki, rendered):
    signed = _sign(local_pki, rendered, tsa_url=local_pki.tsa_url())
    lta = ltv.make_long_term(
        signed.pdf,
        timestamper=timestamps.HTTPTimeStamper(local_pki.tsa_url()),
        trust_roots=[local_pki.root],
    )
    out = pdfsig(lta.pdf)
    record = out.split("Signature #2")[0]
    assert "Signature Field Name: RecordSignature" in record
    assert "Signature is Valid" in record
    assert "Timestamp" in out.split("Signature #2")[1]  # the archival document timestamp

    data = bytearray(lta.pdf)
    data[len(data) // 4] ^= 0x01  # inside the range the record signature covers
    assert "Digest Mismatch" in pdfsig(bytes(data)).split("Signature #2")[0]
