"""The schedule of periodic reminders and summaries, said as a sentence for managers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab, schedule
from django.utils import translation

from inspections.selectors.notification_log import describe_schedule, summary_schedule


@pytest.mark.parametrize(
    ("given", "vi"),
    [
        (timedelta(hours=1), "Mỗi 1 giờ"),
        (timedelta(minutes=10), "Mỗi 10 phút"),
        (schedule(run_every=timedelta(minutes=90)), "Mỗi 90 phút"),
        (crontab(minute=15, hour=5), "Hằng ngày, 05:15"),
        (crontab(minute=0, hour=7, day_of_week="mon"), "Thứ Hai hằng tuần, 07:00"),
        (crontab(minute=0, hour=7, day_of_week="1,5"), "Thứ Hai, thứ Sáu hằng tuần, 07:00"),
        (crontab(minute=30, hour=6, day_of_month="1"), "Ngày 1 hằng tháng, 06:30"),
        (
            crontab(minute=0, hour="6-20/2"),
            "Hằng ngày, 6:00 đến 20:00, 2 giờ một lần",
        ),
        # Both a weekday and a day of the month: said as daily (crontab's "or" is rare here).
        (crontab(minute=0, hour=7, day_of_week="mon", day_of_month="1"), "Hằng ngày, 07:00"),
    ],
)
def test_schedules_read_as_sentences(given, vi):
    with translation.override("vi"):
        assert describe_schedule(given) == vi


@pytest.mark.parametrize(
    "odd", [crontab(minute="*/5"), crontab(minute=0, hour="*/3"), crontab(minute=0, hour="6,18")]
)
def test_crontabs_too_odd_to_say_are_shown_as_they_are(odd):
    assert describe_schedule(odd) == str(odd)


def test_english_sentences():
    with translation.override("en"):
        assert describe_schedule(crontab(minute=0, hour=7, day_of_week="mon")) == (
            "Every Monday, 07:00"
        )
        assert describe_schedule(crontab(minute=0, hour="6-20/2")) == (
            "Every day, 6:00 to 20:00, every 2 hours"
        )


def test_summary_schedule_falls_back_to_the_settings(db, settings):
    rows = summary_schedule()
    tasks = {r.task for r in rows}
    assert "inspections.tasks.run_reminder_sweep" in tasks
    assert all(r.enabled and r.schedule for r in rows)
