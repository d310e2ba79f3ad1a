"""The head's forms: PC04 drafted from what the system knows, edited, signed and sent to the
managing authority (which sees it in its portal) and kept in the dossier; PC01 from the registry
in the edition in force."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspections import tasks
from inspections.models import DossierDocument, FormDocument
from inspections.pdf.verification import verify_pdf
from inspections.services import forms as service
from inspections.services import reports as report_service
from inspections.services.errors import Conflict
from tests import factories as f
from tests.conftest import file_bytes

from .pdf.helpers import pdfsig, pdftotext


@pytest.fixture
def insured(premises):
    premises.insurer = "Bảo hiểm Bảo Việt"
    premises.insurance_policy_number = "BV-2026-0042"
    premises.insurance_expires_on = date(2027, 3, 31)
    premises.last_drill_on = date(2026, 10, 2)
    premises.save()
    return premises


def test_pc04_generate_edit_send_and_the_manager_receives_it(
    client,
    eager,
    self_submitted,
    insured,
    head,
    manager,
    authority,
    media,
    django_capture_on_commit_callbacks,
):
    report_service.generate_report(self_submitted.pk)
    client.force_login(head)
    # Generate: the draft is written from the system's data.
    response = client.post(reverse("portal:pc04_start", args=[insured.pk]))
    draft = FormDocument.objects.get(premises=insured, form=FormDocument.Form.PC04)
    assert response.url == reverse("portal:pc04_edit", args=[draft.pk])
    assert draft.status == FormDocument.Status.DRAFT and draft.recipient == authority
    assert draft.period_end in (
        date(timezone.localdate().year, 6, 15),
        date(timezone.localdate().year, 12, 15),
        date(timezone.localdate().year + 1, 6, 15),
    )
    assert "Bảo hiểm Bảo Việt" in draft.content["insurance"]
    assert "BV-2026-0042" in draft.content["insurance"]
    assert "02/10/2026" in draft.content["responsibility"]  # the last drill
    assert "tự kiểm tra định kỳ 1 lần" in draft.content["self_inspection"]
    page = client.get(response.url)
    assert "Bảo hiểm Bảo Việt" in page.content.decode()

    # Edit, then sign and send.
    body = {**draft.content, "recipient": authority.pk}
    body["proposals"] = "Đề nghị hướng dẫn kết nối thiết bị truyền tin báo cháy."
    body["maintenance"] = "Đã bảo dưỡng bình chữa cháy ngày 01/11/2026."
    client.post(reverse("portal:pc04_edit", args=[draft.pk]), {**body, "save": "1"})
    draft.refresh_from_db()
    assert draft.content["maintenance"] == "Đã bảo dưỡng bình chữa cháy ngày 01/11/2026."
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:pc04_edit", args=[draft.pk]), {**body, "send": "1"})
    draft.refresh_from_db()
    assert draft.status == FormDocument.Status.READY and draft.sent_at is not None

    with draft.file.open("rb") as fh:
        pdf = fh.read()
    assert verify_pdf(pdf).valid
    assert "Signature is Valid" in pdfsig(pdf)
    text = " ".join(pdftotext(pdf).split())
    for heading in (
        "Mẫu số PC04",
        "BÁO CÁO",
        "Kết quả thực hiện công tác phòng cháy, chữa cháy, cứu nạn, cứu hộ",
        f"Kính gửi: {authority.name}",
        "1. Kết quả thực hiện:",
        "khoản 3 Điều 8 Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        "Đã bảo dưỡng bình chữa cháy ngày 01/11/2026.",
        "3. Đề xuất đối với cơ quan quản lý (nếu có):",
        "Đề nghị hướng dẫn kết nối thiết bị truyền tin báo cháy.",
        "ĐẠI DIỆN CƠ SỞ",
    ):
        assert heading in text, heading
    # Kept in the dossier (item h, retained 5 years) and verifiable at /verify/.
    document = DossierDocument.objects.get(form_document=draft)
    assert document.item == "h" and document.retained_until is not None
    verify = client.get(reverse("portal:verify", args=[draft.verification_code]))
    assert verify.status_code == 200 and insured.name in verify.content.decode()
    upload = client.post(
        reverse("portal:verify_upload"),
        {"file": SimpleUploadedFile("pc04.pdf", pdf, content_type="application/pdf")},
    )
    assert 'data-verdict="valid"' in upload.content.decode()

    # A sent report no longer changes.
    with pytest.raises(Conflict):
        service.update_pc04(user=head, form=draft, content={"proposals": "khác"})

    # The manager receives it in the portal and downloads the signed PDF.
    client.force_login(manager)
    received = client.get(reverse("portal:received_reports"))
    assert insured.name in received.content.decode()
    download = client.get(reverse("portal:form_download", args=[draft.pk]))
    assert download.status_code == 200
    assert file_bytes(download) == pdf


def test_pc04_is_one_per_half_year_and_only_the_head_prepares_it(premises, head, manager):
    first = service.draft_pc04(user=head, premises=premises, today=date(2026, 11, 30))
    again = service.draft_pc04(user=head, premises=premises, today=date(2026, 12, 10))
    assert again.pk == first.pk and first.period_end == date(2026, 12, 15)
    nxt = service.draft_pc04(user=head, premises=premises, today=date(2026, 12, 16))
    assert nxt.pk != first.pk and nxt.period_end == date(2027, 6, 15)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        service.draft_pc04(user=manager, premises=premises)


def test_the_sweep_requeues_a_form_whose_message_was_lost(premises, head, media):
    form = service.draft_pc04(user=head, premises=premises)
    FormDocument.objects.filter(pk=form.pk).update(
        status=FormDocument.Status.PENDING,
        updated_at=timezone.now() - timezone.timedelta(minutes=10),
    )
    with mock.patch.object(tasks.generate_form_document, "delay") as delay:
        assert tasks.sweep_missing_forms() == 1
    delay.assert_called_once_with(form.pk)


@pytest.mark.parametrize(
    ("day", "edition_line", "has_item_11"),
    [
        (date(2026, 9, 14), "Nghị định số 105/2025/NĐ-CP", False),
        (date(2026, 9, 15), "Nghị định số 347/2026/NĐ-CP", True),
    ],
)
def test_pc01_from_the_registry_in_the_edition_in_force(
    premises,
    head,
    media,
    signing_settings,
    day,
    edition_line,
    has_item_11,
    django_capture_on_commit_callbacks,
):
    premises.put_into_use_on = date(2019, 4, 1)
    premises.floors = 3
    premises.save()
    with django_capture_on_commit_callbacks(execute=False):
        form = service.make_pc01(user=head, premises=premises, today=day)
    form = service.generate_form(form.pk)
    assert form.status == FormDocument.Status.READY
    with form.file.open("rb") as fh:
        text = " ".join(pdftotext(fh.read()).split())
    assert "PHIẾU THÔNG TIN CỦA CƠ SỞ" in text and edition_line in text
    assert f"1. Tên cơ sở: {premises.name}" in text
    assert "4. Năm đưa vào hoạt động: 2019" in text
    assert "3 tầng" in text
    assert ("11. Thời gian đưa vào hoạt động: 01/04/2019" in text) is has_item_11
    assert DossierDocument.objects.get(form_document=form).item == "a"


def test_received_reports_page_is_empty_for_another_authority(client, premises, head):
    stranger = f.UserFactory(email="m3@test.vn")
    from accounts.models import Membership

    other = f.AuthorityFactory(name="UBND Phường Khác", ward_codes=[99999])
    f.MembershipFactory(user=stranger, authority=other, role=Membership.Role.MANAGER)
    form = service.draft_pc04(user=head, premises=premises)
    FormDocument.objects.filter(pk=form.pk).update(status=FormDocument.Status.READY)
    client.force_login(stranger)
    assert premises.name not in client.get(reverse("portal:received_reports")).content.decode()
    assert client.get(reverse("portal:form_download", args=[form.pk])).status_code == 404
