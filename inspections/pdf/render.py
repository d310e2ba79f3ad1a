"""HTML → PDF/A-3b rendering of inspection records (WeasyPrint), with the signature box located."""

from __future__ import annotations

import base64
import io
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.request import url2pathname

import qrcode
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from PIL import Image
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .context import ContentGroup, RecordContext
from .heap import render_heap
from .photos import print_ready_jpeg

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# DejaVu Sans rescaled to 1000 units/em (fontTools scaleUpem): pyHanko writes glyph widths in
# font units into /W, which PDF reads per 1000, so the original 2048-unit font came out with
# every letter spaced twice too wide. See fonts/README.md.
STAMP_FONT = FONTS_DIR / "DejaVuSans-upem1000.ttf"
TEMPLATES = {
    "pc03": "pdf/pc03.html",
    "pc02": "pdf/pc02.html",
    # Records signed before form PC03 was adopted were "record"; anything rendered now is PC03.
    "record": "pdf/pc03.html",
}
# The element the visible PAdES signature is drawn over; its size is fixed in the CSS.
# (Page.anchors is not used: it reports an auto-margined block at its margin edge.)
SIGNATURE_ANCHOR = "digital-signature"
SIGNATURE_BOX_MM = (80, 26)  # integers: floats would be localised to "80,0" in vi
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px (96/in); PDF user space is 72/in.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b"}


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


def qr_png_data_uri(url: str, module_px: int = 2) -> str:
    """The verification URL as a 1-bit PNG QR code.

    An SVG QR code was drawn from ~500 sub-paths on every page (over a second per record);
    the PNG is a few hundred bytes and printed without smoothing (image-rendering: pixelated).
    """
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1, box_size=1)
    qr.add_data(url)
    qr.make(fit=True)
    image = qr.make_image().get_image().convert("1")
    image = image.resize((image.width * module_px, image.height * module_px), Image.NEAREST)
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


ASSET_SCHEME = "record:"


class RecordAssets:
    """Photos and drawn signatures handed to WeasyPrint by name, not as data URIs.

    Inlined as base64, 20 phone photos made the HTML parser alone take seconds. The fetcher
    also keeps rendering offline: only these assets, the vendored fonts and data URIs load.
    """

    def __init__(self) -> None:
        self._items: dict[str, tuple[bytes | None, Path | None, str]] = {}

    def add(self, name: str, *, data: bytes | None, path: Path | None, content_type: str) -> str:
        if data is None and path is None:
            return ""
        self._items[name] = (data, Path(path) if path else None, content_type)
        return ASSET_SCHEME + name

    def get(self, name: str) -> tuple[bytes | None, Path | None, str]:
        return self._items[name]


