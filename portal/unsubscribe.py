"""One-click unsubscribe from one kind of reminder (RFC 8058), reached from an e-mail link.

GET shows what will change and a button; POST applies it. Mail clients that support
List-Unsubscribe-Post POST without a session or CSRF token, so the signed token is the only
credential: it names one user and one kind, cannot be forged, and expires after
UNSUBSCRIBE_TOKEN_MAX_DAYS.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from inspections.models import Delivery, NotificationKind
from inspections.services.notifications import (
    UnsubscribeExpired,
    unsubscribe,
    verify_unsubscribe_token,
)


@csrf_exempt
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        target = verify_unsubscribe_token(token)
    except UnsubscribeExpired:
        # Old link: the settings page (after login) still does the same.
        return render(request, "portal/unsubscribe.html", {"expired": True}, status=410)
    if target is None:
        return render(request, "portal/unsubscribe.html", {"invalid": True}, status=400)
    context = {
        "kind_label": NotificationKind(target.kind).label,
        "to_digest": target.target_mode == Delivery.DIGEST,
        "email": target.user.email,
        "done": False,
    }
    if request.method == "POST":
        unsubscribe(token)
        context["done"] = True
    return render(request, "portal/unsubscribe.html", context)
