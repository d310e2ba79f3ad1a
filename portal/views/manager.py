"""Manager pages: jurisdiction dashboard, premises list, planning, inspections, notifications."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import divisions
from accounts.models import Authority
from inspections import access
from inspections.inputs import parse_ascii_int
from inspections.models import Inspection, ObligationStatus, Premises, PremisesKind
from inspections.rules.yearly_plan import plan_year_for
from inspections.selectors.dashboard import (
    add_periodic_due,
    inspector_workload,
    with_last_inspected,
    with_last_inspection,
)
from inspections.selectors.overview import (
    compliance_state,
    with_compliance_counts,
    with_compliance_rank,
)
from inspections.selectors.planning import check_inspection_cap, joint_partners
from inspections.selectors.rollups import rollup_dashboard, rollup_scope
from inspections.selectors.yearly_plan import earliest_periodic_day, plan_deadline_for
from inspections.services.errors import ServiceError
from inspections.services.inspection_notices import send_inspection_notice
from inspections.services.inspections import assign_inspectors, create_inspection

from ..filters import ManagerPremisesFilter
from ..forms import AssignForm, DashboardFilterForm, InspectionCreateForm
from ..listing import build_listing


def manager_required(view):
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not access.is_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _managed_authorities(request: HttpRequest) -> list[Authority]:
    return access.authorities_of(request.user, access.MANAGING_ROLES)


def _ward_choices(authorities: list[Authority]) -> list[tuple[int, str]]:
    wards: dict[int, str] = {}
    for a in authorities:
        codes = a.ward_codes or [c for c, _n in divisions.ward_choices(a.province_code)]
        for code in codes:
            wards[int(code)] = divisions.ward_name(code)
    return sorted(wards.items(), key=lambda kv: kv[1])


def _filtered_premises(request: HttpRequest):
    """The manager's premises narrowed by the ward/kind filter form (shared by list pages)."""
    authorities = _managed_authorities(request)
    form = DashboardFilterForm(request.GET or None, wards=_ward_choices(authorities))
    qs = access.premises_managed_by(request.user)
    if form.is_valid():
        if form.cleaned_data.get("ward"):
            qs = qs.filter(ward_code=form.cleaned_data["ward"])
        if form.cleaned_data.get("kind"):
            qs = qs.filter(kind=form.cleaned_data["kind"])
    return qs, form, authorities


@manager_required
def dashboard(request: HttpRequest) -> HttpResponse:
    authorities = _managed_authorities(request)
    form = DashboardFilterForm(request.GET or None, wards=_ward_choices(authorities))
    ward, kind = None, ""
    if form.is_valid():
        ward, kind = form.cleaned_data.get("ward"), form.cleaned_data.get("kind") or ""
    everywhere = request.user.is_superuser
    # The rolled-up counters, not the live rows: the same figures in a few index lookups.
    data = rollup_dashboard(
        rollup_scope(None if everywhere else authorities, ward=ward, kind=kind),
        None if everywhere else authorities,
        on=timezone.localdate(),
    )
    narrowed = {k: v for k, v in (("ward", ward), ("kind", kind)) if v}
    obligation_rows = [
        {
            "status": s,
            "label": label,
            "n": data.obligations[s],
            "premises": data.obligation_premises[s],
        }
        for s, label in ObligationStatus.choices
    ]
    return render(
        request,
        "portal/manager/dashboard.html",
        {
            "d": data,
            "form": form,
            "authorities": authorities,
            "narrowed": urlencode(narrowed),
            "obligation_rows": obligation_rows,
            "today": timezone.localdate(),
            "map_tile_url": settings.PORTAL_MAP_TILE_URL,
            "map_attribution": settings.PORTAL_MAP_ATTRIBUTION,
        },
    )


MAP_POINTS = 2000
MAP_STATES = {0: "overdue", 1: "attention", 2: "ok"}


@manager_required
def premises_map(request: HttpRequest) -> JsonResponse:
    """Premises with coordinates for the dashboard map (same ward/kind filter), worst first."""
    authorities = _managed_authorities(request)
    form = DashboardFilterForm(request.GET or None, wards=_ward_choices(authorities))
    qs = access.premises_managed_by(request.user).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    if form.is_valid():
        if form.cleaned_data.get("ward"):
            qs = qs.filter(ward_code=form.cleaned_data["ward"])
        if form.cleaned_data.get("kind"):
            qs = qs.filter(kind=form.cleaned_data["kind"])
    rows = list(
        with_compliance_rank(qs, on=timezone.localdate())
        .order_by("compliance_rank", "pk")
        .values_list("pk", "name", "latitude", "longitude", "compliance_rank")[: MAP_POINTS + 1]
    )
    labels = {
        "overdue": _("Quá hạn"),
        "attention": _("Cần khắc phục"),
        "ok": _("Khác"),
    }
    points = [
        {
            "url": reverse("portal:premises_detail", args=[pk]),
            "name": name,
            "lat": float(lat),
            "lon": float(lon),
            "state": MAP_STATES[rank],
            "label": str(labels[MAP_STATES[rank]]),
        }
        for pk, name, lat, lon, rank in rows[:MAP_POINTS]
    ]
    note = (
        _("Hiển thị %(n)s cơ sở có tọa độ, ưu tiên cơ sở quá hạn.") % {"n": MAP_POINTS}
        if len(rows) > MAP_POINTS
        else _("%(n)s cơ sở có tọa độ.") % {"n": len(points)}
    )
    return JsonResponse(
        {
            "points": points,
            "note": note,
            "empty": _("Chưa có cơ sở nào có tọa độ trong phạm vi lọc."),
        }
    )