class CitationAnnex:
    """Each quoted provision once, numbered in order of first citation.

    The items table cites article, clause and point with the annex number; the annex quotes
    the text once instead of in every row that cites it (150 rows quoting the same few
    provisions were most of a record's pages and of its layout time).
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str], int] = {}
        self.entries: list[dict[str, object]] = []

    def refer(self, citations) -> list[dict[str, object]]:
        refs = []
        for c in citations:
            number = None
            if c.text:
                number = self._numbers.get((c.label, c.text))
                if number is None:
                    number = self._numbers[(c.label, c.text)] = len(self.entries) + 1
                    self.entries.append({"n": number, "label": c.label, "text": c.text})
            refs.append({"label": c.label, "n": number})
        return refs


def _print_ready(photo) -> bytes | None:
    return print_ready_jpeg(photo.data, photo.path) if (photo.data or photo.path) else None


class _RecordFetcher(URLFetcher):
    def __init__(self, assets: RecordAssets) -> None:
        # A record with a photo silently missing is worse than a failed (retried) render.
        super().__init__(allowed_protocols={"file", "data", "record"}, fail_on_errors=True)
        self._assets = assets
        self._fonts = FONTS_DIR.resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith(ASSET_SCHEME):
            data, path, content_type = self._assets.get(url.removeprefix(ASSET_SCHEME))
            body = data if data is not None else path.open("rb")
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
        if url.startswith("file:"):
            target = Path(url2pathname(url.removeprefix("file:").split("?")[0])).resolve()
            if not target.is_relative_to(self._fonts):
                raise ValueError(f"Records load no local file outside the fonts: {url}")
        return super().fetch(url, headers)


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


def time_parts(moment: datetime | None) -> dict[str, str]:
    """Hour, minute, day, month, year for a form's "Hồi ... giờ ... ngày ... tháng ... năm"."""
    if moment is None:
        return dict.fromkeys(("hour", "minute", "day", "month", "year"), "……")
    local = _local(moment)
    return {
        "hour": f"{local.hour:02d}",
        "minute": f"{local.minute:02d}",
        "day": f"{local.day:02d}",
        "month": f"{local.month:02d}",
        "year": str(local.year),
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


def _result_labels() -> dict[str, str]:
    return {
        "compliant": _("Đạt"),
        "non_compliant": _("Không đạt"),
        "not_applicable": _("Không áp dụng"),
        "": _("Chưa kiểm tra"),
    }


def _footer(ctx: RecordContext) -> dict:
    """The page footer's CSS strings (verification line, page word, copy warning) and QR."""
    code_line = _("Mã xác minh: %(code)s — tra cứu tại %(url)s") % {
        "code": ctx.verification_code,
        "url": ctx.verification_url,
    }
    if ctx.convenience_copy:
        warning = _(
            "BẢN DỊCH THAM KHẢO, KHÔNG KÝ SỐ — BẢN CHÍNH THỨC LÀ BIÊN BẢN TIẾNG VIỆT ĐÃ KÝ SỐ"
        )
    elif ctx.development_signer:
        warning = _("BẢN THỬ NGHIỆM — CHỮ KÝ SỐ KHÔNG DÙNG CHO SẢN XUẤT")
    else:
        warning = ""
    return {
        "qr_src": qr_png_data_uri(ctx.verification_url) if ctx.verification_url else "",
        "footer_code": css_string(code_line),
        "footer_page_word": css_string(_("Trang") + " "),
        "footer_dev": css_string(warning),
    }


def _content(ctx: RecordContext) -> dict:
    """Item rows (flat and by content group), their citations numbered into the annex, and
    the findings that cite the same annex."""
    results = _result_labels()
    severities = {"critical": _("Nghiêm trọng"), "major": _("Quan trọng"), "minor": _("Nhẹ")}
    groups = ctx.content_groups or (ContentGroup("", "", ctx.items),)
    annex = CitationAnnex()
    for group in groups:
        for item in group.items:
            annex.refer(item.citations)
    for finding in ctx.findings:
        annex.refer(finding.citations)
    return {
        "items": [
            {"row": item, "result_label": results.get(item.result, results[""])}
            for item in ctx.items
        ],
        "groups": [
            {
                "point": group.point,
                "text": group.text,
                "items": [
                    {
                        "row": item,
                        "result_label": results.get(item.result, results[""]),
                        "cites": annex.refer(item.citations),
                    }
                    for item in group.items
                ],
            }
            for group in groups
        ],
        "annex": annex.entries,
        "earlier_findings": [
            {"row": finding, "deadline": format_date(finding.deadline)}
            for finding in ctx.earlier_findings
        ],
        "findings": [
            {
                "row": finding,
                "severity_label": severities.get(finding.severity, finding.severity),
                "deadline": format_date(finding.deadline),
            }
            for finding in ctx.findings
        ],
    }


def _images(ctx: RecordContext, assets: RecordAssets) -> dict:
    """Photos and drawn signatures, registered with the fetcher under internal URLs."""

    def signature_src(role: str) -> str:
        mark = ctx.signature(role)
        if mark is None or not mark.png:
            return ""
        return assets.add(f"signature-{role}", data=mark.png, path=None, content_type="image/png")

    return {
        "photos": [
            {
                "src": assets.add(
                    f"photo-{i}",
                    # Stored at upload (PhotoBlob.print_file); older photos are reduced here.
                    data=p.data if p.print_ready else _print_ready(p),
                    path=p.path if p.print_ready else None,
                    content_type="image/jpeg",
                ),
                "caption": p.caption,
                "taken": format_time(p.taken_at),
            }
            for i, p in enumerate(ctx.photos)
        ],
        "sig_inspector": ctx.signature("inspector"),
        "sig_inspector_src": signature_src("inspector"),
        "sig_representative": ctx.signature("representative"),
        "sig_representative_src": signature_src("representative"),
        "sig_head": ctx.signature("facility_head"),
        "sig_head_src": signature_src("facility_head"),
        "signature_anchor": SIGNATURE_ANCHOR,
        "signature_box_mm": SIGNATURE_BOX_MM,
    }


def template_context(ctx: RecordContext, assets: RecordAssets | None = None) -> dict:
    """What the templates need beyond the record itself: images, formatted times, CSS strings."""
    assets = assets if assets is not None else RecordAssets()
    dated = _local(ctx.ended_at or ctx.started_at or timezone.now())
    return {
        "r": ctx,
        "fonts_dir": FONTS_DIR.as_uri(),
        **_footer(ctx),
        "started": format_when(ctx.started_at),
        "ended": format_when(ctx.ended_at),
        "started_date": ctx.started_at,
        **_content(ctx),
        "start_parts": time_parts(ctx.started_at),
        "end_parts": time_parts(ctx.ended_at),
        # PC03 states its own page count: the last page's number, filled in by the layout
        # (CSS target-counter) so that one layout suffices.
        "page_count": PAGE_TOTAL if ctx.form in PAGE_COUNTED_FORMS else ctx.page_count or "……",
        "counts": ctx.counts,
        **_images(ctx, assets),
        "dated": _("ngày %(day)s tháng %(month)s năm %(year)s")
        % {"day": f"{dated.day:02d}", "month": f"{dated.month:02d}", "year": dated.year},
    }


def render_html(ctx: RecordContext, assets: RecordAssets | None = None) -> str:
    with translation.override(ctx.language):
        return render_to_string(TEMPLATES[ctx.form], template_context(ctx, assets))


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


PAGE_COUNTED_FORMS = ("pc03", "record")
# "gồm … trang": the page number of the element that ends the record (templates/pdf/pc03.html).
PAGE_TOTAL = mark_safe('<span class="page-total"></span>')  # noqa: S308 (constant markup)


_thread_fonts = threading.local()


def font_configuration() -> FontConfiguration:
    """The WeasyPrint font configuration this thread's renders share.

    A configuration per render loaded the system's fonts and the records' five @font-face
    files again, and Pango's caches of fonts and glyph metrics started empty every time (20 ms,
    a seventh of a two-page record's CPU). Pango's font maps are not thread-safe: one per thread.
    """
    config = getattr(_thread_fonts, "config", None)
    if config is None:
        config = _thread_fonts.config = FontConfiguration()
    return config


def _layout(ctx: RecordContext):
    assets = RecordAssets()
    html = render_html(ctx, assets)
    return HTML(string=html, base_url=str(FONTS_DIR), url_fetcher=_RecordFetcher(assets)).render(
        font_config=font_configuration(), **PDF_OPTIONS
    )


def _written(document) -> RenderedRecord:
    return RenderedRecord(
        pdf=document.write_pdf(**PDF_OPTIONS),
        page_count=len(document.pages),
        signature_box=_signature_box(document),
    )


def render_record(ctx: RecordContext) -> RenderedRecord:
    """Render the record to PDF/A-3b bytes and locate the box the visible signature covers."""
    with render_heap():
        # No reference to the laid-out document outlives this line: the collection at the
        # end of the block frees it.
        rendered = _written(_layout(ctx))
    return rendered
