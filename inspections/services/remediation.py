"""Remediation of findings: the facility head uploads evidence and reports the finding
remediated; the authority confirms it (closed) or sends it back (open again, with its reason)."""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.models import Finding, FindingEvidence
from inspections.rules.documents import DocumentRejected, inspect_pdf
from inspections.rules.images import ImageRejected, inspect_image

from . import rollups
from .errors import Conflict, Invalid, TooLarge

logger = logging.getLogger(__name__)

EVIDENCE_MAX_PIXELS = 40_000_000
_IMAGE_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
# Statuses that take evidence: those the transition table can still move.
ANSWERABLE = tuple(s for s, onward in Finding.TRANSITIONS.items() if onward)


def _sniff(data: bytes) -> tuple[str, str]:
    """The checked type and extension; never the name or the browser's type."""
    if data.startswith(b"%PDF-"):
        try:
            inspect_pdf(data)
        except DocumentRejected as exc:
            raise Invalid(
                "evidence_type",
                _("Tệp PDF không đọc được, có mật khẩu hoặc chứa mã chạy tự động."),
                fields={"file": [str(exc)]},
            ) from exc
        return "application/pdf", "pdf"
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
    if not finding.takes_evidence:
        raise Conflict("finding_closed", _("Vi phạm này đã được xác nhận hoặc đã rút."))
    if not data:
        raise Invalid("evidence_empty", _("Tệp trống."), fields={"file": [_("Tệp trống.")]})
    if len(data) > settings.EVIDENCE_MAX_BYTES:
        msg = _("Tệp lớn hơn %(mb)d MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
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
    # A random stored name: the hash is shown to users, it must never locate the file.
    evidence.file.save(f"{secrets.token_hex(16)}.{ext}", ContentFile(data), save=False)
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
        if (
            locked.status == Finding.Status.CLOSED
            and locked.remediated_at is not None
            and locked.remediation_note == note
        ):
            # The same report arriving late, after the authority already closed the finding.
            return locked
        if not locked.can_move_to(Finding.Status.REMEDIATED):
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
        rollups.premises_changed([locked.premises_id])
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
        if not locked.can_move_to(target):
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
        rollups.premises_changed([locked.premises_id])
        _tell_heads(locked, accepted=accepted)
    return locked


def _tell_heads(finding: Finding, *, accepted: bool) -> None:
    """Record the heads' notice with the decision (same transaction) and send it after commit;
    a lost send task is picked up by the reminder sweep like any pending row."""
    from inspections.queue import enqueue
    from inspections.rules.reminders.findings import remediation_decision_notice

    from . import notifications

    inspection = finding.inspection
    if inspection.authority_id is None:
        return  # a self-inspection: the head decided it themselves
    notice = remediation_decision_notice(
        finding_id=finding.pk,
        premises_id=finding.premises_id,
        premises_name=finding.premises.name,
        description=finding.description,
        head_ids=finding.premises.heads.values_list("pk", flat=True),
        authority_name=inspection.authority.name,
        accepted=accepted,
        note=finding.verification_note,
        decided_at_key=finding.verified_at.strftime("%Y%m%dT%H%M%S"),
        decided_on=timezone.localdate(finding.verified_at),
        deadline=finding.remediation_deadline,
    )
    if notice is None:
        return
    rows, suppressed = notifications.rows_for([notice], webhooks_by_authority={})
    to_send = notifications.record(rows, suppressed=suppressed).to_send

    def queue_notices() -> None:
        try:
            for pk in to_send:
                enqueue("inspections.tasks.send_notification", pk)
        except Exception:
            # The decision is committed; the pending rows go out with the next reminder sweep.
            logger.exception("could not queue the remediation notice")

    transaction.on_commit(queue_notices)
