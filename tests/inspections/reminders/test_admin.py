"""Admin: the notification log is readable and re-queues failed rows; preferences validated."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.models import Notification, WebhookEndpoint
from inspections.services.reminders.sweep import run_sweep
from tests import factories as f

from .conftest import TODAY


@pytest.fixture
def admin_client(client, db):
    admin = f.UserFactory(email="root@test.vn", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_log_pages_and_requeue(world, admin_client, monkeypatch):
    run_sweep(today=TODAY)
    for model in (
        "notification",
        "notificationpreference",
        "webhookendpoint",
        "compliancesnapshot",
    ):
        assert admin_client.get(reverse(f"admin:inspections_{model}_changelist")).status_code == 200
    row = Notification.objects.filter(channel="email").first()
    page = admin_client.get(reverse("admin:inspections_notification_change", args=[row.pk]))
    assert page.status_code == 200 and row.subject_key in page.content.decode()

    Notification.objects.filter(pk=row.pk).update(status="failed", error="SMTP down", attempts=5)
    queued = []
    monkeypatch.setattr("inspections.tasks.send_notification.delay", queued.append)
    admin_client.post(
        reverse("admin:inspections_notification_changelist"),
        {"action": "requeue", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert (row.status, row.attempts, queued) == ("pending", 0, [row.pk])


def test_preference_form_refuses_off_for_a_legal_deadline(world, admin_client):
    url = reverse("admin:inspections_notificationpreference_add")
    response = admin_client.post(
        url, {"user": world["head"].pk, "kind": "finding_deadline", "mode": "off"}
    )
    assert response.status_code == 200 and "không thể tắt" in response.content.decode()
    response = admin_client.post(
        url, {"user": world["head"].pk, "kind": "inspection_due", "mode": "off"}
    )
    assert response.status_code == 302


def test_webhook_secret_is_generated(world):
    hook = WebhookEndpoint.objects.create(authority=world["authority"], url="https://x.example/h")
    assert len(hook.secret) == 64
