"""HTML → PDF/A-3b rendering of inspection records (WeasyPrint), with the signature box located."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML

from .context import PhotoRef, RecordContext, SignatureMark

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# DejaVu Sans rescaled to 1000 units/em (fontTools scaleUpem): pyHanko writes glyph widths in
# font units into /W, which PDF reads per 1000, so the original 2048-unit font came out with
# every letter spaced twice too wide. See fonts/README.md.
STAMP_FONT = FONTS_DIR / "DejaVuSans-upem1000.ttf"
TEMPLATES = {"record": "pdf/inspection_record.html", "pc02": "pdf/pc02.html"}
# The element the visible PAdES signature is drawn over; its size is fixed in the CSS.
# (Page.anchors is not used: it reports an auto-margined block at its margin edge.)
SIGNATURE_ANCHOR = "digital-signature"
SIGNATURE_BOX_MM = (80, 26)  # integers: floats would be localised to "80,0" in vi
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px (96/in); PDF user space is 72/in.
MM_TO_PT = 72 / 25.4
# Phone photos are 12 MP: resampled to print resolution they stay sharp and the file small.
PDF_OPTIONS = {
    "pdf_variant": "pdf/a-3b",
    "dpi": 200,
    "jpeg_quality": 85,
    "optimize_images": True,
}


@dataclass(frozen=True)
class SignatureBox:
    """Where the visible signature goes: page index (0-based) and (x1, y1, x2, y2) in points."""

    page: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class RenderedRecord:
    pdf: bytes
    page_count: int
    signature_box: SignatureBox


def qr_svg_data_uri(url: str, size_mm: float = 17.0) -> str:
    """The verification URL as a vector QR code (crisp at any zoom, a few hundred bytes)."""
    img = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=1,
    )
    buf = io.BytesIO()
    img.save(buf)
    svg = buf.getvalue().decode()
    svg = re.sub(r'width="[^"]+" height="[^"]+"', f'width="{size_mm}mm" height="{size_mm}mm"', svg)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _data_uri(data: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def _photo_src(photo: PhotoRef) -> str:
    if photo.data is not None:
        return _data_uri(photo.data, photo.content_type)
    if photo.path is not None:
        return Path(photo.path).resolve().as_uri()
    return ""


def _signature_src(mark: SignatureMark | None) -> str:
    return _data_uri(mark.png, "image/png") if mark and mark.png else ""


def css_string(text: str) -> SafeString:
    """A CSS string literal (margin-box ``content``) that cannot leave its quotes or <style>."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", " ")
        .replace("<", "\\3C ")
        .replace(">", "\\3E ")
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 - escaped above for a CSS string context


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def format_when(moment: datetime | None) -> str:
    """'09 giờ 30 phút, ngày 23 tháng 11 năm 2026' in the local time zone (or English)."""
    if moment is None:
        return "…"
    local = _local(moment)
    return _("%(hour)s giờ %(minute)s phút, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "hour": f"{local.hour:02d}",
        "minute": f"{local.minute:02d}",
        "day": f"{local.day:02d}",
        "month": f"{local.month:02d}",
        "year": local.year,
    }


def format_date(moment) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = _local(moment).date()
    return moment.strftime("%d/%m/%Y")


def format_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = _local(moment)
    return local.strftime("%H:%M %d/%m/%Y")


def template_context(ctx: RecordContext) -> dict:
    """What the templates need beyond the record itself: images, formatted times, CSS strings."""
    code_line = _("Mã xác minh: %(code)s — tra cứu tại %(url)s") % {
        "code": ctx.verification_code,
        "url": ctx.verification_url,
    }
    results = {
        "compliant": _("Đạt"),
        "non_compliant": _("Không đạt"),
        "not_applicable": _("Không áp dụng"),
        "": _("Chưa kiểm tra"),
    }
    dated = _local(ctx.ended_at or ctx.started_at or timezone.now())
    severities = {"critical": _("Nghiêm trọng"), "major": _("Quan trọng"), "minor": _("Nhẹ")}
    return {
        "r": ctx,
        "fonts_dir": FONTS_DIR.as_uri(),
        "qr_src": qr_svg_data_uri(ctx.verification_url) if ctx.verification_url else "",
        "footer_code": css_string(code_line),
        "footer_page_word": css_string(_("Trang") + " "),
        "footer_dev": css_string(
            _("BẢN THỬ NGHIỆM — CHỮ KÝ SỐ KHÔNG DÙNG CHO SẢN XUẤT")
            if ctx.development_signer
            else ""
        ),
        "started": format_when(ctx.started_at),
        "ended": format_when(ctx.ended_at),
        "started_date": ctx.started_at,
        "items": [
            {"row": item, "result_label": results.get(item.result, results[""])}
            for item in ctx.items
        ],
        "findings": [
            {
                "row": finding,
                "severity_label": severities.get(finding.severity, finding.severity),
                "deadline": format_date(finding.deadline),
            }
            for finding in ctx.findings
        ],
        "photos": [
            {"src": _photo_src(p), "caption": p.caption, "taken": format_time(p.taken_at)}
            for p in ctx.photos
        ],
        "counts": ctx.counts,
        "sig_inspector": ctx.signature("inspector"),
        "sig_inspector_src": _signature_src(ctx.signature("inspector")),
        "sig_representative": ctx.signature("representative"),
        "sig_representative_src": _signature_src(ctx.signature("representative")),
        "sig_head": ctx.signature("facility_head"),
        "sig_head_src": _signature_src(ctx.signature("facility_head")),
        "signature_anchor": SIGNATURE_ANCHOR,
        "signature_box_mm": SIGNATURE_BOX_MM,
        "dated": _("ngày %(day)s tháng %(month)s năm %(year)s")
        % {"day": f"{dated.day:02d}", "month": f"{dated.month:02d}", "year": dated.year},
    }


def render_html(ctx: RecordContext) -> str:
    with translation.override(ctx.language):
        return render_to_string(TEMPLATES[ctx.form], template_context(ctx))


def _signature_box(document) -> SignatureBox:
    """Find the laid-out placeholder element; its border box becomes the signature widget."""
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or element.get("id") != SIGNATURE_ANCHOR:
                continue
            if getattr(box, "element_tag", None) != element.tag:
                continue  # pseudo-elements share the element
            page_height_pt = page.height * PX_TO_PT
            x1 = box.border_box_x() * PX_TO_PT
            top = page_height_pt - box.border_box_y() * PX_TO_PT
            x2 = x1 + box.border_width() * PX_TO_PT
            bottom = top - box.border_height() * PX_TO_PT
            return SignatureBox(page=index, box=(round(x1), round(bottom), round(x2), round(top)))
    raise RuntimeError(f"The template has no #{SIGNATURE_ANCHOR} element for the signature.")


def render_record(ctx: RecordContext) -> RenderedRecord:
    """Render the record to PDF/A-3b bytes and locate the box the visible signature covers."""
    html = render_html(ctx)
    document = HTML(string=html, base_url=str(FONTS_DIR)).render(**PDF_OPTIONS)
    pdf = document.write_pdf(**PDF_OPTIONS)
    return RenderedRecord(
        pdf=pdf, page_count=len(document.pages), signature_box=_signature_box(document)
    )
