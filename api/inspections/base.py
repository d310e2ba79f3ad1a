"""What every inspections API view shares: service-error mapping, 409 shape, upload throttles."""

from __future__ import annotations

from dataclasses import is_dataclass
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from accounts import access
from inspections.services.errors import ServiceError

from ..errors import ApiError
from ..inspections_output import serialize_current
from ..schema import ErrorSerializer

TAG = ["inspections"]


class ConflictSerializer(ErrorSerializer):
    current = serializers.JSONField(
        required=False, help_text="The stored object, so the device can reconcile."
    )

    class Meta:
        ref_name = "Conflict"


CONFLICT = {409: OpenApiResponse(ConflictSerializer, description="Stored state differs.")}


class ServiceApi(APIView):
    """Turns service refusals into the API's one error shape."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ServiceError):
            exc = self._service_error(exc)
        return super().handle_exception(exc)

    def _service_error(self, exc: ServiceError) -> Exception:
        extra: dict[str, Any] = {}
        if exc.current is not None:
            # The one place every 409 body is built: it shows only what the caller may see,
            # whichever service raised it; anything else is answered as unknown (404).
            if not is_dataclass(exc.current) and not access.can_view_stored(
                self.request.user, exc.current
            ):
                return Http404()
            extra["current"] = serialize_current(exc.current)
        return ApiError(
            exc.code, exc.detail, status_code=exc.status, fields=exc.fields, extra=extra
        )


class UploadApi(ServiceApi):
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "uploads"


def created_response(data: Any, created: bool) -> Response:
    """201 for a first success, 200 for a replay of the same client UUID."""
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
