"""Long-term validation of signed records: PAdES B-LT (revocation data in the DSS) and B-LTA
(document timestamps), so a record stays verifiable after its signer's certificate expires or
is revoked, for the whole retention period (Decree 105 Art. 4.4: at least 5 years)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers, timestamps
from pyhanko.sign.validation import add_validation_info
from pyhanko_certvalidator import ValidationContext

LEVEL_B_B = "B-B"
LEVEL_B_T = "B-T"
LEVEL_B_LT = "B-LT"
LEVEL_B_LTA = "B-LTA"

DOC_TIMESTAMP = "/DocTimeStamp"


@dataclass(frozen=True)
class LtvResult:
    pdf: bytes
    level: str
    archive_expires_at: datetime | None  # end of the newest document timestamp's TSA cert


def fetching_context(trust_roots: list[x509.Certificate]) -> ValidationContext:
    """Collects OCSP responses and CRLs online (from the certificates' AIA and CRL DP URLs)."""
    return ValidationContext(trust_roots=trust_roots, allow_fetching=True)


def _reader(pdf: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(pdf), strict=False)


def document_timestamps(reader: PdfFileReader) -> list:
    return [s for s in reader.embedded_signatures if s.sig_object_type == DOC_TIMESTAMP]


def archive_expiry(pdf: bytes) -> datetime | None:
    """When the newest document timestamp's TSA certificate expires (None: no archive stamp)."""
    stamps = document_timestamps(_reader(pdf))
    if not stamps:
        return None
    cert = stamps[-1].signer_cert
    return cert["tbs_certificate"]["validity"]["not_after"].native if cert else None


def level_of(pdf: bytes) -> str:
    """The PAdES baseline level the file reaches, read from its structure."""
    reader = _reader(pdf)
    sigs = reader.embedded_signatures
    if not sigs:
        return ""
    record = next((s for s in sigs if s.sig_object_type != DOC_TIMESTAMP), sigs[0])
    has_dss = "/DSS" in reader.root
    if has_dss and document_timestamps(reader):
        return LEVEL_B_LTA
    if has_dss:
        return LEVEL_B_LT
    return LEVEL_B_T if has_signature_timestamp(record) else LEVEL_B_B


def has_signature_timestamp(sig) -> bool:
    """Whether the CMS signature carries an RFC 3161 signature timestamp (PAdES B-T)."""
    attrs = sig.signer_info["unsigned_attrs"]
    if not attrs.native:
        return False
    return any(attr["type"].native == "signature_time_stamp_token" for attr in attrs)


def make_long_term(
    pdf: bytes, *, timestamper: timestamps.TimeStamper, trust_roots: list[x509.Certificate]
) -> LtvResult:
    """B-B/B-T → B-LTA: embed the chain and revocation data of the record signature (and of
    its signature timestamp) in the DSS, then add a document timestamp with its own data.

    Fetches OCSP/CRL and the timestamp online; raises when a responder or the TSA fails, and
    the caller retries later (the record stays signed meanwhile).
    """
    context = fetching_context(trust_roots)
    reader = _reader(pdf)
    record = next(s for s in reader.embedded_signatures if s.sig_object_type != DOC_TIMESTAMP)
    with_dss = add_validation_info(record, context, in_place=False, output=io.BytesIO())
    stamper = signers.PdfTimeStamper(timestamper)
    out = stamper.timestamp_pdf(
        IncrementalPdfFileWriter(with_dss),
        md_algorithm="sha256",
        validation_context=fetching_context(trust_roots),
        in_place=False,
    )
    data = out.getvalue()
    return LtvResult(pdf=data, level=LEVEL_B_LTA, archive_expires_at=archive_expiry(data))


def renew_archive_timestamp(
    pdf: bytes, *, timestamper: timestamps.TimeStamper, trust_roots: list[x509.Certificate]
) -> LtvResult:
    """Add the revocation data of the newest document timestamp and a new one over it, so the
    chain of evidence outlives the previous TSA certificate."""
    stamper = signers.PdfTimeStamper(timestamper)
    out = stamper.update_archival_timestamp_chain(
        _reader(pdf), fetching_context(trust_roots), in_place=False
    )
    data = out.getvalue()
    return LtvResult(pdf=data, level=LEVEL_B_LTA, archive_expires_at=archive_expiry(data))
