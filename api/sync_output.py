"""Shapes of the sync payload, built for size and speed.

A page carries thousands of items and answers. Each distinct citation (verbatim law text) is
sent once per page in ``citations`` and items refer to it by key, instead of repeating the text
in every item of every inspection. Items and answers are turned into dicts directly: a DRF
serializer per row costs ~0.3 ms, which is most of a page's time. The shapes are the same as
the serializers declare (tests compare them with the inspection detail endpoint).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

import orjson
from django.core.cache import cache
from django.utils import timezone
from rest_framework import serializers

from inspections.models import Answer, ChecklistTemplate, Inspection, InspectionItem
from inspections.selectors.sync import answers_of, items_of

from .inspections_output import (
    AnswerOutput,
    FindingOutput,
    InspectionOutput,
    PhotoOutput,
    SignatureOutput,
)
from .renderers import encode

_decimal = serializers.DecimalField(max_digits=14, decimal_places=3)


def citation_key(citation: dict[str, Any]) -> str:
    text = json.dumps(citation, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class CitationIndex:
    """Distinct citations of one page, by key."""

    def __init__(self) -> None:
        self.by_key: dict[str, dict[str, Any]] = {}
        self._seen: dict[tuple, str] = {}

    def keys(self, citations: Iterable[dict[str, Any]]) -> list[str]:
        keys = []
        for citation in citations:
            # The same citation repeats in every inspection: hash its JSON once per page.
            identity = tuple(sorted((k, str(v)) for k, v in citation.items()))
            key = self._seen.get(identity)
            if key is None:
                key = self._seen[identity] = citation_key(citation)
                self.by_key[key] = citation
            keys.append(key)
        return keys


def _when(value: datetime | None, tz: tzinfo) -> str | None:
    """DRF's datetime format (ISO 8601 in the current time zone, ``Z`` for UTC), but cheap."""
    if value is None:
        return None
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def item_row(item: InspectionItem, index: CitationIndex) -> dict[str, Any]:
    return {
        "id": item.pk,
        "code": item.code,
        "order": item.order,
        "requirement": item.requirement_id,
        "title_vi": item.title_vi,
        "title_en": item.title_en,
        "question_vi": item.question_vi,
        "question_en": item.question_en,
        "citations": index.keys(item.citations),
        "answer_type": item.answer_type,
        "required": item.required,
        "severity": item.severity,
        "evidence": item.evidence,
    }


def answer_row(answer: Answer, tz: tzinfo) -> dict[str, Any]:
    return {
        "client_uuid": str(answer.client_uuid),
        "item": answer.item_id,
        "value": answer.value,
        "number_value": None
        if answer.number_value is None
        else _decimal.to_representation(answer.number_value),
        "note": answer.note,
        "answered_at": _when(answer.answered_at, tz),
        "answered_by": answer.answered_by_id,
        "updated_at": _when(answer.updated_at, tz),
    }


# Items are frozen when an inspection is created; the version in the key makes any later change
# of the inspection a new entry anyway. A week covers the life of an inspection on a phone.
ITEMS_CACHE_SECONDS = 7 * 24 * 3600


def _items_key(inspection: Inspection) -> str:
    return f"sync-items:v2:{inspection.pk}:{inspection.version}"


def item_rows(
    inspections: Iterable[Inspection], index: CitationIndex
) -> dict[int, orjson.Fragment]:
    """Item rows of each inspection as encoded JSON, built once per inspection version.

    A full sync sends thousands of items that never change. Building their dicts (and the
    models under them), then unpickling and encoding them again on every page, was most of a
    page's time; the cache holds the encoded array and the citations it refers to, which join
    the page's ``citations``.
    """
    keys = {_items_key(i): i.pk for i in inspections}
    entries = cache.get_many(list(keys))
    missing = {key: pk for key, pk in keys.items() if key not in entries}
    if missing:
        items = items_of(missing.values())
        fresh = {}
        for key, pk in missing.items():
            own = CitationIndex()
            fresh[key] = (encode([item_row(item, own) for item in items[pk]]), own.by_key)
        cache.set_many(fresh, ITEMS_CACHE_SECONDS)
        entries.update(fresh)
    rows = {}
    for key, pk in keys.items():
        encoded, citations = entries[key]
        rows[pk] = orjson.Fragment(encoded)
        index.by_key.update(citations)
    return rows


def _answers_key(inspection: Inspection, tz: tzinfo) -> str:
    return f"sync-answers:v2:{inspection.pk}:{inspection.version}:{tz}"


