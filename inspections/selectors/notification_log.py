"""The notification log a manager may read, and the schedule of periodic reminders/summaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Periodic tasks that send something to people (the broker purge is housekeeping).
NOTIFYING_TASKS = (
    "inspections.tasks.run_reminder_sweep",
    "inspections.tasks.send_notification_digests",
    "inspections.tasks.send_compliance_summaries",
)


TASK_LABELS = {
    "inspections.tasks.run_reminder_sweep": gettext_lazy("Quét hạn và gửi nhắc việc"),
    "inspections.tasks.send_notification_digests": gettext_lazy("Bản tin nhắc việc gộp"),
    "inspections.tasks.send_compliance_summaries": gettext_lazy(
        "Báo cáo tổng hợp tuân thủ cho lãnh đạo"
    ),
}
WEEKDAYS = {
    "0": gettext_lazy("Chủ nhật"),
    "sun": gettext_lazy("Chủ nhật"),
    "1": gettext_lazy("thứ Hai"),
    "mon": gettext_lazy("thứ Hai"),
    "2": gettext_lazy("thứ Ba"),
    "tue": gettext_lazy("thứ Ba"),
    "3": gettext_lazy("thứ Tư"),
    "wed": gettext_lazy("thứ Tư"),
    "4": gettext_lazy("thứ Năm"),
    "thu": gettext_lazy("thứ Năm"),
    "5": gettext_lazy("thứ Sáu"),
    "fri": gettext_lazy("thứ Sáu"),
    "6": gettext_lazy("thứ Bảy"),
    "sat": gettext_lazy("thứ Bảy"),
}


def describe_schedule(schedule: object) -> str:
    """A sentence for people: "thứ Hai hằng tuần, 07:00" rather than a crontab repr."""
    if isinstance(schedule, dt.timedelta):
        return _describe_interval(schedule)
    every = getattr(schedule, "run_every", None)
    if isinstance(every, dt.timedelta):
        return _describe_interval(every)
    when = _time_of_day(
        str(getattr(schedule, "_orig_minute", "")), str(getattr(schedule, "_orig_hour", ""))
    )
    if when is None:
        return str(schedule)
    return _describe_days(
        str(getattr(schedule, "_orig_day_of_week", "*")),
        str(getattr(schedule, "_orig_day_of_month", "*")),
        when,
    )


def _describe_interval(interval: dt.timedelta) -> str:
    minutes = int(interval.total_seconds() // 60)
    if minutes % 60 == 0:
        return _("Mỗi %(n)d giờ") % {"n": minutes // 60}
    return _("Mỗi %(n)d phút") % {"n": minutes}


def _time_of_day(minute: str, hour: str) -> str | None:
    """ "07:00", or "7:00 đến 19:00, 2 giờ một lần"; None for a crontab too odd to say."""
    if not minute.isdigit():
        return None
    if hour.isdigit():
        return f"{int(hour):02d}:{int(minute):02d}"
    if "/" in hour and "-" in hour.split("/")[0]:
        span, step = hour.split("/")
        start, end = span.split("-")
        return _("%(start)s:%(m)s đến %(end)s:%(m)s, %(step)s giờ một lần") % {
            "start": start,
            "end": end,
            "m": f"{int(minute):02d}",
            "step": step,
        }
    return None


def _describe_days(dow: str, dom: str, when: str) -> str:
    if dow != "*" and dom == "*":
        day = ", ".join(str(WEEKDAYS.get(d.strip().lower(), d)) for d in dow.split(","))
        text = _("%(day)s hằng tuần, %(when)s") % {"day": day, "when": when}
        return text[:1].upper() + text[1:]
    if dom != "*" and dow == "*":
        return _("Ngày %(dom)s hằng tháng, %(when)s") % {"dom": dom, "when": when}
    return _("Hằng ngày, %(when)s") % {"when": when}


@dataclass
class ScheduledTask:
    name: str
    task: str
    schedule: str
    enabled: bool
    last_run_at: object = None

    @property
    def label(self) -> str:
        return str(TASK_LABELS.get(self.task, self.name))


def summary_schedule() -> list[ScheduledTask]:
    """django-celery-beat's rows (an administrator may have changed them); the settings' schedule
    when beat has not copied it to the database yet."""
    from django_celery_beat.models import PeriodicTask

    rows = [
        ScheduledTask(
            name=t.name,
            task=t.task,
            schedule=describe_schedule(t.schedule),
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
        ScheduledTask(
            name=name,
            task=entry["task"],
            schedule=describe_schedule(entry["schedule"]),
            enabled=True,
        )
        for name, entry in sorted(settings.CELERY_BEAT_SCHEDULE.items())
        if entry["task"] in NOTIFYING_TASKS
    ]
