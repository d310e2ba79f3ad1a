"""Webhook channel: signed JSON POST to a local HTTP server, retried on failure."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from inspections.models import Notification, WebhookEndpoint
from inspections.services.notifications import deliver
from inspections.services.reminders.sweep import run_sweep

from .conftest import TODAY


class Receiver:
    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)  # answers to give, in order; then 200
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver([503])
    yield r
    r.close()


def test_webhook_is_signed_retried_and_sent_once(world, receiver):
    hook = WebhookEndpoint.objects.create(
        authority=world["authority"], url=receiver.url, kinds=["finding_deadline"]
    )
    first = run_sweep(today=TODAY)
    row = Notification.objects.get(channel="webhook", subject_key=f"finding:{world['finding'].pk}")
    # The receiver answered 503 once: the row waits for its retry with a backoff.
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at is not None and "503" in row.error
    assert first.retrying == 1  # the overdue finding went through on the second request

    Notification.objects.filter(channel="webhook").update(next_attempt_at=None)
    run_sweep(today=TODAY)
    row.refresh_from_db()
    assert row.status == "sent"
    run_sweep(today=TODAY)
    bodies = [json.loads(b) for _, b in receiver.requests]
    assert sum(1 for b in bodies if b["id"] == row.pk) == 2  # one failure, one success

    headers, body = receiver.requests[-1]
    expected = "sha256=" + hmac.new(hook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-PCCC-Signature"] == expected
    doc = json.loads(body)
    assert doc["kind"] == "finding_deadline" and doc["authority_id"] == world["authority"].pk
    assert doc["data"]["cites"][0]["label_vi"].endswith("Luật 55/2024/QH15")
    assert headers["X-PCCC-Delivery"] == str(doc["id"])


def test_refused_webhook_fails_for_good(world):
    r = Receiver([410])
    try:
        WebhookEndpoint.objects.create(
            authority=world["authority"], url=r.url, kinds=["inspection_due"]
        )
        run_sweep(today=TODAY)
        row = Notification.objects.get(channel="webhook")
        assert (row.status, row.attempts) == ("failed", 1)
        assert deliver(row.pk).status == "skipped"
    finally:
        r.close()


def test_celery_task_retries_with_backoff(world, receiver, settings):
    from inspections.tasks import NotificationRetry, send_notification

    WebhookEndpoint.objects.create(
        authority=world["authority"], url=receiver.url, kinds=["inspection_due"]
    )
    run_sweep(today=TODAY, send=False)
    row = Notification.objects.get(channel="webhook")
    assert send_notification.autoretry_for == (NotificationRetry,)
    assert send_notification.retry_backoff
    with pytest.raises(NotificationRetry):
        send_notification.run(row.pk)  # the 503: Celery would retry with backoff
    assert send_notification.run(row.pk) == "sent"
    assert send_notification.run(row.pk) == "skipped"  # a duplicate message is a no-op
