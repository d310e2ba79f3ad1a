"""Resumable photo uploads: receive chunks in order, resume after a lost response, finish once.

Protocol (the app's side):
1. ``GET …/photo-uploads/<sha256>/`` — how many bytes the server has (0 for a new upload;
   ``complete`` when it already has the photo, then there is nothing to send).
2. ``PUT …/photo-uploads/<sha256>/`` with ``Upload-Offset`` = that number and
   ``Upload-Length`` = the file size, body = the next chunk; repeat until ``complete``.
   A chunk the server already has is a success that changes nothing; any other offset is a
   409 carrying the server's state.
3. ``POST …/photos/`` with the sha256 and the metadata, without the file: the bytes are there.

The bytes are checked once complete (SHA-256, real image, pixel limit); a failed check deletes
the upload so the phone starts again rather than resuming a corrupt file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspections.models import Inspection, PhotoBlob, PhotoUpload, PhotoUploadChunk

from .errors import Conflict, Invalid, ServiceError, TooLarge
from .evidence import blob_from_bytes
from .inspection_state import require_open, require_write

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadState:
    sha256: str
    size: int | None
    received: int
    complete: bool


def upload_state(*, user: User, inspection: Inspection, sha256: str) -> UploadState:
    """Where an upload stands; finishes one whose last chunk arrived but was never assembled
    (the request that carried it died)."""
    require_write(user, inspection)
    sha256 = sha256.lower()
    if blob := PhotoBlob.objects.filter(sha256=sha256).first():
        return UploadState(sha256, blob.size, blob.size, True)
    upload = PhotoUpload.objects.filter(user=user, sha256=sha256).first()
    if upload is None:
        return UploadState(sha256, None, 0, False)
    if upload.received == upload.size:
        return _finish(upload)
    return _state(upload)


def receive_chunk(
    *, user: User, inspection: Inspection, sha256: str, offset: int, total: int, data: bytes
) -> UploadState:
    require_write(user, inspection)
    require_open(inspection)
    sha256 = sha256.lower()
    if blob := PhotoBlob.objects.filter(sha256=sha256).first():
        return UploadState(sha256, blob.size, blob.size, True)
    _check_sizes(offset, total, data)
    upload = _open_upload(user, inspection, sha256, total)
    with transaction.atomic():
        try:
            upload = PhotoUpload.objects.select_for_update().get(pk=upload.pk)
        except PhotoUpload.DoesNotExist:
            # A racing request finished (or discarded) it between our two reads.
            if blob := PhotoBlob.objects.filter(sha256=sha256).first():
                return UploadState(sha256, blob.size, blob.size, True)
            upload = _open_upload(user, inspection, sha256, total)
            upload = PhotoUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.size != total:
            raise Invalid(
                "upload_length_mismatch",
                _("Độ dài tệp khác với lần gửi trước (%(size)s byte).") % {"size": upload.size},
                fields={"Upload-Length": [str(upload.size)]},
            )
        already_have = offset + len(data) <= upload.received  # its response was lost
        if not already_have and offset != upload.received:
            raise Conflict(
                "upload_offset_mismatch",
                _("Máy chủ đã nhận %(received)s byte; hãy gửi tiếp từ vị trí đó.")
                % {"received": upload.received},
                current=_state(upload),
                fields={"Upload-Offset": [str(upload.received)]},
            )
        if not already_have:
            PhotoUploadChunk.objects.create(upload=upload, offset=offset, data=data)
            upload.received += len(data)
            upload.save(update_fields=["received", "updated_at"])
    if upload.received < upload.size:
        return _state(upload)
    return _finish(upload)


def purge_stale_uploads(*, now: datetime | None = None) -> int:
    """Delete unfinished uploads untouched for ``PHOTO_UPLOAD_KEEP_DAYS`` (their chunks go too)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PHOTO_UPLOAD_KEEP_DAYS)
    deleted, _by_model = PhotoUpload.objects.filter(updated_at__lt=cutoff).delete()
    return deleted


def _check_sizes(offset: int, total: int, data: bytes) -> None:
    if total > settings.PHOTO_MAX_BYTES:
        raise TooLarge(
            "photo_too_large",
            _("Ảnh vượt quá %(mb)s MB.") % {"mb": settings.PHOTO_MAX_BYTES // (1024 * 1024)},
            fields={"Upload-Length": [_("Tệp quá lớn.")]},
        )
    if len(data) > settings.PHOTO_CHUNK_MAX_BYTES:
        raise TooLarge(
            "chunk_too_large",
            _("Mỗi phần tối đa %(kb)s KB.") % {"kb": settings.PHOTO_CHUNK_MAX_BYTES // 1024},
        )
    if not data:
        raise Invalid("chunk_empty", _("Phần gửi lên không có dữ liệu."))
    if offset + len(data) > total:
        raise Invalid(
            "chunk_past_end",
            _("Phần gửi lên vượt quá độ dài tệp đã khai báo."),
            fields={"Upload-Offset": [str(offset)], "Upload-Length": [str(total)]},
        )


def _open_upload(user: User, inspection: Inspection, sha256: str, total: int) -> PhotoUpload:
    upload = PhotoUpload.objects.filter(user=user, sha256=sha256).first()
    if upload is not None:
        return upload
    try:
        with transaction.atomic():
            return PhotoUpload.objects.create(
                user=user, inspection=inspection, sha256=sha256, size=total
            )
    except IntegrityError:
        # Two first chunks raced: the other request opened it.
        return PhotoUpload.objects.get(user=user, sha256=sha256)


def _finish(upload: PhotoUpload) -> UploadState:
    data = b"".join(
        bytes(chunk)
        for chunk in PhotoUploadChunk.objects.filter(upload=upload)
        .order_by("offset")
        .values_list("data", flat=True)
    )
    try:
        blob = blob_from_bytes(
            upload.sha256, data, existing=PhotoBlob.objects.filter(sha256=upload.sha256).first()
        )
    except ServiceError:
        # Corrupt or not an image: resuming cannot fix it, so the phone starts again.
        upload.delete()
        raise
    PhotoUpload.objects.filter(pk=upload.pk).delete()
    return UploadState(upload.sha256, blob.size, blob.size, True)


def _state(upload: PhotoUpload) -> UploadState:
    # Complete means the photo is stored, not merely that every byte arrived.
    return UploadState(upload.sha256, upload.size, upload.received, False)
