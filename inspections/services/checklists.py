"""Checklists: a template per catalogue version and premises kind, frozen into each inspection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from inspections.models import (
    CatalogueVersion,
    ChecklistTemplate,
    Citation,
    Inspection,
    InspectionItem,
    Premises,
)
from inspections.rules import content_points
from inspections.rules.applicability import RuleError, evaluate
from inspections.rules.facts import derive_facts
from inspections.selectors.catalogue import (
    citation_dict,
    current_version,
    parameters_of,
    requirements_of,
    version_in_force,
)
from inspections.selectors.obligations import premises_facts


def current_catalogue_version(on: date | None = None) -> CatalogueVersion | None:
    """The catalogue version in force on the inspection date (the inspection freezes it)."""
    return version_in_force(on) if on else current_version()


def _citation_snapshot(citation: Citation) -> dict[str, Any]:
    # The verbatim text as stored from the parsed law, with the labels the record prints.
    return citation_dict(citation)


def _template_items(version: CatalogueVersion, premises_kind: str) -> list[dict[str, Any]]:
    params = parameters_of(version)
    items = []
    for req in requirements_of(version, premises_kind=premises_kind):
        # Same rule as the obligations engine: a requirement lists the kinds it applies to.
        if premises_kind not in (req.premises_kinds or []):
            continue
        law = [_citation_snapshot(c) for c in req.citations.all()]
        points = list(req.decree_points or []) or content_points.points_from_citations(law)
        items.append(
            {
                "requirement_id": req.pk,
                "code": req.code,
                "order": len(items) + 1,
                "title_vi": req.title_vi,
                "title_en": req.title_en,
                "question_vi": req.question_vi,
                "question_en": req.question_en,
                "answer_type": req.answer_type,
                "required": req.required,
                "severity": req.severity,
                "evidence": req.evidence or [],
                "applicability": req.applicability or {},
                # Each item cites its law points and the Decree 105 Art. 13.1 points it is
                # checked under (the latter only where the version words them).
                "decree_points": points,
                "citations": law + content_points.point_citations(params, points)
                if content_points.PARAM in params
                else law,
            }
        )
    return items


def template_for(version: CatalogueVersion, premises_kind: str) -> ChecklistTemplate:
    """The checklist of ``version`` for ``premises_kind``, generated once and then frozen.

    A published version never changes, so its template is built the first time it is needed;
    a draft's template is rebuilt on every call so editors see their changes.
    """
    existing = ChecklistTemplate.objects.filter(
        version=version, premises_kind=premises_kind
    ).first()
    if existing is not None and version.is_published:
        return existing
    items = _template_items(version, premises_kind)
    if existing is not None:
        existing.items = items
        existing.save(update_fields=["items", "generated_at"])
        return existing
    try:
        with transaction.atomic():
            return ChecklistTemplate.objects.create(
                version=version, premises_kind=premises_kind, items=items
            )
    except IntegrityError:
        # Another request generated it at the same moment: use theirs.
        return ChecklistTemplate.objects.get(version=version, premises_kind=premises_kind)


def applicable_items(
    template: ChecklistTemplate, premises: Premises, inspection: Inspection | None = None
) -> list[dict[str, Any]]:
    """Template items whose applicability rule holds for the premises' current facts and, for
    an inspection, whose Decree 105 Art. 13.1 points its inspector checks (Art. 13.2)."""
    params = parameters_of(template.version)
    facts = derive_facts(premises_facts(premises), params)
    allowed = None
    if inspection is not None:
        who = content_points.audience(
            inspection_kind=inspection.kind,
            authority_kind=inspection.authority.kind if inspection.authority_id else None,
            premises_kind=premises.kind,
            managed=bool(facts.get("under_fire_safety_management")),
        )
        allowed = content_points.allowed_points(params, who, premises.kind)
    chosen = []
    for item in template.items:
        points = item.get("decree_points")
        if points is None:  # a template frozen before decree points existed
            points = content_points.points_from_citations(item.get("citations") or [])
        if not content_points.item_in_scope(points, allowed):
            continue
        try:
            applies = evaluate(item.get("applicability") or None, facts, params).applies
        except RuleError:
            # A malformed rule must not hide a duty from the inspector: ask the question.
            applies = True
        if applies:
            chosen.append(item)
    return chosen


def item_rows(inspection: Inspection, items: Iterable[dict]) -> list[InspectionItem]:
    """Unsaved rows of ``inspection`` for template ``items``, numbered in their order."""
    return [
        InspectionItem(
            inspection=inspection,
            requirement_id=item["requirement_id"],
            code=item["code"],
            order=order,
            title_vi=item["title_vi"],
            title_en=item.get("title_en", ""),
            question_vi=item["question_vi"],
            question_en=item.get("question_en", ""),
            citations=item.get("citations", []),
            answer_type=item["answer_type"],
            required=item.get("required", True),
            severity=item["severity"],
            evidence=item.get("evidence", []),
        )
        for order, item in enumerate(items, start=1)
    ]


def freeze_items(inspection: Inspection) -> list[InspectionItem]:
    """Copy the applicable questions and their citations into the inspection (once)."""
    if inspection.items.exists():
        return list(inspection.items.all())
    template = inspection.template or template_for(
        inspection.catalogue_version, inspection.premises.kind
    )
    rows = item_rows(inspection, applicable_items(template, inspection.premises, inspection))
    return InspectionItem.objects.bulk_create(rows)
