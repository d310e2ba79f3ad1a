"""Celery tasks: thin wrappers that call services. Each is idempotent and safe to run twice."""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from django.conf import settings

from inspections.pdf.errors import SigningConfigurationError

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def purge_consumed_broker_messages() -> int:
    """Delete consumed rows of the embedded SQLite broker (kombu keeps them forever)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith("sqla+sqlite:///"):
        return 0
    import sqlite3

    path = url.removeprefix("sqla+sqlite:///")
    with sqlite3.connect(path, timeout=20) as conn:
        try:
            cur = conn.execute("DELETE FROM kombu_message WHERE visible = 0")
        except sqlite3.OperationalError:  # table not created yet
            return 0
        deleted = cur.rowcount
    logger.info("purged %s consumed broker messages", deleted)
    return deleted


# --- Reminders and compliance summaries ----------------------------------------------------


@shared_task(ignore_result=True)
def run_reminder_sweep() -> int:
    """Queue today's sweep (Asia/Ho_Chi_Minh date) as one task per slice of premises, after the
    sends an earlier sweep left; returns how many slices were queued."""
    from inspections.services.reminders.slices import queue_sweep

    return queue_sweep()


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_reminder_slice(first_pk: int, last_pk: int | None, on: str) -> int:
    """Record the reminders due ``on`` (an ISO date) of the premises with pk in [first_pk,
    last_pk] and queue one send task per row waiting; idempotent (a worker that died mid-slice
    leaves it to run again: what it recorded is found recorded)."""
    from inspections.services.reminders.slices import record_slice

    ids = record_slice(first_pk, last_pk, today=date.fromisoformat(on))
    for pk in ids:
        send_notification.delay(pk)
    return len(ids)


class NotificationRetry(Exception):
    """A transient delivery failure: Celery retries the task with exponential backoff."""


@shared_task(
    ignore_result=True,
    autoretry_for=(NotificationRetry,),
    retry_backoff=60,
    retry_backoff_max=2 * 60 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_notification(notification_id: int) -> str:
    """Claim and send one notification row; a second copy of the message is a no-op."""
    from inspections.models import Notification
    from inspections.services.notifications import deliver

    # deliver() puts a retryable row back to pending with next_attempt_at; clear it so the
    # Celery retry (which owns the backoff) can claim it again.
    outcome = deliver(notification_id)
    if outcome.status == "retry":
        Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING).update(
            next_attempt_at=None
        )
        raise NotificationRetry(outcome.error)
    return outcome.status


@shared_task(ignore_result=True)
def send_notification_digests() -> int:
    from inspections.services.digests import send_daily_digests

    return send_daily_digests()


@shared_task(ignore_result=True)
def send_compliance_summaries(period: str = "weekly") -> int:
    """Record one summary per manager of every authority for the period that just ended."""
    from inspections.services.summaries import record_summaries

    ids = record_summaries(period=period)
    for pk in ids:
        send_notification.delay(pk)
    return len(ids)


@shared_task(ignore_result=True)
def purge_stale_photo_uploads() -> int:
    from inspections.services.photo_uploads import purge_stale_uploads

    return purge_stale_uploads()


@shared_task(ignore_result=True)
def purge_summary_files() -> int:
    from inspections.services.summary_delivery import purge_summary_files as purge

    return purge()


# --- Mobile inspections ----------------------------------------------------------------------


@shared_task(ignore_result=True)
def refresh_premises_obligations(premises_id: int) -> int:
    """Recompute a premises' obligations after inspection answers changed (idempotent)."""
    from inspections.services.queued_refresh import run_queued_refresh

    return run_queued_refresh(premises_id)


# --- Signed inspection records -------------------------------------------------------------


