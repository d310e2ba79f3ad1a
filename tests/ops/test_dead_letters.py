"""Failed tasks are kept for the administrator, who may queue them again."""

from __future__ import annotations

import pytest

from inspections.tasks import refresh_premises_obligations
from ops.models import FailedTask
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_task_that_fails_is_listed_and_can_be_queued_again(client, monkeypatch):
    result = refresh_premises_obligations.apply(args=["not-a-number"])
    assert result.failed()
    failed = FailedTask.objects.get()
    assert failed.task_name == "inspections.tasks.refresh_premises_obligations"
    assert failed.args == ["not-a-number"]
    assert failed.exception.startswith("ValueError")

    admin = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/ops/failedtask/")
    assert page.status_code == 200
    assert "inspections.tasks.refresh_premises_obligations" in page.content.decode()

    sent = []
    monkeypatch.setattr(
        "ops.dead_letters.current_app.send_task",
        lambda name, args, kwargs: sent.append((name, args, kwargs)) or type("R", (), {"id": "x"}),
    )
    response = client.post(
        "/admin/ops/failedtask/",
        {"action": "requeue", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert sent == [("inspections.tasks.refresh_premises_obligations", ["not-a-number"], {})]
    failed.refresh_from_db()
    assert failed.requeued_at is not None


def test_only_superusers_may_queue_failed_tasks_again(client):
    refresh_premises_obligations.apply(args=["not-a-number"])
    staff = f.UserFactory(is_staff=True, is_superuser=False)
    client.force_login(staff)
    # Staff without the model's view permission do not even see the list.
    assert client.get("/admin/ops/failedtask/").status_code == 403
