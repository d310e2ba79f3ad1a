"""Catalogue writes: load the law and catalogue files, edit drafts, publish, clone a version."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.legal.catalogue_file import (
    CatalogueData,
    CitationData,
    decree_points_errors,
    read_catalogue,
    validate_deadline_rule,
)
from inspections.legal.parser import LAW_DOCUMENT, vendored_law
from inspections.models import (
    CatalogueVersion,
    Citation,
    Confidence,
    DecreeParameter,
    LegalDocument,
    Provision,
    Requirement,
)
from inspections.rules.validation import validate_rule

logger = logging.getLogger(__name__)

LAW_TITLE = "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ"


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


@dataclass(frozen=True)
class LoadResult:
    version: CatalogueVersion
    created: bool
    published: bool
    unchanged: bool


def ensure_draft(version: CatalogueVersion) -> None:
    """Every write to a version's requirements or parameters goes through this check."""
    status = CatalogueVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if status == CatalogueVersion.Status.PUBLISHED:
        raise CatalogueImmutableError(version)


@transaction.atomic
def load_law() -> tuple[LegalDocument, int]:
    """Store every parsed provision of Law 55/2024/QH15; safe to run again (no duplicates)."""
    document, _created = LegalDocument.objects.update_or_create(
        code=LAW_DOCUMENT,
        defaults={
            "kind": LegalDocument.Kind.LAW,
            "title": LAW_TITLE,
            "effective_on": date(2025, 7, 1),
        },
    )
    existing = {
        (p.article, p.clause, p.point): p for p in Provision.objects.filter(document=document)
    }
    to_create, to_update = [], []
    for order, parsed in enumerate(vendored_law().provisions):
        key = (parsed.article, parsed.clause, parsed.point or "")
        row = existing.get(key)
        if row is None:
            to_create.append(
                Provision(
                    document=document,
                    article=parsed.article,
                    clause=parsed.clause,
                    point=parsed.point or "",
                    heading=parsed.heading,
                    text_vi=parsed.text,
                    confidence=Confidence.VERIFIED,
                    order=order,
                )
            )
        elif (row.text_vi, row.heading, row.order) != (parsed.text, parsed.heading, order):
            row.text_vi, row.heading, row.order = parsed.text, parsed.heading, order
            to_update.append(row)
    Provision.objects.bulk_create(to_create)
    if to_update:
        Provision.objects.bulk_update(to_update, ["text_vi", "heading", "order"])
    return document, len(to_create)


DOCUMENT_FIELDS = ("issued_on", "effective_on", "confidence", "note")


def _document(code: str, documents: dict[str, dict[str, Any]]) -> LegalDocument:
    meta = documents.get(code, {})
    defaults = {
        "kind": meta.get("kind", LegalDocument.Kind.DECREE),
        "title": meta.get("title", code),
        "effective_on": meta.get("effective_on") or None,
        "issued_on": meta.get("issued_on") or None,
        "confidence": meta.get("confidence") or Confidence.VERIFIED,
        "note": str(meta.get("note") or "").strip(),
    }
    document, created = LegalDocument.objects.get_or_create(code=code, defaults=defaults)
    if not created and meta:
        # The file that lists a document is its latest description (dates found, text confirmed).
        changed = [
            name
            for name in DOCUMENT_FIELDS
            if name in meta and str(getattr(document, name) or "") != str(defaults[name] or "")
        ]
        for name in changed:
            setattr(document, name, defaults[name])
        if changed:
            document.save(update_fields=changed)
    return document


def _provision_for(
    citation: CitationData,
    documents: dict[str, dict[str, Any]],
    law: dict[tuple[int, int | None, str], Provision],
) -> Provision:
    if citation.document == LAW_DOCUMENT:
        return law[(citation.article, citation.clause, citation.point or "")]
    document = _document(citation.document, documents)
    # Decree provisions are not parsed: their (summary) text and confidence come from the data.
    provision, created = Provision.objects.get_or_create(
        document=document,
        article=citation.article,
        clause=citation.clause,
        point=citation.point or "",
        defaults={"text_vi": citation.text_vi or "", "confidence": citation.confidence},
    )
    if not created and (provision.text_vi, provision.confidence) != (
        citation.text_vi,
        citation.confidence,
    ):
        provision.text_vi = citation.text_vi or ""
        provision.confidence = citation.confidence
        provision.save(update_fields=["text_vi", "confidence"])
    return provision


