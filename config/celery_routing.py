"""Which queue each Celery task goes to, and how long the longer tasks may run.

One worker pool per kind of work (deploy/prod-local.sh, docs/deploy.md): a burst of reminder
e-mails never delays a signed record. A task not routed here (added later) goes to the default
queue "celery", which the background worker also serves.
"""

from __future__ import annotations

from typing import Any

DEFAULT_QUEUE = "celery"
TASK_ROUTES = {
    "inspections.tasks.generate_inspection_report": {"queue": "records"},
    "inspections.tasks.sweep_missing_reports": {"queue": "records"},
    "inspections.tasks.upgrade_report_ltv": {"queue": "signing"},
    "inspections.tasks.upgrade_pending_ltv": {"queue": "signing"},
    "inspections.tasks.renew_report_archive_timestamp": {"queue": "signing"},
    "inspections.tasks.renew_archival_timestamps": {"queue": "signing"},
    "inspections.tasks.run_reminder_sweep": {"queue": "notifications"},
    "inspections.tasks.run_reminder_slice": {"queue": "notifications"},
    "inspections.tasks.send_notification": {"queue": "notifications"},
    "inspections.tasks.send_notification_digests": {"queue": "notifications"},
    "inspections.tasks.send_compliance_summaries": {"queue": "summaries"},
    "inspections.tasks.purge_summary_files": {"queue": "summaries"},
    "inspections.tasks.refresh_obligations_of": {"queue": "imports"},
    "inspections.tasks.refresh_premises_obligations": {"queue": "obligations"},
    "inspections.tasks.refresh_all_obligations": {"queue": "obligations"},
    "inspections.tasks.refresh_obligations_slice": {"queue": "obligations"},
    "inspections.tasks.rebuild_dashboard_rollups": {"queue": "obligations"},
    # Forms PC01/PC04 are rendered and signed like records.
    "inspections.tasks.generate_form_document": {"queue": "records"},
    "inspections.tasks.sweep_missing_forms": {"queue": "records"},
    # A new catalogue version in force recomputes every premises; stale ones are swept up.
    "inspections.tasks.apply_catalogue_version_in_force": {"queue": "obligations"},
    "inspections.tasks.sweep_stale_obligations": {"queue": "obligations"},
    "inspections.tasks.run_premises_import": {"queue": "imports"},
    "inspections.tasks.sweep_stalled_imports": {"queue": "imports"},
}
# Every queue, for a single worker that serves them all (make run, Procfile.dev).
ALL_QUEUES = "celery,records,signing,notifications,summaries,imports,obligations"

# Whole-country sweeps and summaries: they run under the long time limit.
LONG_TASKS = (
    "inspections.tasks.rebuild_dashboard_rollups",
    "inspections.tasks.send_compliance_summaries",
)


def task_annotations(*, report_limit: int, long_limit: int) -> dict[str, dict[str, Any]]:
    """``CELERY_TASK_ANNOTATIONS``: the time limits of the record task and of the long tasks."""
    return {
        "inspections.tasks.generate_inspection_report": {
            "soft_time_limit": report_limit - 10,
            "time_limit": report_limit,
        },
        **{
            name: {"soft_time_limit": long_limit - 60, "time_limit": long_limit}
            for name in LONG_TASKS
        },
    }
