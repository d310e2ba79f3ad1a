"""OpenAPI pieces shared by every API module: the error shape as a schema component."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The one error shape rendered by ``api.errors.exception_handler``."""

    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `not_found`.")
    detail = serializers.CharField(help_text="Human message in the language of Accept-Language.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Per-field messages for validation errors; empty otherwise.",
    )

    class Meta:
        ref_name = "Error"


_DESCRIPTIONS = {
    400: "Invalid input (`invalid`); per-field messages in `fields`.",
    401: "Not authenticated, bad credentials or an invalid token.",
    403: "Authenticated but not allowed (`permission_denied`).",
    404: "Does not exist or is not visible to the caller (`not_found`).",
    409: "Conflict with the current state (`conflict`).",
    429: "Too many requests (`throttled`) or failed logins (`locked_out`); see `Retry-After`.",
    503: "Temporarily unavailable; see `Retry-After`.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """``responses=`` entries for ``extend_schema``: each status documented with the error shape."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=_DESCRIPTIONS.get(code, ""))
        for code in statuses
    }
