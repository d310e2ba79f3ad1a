"""Corrections a superuser makes in the admin to an open inspection and its findings.

The phones learn of any change by the inspection's version, so a correction locks the
inspection, writes, and bumps the version like every other service; a submitted or signed
record is never corrected (its PDF is the record).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from inspections.models import Finding, Inspection

from .errors import Conflict, Invalid
from .inspection_state import bump, lock

INSPECTION_FIELDS = ("place", "scheduled_for", "recommendations")
FINDING_FIELDS = (
    "description",
    "severity",
    "remediation_deadline",
    "item",
    "answer",
    "requirement",
    "reinspection",
    "remediation_note",
    "verification_note",
)


def _check(user: User, changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    if not user.is_superuser:
        raise PermissionDenied
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        message = _("Không sửa được các trường này.")
        raise Invalid("not_editable", message, fields={n: [message] for n in unknown})


def _require_open(inspection: Inspection) -> None:
    if inspection.state not in (Inspection.State.SCHEDULED, Inspection.State.IN_PROGRESS):
        raise Conflict(
            "record_closed",
            _("Đợt kiểm tra đã nộp hoặc đã kết thúc: không sửa được biên bản."),
            current=inspection,
        )


def correct_inspection(
    *, user: User, inspection: Inspection, changes: dict[str, Any]
) -> Inspection:
    """Place, date or recommendations of an open inspection."""
    _check(user, changes, INSPECTION_FIELDS)
    with transaction.atomic():
        locked = lock(inspection)
        _require_open(locked)
        if changes:
            bump(locked, **changes)
    return locked


def correct_finding(*, user: User, finding: Finding, changes: dict[str, Any]) -> Finding:
    """What a finding says (not its status: that moves only through remediation)."""
    _check(user, changes, FINDING_FIELDS)
    with transaction.atomic():
        inspection = lock(finding.inspection)
        _require_open(inspection)
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if changes:
            for name, value in changes.items():
                setattr(locked, name, value)
            locked.save(update_fields=[*changes, "updated_at"])
            bump(inspection)
    return locked