@shared_task(
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    # A wrong key or passphrase will not heal by retrying; the sweep retries after the fix.
    dont_autoretry_for=(SigningConfigurationError,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def generate_inspection_report(inspection_id: int) -> str:
    """Render, sign and store one record; a duplicate message finds it ready and stops."""
    from inspections.services.reports import ReportNotReady, generate_report

    try:
        return generate_report(inspection_id).status
    except ReportNotReady:
        return "not_submitted"


@shared_task(ignore_result=True)
def sweep_missing_reports() -> int:
    """Re-queue submitted inspections whose record is missing, lost, stuck or retryable."""
    from inspections.selectors.reports import inspections_missing_reports

    ids = list(inspections_missing_reports().values_list("pk", flat=True))
    for pk in ids:
        generate_inspection_report.delay(pk)
    if ids:
        logger.info("re-queued %s missing inspection records", len(ids))
    return len(ids)


# --- Long-term validation of signed records -------------------------------------------------


# TSA or OCSP down: back off up to an hour; the sweeps pick up what is left.
LONG_TERM_RETRIES = {
    "ignore_result": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 60,
    "retry_backoff_max": 60 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}


def _queue_each(task, ids) -> int:
    ids = list(ids)
    for pk in ids:
        task.delay(pk)
    return len(ids)


@shared_task(**LONG_TERM_RETRIES)
def upgrade_report_ltv(report_id: int) -> str:
    from inspections.services.long_term import upgrade_to_long_term

    report = upgrade_to_long_term(report_id)
    return report.signature_level if report else "skipped"


@shared_task(ignore_result=True)
def upgrade_pending_ltv() -> int:
    from inspections.services.long_term import long_term_enabled, reports_waiting_for_upgrade

    if not long_term_enabled():
        return 0
    return _queue_each(
        upgrade_report_ltv, reports_waiting_for_upgrade().values_list("pk", flat=True)
    )


@shared_task(**LONG_TERM_RETRIES)
def renew_report_archive_timestamp(report_id: int) -> str:
    from inspections.services.long_term import renew_archive_timestamp

    report = renew_archive_timestamp(report_id)
    return report.signature_level if report else "skipped"


@shared_task(ignore_result=True)
def renew_archival_timestamps() -> int:
    """Renew every archival timestamp whose certificate ends within SIGNING_LTV_RENEW_DAYS."""
    from inspections.services.long_term import long_term_enabled, reports_needing_renewal

    if not long_term_enabled():
        return 0
    return _queue_each(
        renew_report_archive_timestamp, reports_needing_renewal().values_list("pk", flat=True)
    )


# --- The head's forms and the dossier ------------------------------------------------------


@shared_task(
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(SigningConfigurationError,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def generate_form_document(form_id: int) -> str:
    """Render, sign and store one PC01/PC04; a duplicate message finds it ready and stops."""
    from inspections.services.forms import generate_form

    return generate_form(form_id).status


@shared_task(ignore_result=True)
def sweep_missing_forms() -> int:
    """Re-queue forms sent for signing whose message was lost, stuck or retryable."""
    from inspections.selectors.forms import forms_missing_pdfs

    ids = list(forms_missing_pdfs().values_list("pk", flat=True))
    for pk in ids:
        generate_form_document.delay(pk)
    if ids:
        logger.info("re-queued %s forms", len(ids))
    return len(ids)


@shared_task(ignore_result=True)
def purge_deleted_dossier_documents() -> int:
    """Delete files of dossier documents removed by their head (never retained ones)."""
    from inspections.services.dossier import purge_deleted_dossier_documents as purge

    return purge()


# --- Obligations -------------------------------------------------------------------------


@shared_task(ignore_result=True)
def refresh_all_obligations() -> int:
    """Daily: queue the recomputation of every premises' obligations, one task per slice of
    premises (see ``refresh_obligations_slice``); returns how many slices were queued."""
    from inspections.services.obligations import queue_refresh_of_all

    return queue_refresh_of_all()


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def refresh_obligations_slice(first_pk: int, last_pk: int | None, on: str) -> int:
    """Recompute the obligations of the premises with pk in [first_pk, last_pk] as of ``on``
    (an ISO date); idempotent. A premises that fails is logged and left stale for the sweep."""
    from inspections.services.obligations import refresh_slice

    return refresh_slice(first_pk, last_pk, on=date.fromisoformat(on)).refreshed


@shared_task(ignore_result=True)
def rebuild_dashboard_rollups() -> str:
    """Nightly: recompute the dashboard counters from the rows, repairing any drift."""
    from inspections.services.rollups import rebuild_rollups

    r = rebuild_rollups()
    return f"{r.premises} premises, {r.shares_fixed} shares and {r.cells_fixed} counters repaired"


@shared_task(ignore_result=True)
def apply_catalogue_version_in_force() -> str:
    """Daily and after a publish: bring the version in force today into effect (once)."""
    from inspections.services.lawchanges import apply_version_in_force

    change = apply_version_in_force()
    return str(change) if change else "no published catalogue"


@shared_task(ignore_result=True)
def refresh_obligations_of(premises_ids: list[int]) -> int:
    """Recompute the obligations of many premises (after a CSV import); idempotent. A premises
    that fails is logged and left stale for the sweep; the others are refreshed."""
    from inspections.models import Premises
    from inspections.services.obligations import refresh_many

    return refresh_many(Premises.objects.filter(pk__in=premises_ids).order_by("pk")).refreshed


@shared_task(ignore_result=True)
def sweep_stale_obligations() -> int:
    """Recompute obligations that are missing or older than the facts or the catalogue."""
    from inspections.services.obligations import sweep_stale_obligations as sweep

    return sweep().refreshed


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_premises_import(import_id: int) -> str:
    """Run one queued CSV import (progress on its row); a second message finds it claimed."""
    from inspections.services.premises_import_jobs import run_import_job

    return run_import_job(import_id)


@shared_task(ignore_result=True)
def sweep_stalled_imports() -> int:
    """Queue again imports whose worker died (no progress for a while); each is idempotent."""
    from inspections.services.premises_import_jobs import stalled_import_ids

    ids = stalled_import_ids()
    for pk in ids:
        run_premises_import.delay(pk)
    return len(ids)
