"""The manager's notification log: every message sent in their jurisdiction, and the
schedule of compliance summaries."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections import access
from inspections.models.notifications import Notification, NotificationKind
from inspections.selectors.notification_log import summary_schedule

from ..listing import build_listing
from .manager import manager_required

NOTIFICATION_SORTS = {"created": "created_at", "due": "due_on", "kind": "kind", "status": "status"}


@manager_required
def notifications(request: HttpRequest) -> HttpResponse:
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
