"""Reading inspections with everything recorded in them, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from inspections import access
from inspections.models import Answer, Finding, Inspection, InspectionItem, Photo, Signature


def with_contents(
    qs: QuerySet[Inspection], *, items: bool = True, answers: bool = True
) -> QuerySet[Inspection]:
    """Items, answers, photos, findings, signatures and inspectors: one query each.

    ``items=False`` / ``answers=False`` leave the frozen checklist / the answers out, for
    callers that keep them cached per inspection version (sync)."""
    if items:
        qs = qs.prefetch_related(
            Prefetch("items", queryset=InspectionItem.objects.order_by("order"))
        )
    if answers:
        qs = qs.prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("item_id")))
    return qs.select_related("premises", "authority", "catalogue_version").prefetch_related(
        Prefetch(
            "photos",
            queryset=Photo.objects.select_related("blob", "answer", "finding").order_by("id"),
        ),
        Prefetch("findings", queryset=Finding.objects.order_by("id")),
        Prefetch("signatures", queryset=Signature.objects.order_by("role")),
        "inspectors",
    )


def inspection_list(
    user: User,
    *,
    state: str | None = None,
    premises_id: int | None = None,
    kind: str | None = None,
) -> QuerySet[Inspection]:
    qs = access.inspections_visible_to(user).select_related(
        "premises", "authority", "catalogue_version"
    )
    if state:
        qs = qs.filter(state=state)
    if premises_id:
        qs = qs.filter(premises_id=premises_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.prefetch_related("inspectors").order_by("-scheduled_for", "-id")


def inspection_detail(user: User, pk: int) -> Inspection:
    """The inspection with its contents; 404 if the user may not see it."""
    inspection = access.access_inspection(user, pk)
    return with_contents(Inspection.objects.filter(pk=inspection.pk)).get()


@dataclass(frozen=True)
class ChecklistResult:
    """One checklist question of an inspection with what was recorded for it."""

    order: int
    question_vi: str
    question_en: str
    value: str  # compliant | non_compliant | not_applicable | "" (a measurement or a note)
    value_label: str
    number: Decimal | None
    note: str


def checklist_results(inspection: Inspection) -> list[ChecklistResult]:
    """The frozen questions of an inspection in order, each with its recorded answer (two
    queries whatever the checklist's length)."""
    answers = {a.item_id: a for a in Answer.objects.filter(inspection=inspection)}
    labels = dict(Answer.Value.choices)
    out = []
    for item in inspection.items.order_by("order"):
        answer = answers.get(item.pk)
        value = answer.value if answer else ""
        out.append(
            ChecklistResult(
                order=item.order,
                question_vi=item.question_vi,
                question_en=item.question_en or item.question_vi,
                value=value,
                value_label=str(labels.get(value, "")) if value else "",
                number=answer.number_value if answer else None,
                note=answer.note if answer else "",
            )
        )
    return out
