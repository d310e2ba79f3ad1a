"""What a facility head does: upload evidence, mark remediated, update facts (audited)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from inspections.models import Finding, PremisesChange
from inspections.services.obligations import refresh_obligations
from tests import factories as f
from tests.conftest import file_bytes


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buf, "PNG")
    return buf.getvalue()


def test_upload_photo_then_mark_remediated(client, head, finding):
    client.force_login(head)
    url = reverse("portal:finding_detail", args=[finding.pk])
    done = reverse("portal:finding_remediated", args=[finding.pk])
    client.post(done)  # refused without evidence
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN
    photo = SimpleUploadedFile("binh.png", png_bytes(), content_type="image/png")
    response = client.post(url, {"file": photo, "note": "Đã thay bình mới"})
    assert response.status_code == 302
    evidence = finding.evidence.get()
    assert evidence.content_type == "image/png" and evidence.uploaded_by == head
    client.post(done, {"note": "Đã thay toàn bộ bình"})
    finding.refresh_from_db()
    assert finding.status == Finding.Status.REMEDIATED
    assert finding.remediation_note == "Đã thay toàn bộ bình"


def test_upload_refuses_other_file_types(client, head, finding):
    client.force_login(head)
    url = reverse("portal:finding_detail", args=[finding.pk])
    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(url, {"file": fake})
    assert response.status_code == 200
    assert "Chỉ chấp nhận ảnh" in response.content.decode()
    assert not finding.evidence.exists()


def test_upload_refuses_large_files(client, head, finding, settings):

    client.force_login(head)
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-" + b"0" * (settings.EVIDENCE_MAX_BYTES + 1), "application/pdf"
    )
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    response = client.post(reverse("portal:finding_detail", args=[finding.pk]), {"file": big})
    assert response.status_code == 200
    assert not finding.evidence.exists()


def test_update_facts_is_recorded_with_who_and_when(client, head, premises, catalogue):
    client.force_login(head)
    url = reverse("portal:premises_facts", args=[premises.pk])
    response = client.post(
        url,
        {
            "alarm_device_state": "connected",
            "alarm_device_id": "TTB-001",
            "alarm_connected_on": "2026-11-01",
            "insurer": "Bảo Việt",
            "insurance_policy_number": "BV-123",
            "insurance_expires_on": "2027-10-31",
            "last_drill_on": "2026-10-15",
        },
    )
    assert response.status_code == 302
    premises.refresh_from_db()
    assert premises.alarm_device_state == "connected"
    change = PremisesChange.objects.get(premises=premises)
    assert change.changed_by == head and change.source == "portal"
    assert change.changes["alarm_device_state"] == ["none", "connected"]
    page = client.get(url).content.decode()
    assert "TTB-001" in page and "alarm_device_state" in page


def test_training_certificate_add_and_remove(client, head, premises, catalogue):
    client.force_login(head)
    client.post(
        reverse("portal:certificate_add", args=[premises.pk]),
        {"cert-holder_name": "Lê Thị Chủ", "cert-number": "HL-9", "cert-expires_on": "2028-01-01"},
    )
    cert = premises.training_certificates.get()
    assert (cert.duty, cert.training_kind) == ("head", "full")
    assert PremisesChange.objects.filter(premises=premises, changed_by=head).count() == 1
    client.post(reverse("portal:certificate_remove", args=[premises.pk, cert.pk]))
    assert not premises.training_certificates.exists()
    assert PremisesChange.objects.filter(premises=premises).count() == 2


def test_training_certificate_of_a_team_member_refresher(client, head, premises, catalogue):
    client.force_login(head)
    client.post(
        reverse("portal:certificate_add", args=[premises.pk]),
        {"cert-holder_name": "Đội viên B", "cert-duty": "team_member",
         "cert-training_kind": "refresher", "cert-issued_on": "2026-05-01"},
    )  # fmt: skip
    cert = premises.training_certificates.get()
    assert (cert.duty, cert.training_kind) == ("team_member", "refresher")
    page = client.get(reverse("portal:premises_facts", args=[premises.pk])).content.decode()
    assert "Thành viên Đội PCCC và CNCH" in page and "Bồi dưỡng bổ sung hằng năm" in page


def test_obligation_page_shows_citation_text_and_roadmap(client, head, premises, catalogue):
    client.force_login(head)
    page = client.get(reverse("portal:premises_detail", args=[premises.pk])).content.decode()
    assert "<details>" in page and 'class="law"' in page
    assert "01/07/2027" in page
    assert "Vì sao áp dụng" in page


def test_report_download_is_the_signed_pdf(client, head, report):
    client.force_login(head)
    response = client.get(reverse("portal:report_download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert file_bytes(response).startswith(b"%PDF")
    history = client.get(
        reverse("portal:premises_inspections", args=[report.inspection.premises_id])
    )
    assert report.verification_code in history.content.decode()


def test_obligation_page_names_missing_facts_and_inspecting_authorities(
    client, head, premises, catalogue
):
    client.force_login(head)
    url = reverse("portal:premises_detail", args=[premises.pk])
    # The factory karaoke: 3 floors, 400 m² → Appendix II row 10, group 2 (Decree 105).
    page = client.get(url).content.decode()
    assert "Cơ quan kiểm tra (Điều 13.2 Nghị định 105)" in page
    assert "02 năm một lần (Phụ lục II nhóm 2)" in page
    assert "Thiếu thông tin để xác định nghĩa vụ" in page and "số người lao động" in page
    # A 150 m² restaurant: below Appendix II, and Appendix I item 11 counts the business area.
    premises.occupancy_category, premises.floor_area_m2 = "restaurant", 150
    premises.save()
    page = client.get(url).content.decode()
    assert "diện tích kinh doanh" in page


def test_head_records_recurring_duty_dates_and_type_facts(client, head, premises, catalogue):
    client.force_login(head)
    url = reverse("portal:premises_facts", args=[premises.pk])
    data = {
        "alarm_device_state": "none",
        "last_regular_check_on": "2026-11-20",
        "last_pc04_report_on": "2026-06-10",
        "employees": "25",
        "onsite_team_members": "12",
        "gas_stored_kg": "",
        "heritage_rank": "",
        "works_grade": "",
        "fishing_port_class": "",
        "needs_design_appraisal": "unknown",
    }
    assert client.post(url, data).status_code == 302
    premises.refresh_from_db()
    assert str(premises.last_regular_check_on) == "2026-11-20"
    assert str(premises.last_pc04_report_on) == "2026-06-10" and premises.employees == 25
    # 25 regular workers and a team of 12: the on-site team duty (Decree 105 Art. 20.2 and
    # 20.5: at least 10 members) is decided, nothing is missing any more.
    page = client.get(reverse("portal:premises_detail", args=[premises.pk])).content.decode()
    assert "Thiếu thông tin để xác định nghĩa vụ" not in page
    assert "Đội có 12 người, cần tối thiểu 10 người" in page
    change = PremisesChange.objects.filter(premises=premises, changed_by=head).latest("pk")
    assert change.changes["last_pc04_report_on"] == [None, "2026-06-10"]


def test_home_lists_actions_in_the_readers_language(client, head, published_catalogue, settings):
    today = timezone.localdate()
    premises = f.PremisesFactory(
        name="Karaoke Hồ Gươm", heads=[head], insurance_expires_on=today + dt.timedelta(days=6)
    )
    refresh_obligations(premises, on=today)
    client.force_login(head)
    vi = client.get(reverse("portal:home")).content.decode()
    assert '<span class="badge badge-not_met">Còn 6 ngày</span>' in vi
    assert ">Cập nhật bảo hiểm</a>" in vi
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(reverse("portal:home")).content.decode()
    assert '<span class="badge badge-not_met">6 days left</span>' in en
    assert ">Update the insurance</a>" in en
    assert "Còn 6 ngày" not in en


def test_roadmap_card_says_the_device_step_in_the_readers_language(
    client, head, premises, catalogue, settings
):
    premises.alarm_device_state = "installed"
    premises.save()
    client.force_login(head)
    url = reverse("portal:premises_detail", args=[premises.pk])
    vi = client.get(url).content.decode()
    assert "</span>\n      Đã lắp thiết bị, chưa kết nối</p>" in vi
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(url).content.decode()
    assert "</span>\n      Device installed, not connected</p>" in en
