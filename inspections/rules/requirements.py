"""A requirement of the catalogue as the rules read it, with the law it cites."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from inspections.legal.citations import citation_label, quote


@dataclass(frozen=True)
class CitationRef:
    document: str
    article: int
    clause: int | None
    point: str | None
    text_vi: str
    confidence: str = "verified"

    # Cached: the refresh labels the same few hundred citations for every premises.
    @cached_property
    def label_vi(self) -> str:
        return citation_label(self.document, self.article, self.clause, self.point, "vi")

    @cached_property
    def label_en(self) -> str:
        return citation_label(self.document, self.article, self.clause, self.point, "en")

    @property
    def quoted_text(self) -> str:
        """What applies: the point's words, or a lead-in clause with its points."""
        return quote(self.document, self.article, self.clause, self.point, self.text_vi)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label_vi": self.label_vi,
            "label_en": self.label_en,
            "document": self.document,
            "article": self.article,
            "clause": self.clause,
            "point": self.point,
            "text_vi": self.text_vi,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class RequirementSpec:
    code: str
    title_vi: str
    title_en: str
    premises_kinds: tuple[str, ...]
    applicability: Mapping[str, Any]
    citations: tuple[CitationRef, ...]
    severity: str = "major"
    deadline_rule: Mapping[str, Any] | None = None
    advice: bool = False
    order: int = 0
    id: int | None = None  # database id when built from the ORM
    decree_points: tuple[str, ...] = ()  # Decree 105 Art. 13.1 points
