"""A compliance summary as the reader sees it: derived shares, the roadmap chart (inline SVG)
and the PDF; the same view model feeds the e-mail templates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from inspections.dates import format_date
from inspections.rules.labels import kind_label

# Chart geometry in SVG user units (the PDF scales the drawing to the page width).
CHART_WIDTH = 700
CHART_LABEL_WIDTH = 230
CHART_BAR_SPACE = 400
CHART_ROW = 22
CHART_BAR = 15
CHART_MAX_WARDS = 30


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _ward(w: dict[str, Any], lang: str) -> dict[str, Any]:
    kinds = [(kind_label(k, lang), n) for k, n in sorted(w["premises_by_kind"].items())]
    return {
        **w,
        "roadmap_share": _pct(_share(w["roadmap_connected"], w["roadmap_obligated"])),
        "obligations_share": _pct(_share(w["obligations_met"], w["obligations_total"])),
        "kinds": kinds,
    }


def view_model(figures: dict[str, Any], lang: str) -> dict[str, Any]:
    """Figures with the derived shares and labels the templates show."""
    t = figures["total"]
    share = _share(t["roadmap_connected"], t["roadmap_obligated"])
    prev = figures.get("previous_share")
    trend = None if prev is None or share is None else share - prev
    deadline = figures.get("roadmap_deadline")
    return {
        "wards": [_ward(w, lang) for w in figures["wards"]],
        "total": _ward(t, lang),
        "trend": None if trend is None else f"{trend * 100:+.1f}",
        "previous_share": _pct(prev),
        # Shown dd/mm/yyyy in both languages; stored ISO in the figures.
        "previous_period_end": format_date(date.fromisoformat(figures["previous_period_end"]))
        if figures.get("previous_period_end")
        else None,
        "period": figures["period"],
        "roadmap_deadline": date.fromisoformat(deadline) if deadline else None,
    }


def roadmap_chart(figures: dict[str, Any], lang: str) -> dict[str, Any]:
    """Bars of the share of obligated premises with a connected device, one per ward."""
    wards = [w for w in figures["wards"] if w["roadmap_obligated"]][:CHART_MAX_WARDS]
    bars = []
    for i, w in enumerate(wards):
        percent = 100 * w["roadmap_connected"] / w["roadmap_obligated"]
        width = round(CHART_BAR_SPACE * percent / 100, 1)
        y = i * CHART_ROW
        bars.append(
            {
                "label": w["ward_name"] or str(w["ward_code"]),
                "y": y,
                "text_y": y + CHART_BAR - 3,
                "width": width,
                "value": f"{percent:.0f}%",
                "value_x": CHART_LABEL_WIDTH + width + 6,
            }
        )
    axis_y = len(bars) * CHART_ROW
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": axis_y + 34,
        "bar_x": CHART_LABEL_WIDTH,
        "label_x": CHART_LABEL_WIDTH - 8,
        "bar_height": CHART_BAR,
        "axis_y": axis_y,
        "axis_end": CHART_LABEL_WIDTH + CHART_BAR_SPACE,
        "caption_y": axis_y + 26,
        "caption": _caption(lang),
    }


def _caption(lang: str) -> str:
    with translation.override(lang):
        return gettext("Tỉ lệ cơ sở thuộc diện đã kết nối thiết bị truyền tin báo cháy (%)")


def summary_pdf(context: dict[str, Any]) -> bytes:
    """The summary's PDF (WeasyPrint) from the e-mail's context plus ``lang``."""
    from weasyprint import HTML

    from inspections.pdf.render import FONTS_DIR

    chart = roadmap_chart(context["figures"], context["lang"])
    html = render_to_string(
        "pdf/compliance_summary.html",
        {**context, "chart": chart, "fonts_dir": FONTS_DIR.as_uri()},
    )
    return HTML(string=html, base_url=str(FONTS_DIR)).write_pdf()
