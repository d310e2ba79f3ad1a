"""Error pages: styled, in the visitor's language, JSON under /api/ (the API's error shape)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from config.request_id import current_request_id
from inspections.services.errors import ServiceError

logger = logging.getLogger(__name__)


def error_body(code: str, detail: Any, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The API's one error shape, whichever layer refuses the request (DRF's handler in
    api/errors.py, the error pages and middleware here)."""
    return {"code": code, "detail": detail, "fields": fields or {}}


def error_json(
    code: str, detail: Any, *, status: int, fields: dict[str, Any] | None = None
) -> JsonResponse:
    """The API's error shape from code outside DRF (middleware, Django's error handlers)."""
    return JsonResponse(
        error_body(code, str(detail), fields),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


_API_CODES = {403: "permission_denied", 404: "not_found", 500: "server_error"}


def _headings() -> dict[int, str]:
    return {
        403: _("Bạn không có quyền truy cập trang này"),
        404: _("Không tìm thấy trang"),
        500: _("Hệ thống gặp sự cố"),
    }


def _page(request: HttpRequest, status: int, **extra) -> HttpResponse:
    if request.path.startswith("/api/"):
        detail = _headings()[status]
        return error_json(_API_CODES[status], detail, status=status)
    context = {
        "status": status,
        "heading": _headings()[status],
        "request_id": current_request_id.get() if status == 500 else "",
        **extra,
    }
    return render(request, f"{status}.html", context, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's own page is a bare English "403 Forbidden"; this one says what to do."""
    return _page(request, 403, csrf=True)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request, 500)
    except Exception:  # the page itself must not fail: the database may be what is down
        logger.exception("the styled 500 page failed; serving the plain one")
        return HttpResponse(render_to_string("errors/plain_500.html"), status=500)


def service_refused(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    """A service's refusal that no view turned into a form error: said in words with its
    status (409 for a state that changed meanwhile), never a 500. Under /api/ it is the API's
    error shape (DRF views map refusals themselves; this covers any other JSON view)."""
    if request.path.startswith("/api/"):
        return error_json(exc.code, exc.detail, status=exc.status, fields=exc.fields)
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    context = {
        "status": exc.status,
        "heading": _("Yêu cầu chưa thực hiện được"),
        "detail": exc.detail,
        "back": back,
    }
    return render(request, "errors/refused.html", context, status=exc.status)
