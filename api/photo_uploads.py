"""Resumable photo uploads over tus 1.0 (core, creation, checksum, termination, expiration).

Any tus client works unmodified (tus-js-client in the app, tuspy in the tests) with the API's
bearer token in its headers; the protocol itself is in ``inspections.services.photo_uploads``.
"""

from __future__ import annotations

import base64
import binascii
from email.utils import format_datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from inspections import access
from inspections.models import PhotoUpload
from inspections.services import photo_uploads

from .errors import ApiError
from .inspections import CONFLICT, TAG, UploadApi
from .schema import ErrorSerializer, error_responses

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum,termination,expiration"
OFFSET_STREAM = "application/offset+octet-stream"


def _bad_header(name: str, message: str) -> ApiError:
    return ApiError("invalid_header", message, fields={name: [message]})


def _header_int(request: Request, name: str) -> int:
    raw = request.headers.get(name, "")
    # str.isdigit() accepts "²"; only ASCII digits are a number here.
    if not raw or len(raw) > 12 or not all("0" <= c <= "9" for c in raw):
        raise _bad_header(
            name, _("Thiếu hoặc sai tiêu đề %(name)s (số byte, không âm).") % {"name": name}
        )
    return int(raw)


def parse_metadata(raw: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64(value)`` pairs (the value may be absent)."""
    metadata: dict[str, str] = {}
    if not raw.strip():
        return metadata
    for pair in raw.split(","):
        parts = pair.strip().split(" ")
        if len(parts) > 2 or not parts[0] or len(parts[0]) > 64 or parts[0] in metadata:
            raise _bad_header("Upload-Metadata", _("Upload-Metadata không hợp lệ."))
        try:
            value = base64.b64decode(parts[1], validate=True).decode() if len(parts) == 2 else ""
        except (binascii.Error, UnicodeDecodeError):
            raise _bad_header("Upload-Metadata", _("Upload-Metadata không hợp lệ.")) from None
        if "\x00" in value or len(value) > 1000:
            raise _bad_header("Upload-Metadata", _("Upload-Metadata không hợp lệ."))
        metadata[parts[0]] = value
    return metadata


def _checksum(request: Request) -> tuple[str, bytes] | None:
    raw = request.headers.get("Upload-Checksum")
    if raw is None:
        return None
    algorithm, _sep, value = raw.strip().partition(" ")
    if algorithm not in photo_uploads.CHECKSUM_ALGORITHMS:
        raise _bad_header(
            "Upload-Checksum", _("Thuật toán tổng kiểm tra không được hỗ trợ (sha1, sha256).")
        )
    try:
        return algorithm, base64.b64decode(value, validate=True)
    except binascii.Error:
        raise _bad_header("Upload-Checksum", _("Upload-Checksum không hợp lệ.")) from None


def _read_body(request: Request, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of the body, and whether the whole declared body arrived (a phone
    that loses its connection mid-request leaves a prefix worth keeping)."""
    declared = (
        _header_int(request, "Content-Length") if request.headers.get("Content-Length") else None
    )
    if declared is not None and declared > limit:
        raise ApiError(
            "chunk_past_end",
            _("Phần gửi lên vượt quá độ dài tệp đã khai báo."),
            fields={"Content-Length": [str(declared)]},
        )
    parts: list[bytes] = []
    got = 0
    stream = request._request  # the raw WSGI body: DRF's parsers are not involved
    try:
        while got < (declared if declared is not None else limit + 1):
            piece = stream.read(min(64 * 1024, (declared or limit + 1) - got))
            if not piece:
                break
            parts.append(piece)
            got += len(piece)
    except OSError:
        pass  # the client went away: keep what arrived
    data = b"".join(parts)
    if declared is None and len(data) > limit:
        raise ApiError("chunk_past_end", _("Phần gửi lên vượt quá độ dài tệp đã khai báo."))
    return data, declared is None or len(data) == declared


class TusApi(UploadApi):
    """Protocol headers on every answer, errors included; OPTIONS open for discovery."""

    def check_permissions(self, request: Request) -> None:
        if request.method != "OPTIONS":
            super().check_permissions(request)

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != TUS_VERSION:
            raise ApiError(
                "tus_version_unsupported",
                _("Phiên bản giao thức tus không được hỗ trợ (cần %(v)s).") % {"v": TUS_VERSION},
                status_code=412,
                fields={"Tus-Resumable": [TUS_VERSION]},
            )

    def finalize_response(self, request: Request, response: Response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Tus-Resumable"] = TUS_VERSION
        if response.status_code in (412, 204) or request.method == "OPTIONS":
            response["Tus-Version"] = TUS_VERSION
        if response.status_code == 460:
            response.reason_phrase = "Checksum Mismatch"
        return response

    def options(self, request: Request, *args, **kwargs) -> Response:
        response = Response(status=204)
        response["Tus-Extension"] = TUS_EXTENSIONS
        response["Tus-Max-Size"] = str(settings.PHOTO_MAX_BYTES)
        response["Tus-Checksum-Algorithm"] = ",".join(photo_uploads.CHECKSUM_ALGORITHMS)
        return response


def _state_headers(response: Response, upload: PhotoUpload) -> Response:
    response["Upload-Offset"] = str(upload.received)
    response["Upload-Expires"] = format_datetime(upload.expires_at, usegmt=True)
    response["Cache-Control"] = "no-store"
    return response


TUS_HEADER = OpenApiParameter(
    "Tus-Resumable", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True, enum=[TUS_VERSION]
)


class PhotoUploadCreateApi(TusApi):
    @extend_schema(
        tags=TAG,
        operation_id="inspections_photo_uploads_create",
        summary="Start a resumable photo upload (tus 1.0 creation)",
        description=(
            "tus 1.0 with the extensions creation, checksum (sha1, sha256), termination and "
            "expiration; any tus client works (send `Authorization: Bearer …`). `Upload-Length` "
            "is the file size (at most `Tus-Max-Size`); `Upload-Metadata` may carry `sha256` "
            "(hex, checked when the upload completes), `filetype` and `filename`. The answer's "
            "`Location` is the upload URL. When the last byte arrives the file is checked "
            "(SHA-256, real JPEG/PNG/WebP, pixel limit) and stored; then `POST …/photos/` "
            "with its `sha256` and no file attaches it. After submission only a photo the "
            "record already holds may be sent again (409 `invalid_state` otherwise)."
        ),
        parameters=[
            TUS_HEADER,
            OpenApiParameter(
                "Upload-Length", OpenApiTypes.INT, OpenApiParameter.HEADER, required=True
            ),
            OpenApiParameter("Upload-Metadata", OpenApiTypes.STR, OpenApiParameter.HEADER),
        ],
        request=None,
        responses={
            201: OpenApiResponse(description="Created; `Location` is the upload URL."),
            413: OpenApiResponse(ErrorSerializer, description="File too large."),
            **error_responses(400, 401, 403, 404, 412, 429),
            **CONFLICT,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        length = _header_int(request, "Upload-Length")
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        inspection = access.access_inspection(request.user, pk, write=True)
        upload = photo_uploads.create_upload(
            user=request.user, inspection=inspection, length=length, metadata=metadata
        )
        response = _state_headers(Response(status=201), upload)
        response["Location"] = request.build_absolute_uri(
            reverse("api:inspection-photo-upload", args=[inspection.pk, upload.token])
        )
        return response


class PhotoUploadApi(TusApi):
    def _upload(self, request: Request, pk: int, token) -> PhotoUpload:
        inspection = access.access_inspection(request.user, pk, write=True)
        return photo_uploads.upload_for(user=request.user, inspection=inspection, token=token)

    @extend_schema(
        tags=TAG,
        operation_id="inspections_photo_uploads_offset",
        summary="How many bytes of a resumable upload the server has (tus HEAD)",
        parameters=[TUS_HEADER],
        responses={
            200: OpenApiResponse(description="`Upload-Offset`, `Upload-Length`."),
            **error_responses(401, 403, 404, 412),
        },
    )
    def head(self, request: Request, pk: int, token) -> Response:
        upload = self._upload(request, pk, token)
        response = _state_headers(Response(status=200), upload)
        response["Upload-Length"] = str(upload.size)
        return response

    @extend_schema(
        tags=TAG,
        operation_id="inspections_photo_uploads_append",
        summary="Append bytes at Upload-Offset (tus PATCH)",
        description=(
            "Body `application/offset+octet-stream`. Bytes the server already has, sent again "
            "unchanged, are a success (a lost reply), also after submission; anything else at "
            "the wrong offset is 409. `Upload-Checksum: sha256 <base64>` (or sha1) is checked: "
            "460 when it does not match, nothing is stored."
        ),
        parameters=[
            TUS_HEADER,
            OpenApiParameter(
                "Upload-Offset", OpenApiTypes.INT, OpenApiParameter.HEADER, required=True
            ),
            OpenApiParameter("Upload-Checksum", OpenApiTypes.STR, OpenApiParameter.HEADER),
        ],
        request={OFFSET_STREAM: OpenApiTypes.BINARY},
        responses={
            204: OpenApiResponse(description="Stored; `Upload-Offset` is the new offset."),
            460: OpenApiResponse(ErrorSerializer, description="Checksum mismatch."),
            **error_responses(400, 401, 403, 404, 412, 429),
            **CONFLICT,
        },
    )
    def patch(self, request: Request, pk: int, token) -> Response:
        if request.content_type.split(";")[0].strip() != OFFSET_STREAM:
            raise ApiError(
                "unsupported_media_type",
                _("Nội dung phải có kiểu %(type)s.") % {"type": OFFSET_STREAM},
                status_code=415,
            )
        offset = _header_int(request, "Upload-Offset")
        checksum = _checksum(request)
        upload = self._upload(request, pk, token)
        data, whole = _read_body(request, max(upload.size - offset, 0))
        if not whole and checksum is not None:
            # A cut-off body cannot be checked against the checksum of the whole.
            checksum = None
            data = b""
        upload = photo_uploads.append(upload=upload, offset=offset, data=data, checksum=checksum)
        return _state_headers(Response(status=204), upload)

    @extend_schema(
        tags=TAG,
        operation_id="inspections_photo_uploads_terminate",
        summary="Abandon a resumable upload (tus termination)",
        parameters=[TUS_HEADER],
        request=None,
        responses={
            204: OpenApiResponse(description="Deleted."),
            **error_responses(401, 403, 404, 412),
        },
    )
    def delete(self, request: Request, pk: int, token) -> Response:
        photo_uploads.terminate(upload=self._upload(request, pk, token))
        return Response(status=204)
