"""Stored photos and signatures of an inspection, for those who may see it (the `url` fields)."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from config.private_files import serve_private_file
from inspections import access

from .schema import error_responses

TAG = ["inspections"]
_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class PhotoFileApi(APIView):
    @extend_schema(
        tags=TAG,
        operation_id="inspections_photo_file",
        summary="The bytes of a photo (as uploaded, EXIF included)",
        description=(
            "For whoever may see the inspection. With S3 storage the answer is a 302 to a "
            "pre-signed URL valid for a minute."
        ),
        responses={(200, "image/*"): bytes, 302: None, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int, client_uuid: UUID) -> HttpResponse:
        photo = access.access_photo(request.user, pk, client_uuid)
        blob = photo.blob
        return serve_private_file(
            request,
            blob.file,
            download_name=f"anh-{photo.client_uuid}.{_EXT.get(blob.content_type, 'bin')}",
            as_attachment=False,  # checked to be a real image when it was stored
            content_type=blob.content_type,
        )


class SignatureFileApi(APIView):
    @extend_schema(
        tags=TAG,
        operation_id="inspections_signature_file",
        summary="The drawn signature (PNG)",
        description="For whoever may see the inspection.",
        responses={(200, "image/png"): bytes, 302: None, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int, client_uuid: UUID) -> HttpResponse:
        signature = access.access_signature(request.user, pk, client_uuid)
        return serve_private_file(
            request,
            signature.image,
            download_name=f"chu-ky-{signature.role}-{signature.client_uuid}.png",
            as_attachment=False,
            content_type="image/png",
        )
