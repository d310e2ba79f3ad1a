"""What the obligation rules' tests share: the day, citations and a requirement built by hand."""

from __future__ import annotations

from datetime import date

from inspections.rules.requirements import CitationRef, RequirementSpec

ON = date(2026, 11, 30)
ART_20_5 = CitationRef("55/2024/QH15", 20, 5, None, "Đối với nhà ở …")
ART_23_1_C = CitationRef("55/2024/QH15", 23, 1, "c", "Trang bị …")
DECREE_14_2 = CitationRef("105/2025/NĐ-CP", 14, 2, "a", "Tự kiểm tra …", "draft")
DECREE_26 = CitationRef("105/2025/NĐ-CP", 26, None, None, "Khai báo …")
L20, E20 = "khoản 5 Điều 20 Luật 55/2024/QH15", "Art. 20.5 of Law 55/2024/QH15"


def spec(rule=None, code="R", applicability=None, citations=(ART_20_5,), **kw) -> RequirementSpec:
    """A requirement of establishments and homes with the given deadline rule."""
    return RequirementSpec(
        code, f"Tiêu đề {code}", f"Title {code}", ("establishment", "home"),
        applicability or {}, citations, deadline_rule=rule, **kw,
    )  # fmt: skip
