"""The notification log a manager may read, and the schedule of periodic reminders/summaries."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from accounts.models import Authority, User
from inspections.models import Premises
from inspections.models.notifications import Notification

# Periodic tasks that send something to people (the broker purge is housekeeping).
NOTIFYING_TASKS = (
    "inspections.tasks.run_reminder_sweep",
    "inspections.tasks.send_notification_digests",
    "inspections.tasks.send_compliance_summaries",
)


def notifications_for_manager(
    user: User, authorities: list[Authority], premises: QuerySet[Premises]
) -> QuerySet[Notification]:
    """Reminders about premises of the jurisdiction, the authorities' webhooks, and the user's own."""
    qs = Notification.objects.select_related("user", "premises", "webhook")
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(premises__in=premises.values("pk")) | Q(webhook__authority__in=authorities) | Q(user=user)
    )


@dataclass
class ScheduledTask:
    name: str
    task: str
    schedule: str
    enabled: bool
    last_run_at: object = None


def summary_schedule() -> list[ScheduledTask]:
    """django-celery-beat's rows (an administrator may have changed them); the settings' schedule
    when beat has not copied it to the database yet."""
    from django_celery_beat.models import PeriodicTask

    rows = [
        ScheduledTask(
            name=t.name,
            task=t.task,
            schedule=str(t.schedule),
            enabled=t.enabled,
            last_run_at=t.last_run_at,
        )
        for t in PeriodicTask.objects.filter(task__in=NOTIFYING_TASKS)
        .select_related("crontab", "interval", "solar", "clocked")
        .order_by("name")
    ]
    if rows:
        return rows
    return [
        ScheduledTask(name=name, task=entry["task"], schedule=str(entry["schedule"]), enabled=True)
        for name, entry in sorted(settings.CELERY_BEAT_SCHEDULE.items())
        if entry["task"] in NOTIFYING_TASKS
    ]
