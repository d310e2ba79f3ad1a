"""Remediation of findings: the facility head uploads evidence and reports the finding
remediated; the authority confirms it (closed) or sends it back (open again, with its reason)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from inspections.models import Finding, FindingEvidence
from inspections.rules.images import ImageRejected, inspect_image

from .errors import Conflict, Invalid, TooLarge

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_PIXELS = 40_000_000
# Documents are recognised by their first bytes, never by the name or the browser's type.
_DOCUMENT_MAGIC = {
    b"%PDF-": ("application/pdf", "pdf"),
}
_IMAGE_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
ANSWERABLE = (Finding.Status.OPEN, Finding.Status.REMEDIATED)


def _sniff(data: bytes) -> tuple[str, str]:
    for magic, kind in _DOCUMENT_MAGIC.items():
        if data.startswith(magic):
            return kind
    try:
        info = inspect_image(data, max_pixels=EVIDENCE_MAX_PIXELS)
    except ImageRejected as exc:
        raise Invalid(
            "evidence_type",
            _("Chỉ chấp nhận ảnh (JPEG, PNG, WebP) hoặc tài liệu PDF."),
            fields={"file": [str(exc)]},
        ) from exc
    return info.content_type, _IMAGE_EXT[info.content_type]


def add_finding_evidence(
    *, user: User, finding: Finding, data: bytes, original_name: str, note: str = ""
) -> FindingEvidence:
    """Store one photo or PDF as evidence; refused when too big, of another type, or closed."""
    if not access.can_remediate_finding(user, finding):
        raise PermissionDenied
    if finding.status not in ANSWERABLE:
        raise Conflict("finding_closed", _("Vi phạm này đã được xác nhận hoặc đã rút."))
    if not data:
        raise Invalid("evidence_empty", _("Tệp trống."), fields={"file": [_("Tệp trống.")]})
    if len(data) > EVIDENCE_MAX_BYTES:
        msg = _("Tệp lớn hơn %(mb)d MB.") % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}
        raise TooLarge("evidence_too_large", msg, fields={"file": [msg]})
    content_type, ext = _sniff(data)
    sha256 = hashlib.sha256(data).hexdigest()
    evidence = FindingEvidence(
        finding=finding,
        sha256=sha256,
        original_name=original_name[:255],
        content_type=content_type,
        note=note,
        uploaded_by=user,
    )
    evidence.file.save(f"{sha256}.{ext}", ContentFile(data), save=False)
    evidence.save()
    return evidence


def mark_finding_remediated(*, user: User, finding: Finding, note: str = "") -> Finding:
    """open → remediated (awaiting verification by the authority); needs at least one evidence."""
    if not access.can_remediate_finding(user, finding):
        raise PermissionDenied
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if locked.status == Finding.Status.REMEDIATED:
            return locked
        if locked.status != Finding.Status.OPEN:
            raise Conflict("finding_closed", _("Vi phạm này đã được xác nhận hoặc đã rút."))
        if not locked.evidence.exists():
            raise Invalid(
                "evidence_required",
                _("Cần tải lên ít nhất một ảnh hoặc tài liệu chứng minh đã khắc phục."),
            )
        locked.status = Finding.Status.REMEDIATED
        locked.remediated_at = timezone.now()
        locked.remediation_note = note
        locked.save(update_fields=["status", "remediated_at", "remediation_note", "updated_at"])
    return locked


def verify_remediation(*, user: User, finding: Finding, accepted: bool, note: str = "") -> Finding:
    """remediated → closed (accepted) or → open (not accepted; the note says what is missing).

    Repeating the same decision is a success that changes nothing (a double click, a retry).
    """
    if not access.can_verify_remediation(user, finding):
        raise PermissionDenied
    note = note.strip()
    if not accepted and not note:
        raise Invalid(
            "note_required",
            _("Ghi rõ vì sao chưa đạt để cơ sở biết cần khắc phục thêm gì."),
            fields={"note": [_("Bắt buộc khi chưa xác nhận khắc phục.")]},
        )
    target = Finding.Status.CLOSED if accepted else Finding.Status.OPEN
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if locked.status == target and locked.verified_by_id == user.pk:
            return locked
        if locked.status != Finding.Status.REMEDIATED:
            raise Conflict(
                "finding_not_remediated",
                _("Chỉ xác nhận được vi phạm mà cơ sở đã báo khắc phục."),
            )
        now = timezone.now()
        locked.status = target
        locked.closed_at = now if accepted else None
        locked.verified_by = user
        locked.verified_at = now
        locked.verification_note = note
        locked.save(
            update_fields=[
                "status",
                "closed_at",
                "verified_by",
                "verified_at",
                "verification_note",
                "updated_at",
            ]
        )
    return locked
