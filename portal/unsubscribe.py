"""One-click unsubscribe from one kind of reminder (RFC 8058), reached from an e-mail link.

GET shows what will change and a button; POST applies it. Mail clients that support
List-Unsubscribe-Post POST without a session or CSRF token, so the signed token is the only
credential: it names one user and one kind and cannot be forged.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from inspections.models import Delivery, NotificationKind
from inspections.services.notifications import unsubscribe, verify_unsubscribe_token


@csrf_exempt
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    target = verify_unsubscribe_token(token)
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
