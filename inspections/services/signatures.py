"""Drawn signatures (PNG) on an inspection record, one per role."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.models import Inspection, Signature
from inspections.rules.images import ImageRejected, inspect_image

from .errors import Conflict, Invalid, TooLarge
from .inspection_state import bump, content_hash, lock, require_open, require_write


def signature_hash(*, role: str, signer_name: str, position: str, sha256: str) -> str:
    return content_hash(
        {"role": role, "signer_name": signer_name, "position": position, "sha256": sha256}
    )


def add_signature(
    *,
    user: User,
    inspection: Inspection,
    client_uuid: uuid.UUID,
    role: str,
    signer_name: str,
    image: bytes,
    position: str = "",
    signed_at: datetime | None = None,
) -> tuple[Signature, bool]:
    """A drawn signature (PNG), one per role."""
    require_write(user, inspection)
    sha256 = hashlib.sha256(image).hexdigest()
    digest = signature_hash(role=role, signer_name=signer_name, position=position, sha256=sha256)
    existing = (
        Signature.objects.filter(client_uuid=client_uuid).select_related("inspection").first()
    )
    if existing is not None:
        access.access_stored(user, existing)
        stored = signature_hash(
            role=existing.role,
            signer_name=existing.signer_name,
            position=existing.position,
            sha256=existing.sha256,
        )
        if existing.inspection_id == inspection.pk and stored == digest:
            return existing, False
        raise Conflict(
            "client_uuid_conflict",
            _("Mã client_uuid đã được dùng cho chữ ký khác."),
            current=existing if existing.inspection_id == inspection.pk else None,
        )
    if len(image) > settings.SIGNATURE_MAX_BYTES:
        raise TooLarge("signature_too_large", _("Ảnh chữ ký quá lớn."), fields={"image": []})
    try:
        inspect_image(image, max_pixels=settings.SIGNATURE_MAX_PIXELS, allowed=("PNG",))
    except ImageRejected as exc:
        raise Invalid(exc.code, str(exc), fields={"image": [str(exc)]}) from exc
    with transaction.atomic():
        locked = lock(inspection)
        require_open(locked)
        other = Signature.objects.filter(inspection=locked, role=role).first()
        if other is not None:
            raise Conflict(
                "signature_exists",
                _("Đợt kiểm tra đã có chữ ký cho vai trò này."),
                current=other,
            )
        signature = Signature(
            client_uuid=client_uuid,
            inspection=locked,
            role=role,
            signer_name=signer_name,
            position=position,
            sha256=sha256,
            signed_at=signed_at or timezone.now(),
        )
        signature.image.save(f"{sha256}.png", ContentFile(image), save=False)
        signature.save()
        bump(locked)
    return signature, True
