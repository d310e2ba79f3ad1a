"""The "changes in the law" page: what a new catalogue version changed for my premises."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from inspections import access
from inspections.selectors import lawchanges as selectors


@login_required
def law_changes(request: HttpRequest) -> HttpResponse:
    user = request.user
    lang = "en" if translation.get_language() == "en" else "vi"
    context = {"upcoming": selectors.upcoming(timezone.localdate()), "lang": lang}
    if access.is_facility_head(user):
        rows = selectors.premises_law_changes(access.premises_visible_to(user).filter(heads=user))
        page = Paginator(rows, 20).get_page(request.GET.get("page"))
        context["page"] = page
        context["listing"] = {"page": page}  # what the shared pagination template reads
        context["items"] = [
            {"view": v, "lines": v.lines(lang)}
            for v in (selectors.premises_change_view(r) for r in page.object_list)
        ]
    if access.is_manager(user):
        context["summaries"] = selectors.jurisdiction_summaries(access.premises_managed_by(user))
    return render(request, "portal/law_changes.html", context)
