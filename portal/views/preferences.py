"""The logged-in user's reminder preferences: immediate, digest or off per notification kind.

Only the user's own preferences are shown and changed (no id in the URL). Mandatory legal
deadlines can be moved to the digest, never switched off: the form does not offer "off" for
them and ``set_preference`` refuses it as well.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inspections.selectors.notifications import preferences_for
from inspections.services.notifications import PreferenceError, set_preference

from ..preference_forms import MANDATORY_OFF_ERROR, NotificationPreferencesForm


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    rows = preferences_for(request.user)
    form = NotificationPreferencesForm(rows, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        kind = ""
        try:
            # All or nothing: a refused kind leaves every preference as it was.
            with transaction.atomic():
                for kind, mode in changes.items():
                    set_preference(user=request.user, kind=kind, mode=mode)
        except PreferenceError:
            # Only when the rules changed between showing and saving the form.
            form.add_error(kind, MANDATORY_OFF_ERROR)
        else:
            if changes:
                messages.success(request, _("Đã lưu tùy chọn nhận thông báo."))
            else:
                messages.info(request, _("Không có thay đổi nào."))
            return redirect("portal:notification_preferences")
    return render(
        request,
        "portal/notification_preferences.html",
        {"form": form, "email": request.user.email},
    )
