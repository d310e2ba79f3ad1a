"""The one error shape of the API: {"code": ..., "detail": ..., "fields": {...}}.

Retry-able failures (429, 503) carry ``Retry-After``; everything else is final for the client.
"""

from __future__ import annotations

from dataclasses import is_dataclass
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework_simplejwt.exceptions import InvalidToken

from config.errors import error_body
from inspections import access
from inspections.services.errors import ServiceError

from .inspections_output import serialize_current


class ApiError(exceptions.APIException):
    """A domain error with a stable machine-readable code."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(
        self,
        code: str,
        detail: Any,
        *,
        status_code: int = 400,
        fields: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.error_code = code
        self.fields = fields or {}
        self.extra = extra or {}


_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse_error",
    exceptions.ValidationError: "invalid",
}


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten(v) for v in detail]
    return str(detail)


def _code_of(exc: exceptions.APIException) -> Any:
    # simplejwt's exceptions carry their code as a value: {"detail": ..., "code": ...}.
    if isinstance(exc.detail, dict):
        return str(exc.detail.get("code", ""))
    return exc.get_codes()


def _from_service_error(exc: ServiceError, context: dict) -> Exception:
    """A service refusal as an ApiError; a 409 shows the stored object if the caller may see it."""
    extra: dict[str, Any] = {}
    if exc.current is not None:
        # The one place every 409 body is built: it shows only what the caller may see,
        # whichever service raised it; anything else is answered as unknown (404).
        user = context["request"].user
        if not is_dataclass(exc.current) and not access.can_view_stored(user, exc.current):
            return exceptions.NotFound()
        extra["current"] = serialize_current(exc.current)
    return ApiError(exc.code, exc.detail, status_code=exc.status, fields=exc.fields, extra=extra)


def _as_drf(exc: Exception, context: dict) -> Exception:
    """Service and Django exceptions as the DRF exception that answers them."""
    if isinstance(exc, ServiceError):
        exc = _from_service_error(exc, context)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    return exc


def _unavailable() -> Response:
    # Database busy or unreachable: tell the phone to come back later; nothing was written.
    response = Response(
        error_body("unavailable", str(_("Máy chủ đang bận, vui lòng thử lại."))),
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
    )
    response["Retry-After"] = "5"
    return response


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    data = exc.detail
    if isinstance(data, dict):
        fields = _flatten(data)
    else:
        fields = {"non_field_errors": _flatten(data if isinstance(data, list) else [data])}
    return error_body("invalid", str(_("Dữ liệu gửi lên không hợp lệ.")), fields)


def _generic_body(exc: exceptions.APIException) -> dict[str, Any]:
    code = str(_CODES.get(type(exc)) or getattr(exc, "default_code", "error"))
    detail = _flatten(exc.detail)
    fields: dict[str, Any] = {}
    if isinstance(detail, dict):
        fields = detail
        detail = str(_("Yêu cầu không hợp lệ."))
    elif isinstance(detail, list):
        detail = " ".join(map(str, detail))
    return error_body(code, detail, fields)


def _body(exc: exceptions.APIException) -> dict[str, Any]:
    """{"code", "detail", "fields", ...extra} for a DRF exception."""
    if isinstance(exc, ApiError):
        return {
            "code": exc.error_code,
            "detail": _flatten(exc.detail),
            "fields": _flatten(exc.fields),
            **exc.extra,
        }
    if isinstance(exc, InvalidToken):
        # simplejwt's detail is a dict of English internals; one stable code and message.
        detail = _("Phiên đăng nhập không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại.")
        return error_body("token_not_valid", str(detail))
    if isinstance(exc, exceptions.AuthenticationFailed) and _code_of(exc) == "password_changed":
        # A token issued before the password changed (settings.SIMPLE_JWT CHECK_REVOKE_TOKEN).
        detail = _("Mật khẩu đã được thay đổi, vui lòng đăng nhập lại.")
        return error_body("password_changed", str(detail))
    if isinstance(exc, exceptions.ValidationError):
        return _validation_body(exc)
    return _generic_body(exc)


def _throttled_message(wait: int | None) -> str:
    # DRF's message is half-translated in Vietnamese; ours is whole in either language.
    if wait is None:
        return str(_("Quá nhiều yêu cầu, vui lòng thử lại sau."))
    return ngettext(
        "Quá nhiều yêu cầu, vui lòng thử lại sau %(n)d giây.",
        "Quá nhiều yêu cầu, vui lòng thử lại sau %(n)d giây.",
        wait,
    ) % {"n": wait}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, OperationalError):
        return _unavailable()
    exc = _as_drf(exc, context)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    body = _body(exc)
    if isinstance(exc, exceptions.Throttled):
        seconds = getattr(exc, "wait", None)  # set by DRF, missing from its stubs
        wait = int(seconds) + 1 if seconds is not None else None
        if type(exc) is exceptions.Throttled:
            # Subclasses such as the login lockout bring their own message.
            body["detail"] = _throttled_message(wait)
        if wait is not None:
            response["Retry-After"] = str(wait)
    response.data = body
    return response
