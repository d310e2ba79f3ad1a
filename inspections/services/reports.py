"""Signed records: queue on submission, render + sign exactly once, verify uploaded copies."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from inspections.models import FormDocument, Inspection, Report
from inspections.pdf.render import render_record
from inspections.pdf.signing import SigningIdentity, open_signing_identity, sign_pdf
from inspections.pdf.verification import VerificationResult, sha256_hex, verify_pdf
from inspections.selectors.reports import claim_timeout, record_context_for, report_by_sha256
from inspections.selectors.signing import signer_config_for
from inspections.services.long_term import queue_long_term_upgrade

logger = logging.getLogger(__name__)

REPORTABLE_STATES = (Inspection.State.SUBMITTED, Inspection.State.SIGNED)
FAILURE_REASON_LIMIT = 1000


class ReportNotReady(Exception):
    """The inspection is not submitted yet: there is nothing to sign."""


def report_for(inspection: Inspection) -> Report:
    """The inspection's report row (created pending on first use; one per inspection)."""
    form = Report.Form.PC02 if inspection.kind == Inspection.Kind.SELF else Report.Form.PC03
    report, _ = Report.objects.get_or_create(inspection=inspection, defaults={"form": form})
    return report


def queue_report(inspection: Inspection) -> Report:
    """Create the pending report and queue its generation once the transaction commits.

    Called by the submit flows (mobile API, portal self-inspection). A lost message is picked up
    by ``sweep_missing_reports``.
    """
    from inspections.queue import enqueue

    report = report_for(inspection)
    if report.status != Report.Status.READY:
        transaction.on_commit(
            lambda: enqueue("inspections.tasks.generate_inspection_report", inspection.pk)
        )
    return report


