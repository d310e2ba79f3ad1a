"""A requirement's citations: labels in the one citation style, and their stored form."""

from __future__ import annotations

from inspections.rules.requirements import CitationRef

from .common import ART_20_5, ART_23_1_C, DECREE_14_2, DECREE_26


def test_citation_labels_in_the_one_citation_style():
    assert (ART_20_5.label_vi, ART_20_5.label_en) == (
        "khoản 5 Điều 20 Luật 55/2024/QH15",
        "Art. 20.5 of Law 55/2024/QH15",
    )
    assert (ART_23_1_C.label_vi, ART_23_1_C.label_en) == (
        "điểm c khoản 1 Điều 23 Luật 55/2024/QH15",
        "Art. 23.1.c of Law 55/2024/QH15",
    )
    assert DECREE_14_2.label_vi == "điểm a khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP"
    assert DECREE_14_2.label_en == "Art. 14.2.a of Decree 105/2025/NĐ-CP"
    assert (DECREE_26.label_vi, DECREE_26.label_en) == (
        "Điều 26 Nghị định 105/2025/NĐ-CP",
        "Art. 26 of Decree 105/2025/NĐ-CP",
    )
    no_clause = CitationRef("55/2024/QH15", 47, None, "a", "")
    assert (no_clause.label_vi, no_clause.label_en) == (
        "điểm a Điều 47 Luật 55/2024/QH15",
        "Art. 47 of Law 55/2024/QH15",
    )
    assert DECREE_14_2.as_dict() == {
        "label_vi": "điểm a khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP",
        "label_en": "Art. 14.2.a of Decree 105/2025/NĐ-CP",
        "document": "105/2025/NĐ-CP", "article": 14, "clause": 2, "point": "a",
        "text_vi": "Tự kiểm tra …", "confidence": "draft",
    }  # fmt: skip
    assert ART_20_5.as_dict()["confidence"] == "verified"
