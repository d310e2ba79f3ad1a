"""Periodic work, in one place: the Celery beat schedule (``CELERY_BEAT_SCHEDULE``).

The scheduler (``config/beat.py``) installs these into django-celery-beat's tables once, where an
administrator can change them.
"""

from __future__ import annotations

from datetime import timedelta

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    "purge-consumed-broker-messages": {
        "task": "inspections.tasks.purge_consumed_broker_messages",
        "schedule": timedelta(hours=1),
    },
    # Obligations: statuses turn overdue as dates pass; refresh before the reminders.
    "refresh-obligations-daily": {
        "task": "inspections.tasks.refresh_all_obligations",
        "schedule": crontab(minute=15, hour=5),
    },
    # Obligations missing or older than the facts (a lost message, a worker killed during a
    # large import) are recomputed, a bounded batch per run.
    "sweep-stale-obligations": {
        "task": "inspections.tasks.sweep_stale_obligations",
        "schedule": timedelta(minutes=10),
    },
    "sweep-stalled-imports": {
        "task": "inspections.tasks.sweep_stalled_imports",
        "schedule": timedelta(minutes=5),
    },
    # Signed records: re-queue submitted inspections whose record message was lost.
    "sweep-missing-reports": {
        "task": "inspections.tasks.sweep_missing_reports",
        "schedule": timedelta(minutes=5),
    },
    # Reminders: the sweep is idempotent, so running it often only fills gaps left by
    # a lost message; digests go out once a day after the morning sweep.
    "reminder-sweep": {
        "task": "inspections.tasks.run_reminder_sweep",
        "schedule": crontab(minute=0, hour="6-20/2"),
    },
    "reminder-digests": {
        "task": "inspections.tasks.send_notification_digests",
        "schedule": crontab(minute=30, hour=7),
    },
    "compliance-summary-weekly": {
        "task": "inspections.tasks.send_compliance_summaries",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "args": ("weekly",),
    },
    "compliance-summary-monthly": {
        "task": "inspections.tasks.send_compliance_summaries",
        "schedule": crontab(minute=0, hour=7, day_of_month=1),
        "args": ("monthly",),
    },
    "purge-stale-photo-uploads": {
        "task": "inspections.tasks.purge_stale_photo_uploads",
        "schedule": crontab(minute=45, hour=3),
    },
    # Changes in the law: a catalogue version published ahead of its effective date
    # comes into force on that day; every premises' obligations are recomputed and compared.
    "apply-catalogue-versions": {
        "task": "inspections.tasks.apply_catalogue_version_in_force",
        "schedule": crontab(minute=5, hour=0),
    },
    # Dashboard counters (services keep them exact; this repairs drift from writes made
    # behind the services' back, e.g. raw SQL), at night when few write.
    "rebuild-dashboard-rollups": {
        "task": "inspections.tasks.rebuild_dashboard_rollups",
        "schedule": crontab(minute=40, hour=1),
    },
    "purge-summary-files": {
        "task": "inspections.tasks.purge_summary_files",
        "schedule": crontab(minute=15, hour=3),
    },
    # Dossier and forms: re-queue PC01/PC04 whose signing message was lost; purge
    # files of removed dossier documents (never one still under Decree 105 Art. 4.4).
    "sweep-missing-forms": {
        "task": "inspections.tasks.sweep_missing_forms",
        "schedule": timedelta(minutes=5),
    },
    "purge-deleted-dossier-documents": {
        "task": "inspections.tasks.purge_deleted_dossier_documents",
        "schedule": crontab(minute=30, hour=3),
    },
    # Long-term validation: upgrade records still B-B/B-T (TSA or OCSP was down), and renew
    # archival timestamps whose TSA certificate nears its end.
    "upgrade-pending-ltv": {
        "task": "inspections.tasks.upgrade_pending_ltv",
        "schedule": timedelta(minutes=30),
    },
    "renew-archival-timestamps": {
        "task": "inspections.tasks.renew_archival_timestamps",
        "schedule": crontab(minute=30, hour=2),
    },
}
