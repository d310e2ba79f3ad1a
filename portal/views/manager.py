"""Manager pages: jurisdiction dashboard, premises list and map, planning; the manager check."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import divisions
from accounts.models import Authority
from inspections import access
from inspections.models import Inspection, ObligationStatus
from inspections.rules.yearly_plan import plan_year_for
from inspections.selectors.dashboard import (
    add_periodic_due,
    inspector_workload,
    with_last_inspection,
)
from inspections.selectors.overview import (
    compliance_state,
    with_compliance_counts,
    with_compliance_rank,
)
from inspections.selectors.rollups import rollup_dashboard, rollup_scope
from inspections.selectors.yearly_plan import plan_deadline_for

from ..filters import ManagerPremisesFilter
from ..forms.dashboard import DashboardFilterForm
from ..listing import build_listing


def manager_required(view):
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not access.is_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def managed_authorities(request: HttpRequest) -> list[Authority]:
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
    authorities = managed_authorities(request)
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
    authorities = managed_authorities(request)
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
    authorities = managed_authorities(request)
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
    authorities = managed_authorities(request)
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


# "last" is the stored day of the last authority inspection (kept by services/rollups.py): the
# page shows its time (with_last_inspection), the order needs no aggregate over inspections.
PLANNING_SORTS = {"last": "last_inspected_on", "name": "name", "ward": "ward_code"}


@manager_required
def planning(request: HttpRequest) -> HttpResponse:
    qs, form, authorities = _filtered_premises(request)
    if request.GET.get("unplanned") == "1":
        qs = qs.exclude(inspections__state=Inspection.State.SCHEDULED)
    listing = build_listing(
        request,
        qs,
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
