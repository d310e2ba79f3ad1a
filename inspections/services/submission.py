"""Submitting an inspection: the record is complete, numbered and queued for signing once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspections.models import (
    Answer,
    Inspection,
    InspectionItem,
    Signature,
)
from inspections.services.numbering import assign_record_number
from inspections.services.obligations import refresh_obligations
from inspections.services.reports import queue_report

from .errors import Conflict, Invalid
from .inspection_state import (
    State,
    check_version,
    content_hash,
    lock,
    require_open,
    require_write,
    transition,
)


def required_signature_roles(inspection: Inspection) -> tuple[str, ...]:
    if inspection.kind == Inspection.Kind.SELF and inspection.authority_id is None:
        return (Signature.Role.FACILITY_HEAD,)
    return (Signature.Role.INSPECTOR, Signature.Role.REPRESENTATIVE)


def unanswered_required_items(inspection: Inspection) -> list[InspectionItem]:
    return list(
        InspectionItem.objects.filter(inspection=inspection, required=True)
        .exclude(
            pk__in=Answer.objects.filter(inspection=inspection)
            .exclude(value="", number_value__isnull=True, note="")
            .values("item_id")
        )
        .order_by("order")
    )


def submit_inspection(
    *,
    user: User,
    inspection: Inspection,
    version: int,
    recommendations: str = "",
    representative_name: str = "",
    representative_position: str = "",
    ended_at: datetime | None = None,
    representative_comments: str = "",
    refusal_reason: str = "",
    copies: int | None = None,
) -> tuple[Inspection, bool]:
    """in progress → submitted, and queue the signed record. The same submission again is a
    success that changes nothing; a different one after submission is a 409.

    ``refusal_reason``: the inspected party will not sign (Decree 105 Art. 14.3.d); the minutes
    then carry the reason instead of the representative's signature.
    """
    require_write(user, inspection)
    refusal_reason = refusal_reason.strip()
    with transaction.atomic():
        locked = lock(inspection)
        signatures = {s.role: s.sha256 for s in Signature.objects.filter(inspection=locked)}
        digest = _submission_digest(
            signatures,
            recommendations=recommendations,
            representative_name=representative_name,
            representative_position=representative_position,
            ended_at=ended_at,
            representative_comments=representative_comments,
            refusal_reason=refusal_reason,
            copies=copies,
        )
        if locked.state in (State.SUBMITTED, State.SIGNED):
            if locked.submission_hash == digest:
                return locked, False
            raise Conflict(
                "already_submitted",
                _("Đợt kiểm tra đã được nộp với nội dung khác."),
                current=locked,
            )
        check_version(locked, version)
        require_open(locked)
        fields = _incomplete_fields(
            locked,
            signatures,
            refusal_reason=refusal_reason,
            representative_name=representative_name,
        )
        if fields:
            raise Invalid("incomplete", _("Biên bản chưa đủ thông tin để nộp."), fields=fields)
        transition(
            locked,
            State.SUBMITTED,
            recommendations=recommendations,
            representative_name=representative_name,
            representative_position=representative_position,
            representative_comments=representative_comments,
            representative_refusal_reason=refusal_reason,
            copies=copies,
            ended_at=ended_at or timezone.now(),
            submitted_at=timezone.now(),
            submission_hash=digest,
            number=assign_record_number(locked),
        )
        # The record is final: the premises' obligations must reflect it when the head looks.
        refresh_obligations(locked.premises)
        # Rendering and signing the PDF runs in a worker once this transaction commits.
        queue_report(locked)
    return locked, True


def _submission_digest(
    signatures: dict[str, str],
    *,
    recommendations: str,
    representative_name: str,
    representative_position: str,
    ended_at: datetime | None,
    representative_comments: str,
    refusal_reason: str,
    copies: int | None,
) -> str:
    """The hash a repeated submission is recognised by (the same content: the same hash)."""
    submitted: dict[str, Any] = {
        "recommendations": recommendations,
        "representative_name": representative_name,
        "representative_position": representative_position,
        "ended_at": ended_at,
        "signatures": signatures,
    }
    # Only when given, so submissions hashed before these fields existed still replay.
    extra = {
        "representative_comments": representative_comments,
        "refusal_reason": refusal_reason,
        "copies": copies,
    }
    submitted.update({k: v for k, v in extra.items() if v})
    return content_hash(submitted)


def _incomplete_fields(
    locked: Inspection,
    signatures: dict[str, str],
    *,
    refusal_reason: str,
    representative_name: str,
) -> dict[str, Any]:
    """What the record still lacks before it may be submitted, by field (empty: complete)."""
    fields: dict[str, Any] = {}
    required = required_signature_roles(locked)
    if refusal_reason and locked.authority_id is not None:
        required = tuple(r for r in required if r != Signature.Role.REPRESENTATIVE)
    missing_roles = [r for r in required if r not in signatures]
    if missing_roles:
        fields["signatures"] = [
            _("Thiếu chữ ký: %(roles)s")
            % {"roles": ", ".join(str(Signature.Role(r).label) for r in missing_roles)}
        ]
    if missing := unanswered_required_items(locked):
        fields["items"] = [f"{i.pk}:{i.code}" for i in missing]
    if locked.authority_id is not None and not representative_name:
        fields["representative_name"] = [_("Trường này là bắt buộc.")]
    return fields
