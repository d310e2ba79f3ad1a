"""Validate a signed record: signature intact, chain trusted, and covering the whole file."""

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
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from .signing import signer_display_name

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerificationResult:
    """Whether a PDF is an intact, trusted, fully covered signed record."""

    signed: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signer: str = ""
    signed_at: str = ""
    sha256: str = ""
    problem: str = ""
    timestamped: bool = False  # an RFC 3161 signature timestamp that validated (PAdES B-T)

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.covers_whole_file


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
    """Judge by pyHanko's ``bottom_line``: ``valid`` alone stays True on a tampered file."""
    digest = sha256_hex(data)
    roots = load_trust_roots() if trust_roots is None else trust_roots
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, OSError) as exc:
        return VerificationResult(False, False, False, False, sha256=digest, problem=str(exc))
    if not signatures:
        return VerificationResult(False, False, False, False, sha256=digest, problem="unsigned")
    # The record carries one signature; a later one would be an unknown revision on top of it.
    sig = signatures[-1]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # malformed CMS or PDF structures: report, never raise
        logger.info("signature validation failed: %s", exc)
        return VerificationResult(True, False, False, False, sha256=digest, problem=str(exc))
    coverage = getattr(status.coverage, "name", str(status.coverage))
    entire = coverage == "ENTIRE_FILE" and len(signatures) == 1
    padding_ok = _padding_is_clean(sig.pkcs7_content)
    signer = signer_display_name(status.signing_cert) if status.signing_cert else ""
    signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
    intact = bool(status.intact and status.valid) and padding_ok
    return VerificationResult(
        signed=True,
        intact=intact,
        trusted=bool(status.trusted) and intact and bool(status.bottom_line),
        covers_whole_file=entire,
        signer=signer,
        signed_at=signed_at,
        sha256=digest,
        timestamped=bool(
            status.timestamp_validity is not None
            and status.timestamp_validity.intact
            and status.timestamp_validity.valid
            and status.timestamp_validity.trusted
        ),
        problem=""
        if status.bottom_line and entire and padding_ok
        else (status.summary() if padding_ok else "signature padding altered"),
    )
