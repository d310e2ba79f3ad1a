"""The compliance summary as read: shares, trend and the roadmap chart's bars."""

from __future__ import annotations

import io

from pypdf import PdfReader

from inspections.pdf.summary import CHART_BAR_SPACE, roadmap_chart, summary_pdf, view_model


def _ward(name, obligated, connected, **more):
    return {
        "ward_code": 1,
        "ward_name": name,
        "roadmap_obligated": obligated,
        "roadmap_connected": connected,
        "obligations_met": more.get("met", 0),
        "obligations_total": more.get("total", 0),
        "premises_by_kind": more.get("kinds", {}),
    }


FIGURES = {
    "wards": [
        _ward("Phường Hoàn Kiếm", 4, 1, met=3, total=4, kinds={"home": 2, "establishment": 5}),
        _ward("Phường Cửa Nam", 0, 0),
        _ward("", 2, 2),
    ],
    "total": _ward("", 6, 3, met=3, total=4),
    "previous_share": 0.25,
    "previous_period_end": "2026-11-15",
    "period": {"kind": "weekly", "start": "2026-11-16", "end": "2026-11-22"},
    "roadmap_deadline": "2027-07-01",
}


def test_view_model_shares_trend_and_labels():
    vm = view_model(FIGURES, "en")
    assert vm["total"]["roadmap_share"] == "50.0%"
    assert vm["trend"] == "+25.0"  # 50% now against 25% the period before
    assert vm["wards"][0]["obligations_share"] == "75.0%"
    assert vm["wards"][0]["kinds"] == [("Establishment", 5), ("Home", 2)]
    assert vm["wards"][1]["roadmap_share"] == "—"  # nothing obligated: no share, not 0%
    assert vm["roadmap_deadline"].isoformat() == "2027-07-01"
    assert view_model({**FIGURES, "previous_share": None}, "vi")["trend"] is None


def test_chart_has_one_bar_per_obligated_ward_scaled_to_its_share():
    chart = roadmap_chart(FIGURES, "vi")
    bars = chart["bars"]
    assert [b["label"] for b in bars] == ["Phường Hoàn Kiếm", "1"]  # no bar where none obligated
    assert [b["value"] for b in bars] == ["25%", "100%"]
    assert bars[0]["width"] == CHART_BAR_SPACE / 4
    assert bars[1]["width"] == CHART_BAR_SPACE
    assert bars[1]["y"] > bars[0]["y"]
    assert chart["caption"].startswith("Tỉ lệ cơ sở thuộc diện")


def test_summary_pdf_draws_the_chart_as_text_and_shapes(authority):
    context = {
        "authority": authority,
        "title": "Báo cáo",
        "period_label": "tuần 16/11–22/11/2026",
        "s": view_model(FIGURES, "en"),
        "figures": FIGURES,
        "lang": "en",
        "generated_at": None,
    }
    pdf = summary_pdf(context)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    text = page.extract_text()
    assert "Share of obligated premises with a connected alarm-transmission device (%)" in text
    assert "25%" in text and "100%" in text
    assert not page.images  # vector drawing, no raster image any more
