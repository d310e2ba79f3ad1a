"""Manager pages of the yearly plan (Decree 105 Art. 14.3): proposals, exports, notices."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import access
from inspections.models import Inspection
from inspections.rules.yearly_plan import plan_year_for
from inspections.selectors.plan_export import plan_pdf, plan_xlsx
from inspections.selectors.yearly_plan import notice_deadline_for, yearly_plan
from inspections.services.errors import ServiceError
from inspections.services.inspection_notices import send_inspection_notice

from .manager import manager_required

EXPORTS = {
    "pdf": (plan_pdf, "application/pdf"),
    "xlsx": (plan_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    if raw.isdigit() and today.year - 1 <= int(raw) <= today.year + 2:
        return int(raw)
    return plan_year_for(today)


@manager_required
def plan_page(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    plan = yearly_plan(request.user, year)
    return render(
        request,
        "portal/manager/yearly_plan.html",
        {"plan": plan, "years": [year - 1, year, year + 1], "today": timezone.localdate()},
    )


@manager_required
def plan_export(request: HttpRequest, year: int, ext: str) -> HttpResponse:
    if ext not in EXPORTS or not 2000 <= year <= 2100:
        raise Http404
    build, content_type = EXPORTS[ext]
    lang = "en" if get_language() == "en" else "vi"
    data = build(yearly_plan(request.user, year), lang)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-kiem-tra-{year}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@manager_required
@require_POST
def inspection_notice(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.access_inspection(request.user, pk)
    try:
        send_inspection_notice(user=request.user, inspection=inspection)
    except ServiceError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Đã gửi thông báo kiểm tra cho người đứng đầu cơ sở."))
    return redirect("portal:inspection_detail", pk=inspection.pk)


def notice_context(inspection) -> dict:
    """What the inspection page shows about the written notice of a periodic inspection."""
    if inspection.kind != Inspection.Kind.PERIODIC or inspection.scheduled_for is None:
        return {}
    deadline = notice_deadline_for(inspection.scheduled_for)
    return {
        "notice_deadline": deadline,
        "notice_late": inspection.notice_sent_at is None and timezone.localdate() > deadline,
    }
