"""The rendered record: Vietnamese text intact, citations, footer on every page, PDF/A, fonts."""

from __future__ import annotations

import re

import pytest

from inspections.pdf.render import render_record
from inspections.pdf.samples import sample_context

from .helpers import output_intents, pdffonts, pdftotext, xmp


@pytest.fixture(scope="module")
def rendered():
    ctx = sample_context(items=30, photos=2)
    return ctx, render_record(ctx)


def test_heading_title_and_diacritics_survive_text_extraction(rendered):
    _, result = rendered
    text = " ".join(pdftotext(result.pdf).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Mẫu số PC03" in text
    assert "BIÊN BẢN KIỂM TRA Về phòng cháy, chữa cháy" in text
    assert "ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM" in text
    assert "Số: 12/BB-KTPCCC" in text
    assert "Hồi 08 giờ 30 ngày 20 tháng 11 năm 2026" in text


def test_no_internal_requirement_code_is_printed(rendered):
    ctx, result = rendered
    text = pdftotext(result.pdf)
    assert ctx.items[0].code.startswith("L55-")
    assert "L55-" not in text
    # No catalogue points parameter: the items are listed without the Art. 13.1 grouping.
    assert "khoản 1 Điều 13:" not in text and "Nội dung kiểm tra khác" not in text


def test_pc03_states_its_own_page_count(rendered):
    _, result = rendered
    text = " ".join(pdftotext(result.pdf).split())
    assert f"gồm {result.page_count} trang, được lập thành 2 bản" in text


def test_each_item_shows_its_cited_provision_and_verbatim_text(rendered):
    ctx, result = rendered
    text = " ".join(pdftotext(result.pdf).split())
    first = ctx.items[0].citations[0]
    assert first.label.split(" Luật")[0] in text  # e.g. "khoản 1 Điều 17"
    assert "Luật 55/2024/QH15" in text
    assert " ".join(first.text.split())[:60] in text


def test_findings_have_deadlines_and_photos_have_captions(rendered):
    ctx, result = rendered
    text = " ".join(pdftotext(result.pdf).split())
    assert ctx.findings, "the sample has non-compliant items"
    assert ctx.findings[0].deadline.strftime("%d/%m/%Y") in text
    assert "Hiện trạng lối thoát nạn khu vực 1" in text
    assert "chụp lúc 08:33 20/11/2026" in text


def test_every_page_footer_has_page_number_and_verification_code(rendered):
    ctx, result = rendered
    assert result.page_count >= 2
    for page in range(1, result.page_count + 1):
        text = pdftotext(result.pdf, first=page, last=page)
        assert f"Trang {page}/{result.page_count}" in text
        assert ctx.verification_code in text
        assert ctx.verification_url in text


def test_pdfa_3b_with_all_fonts_embedded(rendered):
    _, result = rendered
    metadata = xmp(result.pdf)
    assert re.search(r"pdfaid:part(>|=\")3", metadata)
    assert re.search(r"pdfaid:conformance(>|=\")B", metadata)
    assert output_intents(result.pdf)
    fonts = pdffonts(result.pdf)
    assert fonts
    assert all("yes" in row[-5:-3] for row in fonts), fonts  # "emb" column
    assert not any("Courier" in row[0] for row in fonts)


def test_signature_box_lies_on_the_last_page_inside_a4(rendered):
    _, result = rendered
    x1, y1, x2, y2 = result.signature_box.box
    assert result.signature_box.page == result.page_count - 1
    assert 0 < x1 < x2 <= 595 and 0 < y1 < y2 <= 842
    # 80 x 26 mm = 226.8 x 73.7 pt; each edge is rounded to the point, so the size within 1.
    assert abs((x2 - x1) - 80 * 72 / 25.4) < 1 and abs((y2 - y1) - 26 * 72 / 25.4) < 1


def test_english_rendering(rendered):
    ctx = sample_context(items=3, language="en")
    text = " ".join(pdftotext(render_record(ctx).pdf).split())
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text
    assert "INSPECTION RECORD On fire prevention and fighting" in text
    assert "Page 1/" in text
    # The law is cited in its official Vietnamese wording in both languages.
    assert "Điều 17" in text


def test_pc02_self_inspection_minutes():
    ctx = sample_context(items=5, form="pc02")
    text = pdftotext(render_record(ctx).pdf)
    flat = " ".join(text.split())
    # Decree 105 Appendix VIII, form PC02, in the form's order.
    headings = [
        "Mẫu số PC02",
        "BIÊN BẢN TỰ KIỂM TRA",
        "Về phòng cháy, chữa cháy",
        "Hồi 08 giờ 30 ngày 20 tháng 11 năm 2026",
        "Chúng tôi gồm:",
        "Đã tiến hành kiểm tra đối với:",
        "1. Nội dung và kết quả kiểm tra như sau:",
        "2. Kiến nghị",
        "Việc kiểm tra được kết thúc vào hồi 10 giờ 45 ngày 20 tháng 11 năm 2026.",
        "NGƯỜI KIỂM TRA",
        "(Ký ghi rõ họ, tên)",
    ]
    positions = [flat.find(h) for h in headings]
    assert -1 not in positions, [h for h, p in zip(headings, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "L55-" not in flat
