"""Validate a signed record: intact, trusted, covering the whole file, and long-term status."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import parser as asn1_parser
from asn1crypto import pem, x509
from django.conf import settings
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext

from . import ltv
from .signing import signer_display_name

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerificationResult:
    """Whether a PDF is an intact, trusted, fully covered signed record, and how long it holds."""

    signed: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signer: str = ""
    signed_at: str = ""
    sha256: str = ""
    problem: str = ""
    timestamped: bool = False  # an RFC 3161 signature timestamp that validated (PAdES B-T)
    organisation: str = ""  # the signing certificate's organisation (the authority)
    proven_time: str = ""  # signing time proven by a timestamp (signature or first archive one)
    level: str = ""  # PAdES baseline level: B-B, B-T, B-LT, B-LTA
    archive_valid_until: str = ""  # the newest archival timestamp's certificate end (B-LTA)

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.covers_whole_file

    @property
    def long_term(self) -> bool:
        return self.level in ("B-LT", "B-LTA")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_trust_roots(paths: list[str] | None = None) -> list[x509.Certificate]:
    roots = []
    for raw_path in settings.SIGNING_TRUST_ROOTS if paths is None else paths:
        path = Path(raw_path)
        if not path.is_file():
            continue
        data = path.read_bytes()
        if pem.detect(data):
            roots.extend(x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True))
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def _padding_is_clean(raw_contents: bytes) -> bool:
    """Bytes reserved after the CMS blob are outside every digest: any change there is tampering.

    pyHanko reserves room for the signature and pads it with zeros; the signed byte ranges skip
    /Contents, so without this check a changed padding byte would still validate.
    """
    try:
        _, _, _, header, contents, trailer = asn1_parser.parse(raw_contents)
    except ValueError:
        return False
    used = len(header) + len(contents) + len(trailer)
    return not raw_contents[used:].strip(b"\x00")


def verify_pdf(
    data: bytes, trust_roots: list[x509.Certificate] | None = None
) -> VerificationResult:
    """Judge by pyHanko's ``bottom_line``: ``valid`` alone stays True on a tampered file.

    A record has one signature. Long-term validation adds revisions after it, which are
    accepted only when they are what PAdES allows (DSS and document timestamps) and the newest
    document timestamp covers the whole file. Such a record is trusted when the ETSI LTA
    validation succeeds: the chain of document timestamps proves the signature existed while
    its certificate was valid and unrevoked, even if it has expired or been revoked since.
    """
    digest = sha256_hex(data)
    roots = load_trust_roots() if trust_roots is None else trust_roots
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, OSError) as exc:
        return VerificationResult(False, False, False, False, sha256=digest, problem=str(exc))
    records = [s for s in signatures if s.sig_object_type != ltv.DOC_TIMESTAMP]
    if not records:
        return VerificationResult(False, False, False, False, sha256=digest, problem="unsigned")
    sig = records[0]
    archive = [s for s in signatures if s.sig_object_type == ltv.DOC_TIMESTAMP]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, context)
        archive_ok = all(_timestamp_intact(stamp, roots) for stamp in archive)
    except Exception as exc:  # malformed CMS or PDF structures: report, never raise
        logger.info("signature validation failed: %s", exc)
        return VerificationResult(True, False, False, False, sha256=digest, problem=str(exc))
    padding_ok = all(_padding_is_clean(s.pkcs7_content) for s in signatures)
    entire = len(records) == 1 and _covers_whole_file(status, signatures, archive)
    cert = status.signing_cert
    signer = signer_display_name(cert) if cert else ""
    organisation = cert.subject.native.get("organization_name", "") if cert else ""
    signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
    intact = bool(status.intact and status.valid) and padding_ok and archive_ok
    timestamped = bool(
        status.timestamp_validity is not None
        and status.timestamp_validity.intact
        and status.timestamp_validity.valid
        and status.timestamp_validity.trusted
    )
    if archive and intact:
        trusted, problem = _long_term_trusted(sig, roots)
    else:
        trusted = bool(status.trusted) and intact and bool(status.bottom_line)
        problem = status.summary() if not status.bottom_line else ""
    if not padding_ok:
        problem = "signature padding altered"
    elif not archive_ok:
        problem = "archival timestamp altered"
    elif not entire and not problem:
        problem = "the file has content that the signature does not cover"
    proven = ""
    if timestamped:
        proven = status.timestamp_validity.timestamp.isoformat()
    elif archive:
        proven = _stamp_time(archive[0])
    expiry = ltv.archive_expiry(data) if archive else None
    return VerificationResult(
        signed=True,
        intact=intact,
        trusted=trusted and intact,
        covers_whole_file=entire,
        signer=signer,
        signed_at=signed_at,
        sha256=digest,
        timestamped=timestamped,
        organisation=organisation,
        proven_time=proven,
        level=ltv.level_of(data),
        archive_valid_until=expiry.isoformat() if expiry else "",
        problem="" if (trusted and intact and entire) else problem,
    )


def _covers_whole_file(status, signatures, archive) -> bool:
    coverage = getattr(status.coverage, "name", str(status.coverage))
    if coverage == "ENTIRE_FILE":
        return len(signatures) == 1
    # Later revisions: only DSS and document timestamps (pyHanko's diff analysis says
    # LTA_UPDATES), and the newest document timestamp is the last thing in the file.
    level = getattr(status.modification_level, "name", "")
    if coverage != "ENTIRE_REVISION" or level not in ("NONE", "LTA_UPDATES") or not archive:
        return False
    last = signatures[-1]
    if last is not archive[-1]:
        return False
    # After the newest document timestamp, only the DSS entry with its own revocation data.
    ts_status = validate_pdf_timestamp(last, ValidationContext(allow_fetching=False))
    ts_coverage = getattr(ts_status.coverage, "name", "")
    ts_level = getattr(ts_status.modification_level, "name", "")
    return ts_coverage == "ENTIRE_FILE" or (
        ts_coverage == "ENTIRE_REVISION" and ts_level in ("NONE", "LTA_UPDATES")
    )


def _timestamp_intact(stamp, roots) -> bool:
    ts_status = validate_pdf_timestamp(
        stamp, ValidationContext(trust_roots=roots, allow_fetching=False), skip_diff=True
    )
    return bool(ts_status.intact and ts_status.valid)


def _stamp_time(stamp) -> str:
    from pyhanko.sign.validation.ades import _get_tst_timestamp  # the token's genTime

    try:
        return _get_tst_timestamp(stamp.signed_data).isoformat()
    except (KeyError, ValueError):
        return ""


def _long_term_trusted(sig, roots) -> tuple[bool, str]:
    """ETSI EN 319 102-1 LTA validation. Revocation data of the past comes from the document;
    only the newest archival timestamp's chain is checked against today's OCSP/CRL."""
    import asyncio

    from pyhanko.sign.validation.ades import ades_lta_validation
    from pyhanko.sign.validation.policy_decl import (
        CertValidationPolicySpec,
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.policy_decl import (
        CertRevTrustPolicy,
        RevocationCheckingPolicy,
        RevocationCheckingRule,
    )
    from pyhanko_certvalidator.registry import SimpleTrustManager

    rule = RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=roots),
                revinfo_policy=CertRevTrustPolicy(
                    RevocationCheckingPolicy(
                        ee_certificate_rule=rule, intermediate_ca_cert_rule=rule
                    )
                ),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH
            ),
        )
    )
    try:
        result = asyncio.run(ades_lta_validation(sig, spec))
    except Exception as exc:  # a responder down, malformed data: not trusted, say why
        logger.info("LTA validation failed: %s", exc)
        return False, f"long-term validation failed: {exc}"
    passed = getattr(result.ades_subindic, "name", "") == "OK"
    return passed, "" if passed else f"{result.ades_subindic}: {result.failure_msg or ''}"
