"""What every inspections API view shares: the 409 shape and the upload throttles."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from ..schema import ErrorSerializer

TAG = ["inspections"]


class ConflictSerializer(ErrorSerializer):
    current = serializers.JSONField(
        required=False, help_text="The stored object, so the device can reconcile."
    )

    class Meta:
        ref_name = "Conflict"


CONFLICT = {409: OpenApiResponse(ConflictSerializer, description="Stored state differs.")}


class UploadApi(APIView):
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "uploads"


def created_response(data: Any, created: bool) -> Response:
    """201 for a first success, 200 for a replay of the same client UUID."""
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
