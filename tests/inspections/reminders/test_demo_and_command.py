"""The demo leaves reminders due; run_reminders sends them once and prints what it sent."""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.management import call_command

from inspections.demo import reminders as demo
from inspections.models import Notification


def run(*args: str) -> tuple[list[str], dict]:
    """Progress lines (stderr) and the JSON document, which must be all of stdout."""
    out, err = io.StringIO(), io.StringIO()
    call_command("run_reminders", *args, stdout=out, stderr=err)
    return err.getvalue().strip().splitlines(), json.loads(out.getvalue())


@time_machine.travel(datetime(2026, 11, 23, 7, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)
def test_demo_then_run_reminders_twice(db, published_catalogue):
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())  # seeding again changes nothing

    lines, dry = run("--dry-run", "--json")
    assert dry["sent"] > 0 and mail.outbox == []

    lines, first = run("--json")
    assert set(first) == {"sent", "already_sent", "failed"}
    assert first["sent"] >= 7 and first["failed"] == 0
    text = "\n".join(lines)
    # Legal deadlines due within 3 days or overdue go out at once, one line each ...
    for expected in ("finding_deadline [t3]", "finding_deadline [overdue]", "sent digest user:"):
        assert expected in text, expected
    # ... everything else went out in each person's one digest of the day.
    in_digest = set(
        Notification.objects.filter(delivery="digest", status="sent").values_list("kind", "stage")
    )
    for expected in (
        ("inspection_due", "t1"),
        ("inspection_due", "overdue"),
        ("insurance_expiry", "t7"),
        ("training_expiry", "t30"),
        ("drill_due", "t30"),
        ("alarm_roadmap", "t365"),
    ):
        assert expected in in_digest, expected
    assert len(mail.outbox) > 0

    lines, second = run("--json")
    assert second == {"sent": 0, "already_sent": first["sent"], "failed": 0}
