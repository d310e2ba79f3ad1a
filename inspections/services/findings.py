"""Findings raised during an inspection, idempotent by client UUID."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from inspections.models import Answer, Finding, Inspection, InspectionItem, Requirement

from . import rollups
from .errors import Invalid
from .inspection_state import bump, content_hash, lock, require_open, require_write, same_uuid


def finding_hash(
    *,
    item_id: int | None,
    requirement_id: int | None,
    description: str,
    severity: str,
    remediation_deadline: date | None,
) -> str:
    return content_hash(
        {
            "item": item_id,
            "requirement": requirement_id,
            "description": description,
            "severity": severity,
            "remediation_deadline": remediation_deadline,
        }
    )


def raise_finding(
    *,
    user: User,
    inspection: Inspection,
    client_uuid: uuid.UUID,
    description: str,
    item_id: int | None = None,
    requirement_id: int | None = None,
    severity: str = "",
    remediation_deadline: date | None = None,
) -> tuple[Finding, bool]:
    """A violation found during the inspection, usually on a non-compliant item."""
    require_write(user, inspection)
    digest = finding_hash(
        item_id=item_id,
        requirement_id=requirement_id,
        description=description,
        severity=severity,
        remediation_deadline=remediation_deadline,
    )
    if existing := same_uuid(Finding, client_uuid, digest, inspection, _("vi phạm"), user=user):
        return existing, False
    with transaction.atomic():
        locked = lock(inspection)
        require_open(locked)
        item = None
        if item_id is not None:
            item = InspectionItem.objects.filter(inspection=locked, pk=item_id).first()
            if item is None:
                raise Invalid(
                    "invalid_item",
                    _("Câu hỏi không thuộc đợt kiểm tra này."),
                    fields={"item": [_("Câu hỏi không thuộc đợt kiểm tra này.")]},
                )
        requirement = None
        if item is not None:
            requirement_id = requirement_id or item.requirement_id
        if requirement_id is not None:
            requirement = Requirement.objects.filter(
                pk=requirement_id, version_id=locked.catalogue_version_id
            ).first()
            if requirement is None:
                raise Invalid(
                    "invalid_requirement",
                    _("Yêu cầu không thuộc phiên bản danh mục của đợt kiểm tra."),
                    fields={"requirement": [_("Không hợp lệ.")]},
                )
        try:
            with transaction.atomic():
                finding = Finding.objects.create(
                    client_uuid=client_uuid,
                    inspection=locked,
                    premises_id=locked.premises_id,
                    item=item,
                    answer=Answer.objects.filter(inspection=locked, item=item).first()
                    if item
                    else None,
                    requirement=requirement,
                    description=description,
                    severity=severity or (item.severity if item else "") or "major",
                    remediation_deadline=remediation_deadline,
                    created_by=user,
                    content_hash=digest,
                )
                rollups.premises_changed([locked.premises_id])
        except IntegrityError:
            existing = same_uuid(Finding, client_uuid, digest, inspection, _("vi phạm"), user=user)
            if existing is None:
                raise
            return existing, False
        bump(locked)
    return finding, True
