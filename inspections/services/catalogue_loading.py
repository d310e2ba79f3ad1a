"""Loading the law and catalogue files into the database (management commands, demo data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from inspections.legal.catalogue_file import CatalogueData, CitationData, read_catalogue
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

from .catalogue import CatalogueError, publish_version

LAW_TITLE = "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ"


@dataclass(frozen=True)
class LoadResult:
    version: CatalogueVersion
    created: bool
    published: bool
    unchanged: bool


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
