"""The request id: answered in a header, written in log lines, carried into queued tasks."""

from __future__ import annotations

import logging

from kombu import Connection

from config.request_id import current_request_id
from inspections.tasks import sweep_missing_reports


def test_request_id_from_nginx_is_answered_and_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="0123456789abcdef0123")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "0123456789abcdef0123"
    assert any(getattr(r, "request_id", None) == "0123456789abcdef0123" for r in caplog.records)


def test_request_id_that_is_not_an_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>x</script>")
    assert response["X-Request-ID"] != "<script>x</script>"
    assert len(response["X-Request-ID"]) == 32


def test_task_queued_during_a_request_carries_its_id():
    with Connection("memory://") as conn:
        queue = conn.SimpleQueue("records")
        token = current_request_id.set("abcdef0123456789")
        try:
            sweep_missing_reports.apply_async(connection=conn)
        finally:
            current_request_id.reset(token)
        message = queue.get(timeout=5)
        assert message.headers["task"] == "inspections.tasks.sweep_missing_reports"
        assert message.headers["request_id"] == "abcdef0123456789"
        message.ack()
        queue.close()
