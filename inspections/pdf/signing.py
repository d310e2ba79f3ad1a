"""PAdES signing (ETSI.CAdES.detached) of rendered records with pyHanko: B-B, or B-T with a TSA."""

from __future__ import annotations

import contextlib
import functools
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import x509
from django.conf import settings
from django.utils import timezone
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.stamp import TextStampStyle

from .errors import SigningConfigurationError
from .render import SignatureBox
from .signers import SignerConfig, default_signer_config, open_signer
from .stamp_font import stamp_font

logger = logging.getLogger(__name__)

__all__ = [
    "SigningConfigurationError",
    "SigningIdentity",
    "load_signing_identity",
    "open_signing_identity",
    "sign_pdf",
]

FIELD_NAME = "RecordSignature"
# The CMS blob with a 3-certificate chain and a timestamp token stays far below this; reserving
# it up front skips pyHanko's trial signature (about 60 ms per record, GUIDE.md).
BYTES_RESERVED = 16384
# The DEVELOPMENT marker create_dev_signing_cert puts in every subject it issues.
DEVELOPMENT_MARKER = "DEVELOPMENT"
STAMP_FONT_SIZE = 7


@dataclass(frozen=True)
class SigningIdentity:
    signer: signers.Signer  # SimpleSigner (PKCS#12) or PKCS11Signer
    subject: str  # the signing certificate's subject, human-readable
    is_development: bool


@dataclass(frozen=True)
class SignedPdf:
    pdf: bytes
    signer: str
    signed_at: datetime
    level: str  # "B-B" or "B-T" (B-LT and B-LTA are added by ltv.py)


def signer_display_name(cert: x509.Certificate) -> str:
    """'Common name (Organization)': what the stamp, the database and the public page show."""
    subject = cert.subject.native
    name = subject.get("common_name", "") or cert.subject.human_friendly
    org = subject.get("organization_name", "")
    return f"{name} ({org})" if org and org not in name else name


def load_signing_identity(
    p12_path: str | Path | None = None, passphrase: str | bytes | None = None
) -> SigningIdentity:
    """Load key and chain from the PKCS#12 file; fail loudly rather than sign with nothing."""
    path = Path(p12_path or settings.SIGNING_P12_PATH)
    secret = settings.SIGNING_P12_PASSPHRASE if passphrase is None else passphrase
    if isinstance(secret, str):
        secret = secret.encode()
    if not path.is_file():
        raise SigningConfigurationError(
            f"Signing key file {path} does not exist (SIGNING_P12_PATH). In development run "
            "`python manage.py create_dev_signing_cert`."
        )
    try:
        # load_pkcs12_data raises on a wrong passphrase; load_pkcs12 would return None.
        signer = signers.SimpleSigner.load_pkcs12_data(
            path.read_bytes(), other_certs=[], passphrase=secret or None
        )
    except ValueError as exc:
        raise SigningConfigurationError(
            f"Cannot open {path}: wrong SIGNING_P12_PASSPHRASE or damaged PKCS#12 file."
        ) from exc
    if signer is None or signer.signing_cert is None:
        raise SigningConfigurationError(f"{path} holds no signing certificate.")
    subject = signer_display_name(signer.signing_cert)
    return SigningIdentity(
        signer=signer, subject=subject, is_development=DEVELOPMENT_MARKER in subject
    )


@contextlib.contextmanager
def open_signing_identity(config: SignerConfig | None = None) -> Iterator[SigningIdentity]:
    """The identity of a configured signer (PKCS#12 file or PKCS#11 token), open while in use."""
    with open_signer(config or default_signer_config()) as signer:
        cert = signer.signing_cert
        if cert is None:
            raise SigningConfigurationError("The configured signer holds no signing certificate.")
        subject = signer_display_name(cert)
        yield SigningIdentity(
            signer=signer, subject=subject, is_development=DEVELOPMENT_MARKER in subject
        )


