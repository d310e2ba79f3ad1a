"""The head's forms as PDF/A-3b: PC01 information sheet and PC04 report (plain data in, bytes out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from .heap import render_heap
from .render import (
    FONTS_DIR,
    PDF_OPTIONS,
    SIGNATURE_ANCHOR,
    SIGNATURE_BOX_MM,
    RecordAssets,
    RenderedRecord,
    _RecordFetcher,
    _written,
    css_string,
    font_configuration,
    qr_png_data_uri,
)

FORM_TEMPLATES = {"pc01": "pdf/pc01.html", "pc04": "pdf/pc04.html"}
REASONS = {
    "pc01": "Phiếu thông tin của cơ sở (PC01)",
    "pc04": "Báo cáo kết quả thực hiện công tác phòng cháy, chữa cháy, cứu nạn, cứu hộ (PC04)",
}


@dataclass(frozen=True)
class FormContext:
    """Everything a PC01 or PC04 prints."""

    form: str  # "pc01" or "pc04"
    language: str
    premises_name: str
    premises_address: str
    dated: date
    verification_code: str
    verification_url: str
    recipient: str = ""
    period_start: date | None = None
    period_end: date | None = None
    content: dict = field(default_factory=dict)
    edition: str = ""
    issued_in: str = ""
    signer_name: str = ""
    development_signer: bool = False

    # base.html reads these names from every printed document
    @property
    def authority_name(self) -> str:
        return ""

    @property
    def premises(self) -> dict:
        return {"name": self.premises_name}


def form_template_context(ctx: FormContext) -> dict:
    code_line = _("Mã xác minh: %(code)s — tra cứu tại %(url)s") % {
        "code": ctx.verification_code,
        "url": ctx.verification_url,
    }
    return {
        "r": ctx,
        "c": ctx.content,
        "fonts_dir": FONTS_DIR.as_uri(),
        "qr_src": qr_png_data_uri(ctx.verification_url) if ctx.verification_url else "",
        "footer_code": css_string(code_line),
        "footer_page_word": css_string(_("Trang") + " "),
        "footer_dev": css_string(
            _("BẢN THỬ NGHIỆM — CHỮ KÝ SỐ KHÔNG DÙNG CHO SẢN XUẤT")
            if ctx.development_signer
            else ""
        ),
        "signature_anchor": SIGNATURE_ANCHOR,
        "signature_box_mm": SIGNATURE_BOX_MM,
        "dated": _("ngày %(day)s tháng %(month)s năm %(year)s")
        % {
            "day": f"{ctx.dated.day:02d}",
            "month": f"{ctx.dated.month:02d}",
            "year": ctx.dated.year,
        },
        "period_start": ctx.period_start.strftime("%d/%m/%Y") if ctx.period_start else "",
        "period_end": ctx.period_end.strftime("%d/%m/%Y") if ctx.period_end else "",
        "new_pc01": ctx.edition == "nd347-2026",
    }


def render_form_html(ctx: FormContext) -> str:
    with translation.override(ctx.language):
        return render_to_string(FORM_TEMPLATES[ctx.form], form_template_context(ctx))


def _layout(ctx: FormContext):
    return HTML(
        string=render_form_html(ctx),
        base_url=str(FONTS_DIR),
        url_fetcher=_RecordFetcher(RecordAssets()),
    ).render(font_config=font_configuration(), **PDF_OPTIONS)


def render_form(ctx: FormContext) -> RenderedRecord:
    with render_heap():
        rendered = _written(_layout(ctx))
    return rendered