def data_snapshot(data: CatalogueData) -> dict[str, Any]:
    """The comparable content of a catalogue file (same shape as ``version_snapshot``)."""
    from inspections.selectors.catalogue import catalogue_snapshot

    return catalogue_snapshot(
        data.requirements,
        data.parameters,
        lambda r: [[c.document, c.article, c.clause, c.point or ""] for c in r.citations],
    )


@transaction.atomic
def load_catalogue(path: Path | str, *, publish: bool = False) -> LoadResult:
    """Load a catalogue file into its version; idempotent.

    A draft is replaced by the file's content. A published version is never touched: loading
    the same file again is a no-op, loading a changed file under a published label is refused.
    """
    from inspections.selectors.catalogue import version_by_label

    data = read_catalogue(path)
    load_law()
    documents = {d["code"]: d for d in data.documents}
    for code in documents:
        _document(code, documents)
    version = CatalogueVersion.objects.select_for_update().filter(label=data.version).first()
    created = version is None
    if version is not None and version.is_published:
        _refuse_a_changed_published_version(version, data)
        return LoadResult(version, created=False, published=False, unchanged=True)
    based_on = version_by_label(data.based_on) if data.based_on else None
    meta = {
        "notes": data.notes,
        "effective_on": data.effective_on,
        "repealed": data.repealed,
        "based_on": based_on,
    }
    if version is None:
        version = CatalogueVersion.objects.create(label=data.version, **meta)
    else:
        for name, value in meta.items():
            setattr(version, name, value)
        version.save(update_fields=list(meta))
        version.requirements.all().delete()
        version.parameters.all().delete()
    _store_contents(version, data, documents)
    published = False
    if publish:
        version = publish_version(version)
        published = True
    return LoadResult(version, created=created, published=published, unchanged=False)


def _refuse_a_changed_published_version(version: CatalogueVersion, data: CatalogueData) -> None:
    """A published version is never changed: a file that differs needs a new label."""
    from inspections.selectors.catalogue import version_snapshot

    basis = sorted(version.legal_basis.values_list("code", flat=True))
    if (
        version_snapshot(version) != data_snapshot(data)
        or version.effective_on != data.effective_on
        or basis != sorted(data.legal_basis)
    ):
        raise CatalogueError(
            "catalogue_version_published",
            _(
                "Phiên bản %(label)s đã ban hành và khác với tệp; "
                "hãy đặt nhãn phiên bản mới trong tệp."
            )
            % {"label": version.label},
        )


def _store_contents(
    version: CatalogueVersion, data: CatalogueData, documents: dict[str, dict[str, Any]]
) -> None:
    """The file's legal basis, parameters, requirements and citations, into ``version``."""
    version.legal_basis.set(LegalDocument.objects.filter(code__in=data.legal_basis))
    DecreeParameter.objects.bulk_create(
        DecreeParameter(
            version=version,
            key=p.key,
            value=p.value,
            source=p.source,
            confidence=p.confidence,
            note=p.note,
            amended_by=p.amended_by,
        )
        for p in data.parameters
    )
    law = {
        (p.article, p.clause, p.point): p
        for p in Provision.objects.filter(document__code=LAW_DOCUMENT)
    }
    citations = []
    for order, r in enumerate(data.requirements):
        requirement = Requirement.objects.create(
            version=version,
            code=r.code,
            title_vi=r.title_vi,
            title_en=r.title_en,
            question_vi=r.question_vi,
            question_en=r.question_en,
            premises_kinds=list(r.premises_kinds),
            applicability=r.applicability or {},
            evidence=list(r.evidence),
            severity=r.severity,
            answer_type=r.answer_type,
            required=r.required,
            deadline_rule=r.deadline_rule,
            advice=r.advice,
            amended_by=r.amended_by,
            decree_points=list(r.decree_points),
            order=order,
        )
        for i, c in enumerate(r.citations):
            citations.append(
                Citation(
                    requirement=requirement,
                    provision=_provision_for(c, documents, law),
                    confidence=c.confidence,
                    order=i,
                )
            )
    Citation.objects.bulk_create(citations)


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
