"""Resumable photo upload: chunks addressed by the photo's SHA-256 (see services.photo_uploads)."""

from __future__ import annotations

import re
from dataclasses import asdict

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import access
from inspections.inputs import parse_ascii_int
from inspections.services import photo_uploads

from .errors import ApiError
from .inspections import CONFLICT, TAG, UploadApi
from .schema import ErrorSerializer, error_responses

SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class ChunkParser(BaseParser):
    """The raw bytes of one chunk, read no further than the largest chunk allowed + 1 (so an
    oversized body is refused without being held in memory)."""

    media_type = "application/offset+octet-stream"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        if stream is None:
            return b""
        return stream.read(settings.PHOTO_CHUNK_MAX_BYTES + 1)


class OctetStreamChunkParser(ChunkParser):
    media_type = "application/octet-stream"


class UploadStateOutput(serializers.Serializer):
    sha256 = serializers.CharField()
    size = serializers.IntegerField(allow_null=True, help_text="Null until the first chunk.")
    received = serializers.IntegerField(help_text="Send the next chunk from this offset.")
    complete = serializers.BooleanField(
        help_text="The server has the photo: post its metadata to …/photos/ without the file."
    )

    class Meta:
        ref_name = "PhotoUploadState"


def _header_int(request: Request, name: str) -> int:
    value = parse_ascii_int(request.headers.get(name))
    if value is None:
        raise ApiError(
            "invalid_header",
            _("Thiếu hoặc sai tiêu đề %(name)s (số byte, không âm).") % {"name": name},
            fields={name: [_("Phải là số nguyên không âm.")]},
        )
    return value


def _sha256(value: str) -> str:
    if not SHA256.fullmatch(value):
        raise ApiError(
            "invalid_sha256",
            _("SHA-256 phải gồm 64 ký tự hexa."),
            fields={"sha256": [_("Phải gồm 64 ký tự hexa.")]},
        )
    return value.lower()


HEADERS = [
    OpenApiParameter(
        "Upload-Offset",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        required=True,
        description="Where this chunk starts: the `received` the server last reported.",
    ),
    OpenApiParameter(
        "Upload-Length",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        required=True,
        description="Size of the whole file in bytes (the same on every chunk).",
    ),
]


class PhotoChunkUploadApi(UploadApi):
    parser_classes = [ChunkParser, OctetStreamChunkParser]

    @extend_schema(
        tags=TAG,
        operation_id="inspections_photo_uploads_state",
        summary="How much of a resumable photo upload the server has",
        responses={200: UploadStateOutput, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request, pk: int, sha256: str) -> Response:
        sha256 = _sha256(sha256)
        inspection = access.access_inspection(request.user, pk, write=True)
        state = photo_uploads.upload_state(user=request.user, inspection=inspection, sha256=sha256)
        return Response(UploadStateOutput(asdict(state)).data)

    @extend_schema(
        tags=TAG,
        operation_id="inspections_photo_uploads_chunk",
        summary="Send the next chunk of a photo (resumable upload)",
        description=(
            "For photos too large to send in one request over a poor connection. The body is "
            "the chunk's bytes (`application/offset+octet-stream` or "
            "`application/octet-stream`), at most `PHOTO_CHUNK_MAX_BYTES` (1 MiB). A chunk "
            "the server already has is a success; another offset is a 409 with the server's "
            "state in `current`. When the last chunk arrives the bytes are checked (SHA-256, "
            "real image) and `complete` is true; a failed check deletes the upload (400)."
        ),
        parameters=HEADERS,
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={
            200: UploadStateOutput,
            413: OpenApiResponse(ErrorSerializer, description="File or chunk too large."),
            **error_responses(400, 401, 403, 404, 429),
            **CONFLICT,
        },
    )
    def put(self, request: Request, pk: int, sha256: str) -> Response:
        sha256 = _sha256(sha256)
        offset = _header_int(request, "Upload-Offset")
        total = _header_int(request, "Upload-Length")
        inspection = access.access_inspection(request.user, pk, write=True)
        data = request.data if isinstance(request.data, bytes) else b""
        state = photo_uploads.receive_chunk(
            user=request.user,
            inspection=inspection,
            sha256=sha256,
            offset=offset,
            total=total,
            data=data,
        )
        return Response(UploadStateOutput(asdict(state)).data)
