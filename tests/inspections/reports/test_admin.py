"""Operators see records in the admin and re-queue failed ones; nothing is edited by hand."""

from __future__ import annotations

from unittest import mock

from django.urls import reverse

from inspections import tasks
from inspections.models import Report
from inspections.services import reports as service
from tests import factories as f


def test_admin_lists_reports_and_requeues_failed(
    client, submitted, django_capture_on_commit_callbacks
):
    report = service.report_for(submitted)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.FAILED, attempts=5, failure_reason="OSError: disk full"
    )
    admin_user = f.UserFactory(email="root@test.vn", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:inspections_report_changelist"))
    assert listing.status_code == 200
    assert report.verification_code in listing.content.decode()
    with (
        mock.patch.object(tasks.generate_inspection_report, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(
            reverse("admin:inspections_report_changelist"),
            {"action": "requeue", "_selected_action": [report.pk]},
        )
    delay.assert_called_once_with(submitted.pk)
    assert Report.objects.get(pk=report.pk).attempts == 0
    change = client.get(reverse("admin:inspections_report_change", args=[report.pk]))
    assert change.status_code == 200
    assert b'name="sha256"' not in change.content  # read-only
