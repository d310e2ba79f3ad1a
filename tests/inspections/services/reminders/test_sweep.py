"""The reminder sweep on the embedded database: what is sent, to whom, and only once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from inspections.models import Delivery, Notification
from inspections.services.notifications import PreferenceError, set_preference
from inspections.services.reminders.sweep import run_sweep

from .conftest import TODAY


def subjects(to: str) -> list[str]:
    return [m.subject for m in mail.outbox if to in m.to]


def test_first_run_sends_what_is_due_second_run_sends_nothing(world):
    first = run_sweep(today=TODAY, digests=True)
    assert first.sent > 0 and first.failed == 0
    sent_mails = len(mail.outbox)

    head = subjects("head@test.vn")
    # Legal deadlines due within 3 days or overdue go out at once ...
    assert any("Hạn khắc phục vi phạm" in s for s in head)  # finding due in 3 days
    assert any("Quá hạn khắc phục vi phạm" in s for s in head)  # finding 2 days late
    assert any("Bảo hiểm cháy, nổ bắt buộc" in s for s in head) is False  # not in catalogue yet
    # ... the rest waits for the one daily digest: the certificate expiring in 20 days.
    digest = next(m for m in mail.outbox if "head@test.vn" in m.to and "Bản tin" in m.subject)
    assert "Chứng nhận huấn luyện PCCC sắp hết hạn" in digest.body
    assert not any("Chứng nhận huấn luyện" in s for s in head)
    inspector = next(m for m in mail.outbox if "inspector@test.vn" in m.to)
    assert "Bản tin nhắc việc" in inspector.subject and "Sắp đến lịch kiểm tra" in inspector.body
    # The manager's "finding past its deadline" defaults to the daily digest.
    assert any("Bản tin nhắc việc" in s for s in subjects("manager@test.vn"))

    second = run_sweep(today=TODAY, digests=True)
    assert second.sent == 0
    assert second.already_sent == first.sent
    assert len(mail.outbox) == sent_mails


def test_english_head_gets_english_text(world):
    run_sweep(today=TODAY)
    english = [m for m in mail.outbox if "head-en@test.vn" in m.to]
    assert english
    finding = next(m for m in english if "Remediation deadline" in m.subject)
    assert "By when" in finding.body and "due in 3 days" in finding.body
    assert "khoản 3 Điều 8" not in finding.body  # labels in English
    assert "Art. 8.3.d of Law 55/2024/QH15" in finding.body
    html = finding.alternatives[0][0]
    assert 'lang="en"' in html


def test_reminder_says_what_by_when_why_and_links(world, settings):
    settings.PUBLIC_BASE_URL = "https://pccc.example.vn"
    run_sweep(today=TODAY)
    msg = next(m for m in mail.outbox if "head@test.vn" in m.to and "Hạn khắc phục" in m.subject)
    finding = world["finding"]
    assert "Bình chữa cháy tầng 2 hết hạn kiểm định" in msg.body
    assert f"{(TODAY + timedelta(days=3)).strftime('%d/%m/%Y')}" in msg.body
    assert "khoản 3 Điều 8 Luật 55/2024/QH15" in msg.body
    assert f"https://pccc.example.vn/findings/{finding.pk}/" in msg.body
    assert msg.extra_headers["List-Unsubscribe"].startswith("<https://pccc.example.vn/unsubscribe/")


def test_stage_is_recorded_once_per_window(world):
    run_sweep(today=TODAY)
    rows = Notification.objects.filter(
        subject_key=f"finding:{world['finding'].pk}", user=world["head"]
    )
    assert list(rows.values_list("stage", flat=True)) == ["t3"]
    # Two days later the same window: nothing new. After the deadline: the overdue reminder.
    run_sweep(today=TODAY + timedelta(days=2))
    assert rows.count() == 1
    run_sweep(today=TODAY + timedelta(days=4))
    assert sorted(rows.values_list("stage", flat=True)) == ["overdue", "t3"]


def test_mandatory_kind_can_go_to_digest_not_off(world):
    head = world["head"]
    with pytest.raises(PreferenceError):
        set_preference(user=head, kind="finding_deadline", mode=Delivery.OFF)
    set_preference(user=head, kind="finding_deadline", mode=Delivery.DIGEST)
    # Eleven days earlier the finding was 14 days from its deadline: that reminder waits.
    early = TODAY - timedelta(days=11)
    run_sweep(today=early, digests=False)
    assert not any("vi phạm" in s for s in subjects("head@test.vn"))
    held = Notification.objects.filter(user=head, kind="finding_deadline")
    assert {(n.stage, n.delivery, n.status) for n in held} == {("t14", "digest", "pending")}

    run_sweep(today=early, digests=True)
    digest = [m for m in mail.outbox if "head@test.vn" in m.to and "Bản tin" in m.subject]
    assert len(digest) == 1
    assert "Bình chữa cháy tầng 2" in digest[0].body
    assert set(held.values_list("status", flat=True)) == {"sent"}
    # Three days before the deadline a legal deadline is not held for the digest.
    run_sweep(today=TODAY, digests=False)
    assert any("Hạn khắc phục vi phạm" in s for s in subjects("head@test.vn"))


def test_optional_kind_switched_off_sends_nothing(world):
    set_preference(user=world["inspector"], kind="inspection_due", mode=Delivery.OFF)
    result = run_sweep(today=TODAY)
    assert subjects("inspector@test.vn") == []
    assert result.suppressed >= 1


def test_dry_run_writes_and_sends_nothing(world):
    result = run_sweep(today=TODAY, dry_run=True)
    assert result.sent > 0
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_sweep_queries_do_not_grow_with_premises(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories as f

    run_sweep(today=TODAY)  # warm-up: rows exist, nothing left to send

    def statements(new_premises: int) -> int:
        for _ in range(new_premises):
            f.PremisesFactory(heads=[world["head"]])
        with CaptureQueriesContext(connection) as ctx:
            run_sweep(today=TODAY, batch=1000)
        return len(ctx.captured_queries)

    # The new premises' obligations are computed in one batch inside the sweep, and their
    # reminders recorded per page (6 statements on PostgreSQL around COPY, 2 elsewhere). The
    # batch then settles the dashboard's rolled-up counters once for all the changed premises
    # (rollups.premises_changed, 10 statements whatever their number: savepoint, lock the
    # premises, their certificates, stored shares, obligations by status, roadmap obligations,
    # findings, inspections, decree parameters, counter upsert, shares update, release).
    few, many = statements(5), statements(60)
    assert few == many <= (62 if connection.vendor == "postgresql" else 50)


def test_portal_selectors_for_log_and_preferences(world, django_assert_num_queries):
    from inspections.selectors.notifications import notifications_for, preferences_for

    run_sweep(today=TODAY)
    head = world["head"]
    log = list(notifications_for(head))
    assert log and all(n.user_id == head.pk for n in log)
    set_preference(user=head, kind="finding_deadline", mode=Delivery.DIGEST)
    with django_assert_num_queries(1):
        prefs = {p.kind: p for p in preferences_for(head)}
    assert prefs["finding_deadline"].mode == "digest"
    assert prefs["finding_deadline"].allowed == ("immediate", "digest")
    assert prefs["inspection_due"].allowed == ("immediate", "digest", "off")
    assert prefs["finding_overdue_manager"].mode == "digest"  # the default from settings


def test_delivery_costs_three_queries_per_row(world, django_assert_num_queries):
    from inspections.services.notifications import deliver

    run_sweep(today=TODAY, send=False)
    row = Notification.objects.filter(channel="email", delivery="immediate").first()
    with django_assert_num_queries(3):  # claim (conditional update), read, mark sent
        assert deliver(row.pk).status == "sent"
    with django_assert_num_queries(2):  # both conditional updates match nothing
        assert deliver(row.pk).status == "skipped"
