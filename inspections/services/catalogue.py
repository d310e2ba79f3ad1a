"""Catalogue writes: edit drafts, publish, clone a version.

Loading the law and catalogue files: ``catalogue_loading.py``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.legal.catalogue_checks import decree_points_errors, validate_deadline_rule
from inspections.models import CatalogueVersion, Citation, DecreeParameter, Requirement
from inspections.rules.validation import validate_rule

logger = logging.getLogger(__name__)


class CatalogueError(Exception):
    """A catalogue operation the data does not allow (code is machine-readable)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class CatalogueImmutableError(CatalogueError):
    def __init__(self, version: CatalogueVersion):
        super().__init__(
            "catalogue_version_published",
            _("Phiên bản %(label)s đã ban hành, không thể sửa; hãy tạo bản nháp mới.")
            % {"label": version.label},
        )


def ensure_draft(version: CatalogueVersion) -> None:
    """Every write to a version's requirements or parameters goes through this check."""
    status = CatalogueVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if status == CatalogueVersion.Status.PUBLISHED:
        raise CatalogueImmutableError(version)


def validate_version(version: CatalogueVersion) -> list[str]:
    """Problems that block publishing: invalid rules, requirements without citations."""
    params = {p.key: p.value for p in version.parameters.all()}
    errors = []
    for r in version.requirements.prefetch_related("citations"):
        errors.extend(f"{r.code}: {e}" for e in validate_rule(r.applicability, params))
        if r.deadline_rule:
            errors.extend(f"{r.code}: {e}" for e in validate_deadline_rule(r.deadline_rule, params))
        if not r.citations.all():
            errors.append(f"{r.code}: no citation")
        # An administrator types the points in the admin: the same check as the file's.
        errors.extend(f"{r.code}: {e}" for e in decree_points_errors(r.decree_points or None))
    if not version.requirements.exists():
        errors.append("the version has no requirement")
    if version.effective_on is None:
        errors.append("the version has no effective date (effective_on)")
    return errors


@transaction.atomic
def publish_version(version: CatalogueVersion) -> CatalogueVersion:
    version = CatalogueVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise CatalogueImmutableError(version)
    errors = validate_version(version)
    if errors:
        raise CatalogueError("catalogue_invalid", "; ".join(errors[:20]))
    version.status = CatalogueVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    # A version already in force changes the law today: switch (compare, notify, recompute)
    # once the publish commits. One effective later is switched on its day by the beat task.
    if version.effective_on <= timezone.localdate():
        transaction.on_commit(_queue_switch)
    return version


def _queue_switch() -> None:
    from inspections.queue import enqueue

    try:
        enqueue("inspections.tasks.apply_catalogue_version_in_force")
    except Exception:  # the broker may be down; the daily beat run catches up
        logger.exception("could not queue the switch to the published catalogue version")


@transaction.atomic
def clone_version(version: CatalogueVersion, *, label: str, notes: str = "") -> CatalogueVersion:
    """A new draft with the same requirements, citations and parameters as ``version``."""
    if CatalogueVersion.objects.filter(label=label).exists():
        raise CatalogueError(
            "catalogue_label_taken", _("Nhãn phiên bản %(label)s đã tồn tại.") % {"label": label}
        )
    # A draft starts as a correction of its base (same legal basis and effective date); an
    # amendment sets its own before publishing.
    draft = CatalogueVersion.objects.create(
        label=label,
        notes=notes or version.notes,
        based_on=version,
        effective_on=version.effective_on,
    )
    draft.legal_basis.set(version.legal_basis.all())
    DecreeParameter.objects.bulk_create(
        DecreeParameter(
            version=draft,
            key=p.key,
            value=p.value,
            description=p.description,
            source=p.source,
            confidence=p.confidence,
            note=p.note,
            amended_by=p.amended_by,
        )
        for p in version.parameters.all()
    )
    citations = []
    for r in version.requirements.prefetch_related("citations"):
        old_citations = list(r.citations.all())
        r.pk = None
        r.id = None
        r.version = draft
        r._state.adding = True
        r.save()
        citations.extend(
            Citation(
                requirement=r, provision_id=c.provision_id, confidence=c.confidence, order=c.order
            )
            for c in old_citations
        )
    Citation.objects.bulk_create(citations)
    return draft


def update_parameter(parameter: DecreeParameter, **changes: Any) -> DecreeParameter:
    ensure_draft(parameter.version)
    for name, value in changes.items():
        setattr(parameter, name, value)
    parameter.full_clean()
    parameter.save()
    return parameter


def update_requirement(requirement: Requirement, **changes: Any) -> Requirement:
    ensure_draft(requirement.version)
    for name, value in changes.items():
        setattr(requirement, name, value)
    params = {p.key: p.value for p in requirement.version.parameters.all()}
    errors = validate_rule(requirement.applicability, params)
    if errors:
        raise CatalogueError("invalid_rule", "; ".join(errors))
    requirement.full_clean()
    requirement.save()
    return requirement
