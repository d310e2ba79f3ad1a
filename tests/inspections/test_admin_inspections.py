"""Managers plan inspections in the admin too: the checklist is frozen, phones get tombstones."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.models import Inspection, SyncTombstone

pytestmark = pytest.mark.django_db


def form(inspection_data: dict) -> dict:
    return {
        "kind": "periodic",
        "scheduled_for": "2026-12-05",
        "number": "",
        "place": "",
        "cap_override_reason": "",
        "recommendations": "",
        "representative_name": "",
        "representative_position": "",
        "cancelled_reason": "",
        "findings-TOTAL_FORMS": "0",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "1000",
        **inspection_data,
    }


def test_admin_created_inspection_has_its_checklist(
    admin_client, catalogue, authority, premises, inspector
):
    response = admin_client.post(
        reverse("admin:inspections_inspection_add"),
        form(
            {
                "premises": premises.pk,
                "authority": authority.pk,
                "inspectors": [inspector.pk],
                "catalogue_version": catalogue.pk,
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    inspection = Inspection.objects.get()
    assert inspection.items.count() == 3 and inspection.template is not None


def test_admin_unassignment_leaves_a_tombstone(
    admin_client, scheduled, inspector, unassigned_inspector
):
    response = admin_client.post(
        reverse("admin:inspections_inspection_change", args=[scheduled.pk]),
        form(
            {
                "premises": scheduled.premises_id,
                "authority": scheduled.authority_id,
                "inspectors": [unassigned_inspector.pk],
                "catalogue_version": scheduled.catalogue_version_id,
                "template": scheduled.template_id,
                "scheduled_for": scheduled.scheduled_for.isoformat(),
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert SyncTombstone.objects.filter(user=inspector, inspection_id_value=scheduled.pk).exists()
    assert scheduled.items.count() == 3  # not frozen twice
