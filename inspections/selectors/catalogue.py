"""Catalogue reads: current version, requirements with citations, parameters, export and diff."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from inspections.models import CatalogueVersion, Citation, Requirement
from inspections.rules.applicability import resolve
from inspections.rules.engine import Engine
from inspections.rules.requirements import CitationRef, RequirementSpec


def version_in_force(
    on: date | None = None, *, exclude: CatalogueVersion | None = None
) -> CatalogueVersion | None:
    """The published version in force on ``on``: the latest effective date not after it; of
    two versions effective the same day (a correction), the one published last."""
    on = on or timezone.localdate()
    qs = CatalogueVersion.objects.filter(
        status=CatalogueVersion.Status.PUBLISHED, effective_on__lte=on
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("-effective_on", "-published_at", "-id").first()


def current_version() -> CatalogueVersion | None:
    """The version in force today (new inspections and today's obligations use it)."""
    return version_in_force(timezone.localdate())


def upcoming_versions(on: date | None = None) -> QuerySet[CatalogueVersion]:
    """Published versions that come into force after ``on`` (published ahead of their date)."""
    on = on or timezone.localdate()
    return CatalogueVersion.objects.filter(
        status=CatalogueVersion.Status.PUBLISHED, effective_on__gt=on
    ).order_by("effective_on", "published_at")


def version_by_label(label: str) -> CatalogueVersion | None:
    return CatalogueVersion.objects.filter(label=label).first()


def versions() -> QuerySet[CatalogueVersion]:
    return CatalogueVersion.objects.order_by("-published_at", "-id")


def _citations_prefetch() -> Prefetch:
    return Prefetch(
        "citations",
        queryset=Citation.objects.select_related("provision__document").order_by("order"),
    )


def requirements_of(
    version: CatalogueVersion, *, premises_kind: str | None = None, article: int | None = None
) -> QuerySet[Requirement]:
    qs = version.requirements.prefetch_related(_citations_prefetch()).order_by("order", "code")
    if premises_kind:
        # JSON containment is not portable to SQLite; the kinds are few, a text match is exact
        # because every kind is quoted inside the stored JSON list.
        qs = qs.filter(premises_kinds__icontains=f'"{premises_kind}"')
    if article:
        qs = qs.filter(citations__provision__article=article).distinct()
    return qs


def parameters_of(version: CatalogueVersion) -> dict[str, Any]:
    return {p.key: p.value for p in version.parameters.all()}


def citation_ref(citation: Citation) -> CitationRef:
    p = citation.provision
    return CitationRef(
        document=p.document.code,
        article=p.article,
        clause=p.clause,
        point=p.point or None,
        text_vi=p.text_vi,
        confidence=citation.confidence,
    )


def citation_dict(citation: Citation) -> dict[str, Any]:
    """Citation as shown everywhere (export, API, checklists): the stored verbatim text and the
    labels in the one citation style (inspections/legal/citations.py)."""
    ref = citation_ref(citation)
    return {
        "label_vi": ref.label_vi,
        "label_en": ref.label_en,
        "document": ref.document,
        "article": ref.article,
        "clause": ref.clause,
        "point": ref.point,
        "heading": citation.provision.heading,
        "text_vi": ref.text_vi,
        "confidence": ref.confidence,
    }


_SPEC_CACHE: dict[tuple[int, Any], tuple[list[RequirementSpec], dict[str, Any]]] = {}


def specs_and_params(version: CatalogueVersion) -> tuple[list[RequirementSpec], dict[str, Any]]:
    """Requirement specs and parameters of a version for the pure engine.

    Published versions are immutable, so their specs are cached per process (2 queries saved
    per obligations request); drafts are always read fresh.
    """
    key = (version.pk, version.published_at)
    if version.is_published and key in _SPEC_CACHE:
        return _SPEC_CACHE[key]
    specs = [
        RequirementSpec(
            code=r.code,
            title_vi=r.title_vi,
            title_en=r.title_en,
            premises_kinds=tuple(r.premises_kinds or ()),
            applicability=r.applicability or {},
            citations=tuple(citation_ref(c) for c in r.citations.all()),
            severity=r.severity,
            deadline_rule=r.deadline_rule,
            advice=r.advice,
            order=r.order,
            id=r.pk,
            decree_points=tuple(r.decree_points or ()),
        )
        for r in requirements_of(version)
    ]
    result = (specs, parameters_of(version))
    if version.is_published:
        _SPEC_CACHE[key] = result
    return result


_ENGINE_CACHE: dict[tuple[int, Any], Engine] = {}


def engine_of(version: CatalogueVersion) -> Engine:
    """The obligation engine of a version: its rules compiled once per process when published
    (immutable), afresh for a draft."""
    key = (version.pk, version.published_at)
    if version.is_published and key in _ENGINE_CACHE:
        return _ENGINE_CACHE[key]
    engine = Engine(*specs_and_params(version))
    if version.is_published:
        _ENGINE_CACHE[key] = engine
    return engine


def category_appendix_rows(params: dict[str, Any]) -> list[dict[str, Any]]:
    """Each occupancy category with the Appendix I items, Appendix II rows (with group) and
    Appendix VII items that name it: what an administrator checks against the decree."""

    def rows(key: str, code: str, number: str) -> list[str]:
        out = []
        for row in params.get(key) or []:
            if code in (row.get("categories") or ()):
                label = str(row.get(number, row.get("id", "")))
                if row.get("group"):
                    label += f" (nhóm {row['group']})"
                if label not in out:
                    out.append(label)
        return out

    return [
        {
            "code": c.get("code"),
            "label_vi": c.get("label_vi", ""),
            "label_en": c.get("label_en", ""),
            "appendix_i": rows("appendix_i", c.get("code"), "item"),
            "appendix_ii": rows("appendix_ii", c.get("code"), "row"),
            "appendix_vii": rows("appendix_vii", c.get("code"), "item"),
        }
        for c in params.get("occupancy_categories") or []
    ]


def requirement_due_date(requirement: Requirement, params: dict[str, Any]) -> date | None:
    """A fixed due date shared by every premises (roadmap deadlines); None otherwise."""
    rule = requirement.deadline_rule or {}
    if rule.get("type") != "roadmap":
        return None
    value = resolve(rule.get("date"), params)
    return date.fromisoformat(str(value)) if value else None


def legal_basis_of(version: CatalogueVersion) -> list[dict[str, Any]]:
    """The documents a version rests on, with their dates and whether their text is confirmed."""
    return [
        {
            "code": d.code,
            "kind": d.kind,
            "title": d.title,
            "issued_on": d.issued_on.isoformat() if d.issued_on else None,
            "effective_on": d.effective_on.isoformat() if d.effective_on else None,
            "confidence": d.confidence,
        }
        for d in version.legal_basis.order_by("effective_on", "code")
    ]


def export_catalogue(version: CatalogueVersion) -> dict[str, Any]:
    """The auditors' JSON: requirements with the verbatim text of every citation."""
    params = parameters_of(version)
    requirements, advice = [], []
    for r in requirements_of(version):
        due = requirement_due_date(r, params)
        row = {
            "code": r.code,
            "title_vi": r.title_vi,
            "title_en": r.title_en,
            "question_vi": r.question_vi,
            "question_en": r.question_en,
            "premises_kinds": list(r.premises_kinds),
            "applicability": r.applicability,
            "citations": [
                {
                    k: v
                    for k, v in citation_dict(c).items()
                    if k in ("document", "article", "clause", "point", "text_vi", "confidence")
                }
                for c in r.citations.all()
            ],
            "due_date": due.isoformat() if due else None,
            "deadline_rule": r.deadline_rule,
            "severity": r.severity,
            "evidence": list(r.evidence),
            "answer_type": r.answer_type,
            "required": r.required,
            "amended_by": r.amended_by or [],
            "decree_points": list(r.decree_points or []),
        }
        (advice if r.advice else requirements).append(row)
    return {
        "version": version.label,
        "status": version.status,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "effective_on": version.effective_on.isoformat() if version.effective_on else None,
        "legal_basis": legal_basis_of(version),
        "notes": version.notes,
        "requirements": requirements,
        "advice": advice,
        "parameters": [
            {
                "key": p.key,
                "value": p.value,
                "source": p.source,
                "confidence": p.confidence,
                "note": p.note,
            }
            for p in version.parameters.order_by("key")
        ],
    }


# The requirement fields two catalogues are compared on (admin diff, reload of a published file).
SNAPSHOT_FIELDS = (
    "title_vi",
    "title_en",
    "question_vi",
    "question_en",
    "premises_kinds",
    "applicability",
    "evidence",
    "severity",
    "answer_type",
    "required",
    "deadline_rule",
    "advice",
    "amended_by",
    "decree_points",
)


def catalogue_snapshot(
    requirements: Iterable[Any],
    parameters: Iterable[Any],
    citations_of: Callable[[Any], list[list[Any]]],
) -> dict[str, Any]:
    """Comparable content of a catalogue, from stored rows or from a catalogue file's records
    (both expose the same attribute names)."""

    def plain(field: str, value: Any) -> Any:
        if field == "applicability":
            return value or {}
        return list(value) if isinstance(value, tuple | list) else value

    return {
        "requirements": {
            r.code: {
                **{f: plain(f, getattr(r, f)) for f in SNAPSHOT_FIELDS},
                "citations": citations_of(r),
            }
            for r in requirements
        },
        "parameters": {
            p.key: {"value": p.value, "source": p.source, "confidence": p.confidence}
            for p in parameters
        },
    }


def version_snapshot(version: CatalogueVersion) -> dict[str, Any]:
    """Comparable content of a stored version (same shape as ``catalogue_loading.data_snapshot``)."""
    return catalogue_snapshot(
        requirements_of(version),
        version.parameters.all(),
        lambda r: [
            [c.provision.document.code, c.provision.article, c.provision.clause, c.provision.point]
            for c in r.citations.all()
        ],
    )


def version_diff(old: CatalogueVersion, new: CatalogueVersion) -> dict[str, Any]:
    """What changed from ``old`` to ``new``: added, removed and changed items, field by field."""
    a, b = version_snapshot(old), version_snapshot(new)
    out: dict[str, Any] = {"from": old.label, "to": new.label}
    for section in ("requirements", "parameters"):
        left, right = a[section], b[section]
        changed = {}
        for key in sorted(set(left) & set(right)):
            fields = {
                name: {"from": left[key][name], "to": right[key][name]}
                for name in right[key]
                if left[key].get(name) != right[key][name]
            }
            if fields:
                changed[key] = fields
        out[section] = {
            "added": sorted(set(right) - set(left)),
            "removed": sorted(set(left) - set(right)),
            "changed": changed,
        }
    return out