def _claim(report: Report) -> object | None:
    """Conditional update: exactly one worker wins; a claim older than the timeout is stale."""
    now = timezone.now()
    won = (
        Report.objects.filter(pk=report.pk)
        .exclude(status=Report.Status.READY)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_timeout()))
        .update(
            claimed_at=now,
            status=Report.Status.PENDING,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    return now if won == 1 else None


def _fail(report: Report, claim, exc: BaseException) -> None:
    reason = f"{type(exc).__name__}: {exc}"[:FAILURE_REASON_LIMIT]
    Report.objects.filter(pk=report.pk, claimed_at=claim).update(
        status=Report.Status.FAILED,
        failure_reason=reason,
        claimed_at=None,
        updated_at=timezone.now(),
    )


def render_and_sign(
    inspection: Inspection,
    *,
    verification_code: str,
    language: str = "vi",
    identity: SigningIdentity | None = None,
) -> tuple[bytes, str, object, str]:
    """(pdf, signer, signed_at, level) for the inspection, without touching the report row.

    Signed with the inspecting authority's own key when it has one (a PKCS#11 token or HSM),
    else with the deployment's.
    """
    if identity is None:
        with open_signing_identity(signer_config_for(inspection.authority)) as own:
            return render_and_sign(
                inspection, verification_code=verification_code, language=language, identity=own
            )
    ctx = record_context_for(
        inspection,
        verification_code=verification_code,
        language=language,
        development_signer=identity.is_development,
    )
    rendered = render_record(ctx)
    head = ctx.signature("facility_head")
    stamp_png = head.png if ctx.form == "pc02" and head else None
    location = ctx.place[:200]
    signed = sign_pdf(
        rendered.pdf,
        box=rendered.signature_box,
        verification_code=verification_code,
        identity=identity,
        stamp_png=stamp_png,
        reason=(
            "Biên bản tự kiểm tra về phòng cháy, chữa cháy (PC02)"
            if ctx.form == "pc02"
            else "Biên bản kiểm tra về phòng cháy, chữa cháy (PC03)"
        ),
        location=location,
    )
    return signed.pdf, signed.signer, signed.signed_at, signed.level


def generate_report(inspection_id: int) -> Report:
    """Render, sign and store the record once. Safe to run twice or concurrently: the second
    run finds the report ready (or claimed) and changes nothing."""
    inspection = Inspection.objects.select_related("premises").get(pk=inspection_id)
    if inspection.state not in REPORTABLE_STATES:
        raise ReportNotReady(f"inspection {inspection_id} is {inspection.state}")
    report = report_for(inspection)
    if report.status == Report.Status.READY:
        return report
    claim = _claim(report)
    if claim is None:
        report.refresh_from_db()
        return report  # ready meanwhile, or another worker is on it
    try:
        pdf, signer, signed_at, level = render_and_sign(
            inspection, verification_code=report.verification_code, language=report.language
        )
        digest = sha256_hex(pdf)
        # Content-addressed name: a retried save of the same bytes never makes a second file.
        name = f"reports/{digest[:2]}/{digest}.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(pdf))
    except Exception as exc:
        logger.exception("report for inspection %s failed", inspection_id)
        _fail(report, claim, exc)
        raise
    with transaction.atomic():
        updated = Report.objects.filter(pk=report.pk, claimed_at=claim).update(
            status=Report.Status.READY,
            file=name,
            sha256=digest,
            signer=signer,
            signed_at=signed_at,
            signature_level=level,
            ltv_pending=bool(settings.SIGNING_TSA_URL),
            failure_reason="",
            claimed_at=None,
            updated_at=timezone.now(),
        )
        if updated:
            from inspections.services.dossier import file_signed_report
            from inspections.services.inspections import mark_report_signed

            mark_report_signed(inspection)
            file_signed_report(Report.objects.select_related("inspection").get(pk=report.pk))
            queue_long_term_upgrade(report.pk)
    report.refresh_from_db()
    logger.info(
        "report %s for inspection %s: %s, %s, sha256 %s",
        report.verification_code,
        inspection_id,
        report.status,
        level,
        report.sha256,
    )
    return report


def english_copy(report: Report) -> FieldFile:
    """The English rendering of a ready record: unsigned, marked on every page as a translation,
    rendered on the first request and kept (a signed record never changes).

    Unsigned on purpose: the Vietnamese record is the legal one. Signing a second rendering on
    request would let anyone who may read a record make the authority's key sign again, and
    would give a second "original" under the same verification code that /verify/ could not
    recognise as issued.
    """
    if report.english_copy:
        return report.english_copy
    ctx = record_context_for(
        report.inspection_id, verification_code=report.verification_code, language="en"
    )
    pdf = render_record(replace(ctx, convenience_copy=True)).pdf
    copy = report.english_copy
    copy.save(f"{secrets.token_hex(16)}-en.pdf", ContentFile(pdf), save=False)
    won = Report.objects.filter(pk=report.pk, english_copy="").update(english_copy=copy.name)
    if not won:  # a concurrent request stored its copy first: keep that one
        copy.delete(save=False)
        report.refresh_from_db(fields=["english_copy"])
    return report.english_copy


# --- Verification of an uploaded copy ------------------------------------------------------


@dataclass(frozen=True)
class UploadVerdict:
    """ "valid": our intact, trusted signature on a file we issued; "altered": a signature of
    ours that no longer matches the bytes; "untrusted": a file we issued, intact, whose signing
    certificate cannot be trusted today (no long-term proof, or the trust roots changed);
    "unknown": anything else. ``report`` (a Report, or the FormDocument of a signed PC01/PC04)
    for "valid" and "untrusted"; ``check`` holds what the
    signature itself says (signer, organisation, proven time, PAdES level) for every signed file.
    """

    verdict: str
    report: Report | FormDocument | None = None
    check: VerificationResult | None = None


def verify_upload(data: bytes) -> UploadVerdict:
    from inspections.selectors.forms import form_by_sha256

    digest = sha256_hex(data)
    # A signed PC01/PC04 is verified like a record: same signer, same footer code.
    known = report_by_sha256(digest) or form_by_sha256(digest)
    result = verify_pdf(data)
    check = result if result.signed else None
    if known is not None and result.valid:
        return UploadVerdict("valid", known, check)
    ours = bool(result.signer) and _ours(result.signer)
    if result.signed and ours and not (result.intact and result.covers_whole_file):
        return UploadVerdict("altered", check=check)
    if known is not None and result.intact and result.covers_whole_file:
        return UploadVerdict("untrusted", known, check)
    # Everything else, including a valid signature of ours on bytes we never issued (an
    # operator's `render_report` test copy), is not a record of this system.
    return UploadVerdict("unknown", check=check)


def _ours(signer: str) -> bool:
    # Authorities may each have their own key: a signer is ours when it signed a record here.
    return bool(signer) and (
        Report.objects.filter(signer=signer).exists()
        or FormDocument.objects.filter(signer=signer).exists()
    )