def _stamp_style(stamp_png: bytes | None, *texts: str) -> TextStampStyle:
    """Vietnamese-capable stamp (embedded DejaVu subset, never Courier), optionally over a drawing.

    ``texts``: what the stamp shows besides its fixed labels (names, code), so that the font
    subset, made once per set of characters, covers it."""
    background = None
    if stamp_png:
        image = Image.open(io.BytesIO(stamp_png))
        image.load()
        background = PdfImage(image)
    return TextStampStyle(
        stamp_text=(
            "Ký số bởi / Signed by:\n%(signer_cn)s\n%(signer_org)s\n"
            "Thời gian / Time: %(ts)s\n"
            "Mã xác minh / Verification code: %(code)s"
        ),
        timestamp_format="%d/%m/%Y %H:%M:%S %z",
        text_box_style=TextBoxStyle(
            font=stamp_font(STAMP_FONT_SIZE, *texts),
            font_size=STAMP_FONT_SIZE,
            leading=STAMP_FONT_SIZE + 2,
        ),
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(left=4, right=4, top=2, bottom=2),
        ),
        background=background,
        background_opacity=0.45 if background is not None else 0.6,
        border_width=1,
    )


def _pdfa_consistent_producer(writer: IncrementalPdfFileWriter) -> None:
    # pyHanko appends itself to Info /Producer but writes only itself into the XMP producer,
    # which PDF/A forbids; starting from its VENDOR string keeps the two identical.
    info_ref = writer.trailer.raw_get("/Info")
    info = info_ref.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(info_ref)


def sign_pdf(
    pdf: bytes,
    *,
    box: SignatureBox,
    verification_code: str,
    identity: SigningIdentity | None = None,
    stamp_png: bytes | None = None,
    reason: str = "Biên bản kiểm tra về phòng cháy, chữa cháy",
    location: str = "",
    tsa_url: str | None = None,
    timestamper: timestamps.TimeStamper | None = None,
) -> SignedPdf:
    """Sign by incremental update (the PDF/A XMP and OutputIntent stay as rendered).

    With a timestamp authority (``SIGNING_TSA_URL``, or ``timestamper``) the signature carries
    an RFC 3161 signature timestamp: PAdES B-T. When the TSA does not answer, the record is
    signed B-B rather than not at all: an unreachable TSA must never block a submission, and
    the long-term upgrade (inspections/pdf/ltv.py) adds a document timestamp later.
    """
    identity = identity or load_signing_identity()
    if timestamper is None:
        tsa = settings.SIGNING_TSA_URL if tsa_url is None else tsa_url
        timestamper = timestamps.HTTPTimeStamper(tsa, timeout=20) if tsa else None
    sign = functools.partial(
        _sign,
        pdf,
        box,
        verification_code=verification_code,
        identity=identity,
        stamp_png=stamp_png,
        reason=reason,
        location=location,
    )
    if timestamper is not None:
        try:
            return sign(timestamper=timestamper)
        except (timestamps.TimestampRequestError, SigningError, OSError) as exc:
            logger.warning("timestamp authority failed, signing B-B for now: %s", exc)
    return sign(timestamper=None)


def _sign(
    pdf: bytes,
    box: SignatureBox,
    *,
    verification_code: str,
    identity: SigningIdentity,
    stamp_png: bytes | None,
    reason: str,
    location: str,
    timestamper: timestamps.TimeStamper | None,
) -> SignedPdf:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _pdfa_consistent_producer(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        name=identity.subject,
    )
    cert_subject = identity.signer.signing_cert.subject.native
    stamp_params = {
        "code": verification_code,
        "signer_cn": cert_subject.get("common_name", ""),
        "signer_org": cert_subject.get("organization_name", ""),
    }
    pdf_signer = signers.PdfSigner(
        meta,
        signer=identity.signer,
        timestamper=timestamper,
        stamp_style=_stamp_style(stamp_png, *stamp_params.values()),
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=FIELD_NAME, on_page=box.page, box=box.box
        ),
    )
    signed_at = timezone.now()
    out = pdf_signer.sign_pdf(
        writer,
        bytes_reserved=BYTES_RESERVED,
        appearance_text_params=stamp_params,
    )
    return SignedPdf(
        pdf=out.getvalue(),
        signer=identity.subject,
        signed_at=signed_at,
        level="B-T" if timestamper else "B-B",
    )