PREMISES_SORTS = {
    "name": "name",
    "ward": "ward_code",
    "kind": "kind",
    "updated": "updated_at",
    "state": "compliance_rank",
    "due": "periodic_due_on",
}


@manager_required
def premises_list(request: HttpRequest) -> HttpResponse:
    authorities = _managed_authorities(request)
    today = timezone.localdate()
    filterset = ManagerPremisesFilter(
        request.GET or None,
        queryset=access.premises_managed_by(request.user),
        wards=_ward_choices(authorities),
        on=today,
    )
    qs = filterset.qs
    # Only the "state" sort pays for the compliance probes over every filtered row.
    sorted_by_state = request.GET.get("sort", "").lstrip("-") == "state"
    listing = build_listing(
        request,
        with_compliance_rank(qs, on=today) if sorted_by_state else qs,
        sorts=PREMISES_SORTS if sorted_by_state else _without(PREMISES_SORTS, "state"),
        default_sort="name",
        search_fields=("search_text",),
        decorate=with_compliance_counts,
        count_from=qs,
    )
    rows = listing.rows
    for row in rows:
        row.state = compliance_state(row)
    return render(
        request,
        "portal/manager/premises_list.html",
        {
            "listing": listing,
            "rows": rows,
            "form": filterset.form,
            "default_sort": "name",
            "today": today,
        },
    )


def _without(sorts: dict[str, str], key: str) -> dict[str, str]:
    return {k: v for k, v in sorts.items() if k != key}


PLANNING_SORTS = {"last": "last_inspected_at", "name": "name", "ward": "ward_code"}


@manager_required
def planning(request: HttpRequest) -> HttpResponse:
    qs, form, authorities = _filtered_premises(request)
    if request.GET.get("unplanned") == "1":
        qs = qs.exclude(inspections__state=Inspection.State.SCHEDULED)
    listing = build_listing(
        request,
        with_last_inspected(qs),
        sorts=PLANNING_SORTS,
        default_sort="last",
        nulls_first=frozenset({"last"}),
        decorate=with_last_inspection,
        count_from=qs,
        search_fields=("search_text",),
    )
    rows = add_periodic_due(listing.rows, on=timezone.localdate())
    return render(
        request,
        "portal/manager/planning.html",
        {
            "listing": listing,
            "rows": rows,
            "form": form,
            "default_sort": "last",
            "workload": inspector_workload(authorities),
            "today": timezone.localdate(),
            "plan_year": plan_year_for(timezone.localdate()),
            "plan_deadline": plan_deadline_for(plan_year_for(timezone.localdate())),
        },
    )


def _authority_for(request: HttpRequest, premises: Premises) -> Authority:
    managed = _managed_authorities(request)
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
            _form_errors(form, exc)
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


def _form_errors(form, exc: ServiceError) -> None:
    """Show a service refusal next to the fields it names, else above the form."""
    placed = False
    for name, errors in (exc.fields or {}).items():
        if name in form.fields and errors:
            form.add_error(name, [str(e) for e in errors])
            placed = True
    if not placed:
        form.add_error(None, exc.detail)


INSPECTION_SORTS = {
    "date": "scheduled_for",
    "premises": "premises__name",
    "state": "state",
    "kind": "kind",
    "created": "created_at",
}


@manager_required
def inspections(request: HttpRequest) -> HttpResponse:
    authorities = _managed_authorities(request)
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
            _form_errors(form, exc)
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


NOTIFICATION_SORTS = {"created": "created_at", "due": "due_on", "kind": "kind", "status": "status"}


@manager_required
def notifications(request: HttpRequest) -> HttpResponse:
    from inspections.models.notifications import Notification, NotificationKind
    from inspections.selectors.notification_log import summary_schedule

    qs = access.notifications_visible_to_manager(request.user).select_related(
        "user", "premises", "webhook"
    )
    kind = request.GET.get("kind", "")
    if kind in NotificationKind.values:
        qs = qs.filter(kind=kind)
    status = request.GET.get("status", "")
    if status in Notification.Status.values:
        qs = qs.filter(status=status)
    listing = build_listing(
        request,
        qs,
        sorts=NOTIFICATION_SORTS,
        default_sort="-created",
        search_fields=("subject_key", "premises__search_text", "user__email"),
    )
    return render(
        request,
        "portal/manager/notifications.html",
        {
            "listing": listing,
            "kinds": NotificationKind.choices,
            "statuses": Notification.Status.choices,
            "kind": kind,
            "status": status,
            "schedule": summary_schedule(),
            "default_sort": "-created",
        },
    )