def answer_rows(inspections: Iterable[Inspection], tz: tzinfo) -> dict[int, orjson.Fragment]:
    """Answer rows of each inspection as encoded JSON, cached per version like the items.

    Answers are written only by ``record_answers``, which bumps the version in the same
    transaction; reading and converting thousands of rows (three timestamps each) was most of
    a full sync page's time once the items were cached.
    """
    keys = {_answers_key(i, tz): i.pk for i in inspections}
    entries = cache.get_many(list(keys))
    missing = {key: pk for key, pk in keys.items() if key not in entries}
    if missing:
        stored = answers_of(missing.values())
        fresh = {
            key: encode([answer_row(a, tz) for a in stored[pk]]) for key, pk in missing.items()
        }
        cache.set_many(fresh, ITEMS_CACHE_SECONDS)
        entries.update(fresh)
    return {pk: orjson.Fragment(entries[key]) for key, pk in keys.items()}


def inspection_rows(inspections: list[Inspection], index: CitationIndex) -> list[dict[str, Any]]:
    """The page's inspections with their contents.

    One list serializer per kind of row for the whole page: a ModelSerializer builds its
    fields on every instantiation, and four per inspection cost more than the rows.
    """
    items = item_rows(inspections, index)
    tz = timezone.get_current_timezone()
    answers = answer_rows(inspections, tz)
    photos = _grouped(PhotoOutput, inspections, "photos")
    findings = _grouped(FindingOutput, inspections, "findings")
    signatures = _grouped(SignatureOutput, inspections, "signatures")
    rows = []
    for inspection, head in zip(
        inspections, InspectionOutput(inspections, many=True).data, strict=True
    ):
        data = dict(head)
        data["items"] = items[inspection.pk]
        data["answers"] = answers[inspection.pk]
        data["photos"] = photos[inspection.pk]
        data["findings"] = findings[inspection.pk]
        data["signatures"] = signatures[inspection.pk]
        rows.append(data)
    return rows


def _grouped(
    serializer: type[serializers.Serializer], inspections: list[Inspection], related: str
) -> dict[int, list[Any]]:
    owned = [(i.pk, obj) for i in inspections for obj in getattr(i, related).all()]
    shapes = serializer([obj for _, obj in owned], many=True).data
    by_inspection: dict[int, list[Any]] = {i.pk: [] for i in inspections}
    for (pk, _), shape in zip(owned, shapes, strict=True):
        by_inspection[pk].append(shape)
    return by_inspection


def template_row(template: ChecklistTemplate, index: CitationIndex) -> dict[str, Any]:
    return {
        "id": template.pk,
        "catalogue_version": template.version.label,
        "premises_kind": template.premises_kind,
        "items": [
            {**item, "citations": index.keys(item.get("citations", []))} for item in template.items
        ],
        "generated_at": _when(template.generated_at, timezone.get_current_timezone()),
    }


# --- Declared shapes (OpenAPI) --------------------------------------------------------------


class SyncCitationOutput(serializers.Serializer):
    document = serializers.CharField()
    article = serializers.IntegerField()
    clause = serializers.IntegerField(allow_null=True)
    point = serializers.CharField(allow_null=True)
    label_vi = serializers.CharField()
    heading = serializers.CharField()
    text_vi = serializers.CharField(help_text="Verbatim text of the provision.")
    confidence = serializers.CharField()


class SyncItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    order = serializers.IntegerField()
    requirement = serializers.IntegerField()
    title_vi = serializers.CharField()
    title_en = serializers.CharField()
    question_vi = serializers.CharField()
    question_en = serializers.CharField()
    citations = serializers.ListField(
        child=serializers.CharField(), help_text="Keys into the page's `citations`."
    )
    answer_type = serializers.CharField()
    required = serializers.BooleanField()
    severity = serializers.CharField()
    evidence = serializers.JSONField()


class SyncInspectionOutput(InspectionOutput):
    items = SyncItemOutput(many=True)
    answers = AnswerOutput(many=True)
    photos = PhotoOutput(many=True)
    findings = FindingOutput(many=True)
    signatures = SignatureOutput(many=True)

    class Meta(InspectionOutput.Meta):
        ref_name = "SyncInspection"
        fields = [
            *InspectionOutput.Meta.fields,
            "items",
            "answers",
            "photos",
            "findings",
            "signatures",
        ]


class SyncTemplateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    catalogue_version = serializers.CharField()
    premises_kind = serializers.CharField()
    items = serializers.ListField(
        child=serializers.DictField(),
        help_text="Template questions; `citations` are keys into the page's `citations`.",
    )
    generated_at = serializers.DateTimeField()
