"""Photos of an inspection, their bytes stored once per content (SHA-256)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.models import (
    Answer,
    Finding,
    Inspection,
    InspectionItem,
    Photo,
    PhotoBlob,
    PhotoUpload,
)
from inspections.pdf.photos import print_ready_jpeg
from inspections.rules.images import ImageRejected, inspect_image

from .errors import Conflict, Invalid, TooLarge
from .inspection_state import bump, content_hash, lock, require_open, require_write, same_uuid


def photo_hash(
    *,
    sha256: str,
    item_id: int | None,
    finding_uuid: uuid.UUID | None,
    taken_at: datetime | None,
    latitude: Decimal | None,
    longitude: Decimal | None,
    caption: str,
) -> str:
    def coord(v: Decimal | None) -> Decimal | None:
        return None if v is None else Decimal(v).quantize(Decimal("0.000001"))

    return content_hash(
        {
            "sha256": sha256.lower(),
            "item": item_id,
            "finding": finding_uuid,
            "taken_at": taken_at,
            "latitude": coord(latitude),
            "longitude": coord(longitude),
            "caption": caption,
        }
    )


def add_photo(
    *,
    user: User,
    inspection: Inspection,
    client_uuid: uuid.UUID,
    sha256: str,
    data: bytes | None,
    item_id: int | None = None,
    finding_uuid: uuid.UUID | None = None,
    taken_at: datetime | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    caption: str = "",
) -> tuple[Photo, bool]:
    """Store a photo once per content; a resend after a lost response returns the stored one."""
    require_write(user, inspection)
    sha256 = sha256.lower()
    digest = photo_hash(
        sha256=sha256,
        item_id=item_id,
        finding_uuid=finding_uuid,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
        caption=caption,
    )
    if existing := same_uuid(Photo, client_uuid, digest, inspection, _("ảnh"), user=user):
        return existing, False
    blob = _photo_blob(user=user, sha256=sha256, data=data)
    with transaction.atomic():
        locked = lock(inspection)
        require_open(locked)
        item = _photo_item(locked, item_id)
        finding = _photo_finding(locked, finding_uuid)
        try:
            with transaction.atomic():
                photo = Photo.objects.create(
                    client_uuid=client_uuid,
                    inspection=locked,
                    blob=blob,
                    item=item,
                    answer=Answer.objects.filter(inspection=locked, item=item).first()
                    if item
                    else None,
                    finding=finding,
                    caption=caption,
                    taken_at=taken_at,
                    latitude=latitude,
                    longitude=longitude,
                    uploaded_by=user,
                    content_hash=digest,
                )
        except IntegrityError:
            existing = same_uuid(Photo, client_uuid, digest, inspection, _("ảnh"), user=user)
            if existing is None:
                raise
            return existing, False
        bump(locked)
    return photo, True


def _photo_blob(*, user: User, sha256: str, data: bytes | None) -> PhotoBlob:
    """The stored bytes of a photo: the upload's, or (metadata only) those already here."""
    blob = PhotoBlob.objects.filter(sha256=sha256).first()
    if data is None:
        # Metadata only: the bytes are already here (a resend, or the same picture attached
        # twice), so the phone need not upload them again.
        if blob is None or not may_attach_blob(user=user, blob=blob):
            # Whether someone else stored these bytes is not the caller's business.
            raise Invalid(
                "file_required",
                _("Máy chủ chưa có ảnh này; hãy gửi kèm tệp."),
                fields={"file": [_("Trường này là bắt buộc.")]},
            )
        return blob
    if len(data) > settings.PHOTO_MAX_BYTES:
        raise TooLarge(
            "photo_too_large",
            _("Ảnh vượt quá %(mb)s MB.") % {"mb": settings.PHOTO_MAX_BYTES // (1024 * 1024)},
            fields={"file": [_("Tệp quá lớn.")]},
        )
    return blob_from_bytes(sha256, data, existing=blob)


def _photo_item(locked: Inspection, item_id: int | None) -> InspectionItem | None:
    """The question a photo illustrates, which must belong to this inspection."""
    if item_id is None:
        return None
    item = InspectionItem.objects.filter(inspection=locked, pk=item_id).first()
    if item is None:
        raise Invalid(
            "invalid_item",
            _("Câu hỏi không thuộc đợt kiểm tra này."),
            fields={"item": [_("Câu hỏi không thuộc đợt kiểm tra này.")]},
        )
    return item


def _photo_finding(locked: Inspection, finding_uuid: uuid.UUID | None) -> Finding | None:
    """The finding a photo shows, which the phone must have sent first."""
    if finding_uuid is None:
        return None
    finding = Finding.objects.filter(inspection=locked, client_uuid=finding_uuid).first()
    if finding is None:
        raise Conflict(
            "depends_on_missing",
            _("Vi phạm chưa được gửi lên; hãy gửi vi phạm trước rồi thử lại."),
            fields={"finding": [_("Không tìm thấy.")]},
        )
    return finding


def may_attach_blob(*, user: User, blob: PhotoBlob) -> bool:
    """Stored bytes may be attached without sending them only by someone who sent them (a
    resumable upload) or who may already see a photo made of them; anyone else must send the
    file, which proves they have it."""
    if PhotoUpload.objects.filter(user=user, blob=blob).exists():
        return True
    return Photo.objects.filter(
        blob=blob, inspection__in=access.inspections_visible_to(user)
    ).exists()


def blob_from_bytes(sha256: str, data: bytes, *, existing: PhotoBlob | None = None) -> PhotoBlob:
    """The stored bytes for ``sha256``: checked against the hash and as a real image, then
    saved once (``existing`` when the server already has them)."""
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise Invalid(
            "sha256_mismatch",
            _("SHA-256 của tệp không khớp; tệp có thể bị hỏng khi truyền, hãy gửi lại."),
            fields={"sha256": [_("Giá trị tính được: %(v)s") % {"v": actual}]},
        )
    if existing is not None:
        return existing
    try:
        info = inspect_image(data, max_pixels=settings.PHOTO_MAX_PIXELS)
    except ImageRejected as exc:
        raise Invalid(exc.code, str(exc), fields={"file": [str(exc)]}) from exc
    return _store_blob(sha256, data, info)


def _store_blob(sha256: str, data: bytes, info: Any) -> PhotoBlob:
    # The bytes are stored as sent: EXIF (time, GPS, device) is part of the evidence.
    blob = PhotoBlob(
        sha256=sha256,
        content_type=info.content_type,
        size=len(data),
        width=info.width,
        height=info.height,
    )
    printable = print_ready_jpeg(data)
    try:
        with transaction.atomic():
            blob.file.save(f"{sha256}", ContentFile(data), save=False)
            blob.print_file.save(f"{sha256}.print.jpg", ContentFile(printable), save=False)
            blob.save()
    except IntegrityError:
        # A racing upload of the same bytes stored them first: keep theirs, drop our copy.
        blob.file.delete(save=False)
        blob.print_file.delete(save=False)
        return PhotoBlob.objects.get(sha256=sha256)
    return blob
