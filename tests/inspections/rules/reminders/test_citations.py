"""Reminder citations: law provisions re-read from the parsed law, decree text kept."""

from __future__ import annotations

from inspections.legal.parser import provision_text
from inspections.rules.reminders.citations import (
    Cite,
    catalogue_cite,
    cite_label,
    cite_text,
    law_cite,
)
from inspections.rules.requirements import CitationRef

from .common import ART_20_5, ART_23_1_C, DECREE_CITE


def test_law_cite_carries_the_verbatim_text_and_only_a_reference_in_the_payload():
    cite = law_cite(20, 5)
    assert cite == ART_20_5
    assert cite.as_dict() == {
        "label_vi": "khoản 5 Điều 20 Luật 55/2024/QH15",
        "label_en": "Art. 20.5 of Law 55/2024/QH15",
        "law": ["55/2024/QH15", 20, 5, None],
    }
    assert law_cite(23, 1, "c") == ART_23_1_C


def test_stored_citation_text_is_read_again_from_the_law():
    assert cite_text({"law": ["55/2024/QH15", 20, 5, None]}) == provision_text(20, 5)
    assert cite_text({"text_vi": "Văn bản lưu"}) == "Văn bản lưu"
    assert cite_text({"text_vi": "", "law": ["55/2024/QH15", 23, 1, "c"]}) == provision_text(
        23, 1, "c"
    )
    # A provision that does not exist, another document, or nothing at all: no text.
    assert cite_text({"law": ["55/2024/QH15", 999, 1, None]}) == ""
    assert cite_text({"law": ["105/2025/NĐ-CP", 20, 5, None]}) == ""
    assert cite_text({}) == ""


def test_decree_text_citation_payload_keeps_the_text():
    assert DECREE_CITE.as_dict() == {
        "label_vi": "khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP",
        "label_en": "Art. 14.2 of Decree 105/2025/NĐ-CP",
        "text_vi": "…",
    }


def test_catalogue_cite_of_the_law_rereads_the_law_and_of_a_decree_keeps_its_text():
    law = CitationRef("55/2024/QH15", 20, 5, None, "old copy")
    assert catalogue_cite(law) == ART_20_5
    point = CitationRef("55/2024/QH15", 23, 1, "c", "old copy")
    assert catalogue_cite(point) == ART_23_1_C
    decree = CitationRef("105/2025/NĐ-CP", 14, 2, None, "Văn bản nghị định")
    assert catalogue_cite(decree) == Cite(
        "khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP",
        "Art. 14.2 of Decree 105/2025/NĐ-CP",
        "Văn bản nghị định",
    )
    other = CitationRef("198/2025/QH15", 4, None, None, "Nghị quyết")
    assert catalogue_cite(other) == Cite(
        "Điều 4 Nghị quyết 198/2025/QH15", "Art. 4 of Resolution 198/2025/QH15", "Nghị quyết"
    )
    # A law provision missing from the parsed text falls back to the stored text.
    missing = CitationRef("55/2024/QH15", 999, 1, "a", "stored")
    assert catalogue_cite(missing) == Cite(
        "điểm a khoản 1 Điều 999 Luật 55/2024/QH15", "Art. 999.1.a of Law 55/2024/QH15", "stored"
    )


def test_stored_citation_label_in_each_language():
    # A law reference is labelled again in the current style, whatever label was stored.
    law = {"label_vi": "cũ", "label_en": "old", "law": ["55/2024/QH15", 23, 1, "c"]}
    assert cite_label(law, "vi") == "điểm c khoản 1 Điều 23 Luật 55/2024/QH15"
    assert cite_label(law, "en") == "Art. 23.1.c of Law 55/2024/QH15"
    # Decree text: the stored label of the language, the Vietnamese one when it is missing.
    decree = DECREE_CITE.as_dict()
    assert cite_label(decree, "en") == "Art. 14.2 of Decree 105/2025/NĐ-CP"
    assert cite_label(decree, "vi") == "khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP"
    assert cite_label({"label_vi": "Điều 4", "label_en": ""}, "en") == "Điều 4"
    # A malformed reference falls back to the labels; nothing at all gives nothing.
    assert cite_label({"label_vi": "Điều 5", "law": ["55/2024/QH15", 5]}, "en") == "Điều 5"
    assert cite_label({}, "vi") == ""


def test_a_point_missing_from_an_existing_clause_keeps_the_stored_text():
    # Art. 20.5 exists but has no point "z": the clause's text must not be quoted in its place.
    ref = CitationRef("55/2024/QH15", 20, 5, "z", "stored")
    assert catalogue_cite(ref) == Cite(
        "điểm z khoản 5 Điều 20 Luật 55/2024/QH15", "Art. 20.5.z of Law 55/2024/QH15", "stored"
    )
