"""An authority inspection run through the mobile API ends in minutes on form PC03 (Decree 105
Appendix VIII), with the representative's refusal to sign and its reason (Art. 14.3.d)."""

from __future__ import annotations

import re

import pytest

from inspections.models import Report
from inspections.pdf.verification import verify_pdf
from inspections.selectors.reports import record_context_for
from inspections.services import reports as service
from tests.forms_fixtures import ART_13_1, add_content_points

from ..inspections.pdf.helpers import pdfsig, pdftotext
from .inspection_helpers import client_for, one_answer, signature_body, url

REFUSAL = "Không đồng ý với kết luận về lối thoát nạn tầng 2."
COMMENTS = "Cơ sở đã ký hợp đồng bảo dưỡng hệ thống báo cháy với đơn vị chuyên ngành."


def _run_with_refusal(inspection, inspector, **extra):
    client = client_for(inspector)
    items = list(inspection.items.order_by("order"))
    answers = [
        one_answer(item.pk, i, value="non_compliant" if i == 0 else "compliant")
        for i, item in enumerate(items)
    ]
    r = client.put(
        url("inspection-answers", inspection.pk),
        {"version": inspection.version, "answers": answers},
        format="json",
    )
    assert r.status_code == 200, r.json()
    r = client.post(
        url("inspection-findings", inspection.pk),
        {
            "client_uuid": "7b0b5e2e-8a43-4f57-9f43-3c5f1a1d0001",
            "item": items[0].pk,
            "description": "Lối thoát nạn tầng 2 bị chắn bởi hàng hóa.",
            "severity": "major",
            "remediation_deadline": "2026-12-31",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    r = client.post(
        url("inspection-signatures", inspection.pk),
        signature_body("inspector"),
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    body = {
        "version": r.json()["inspection_version"],
        "recommendations": "Dọn hàng hóa khỏi lối thoát nạn.",
        "representative_name": "Nguyễn Văn An",
        "representative_position": "Giám đốc",
        "ended_at": "2026-11-23T10:15:00+07:00",
        **extra,
    }
    return client, client.post(url("inspection-submit", inspection.pk), body, format="json")


def test_without_representative_signature_or_refusal_reason_submit_is_refused(
    in_progress, inspector
):
    _, response = _run_with_refusal(in_progress, inspector)
    assert response.status_code == 400
    assert response.json()["code"] == "incomplete"
    assert "signatures" in response.json()["fields"]


@pytest.fixture
def refused(in_progress, inspector, media, signing_settings, decree_points):
    add_content_points(in_progress.catalogue_version)
    codes = list(in_progress.items.order_by("order").values_list("code", flat=True))
    decree_points.update({codes[0]: ["h"], codes[1]: ["c", "d"], codes[2]: ["p"]})
    client, response = _run_with_refusal(
        in_progress, inspector, refusal_reason=REFUSAL, representative_comments=COMMENTS
    )
    assert response.status_code == 200, response.json()
    assert response.json()["refusal_reason"] == REFUSAL
    assert response.json()["representative_comments"] == COMMENTS
    report = service.generate_report(in_progress.pk)
    assert report.status == Report.Status.READY and report.form == Report.Form.PC03
    with report.file.open("rb") as fh:
        return in_progress, report, fh.read()


def test_pc03_text_follows_the_decree_form_in_order(refused):
    inspection, report, pdf = refused
    text = " ".join(pdftotext(pdf).split())
    headings = [
        "Mẫu số PC03",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN KIỂM TRA",
        "Về phòng cháy, chữa cháy",
        "Hồi ",
        "Địa chỉ:",
        "Chúng tôi gồm:",
        "Đại diện: UBND Phường Hoàn Kiếm",
        "- Ông/bà: Trần Thị Kiểm; chức vụ: Cán bộ",
        "Đã tiến hành kiểm tra về phòng cháy, chữa cháy đối với",
        "- Ông/bà: Nguyễn Văn An; chức vụ: Giám đốc",
        "1. Nội dung và kết quả kiểm tra như sau:",
        "- Nội dung trình bày của đại diện đối tượng được kiểm tra:",
        COMMENTS,
        "- Kết quả kiểm tra và các sơ hở, thiếu sót, vi phạm",
        # Findings come right after the results, before the earlier-remediation part.
        "Sơ hở, thiếu sót, vi phạm phát hiện trong quá trình kiểm tra:",
        "Lối thoát nạn tầng 2 bị chắn bởi hàng hóa.",
        "- Kết quả kiểm tra việc khắc phục",
        "2. Kiến nghị:",
        "Dọn hàng hóa khỏi lối thoát nạn.",
        "Biên bản được lập xong hồi 10 giờ 15 ngày 23 tháng 11 năm 2026, gồm",
        "mỗi bên liên quan giữ 01 bản, đã đọc lại cho mọi người cùng nghe, công nhận đúng và "
        "nhất trí ký tên dưới đây.",
        "Đại diện đối tượng được kiểm tra (ông/bà Nguyễn Văn An) không ký biên bản. Lý do: "
        + REFUSAL,
    ]
    positions = [text.find(h) for h in headings]
    missing = [h for h, p in zip(headings, positions, strict=True) if p < 0]
    assert not missing, missing
    assert positions == sorted(positions), "headings out of the form's order"
    # The two signature columns side by side (pdftotext interleaves them): after the text.
    for label in (
        "ĐẠI DIỆN ĐỐI TƯỢNG ĐƯỢC KIỂM TRA",
        "Không ký biên bản (lý do ghi ở trên)",
        "ĐẠI DIỆN ĐOÀN KIỂM TRA",
    ):
        assert text.find(label) > positions[-1], label
    assert report.verification_code in text
    # Items are numbered in the order printed, whatever their order in the checklist.
    ctx = record_context_for(inspection, verification_code=report.verification_code)
    printed = [item.number for group in ctx.content_groups for item in group.items]
    assert printed == [1, 2, 3]
    assert [g.point for g in ctx.content_groups if g.items] == ["c", "h", ""]


def test_pc03_groups_results_by_the_authoritys_art_13_1_points(refused):
    _, _, pdf = refused
    text = " ".join(pdftotext(pdf).split())
    # A commune committee checks a, c, d, đ, g, h, n (Art. 13.2.c), in the decree's order.
    order = [f"Điểm {p} khoản 1 Điều 13: {ART_13_1[p]}" for p in ("a", "c", "d", "đ", "g", "h")]
    positions = [text.find(h) for h in order]
    assert -1 not in positions and positions == sorted(positions)
    # Point p is not the commune committee's: its item is listed apart, not under a point.
    assert "Điểm p khoản 1 Điều 13" not in text
    assert "Nội dung kiểm tra khác" in text


def test_pc03_prints_no_internal_codes_and_states_its_page_count(refused):
    inspection, _, pdf = refused
    text = " ".join(pdftotext(pdf).split())
    for code in inspection.items.values_list("code", flat=True):
        assert code not in text
    pages = int(re.search(r"Trang \d+/(\d+)", text).group(1))
    assert f"gồm {pages} trang, được lập thành 2 bản" in text


def test_pc03_is_pdfa_signed_and_valid_for_pyhanko_and_pdfsig(refused):
    _, _, pdf = refused
    result = verify_pdf(pdf)
    assert result.valid and result.signed
    out = pdfsig(pdf)
    assert "Signature is Valid" in out and "Total document signed" in out


def test_older_apps_without_the_new_fields_still_submit(in_progress, inspector):
    client = client_for(inspector)
    for role in ("inspector", "representative"):
        r = client.post(
            url("inspection-signatures", in_progress.pk), signature_body(role), format="multipart"
        )
    answers = [one_answer(i.pk) for i in in_progress.items.all()]
    r = client.put(
        url("inspection-answers", in_progress.pk),
        {"version": r.json()["inspection_version"], "answers": answers},
        format="json",
    )
    body = {"version": r.json()["inspection_version"], "representative_name": "Nguyễn Văn An"}
    done = client.post(url("inspection-submit", in_progress.pk), body, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["refusal_reason"] == "" and done.json()["copies"] is None
    again = client.post(url("inspection-submit", in_progress.pk), body, format="json")
    assert again.status_code == 200
