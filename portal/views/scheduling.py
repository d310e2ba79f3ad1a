"""Manager pages that schedule and assign inspections, and the inspections list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Authority
from inspections import access
from inspections.inputs import parse_ascii_int
from inspections.models import Inspection, Premises, PremisesKind
from inspections.selectors.dashboard import (
    inspector_workload,
)
from inspections.selectors.planning import check_inspection_cap, joint_partners
from inspections.selectors.yearly_plan import earliest_periodic_day
from inspections.services.errors import ServiceError
from inspections.services.inspection_notices import send_inspection_notice
from inspections.services.inspections import assign_inspectors, create_inspection

from ..forms.scheduling import AssignForm, InspectionCreateForm
from ..forms.service_errors import add_service_error
from ..listing import build_listing
from .manager import managed_authorities, manager_required


def _authority_for(request: HttpRequest, premises: Premises) -> Authority:
    managed = managed_authorities(request)
    for a in access.authorities_covering(premises.province_code, premises.ward_code, among=managed):
        return a
    raise PermissionDenied


@manager_required
def inspection_create(request: HttpRequest, premises_pk: int) -> HttpResponse:
    premises = access.premises_managed_by(request.user).filter(pk=premises_pk).first()
    if premises is None:
        raise Http404
    authority = _authority_for(request, premises)
    partners = joint_partners(premises, authority.kind)
    form = InspectionCreateForm(
        request.POST or None,
        authority=authority,
        joint_choices=partners,
        workload=inspector_workload([authority]),
        initial={"kind": request.GET.get("kind", "")},
    )
    decision = check_inspection_cap(premises, timezone.localdate())
    earliest = earliest_periodic_day()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        periodic = data["kind"] == Inspection.Kind.PERIODIC
        if periodic and data["send_notice"] and data["scheduled_for"] < earliest:
            form.add_error(
                "scheduled_for",
                _(
                    "Kiểm tra định kỳ phải được thông báo trước 03 ngày làm việc: sớm nhất ngày %(d)s."
                )
                % {"d": f"{earliest:%d/%m/%Y}"},
            )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The service applies the once-a-year cap (Resolution 198) and records the reason.
            inspection, _created = create_inspection(
                user=request.user,
                premises=premises,
                authority=authority,
                kind=data["kind"],
                scheduled_for=data["scheduled_for"],
                inspectors=list(data["inspectors"]),
                cap_override_reason=data["cap_override_reason"].strip(),
                unannounced_reason=data["unannounced_reason"].strip(),
                joint_authority=data.get("joint_authority"),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Đã lên lịch kiểm tra và phân công cán bộ."))
            if data["kind"] == Inspection.Kind.PERIODIC and data["send_notice"]:
                _send_notice(request, inspection)
            return redirect("portal:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "portal/manager/inspection_create.html",
        {
            "premises": premises,
            "authority": authority,
            "form": form,
            "cap": decision,
            "cap_message": decision.message,
            "partners": partners,
            "earliest_periodic": earliest,
        },
    )


def _send_notice(request: HttpRequest, inspection: Inspection) -> None:
    try:
        send_inspection_notice(user=request.user, inspection=inspection)
    except ServiceError as exc:
        messages.warning(request, exc.detail)
    else:
        messages.success(request, _("Đã gửi thông báo kiểm tra cho người đứng đầu cơ sở."))


INSPECTION_SORTS = {
    "date": "scheduled_for",
    "premises": "premises__name",
    "state": "state",
    "kind": "kind",
    "created": "created_at",
}


@manager_required
def inspections(request: HttpRequest) -> HttpResponse:
    authorities = managed_authorities(request)
    qs = access.inspections_managed_by(request.user).exclude(kind=Inspection.Kind.SELF)
    state = request.GET.get("state", "")
    if state in Inspection.State.values:
        qs = qs.filter(state=state)
    inspector = parse_ascii_int(request.GET.get("inspector"))
    if inspector is not None:
        qs = qs.filter(inspectors__pk=inspector)
    qs = _dashboard_drill(request, qs)
    listing = build_listing(
        request,
        qs,
        sorts=INSPECTION_SORTS,
        default_sort="-date",
        search_fields=("premises__search_text", "number"),
        # Sort narrow rows, then join premises and inspectors for the 25 shown.
        decorate=lambda page: page.select_related("premises", "authority").prefetch_related(
            "inspectors"
        ),
    )
    return render(
        request,
        "portal/manager/inspections.html",
        {
            "listing": listing,
            "states": Inspection.State.choices,
            "state": state,
            "inspector": inspector,
            "workload": inspector_workload(authorities),
            "default_sort": "-date",
        },
    )


def _dashboard_drill(request: HttpRequest, qs):
    """The dashboard's inspection links: its ward/kind filter, planned ones past their day,
    finished this year."""
    today = timezone.localdate()
    ward = parse_ascii_int(request.GET.get("ward"))
    if ward is not None:
        qs = qs.filter(premises__ward_code=ward)
    if request.GET.get("kind") in PremisesKind.values:
        qs = qs.filter(premises__kind=request.GET["kind"])
    if request.GET.get("overdue") == "1":
        qs = qs.filter(state=Inspection.State.SCHEDULED, scheduled_for__lt=today)
    if request.GET.get("done") == "year":
        qs = qs.filter(
            state__in=(Inspection.State.SUBMITTED, Inspection.State.SIGNED),
            submitted_at__date__gte=today.replace(month=1, day=1),
        )
    return qs


@manager_required
def inspection_assign(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.access_inspection(request.user, pk)
    if not access.can_manage_inspection(request.user, inspection) or inspection.authority is None:
        raise PermissionDenied
    workload = inspector_workload([inspection.authority])
    form = AssignForm(
        request.POST or None,
        authority=inspection.authority,
        workload=workload,
        initial={"inspectors": list(inspection.inspectors.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assign_inspectors(
                user=request.user,
                inspection=inspection,
                inspectors=list(form.cleaned_data["inspectors"]),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Đã cập nhật phân công."))
            return redirect("portal:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "portal/manager/inspection_assign.html",
        {
            "inspection": inspection,
            "form": form,
            "workload": workload,
        },
    )
