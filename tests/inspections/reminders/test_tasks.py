"""Celery tasks (eager): the beat sweep records rows and queues one send per row."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core import mail

from inspections.models import Notification

NOON = datetime(2026, 11, 23, 12, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@time_machine.travel(NOON, tick=False)
def test_beat_sweep_twice_sends_once(world, eager):
    from inspections.tasks import run_reminder_sweep

    assert run_reminder_sweep.delay().get() == 1  # one slice of premises
    immediate = Notification.objects.filter(delivery="immediate", channel="email")
    sent = len(mail.outbox)
    assert sent > 0 and sent == immediate.count()
    assert run_reminder_sweep.delay().get() == 1
    assert len(mail.outbox) == sent
    assert not Notification.objects.filter(delivery="immediate").exclude(status="sent").exists()


@time_machine.travel(NOON, tick=False)
def test_summary_task_and_schedule(world, eager):
    from inspections.tasks import send_compliance_summaries

    assert send_compliance_summaries.delay("monthly").get() == 1
    assert "tháng 10/2026" in mail.outbox[-1].subject
    assert send_compliance_summaries.delay("monthly").get() == 0
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["compliance-summary-weekly"]["args"] == ("weekly",)
    assert schedule["compliance-summary-monthly"]["schedule"].day_of_month == {1}
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"
