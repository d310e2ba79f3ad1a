"""Long-term validation of signed records: upgrade to PAdES B-LTA after signing, and renew the
archival timestamp before its certificate ends, so each record stays verifiable for its whole
retention period. Network failures (TSA, OCSP, CRL) never touch the record: it stays signed at
its current level and the worker retries later."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from pyhanko.sign import timestamps

from inspections.models import Report, ReportRevision
from inspections.pdf import ltv
from inspections.pdf.verification import load_trust_roots, sha256_hex
from inspections.selectors.reports import claim_timeout

logger = logging.getLogger(__name__)

ERROR_LIMIT = 1000


def long_term_enabled() -> bool:
    """B-LT/B-LTA needs a timestamp authority for the document timestamps."""
    return bool(settings.SIGNING_TSA_URL)


def queue_long_term_upgrade(report_id: int) -> None:
    if not long_term_enabled():
        return
    from inspections.queue import enqueue

    transaction.on_commit(lambda: enqueue("inspections.tasks.upgrade_report_ltv", report_id))


def _timestamper() -> timestamps.TimeStamper:
    return timestamps.HTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=20)


def _claim(report_id: int, *, pending: bool) -> object | None:
    """Conditional update: one worker at a time per record; a stale claim is taken over."""
    now = timezone.now()
    won = (
        Report.objects.filter(pk=report_id, status=Report.Status.READY, ltv_pending=pending)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_timeout()))
        .update(claimed_at=now, ltv_attempts=F("ltv_attempts") + 1)
    )
    return now if won == 1 else None


def _replace_file(
    report_id: int, transform: Callable[[bytes], ltv.LtvResult], *, pending: bool
) -> Report | None:
    claim = _claim(report_id, pending=pending)
    if claim is None:
        return None  # done already, or another worker holds it
    report = Report.objects.get(pk=report_id)
    try:
        with report.file.open("rb") as handle:
            before = handle.read()
        result = transform(before)
        digest = sha256_hex(result.pdf)
        name = f"reports/{digest[:2]}/{digest}.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(result.pdf))
    except Exception as exc:
        Report.objects.filter(pk=report_id, claimed_at=claim).update(
            claimed_at=None, ltv_error=f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]
        )
        raise
    with transaction.atomic():
        updated = Report.objects.filter(pk=report_id, claimed_at=claim).update(
            file=name,
            sha256=digest,
            signature_level=result.level,
            archive_expires_at=result.archive_expires_at,
            ltv_pending=False,
            ltv_error="",
            claimed_at=None,
            updated_at=timezone.now(),
        )
        if updated:
            try:
                with transaction.atomic():
                    ReportRevision.objects.create(
                        report_id=report_id, sha256=report.sha256, level=report.signature_level
                    )
            except IntegrityError:
                pass  # the same earlier bytes recorded by a previous run
    report.refresh_from_db()
    return report


def upgrade_to_long_term(report_id: int) -> Report | None:
    """B-B/B-T → B-LTA: the chain and revocation data in the DSS, then a document timestamp.
    Idempotent: a record already upgraded (or claimed by another worker) is left alone."""
    if not long_term_enabled():
        return None
    roots = load_trust_roots()
    report = _replace_file(
        report_id,
        lambda pdf: ltv.make_long_term(pdf, timestamper=_timestamper(), trust_roots=roots),
        pending=True,
    )
    if report is not None:
        logger.info("record %s upgraded to %s", report.verification_code, report.signature_level)
    return report


def renew_archive_timestamp(report_id: int) -> Report | None:
    roots = load_trust_roots()
    report = _replace_file(
        report_id,
        lambda pdf: ltv.renew_archive_timestamp(pdf, timestamper=_timestamper(), trust_roots=roots),
        pending=False,
    )
    if report is not None:
        logger.info(
            "record %s: archival timestamp renewed, valid until %s",
            report.verification_code,
            report.archive_expires_at,
        )
    return report


def reports_needing_renewal(window_days: int | None = None):
    days = settings.SIGNING_LTV_RENEW_DAYS if window_days is None else window_days
    return Report.objects.filter(
        status=Report.Status.READY,
        ltv_pending=False,
        archive_expires_at__lt=timezone.now() + timedelta(days=days),
    )


def reports_waiting_for_upgrade():
    return Report.objects.filter(
        status=Report.Status.READY,
        ltv_pending=True,
        ltv_attempts__lt=settings.SIGNING_LTV_MAX_ATTEMPTS,
    )
