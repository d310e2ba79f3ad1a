"""The authority answers a remediation report: confirm it (closed) or send it back (open)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.models import Finding, FindingEvidence
from inspections.services import remediation
from inspections.services.errors import Conflict, Invalid


@pytest.fixture
def reported(finding, head):
    FindingEvidence.objects.create(finding=finding, sha256="0" * 64, uploaded_by=head)
    return remediation.mark_finding_remediated(user=head, finding=finding, note="Đã thay bình")


def test_manager_confirms_from_the_finding_page(client, manager, reported):
    client.force_login(manager)
    page = client.get(reverse("portal:finding_detail", args=[reported.pk]))
    assert "Xác nhận khắc phục" in page.content.decode()
    response = client.post(
        reverse("portal:finding_verify", args=[reported.pk]), {"decision": "accept"}, follow=True
    )
    reported.refresh_from_db()
    assert reported.status == Finding.Status.CLOSED
    assert reported.verified_by == manager and reported.closed_at is not None
    assert "Đã xác nhận vi phạm được khắc phục." in response.content.decode()
    # Once closed, the head can no longer add evidence or report again.
    assert 'enctype="multipart/form-data"' not in response.content.decode()


def test_sending_back_needs_a_reason_and_reopens_the_finding(client, manager, head, reported):
    client.force_login(manager)
    url = reverse("portal:finding_verify", args=[reported.pk])
    response = client.post(url, {"decision": "reject", "note": "  "}, follow=True)
    assert "Ghi rõ vì sao chưa đạt" in response.content.decode()
    reported.refresh_from_db()
    assert reported.status == Finding.Status.REMEDIATED

    client.post(url, {"decision": "reject", "note": "Bình ở tầng 3 vẫn hết hạn"})
    reported.refresh_from_db()
    assert reported.status == Finding.Status.OPEN and reported.closed_at is None
    # The head sees why, and may report again.
    client.force_login(head)
    page = client.get(reverse("portal:finding_detail", args=[reported.pk])).content.decode()
    assert "Bình ở tầng 3 vẫn hết hạn" in page
    assert "Đánh dấu đã khắc phục" in page
    assert "Gửi kết quả" not in page


def test_head_cannot_confirm_their_own_report(client, head, reported):
    client.force_login(head)
    page = client.get(reverse("portal:finding_detail", args=[reported.pk])).content.decode()
    assert "Gửi kết quả" not in page
    response = client.post(
        reverse("portal:finding_verify", args=[reported.pk]), {"decision": "accept"}
    )
    assert response.status_code == 403
    reported.refresh_from_db()
    assert reported.status == Finding.Status.REMEDIATED


def test_another_authority_cannot_see_or_confirm(client, other_authority, reported):
    from tests import factories as f

    stranger = f.UserFactory(email="stranger@test.vn")
    f.MembershipFactory(user=stranger, authority=other_authority, role="manager")
    client.force_login(stranger)
    response = client.post(
        reverse("portal:finding_verify", args=[reported.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    reported.refresh_from_db()
    assert reported.status == Finding.Status.REMEDIATED


def test_assigned_inspector_confirms_and_a_repeat_is_a_no_op(inspector, inspection, reported):
    inspection.inspectors.add(inspector)
    closed = remediation.verify_remediation(user=inspector, finding=reported, accepted=True)
    again = remediation.verify_remediation(user=inspector, finding=reported, accepted=True)
    assert again.status == Finding.Status.CLOSED and again.verified_at == closed.verified_at
    with pytest.raises(Conflict):  # a closed finding is not sent back
        remediation.verify_remediation(
            user=inspector, finding=reported, accepted=False, note="Chưa đạt"
        )


def test_an_open_finding_cannot_be_confirmed(manager, finding):
    with pytest.raises(Conflict):
        remediation.verify_remediation(user=manager, finding=finding, accepted=True)
    with pytest.raises(Invalid):
        remediation.verify_remediation(user=manager, finding=finding, accepted=False)


def test_manager_nav_links_to_findings_awaiting_confirmation(client, manager, reported):
    client.force_login(manager)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("portal:findings") + "?status=remediated" in page
    listing = client.get(reverse("portal:findings"), {"status": "remediated"}).content.decode()
    assert reported.description[:40] in listing


def test_verification_form_in_english(client, manager, reported, settings):
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("portal:finding_detail", args=[reported.pk])).content.decode()
    assert "Confirm remediation" in page and "Not yet acceptable, send back" in page
    assert "Gửi kết quả" not in page


def test_heads_are_told_the_decision_once_in_their_language(
    manager, head, reported, eager, django_capture_on_commit_callbacks, mailoutbox
):
    from tests import factories as f

    head_en = f.UserFactory(email="head-en@test.vn", language="en")
    reported.premises.heads.add(head_en)
    with django_capture_on_commit_callbacks(execute=True):
        remediation.verify_remediation(
            user=manager, finding=reported, accepted=False, note="Bình tầng 3 vẫn hết hạn"
        )
    with django_capture_on_commit_callbacks(execute=True):  # a retry of the same decision
        remediation.verify_remediation(
            user=manager, finding=reported, accepted=False, note="Bình tầng 3 vẫn hết hạn"
        )
    by_to = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_to) == ["head-en@test.vn", "head@test.vn"]
    assert (
        by_to["head@test.vn"].subject
        == "[PCCC Inspect] Chưa đạt, cần khắc phục tiếp: Karaoke Hoàn Kiếm"
    )
    assert "Bình tầng 3 vẫn hết hạn" in by_to["head@test.vn"].body
    assert (
        by_to["head-en@test.vn"].subject
        == "[PCCC Inspect] Remediation sent back: Karaoke Hoàn Kiếm"
    )

    # The head reports again; the confirmation is a new notice.
    remediation.mark_finding_remediated(user=head, finding=reported, note="Đã thay nốt")
    with django_capture_on_commit_callbacks(execute=True):
        remediation.verify_remediation(user=manager, finding=reported, accepted=True)
    confirmed = [m for m in mailoutbox if "Đã xác nhận khắc phục vi phạm" in m.subject]
    assert [m.to for m in confirmed] == [["head@test.vn"]]
    assert len(mailoutbox) == 4
