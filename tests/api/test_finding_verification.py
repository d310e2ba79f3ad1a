"""POST /api/v1/findings/{id}/verification/: the inspector confirms or sends back a remediation."""

from __future__ import annotations

import pytest

from inspections.models import Finding, FindingEvidence
from inspections.services import inspections as services
from inspections.services import remediation
from tests import inspection_factories as inf
from tests.api.inspection_helpers import client_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(in_progress, inspector, head):
    finding, _ = services.raise_finding(
        user=inspector,
        inspection=in_progress,
        client_uuid=inf.new_uuid(),
        description="Lối thoát nạn tầng 2 bị chắn",
        severity="major",
    )
    FindingEvidence.objects.create(finding=finding, sha256="1" * 64, uploaded_by=head)
    return remediation.mark_finding_remediated(user=head, finding=finding, note="Đã dọn lối")


def test_inspector_sends_back_then_confirms(reported, inspector, head):
    client = client_for(inspector)
    endpoint = url("finding-verification", reported.pk)

    r = client.post(endpoint, {"accepted": False}, format="json")
    assert r.status_code == 400
    assert r.json()["code"] == "note_required" and "note" in r.json()["fields"]

    r = client.post(endpoint, {"accepted": False, "note": "Còn kệ hàng"}, format="json")
    assert r.status_code == 200
    assert r.json()["status"] == "open" and r.json()["verification_note"] == "Còn kệ hàng"

    remediation.mark_finding_remediated(user=head, finding=reported, note="Đã chuyển kệ hàng")
    r = client.post(endpoint, {"accepted": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert r.json()["closed_at"] is not None
    # A retry after a lost response is the same success.
    again = client.post(endpoint, {"accepted": True}, format="json")
    assert again.status_code == 200 and again.json()["closed_at"] == r.json()["closed_at"]
    # The closed finding reaches the phone's copy of the inspection.
    detail = client.get(url("inspection", reported.inspection_id)).json()
    assert [f["status"] for f in detail["findings"]] == ["closed"]


def test_confirming_an_open_finding_is_409(reported, inspector, head):
    Finding.objects.filter(pk=reported.pk).update(status=Finding.Status.OPEN)
    r = client_for(inspector).post(
        url("finding-verification", reported.pk), {"accepted": True}, format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "finding_not_remediated"


def test_head_gets_403_and_strangers_404(reported, head, other_inspector):
    endpoint = url("finding-verification", reported.pk)
    r = client_for(head).post(endpoint, {"accepted": True}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    r = client_for(other_inspector).post(endpoint, {"accepted": True}, format="json")
    assert r.status_code == 404
    reported.refresh_from_db()
    assert reported.status == Finding.Status.REMEDIATED
