"""The yearly inspection plan as files: XLSX (cells neutralised) and PDF (WeasyPrint)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import pgettext, pgettext_lazy

from accounts.models import Authority
from inspections.exports import dataset, safe_cell, xlsx_bytes

from .yearly_plan import PlanRow, YearlyPlan

KIND_LABELS = dict(Authority.Kind.choices)

# (key, header in the active language)
COLUMNS = (
    ("n", pgettext_lazy("plan column", "STT")),
    ("authority", pgettext_lazy("plan column", "Cơ quan kiểm tra")),
    ("premises", pgettext_lazy("plan column", "Cơ sở")),
    ("address", pgettext_lazy("plan column", "Địa chỉ")),
    ("interval", pgettext_lazy("plan column", "Chu kỳ (tháng)")),
    ("last", pgettext_lazy("plan column", "Kiểm tra gần nhất")),
    ("due", pgettext_lazy("plan column", "Đến hạn")),
    ("planned", pgettext_lazy("plan column", "Ngày dự kiến")),
    ("joint", pgettext_lazy("plan column", "Kiểm tra chung với")),
    ("inspectors", pgettext_lazy("plan column", "Cán bộ")),
)


def _row(n: int, r: PlanRow) -> dict[str, Any]:
    planned = r.planned
    joint = ""
    if planned is not None and planned.joint_authority_id:
        other = (
            planned.authority
            if planned.joint_authority_id == r.authority.pk
            else planned.joint_authority
        )
        joint = other.name if other is not None else ""
    elif r.joint_with:
        joint = str(KIND_LABELS.get(r.joint_with, r.joint_with))
    return {
        "n": n,
        "authority": r.authority.name,
        "premises": r.premises.name,
        "address": r.premises.full_address,
        "interval": r.due.interval_months,
        "last": r.due.last_inspected_on,
        "due": r.due.due_on,
        "planned": planned.scheduled_for if planned else None,
        "joint": joint,
        "inspectors": ", ".join(u.get_full_name() for u in planned.inspectors.all())
        if planned
        else "",
    }


def plan_rows(plan: YearlyPlan) -> list[dict[str, Any]]:
    return [_row(n, r) for n, r in enumerate(plan.rows, start=1)]


def plan_xlsx(plan: YearlyPlan, lang: str = "vi") -> bytes:
    with translation.override(lang):
        title = pgettext("plan sheet", "Kế hoạch %(year)s") % {"year": plan.year}
        # Names and addresses are typed by people: a "=HYPERLINK(...)" stays text.
        sheet = dataset(COLUMNS, plan_rows(plan), title=title, cell=_xlsx_cell)
    return xlsx_bytes(sheet)


def _xlsx_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value
    return safe_cell(value)


def _pdf_text(value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat() if lang == "en" else value.strftime("%d/%m/%Y")
    return str(value)


def plan_pdf(plan: YearlyPlan, lang: str = "vi") -> bytes:
    from weasyprint import HTML

    from inspections.pdf.render import FONTS_DIR

    with translation.override(lang):
        headers = [str(c[1]) for c in COLUMNS]
    html = render_to_string(
        "pdf/yearly_plan.html",
        {
            "plan": plan,
            "lang": lang,
            "headers": headers,
            "rows": [[_pdf_text(row[c[0]], lang) for c in COLUMNS] for row in plan_rows(plan)],
            "generated_at": timezone.localtime(),
            "fonts_dir": FONTS_DIR.as_uri(),
        },
    )
    return HTML(string=html, base_url=str(FONTS_DIR)).write_pdf()
