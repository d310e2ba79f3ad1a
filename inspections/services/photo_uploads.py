"""Resumable photo uploads with the tus 1.0 protocol (core, creation, checksum, termination,
expiration); the HTTP side is in ``api/photo_uploads.py``.

1. ``create_upload`` (tus POST): the phone declares the length and metadata (``sha256``,
   ``filetype``, ``filename``) and gets a token, which is its upload URL.
2. ``append`` (tus PATCH): bytes at the offset the server reported. Bytes the server already
   has, resent identically (a lost reply), are a success whatever happened since — even after
   the inspection was submitted; other bytes at a stored offset, or a gap, are a conflict.
3. When the last byte arrives the whole file is checked (declared SHA-256, real image, pixel
   limit) and becomes a ``PhotoBlob``; a failed check deletes the upload so the phone starts
   again rather than resuming a corrupt file. ``POST …/photos/`` then attaches it by SHA-256.

The completed upload row is kept until it expires: it is the proof that this user sent those
bytes (see ``photos.may_attach_blob``).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspections.models import Inspection, Photo, PhotoBlob, PhotoUpload, PhotoUploadChunk

from .errors import Conflict, Invalid, ServiceError, TooLarge
from .inspection_state import require_open, require_write
from .photos import blob_from_bytes

logger = logging.getLogger(__name__)

CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}


class ChecksumMismatch(ServiceError):
    """tus checksum extension: the bytes of this request do not match ``Upload-Checksum``."""

    status = 460


class Gone(ServiceError):
    """tus expiration extension: the upload expired and its bytes were (or will be) deleted."""

    status = 410


def create_upload(
    *, user: User, inspection: Inspection, length: int, metadata: dict[str, str]
) -> PhotoUpload:
    require_write(user, inspection)
    if length > settings.PHOTO_MAX_BYTES:
        raise TooLarge(
            "photo_too_large",
            _("Ảnh vượt quá %(mb)s MB.") % {"mb": settings.PHOTO_MAX_BYTES // (1024 * 1024)},
            fields={"Upload-Length": [_("Tệp quá lớn.")]},
        )
    if length < 1:
        raise Invalid("chunk_empty", _("Phần gửi lên không có dữ liệu."))
    sha256 = metadata.get("sha256", "").lower()
    if sha256 and (len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256)):
        raise Invalid(
            "invalid_sha256",
            _("SHA-256 phải gồm 64 ký tự hexa."),
            fields={"Upload-Metadata": [_("Phải gồm 64 ký tự hexa.")]},
        )
    if not inspection.is_open_for_work and not (
        sha256 and Photo.objects.filter(inspection=inspection, blob__sha256=sha256).exists()
    ):
        # After submission only a late resend of a photo the record already holds is accepted.
        require_open(inspection)
    return PhotoUpload.objects.create(
        user=user,
        inspection=inspection,
        sha256=sha256,
        metadata=metadata,
        size=length,
        expires_at=_expiry(),
    )


def upload_for(*, user: User, inspection: Inspection, token: str) -> PhotoUpload:
    """The caller's own upload; anyone else's (or an unknown token) is a 404."""
    require_write(user, inspection)
    upload = PhotoUpload.objects.filter(token=token, user=user, inspection=inspection).first()
    if upload is None:
        raise Http404
    if upload.expires_at <= timezone.now() and not upload.is_complete:
        raise Gone("upload_expired", _("Phiên tải lên đã hết hạn; hãy tải lại ảnh từ đầu."))
    if upload.received == upload.size and not upload.is_complete:
        # The request that carried the last byte died before the check: finish it now.
        _finish(upload)
        upload.refresh_from_db()
    return upload


def append(
    *,
    upload: PhotoUpload,
    offset: int,
    data: bytes,
    checksum: tuple[str, bytes] | None = None,
) -> PhotoUpload:
    """Append ``data`` at ``offset``; returns the upload with its new offset."""
    if checksum is not None:
        algorithm, expected = checksum
        if CHECKSUM_ALGORITHMS[algorithm](data).digest() != expected:
            raise ChecksumMismatch(
                "checksum_mismatch",
                _("Tổng kiểm tra của phần gửi lên không khớp; hãy gửi lại phần này."),
            )
    with transaction.atomic():
        upload = PhotoUpload.objects.select_for_update().get(pk=upload.pk)
        end = offset + len(data)
        if offset < upload.received:
            # A resend of bytes the server has (its reply was lost): a success if identical.
            if end <= upload.received and _stored_bytes(upload, offset, end) == data:
                return upload
            raise Conflict(
                "upload_offset_mismatch",
                _("Máy chủ đã nhận %(received)s byte; hãy gửi tiếp từ vị trí đó.")
                % {"received": upload.received},
                fields={"Upload-Offset": [str(upload.received)]},
            )
        if offset > upload.received:
            raise Conflict(
                "upload_offset_mismatch",
                _("Máy chủ đã nhận %(received)s byte; hãy gửi tiếp từ vị trí đó.")
                % {"received": upload.received},
                fields={"Upload-Offset": [str(upload.received)]},
            )
        if end > upload.size:
            raise Invalid(
                "chunk_past_end",
                _("Phần gửi lên vượt quá độ dài tệp đã khai báo."),
                fields={"Upload-Offset": [str(offset)], "Upload-Length": [str(upload.size)]},
            )
        if not data:
            return upload
        piece = settings.PHOTO_CHUNK_MAX_BYTES
        PhotoUploadChunk.objects.bulk_create(
            PhotoUploadChunk(upload=upload, offset=offset + i, data=data[i : i + piece])
            for i in range(0, len(data), piece)
        )
        upload.received = end
        upload.expires_at = _expiry()
        upload.save(update_fields=["received", "expires_at", "updated_at"])
    if upload.received == upload.size:
        _finish(upload)
        upload.refresh_from_db()
    return upload


def terminate(*, upload: PhotoUpload) -> None:
    """tus termination: the phone gave up on this upload; its bytes are deleted."""
    upload.delete()


def purge_stale_uploads(*, now: datetime | None = None) -> int:
    """Delete uploads past their expiry (unfinished ones lose their bytes)."""
    deleted, _by_model = PhotoUpload.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


def _expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.PHOTO_UPLOAD_KEEP_DAYS)


def _stored_bytes(upload: PhotoUpload, start: int, end: int) -> bytes:
    chunks = PhotoUploadChunk.objects.filter(upload=upload, offset__lt=end).order_by("offset")
    if upload.is_complete:
        with upload.blob.file.open("rb") as f:
            f.seek(start)
            return f.read(end - start)
    data = b"".join(bytes(c) for c in chunks.values_list("data", flat=True))
    return data[start:end]


def _finish(upload: PhotoUpload) -> None:
    data = b"".join(
        bytes(chunk)
        for chunk in PhotoUploadChunk.objects.filter(upload=upload)
        .order_by("offset")
        .values_list("data", flat=True)
    )
    actual = hashlib.sha256(data).hexdigest()
    try:
        if upload.sha256 and upload.sha256 != actual:
            raise Invalid(
                "sha256_mismatch",
                _("SHA-256 của tệp không khớp; tệp có thể bị hỏng khi truyền, hãy gửi lại."),
                fields={"sha256": [_("Giá trị tính được: %(v)s") % {"v": actual}]},
            )
        blob = blob_from_bytes(
            actual, data, existing=PhotoBlob.objects.filter(sha256=actual).first()
        )
    except ServiceError:
        # Corrupt or not an image: resuming cannot fix it, so the phone starts again.
        upload.delete()
        raise
    with transaction.atomic():
        PhotoUpload.objects.filter(pk=upload.pk).update(
            blob=blob, sha256=actual, completed_at=timezone.now(), expires_at=_expiry()
        )
        PhotoUploadChunk.objects.filter(upload=upload).delete()
