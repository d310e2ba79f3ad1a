"""Refuse NUL characters in the path, the query string and form bodies of every request.

PostgreSQL cannot store or even compare a string with NUL (psycopg raises), so one in a search
term, a verification code or a form field used to end in a 500 wherever the value reached a
query. Refusing it here, before any view, covers every URL of the API, the portal and the admin.
JSON bodies are checked by the API's parser (api/parsers.py); raw uploads (photo chunks, files)
are bytes and are not looked at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from config.errors import error_json, service_refused
from inspections.inputs import has_nul
from inspections.services.errors import ServiceError

logger = logging.getLogger(__name__)

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _any_nul(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any(has_nul(k) or any(has_nul(v) for v in values) for k, values in pairs)


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if has_nul(request.path) or _any_nul(request.GET.lists()):
            return True
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            # Parsing here is what CsrfViewMiddleware does anyway; DRF reuses the parsed POST.
            return _any_nul(request.POST.lists())
        return False

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        detail = _("Dữ liệu chứa ký tự NUL không hợp lệ.")
        if request.path.startswith("/api/"):
            return error_json("invalid", detail, status=400)
        return bad_request(request, ValueError(detail))


class ServiceRefusalMiddleware:
    """The safety net under every page: a service refusal (``ServiceError``) that escaped its
    view becomes a page that says why, with the refusal's status, instead of a 500. Views
    still place refusals on their forms where they can keep what was typed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    @staticmethod
    def process_exception(request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ServiceError):
            return None
        logger.warning(
            "service refusal not handled by its view: %s %s (%s)",
            request.method,
            request.path,
            exception.code,
        )
        return service_refused(request, exception)
