"""The articles a reminder quotes: labels in both languages and the verbatim Vietnamese text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from inspections.legal.citations import citation_label, law_quote, quote
from inspections.legal.parser import LAW_DOCUMENT
from inspections.rules.requirements import CitationRef


@dataclass(frozen=True)
class Cite:
    label_vi: str
    label_en: str
    text_vi: str
    # Set for provisions of the vendored law: the payload then carries the reference only and
    # the text is read again from the parsed law when the e-mail is rendered (a reminder row
    # stays small: 100,000 rows a sweep).
    law_ref: tuple[int, int | None, str | None] | None = None

    def as_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"label_vi": self.label_vi, "label_en": self.label_en}
        if self.law_ref:
            doc["law"] = [LAW_DOCUMENT, *self.law_ref]
        else:
            doc["text_vi"] = self.text_vi
        return doc


def cite_text(doc: Mapping[str, Any]) -> str:
    """The verbatim text of a stored citation (from the parsed law for law references)."""
    if doc.get("text_vi"):
        return str(doc["text_vi"])
    law = doc.get("law")
    if law and law[0] == LAW_DOCUMENT:
        try:
            return law_quote(law[1], law[2], law[3])
        except KeyError:
            return ""
    return ""


def cite_label(doc: Mapping[str, Any], lang: str) -> str:
    """A stored citation's label; law references are labelled again in the current style."""
    law = doc.get("law")
    if law and len(law) == 4:
        return citation_label(law[0], law[1], law[2], law[3], lang)
    return str(doc.get(f"label_{lang}") or doc.get("label_vi") or "")


def law_cite(article: int, clause: int | None = None, point: str | None = None) -> Cite:
    """A provision of Law 55/2024/QH15 with its verbatim text from the parsed law."""
    return Cite(
        label_vi=citation_label(LAW_DOCUMENT, article, clause, point, "vi"),
        label_en=citation_label(LAW_DOCUMENT, article, clause, point, "en"),
        text_vi=law_quote(article, clause, point),
        law_ref=(article, clause, point),
    )


@lru_cache(maxsize=64)
def configured_cites(
    refs: tuple[tuple[int, int | None, str | None], ...],
) -> tuple[Cite, ...]:
    """The law provisions a kind's setting names (``REMINDERS[kind]["cite"]``): the same few for
    every reminder of a kind, made once (the vendored law does not change while running)."""
    return tuple(law_cite(*ref) for ref in refs)


def catalogue_cite(ref: CitationRef) -> Cite:
    """A catalogue citation: law provisions re-read from the parsed law, decree text as stored."""
    if ref.document == LAW_DOCUMENT:
        try:
            return law_cite(ref.article, ref.clause, ref.point)
        except KeyError:
            pass
    return Cite(
        label_vi=citation_label(ref.document, ref.article, ref.clause, ref.point, "vi"),
        label_en=citation_label(ref.document, ref.article, ref.clause, ref.point, "en"),
        text_vi=quote(ref.document, ref.article, ref.clause, ref.point, ref.text_vi),
    )
