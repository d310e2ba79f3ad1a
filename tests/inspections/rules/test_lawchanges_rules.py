"""Comparing obligations under two catalogue versions (pure): every kind of change, its cite."""

from __future__ import annotations

from datetime import date

from inspections.rules.lawchanges import change_line, compare_evaluations, rule_parameters
from inspections.rules.obligations import Evaluation, ObligationResult, RequirementSpec

CITE = {"document": "347/2026/NĐ-CP", "article": 17, "clause": 1, "text_vi": "…"}


def _ob(code: str, status: str = "not_met", due: date | None = None) -> ObligationResult:
    spec = RequirementSpec(code, f"Tiêu đề {code}", f"Title {code}", ("establishment",), {}, ())
    return ObligationResult(spec, status, due, None, "", "")


def test_every_kind_of_change_with_its_amending_provision():
    before = Evaluation(
        obligations=[
            _ob("gone"),
            _ob("status", "met"),
            _ob("due", due=date(2027, 7, 1)),
            _ob("same"),
            _ob("reworded"),
        ]
    )
    after = Evaluation(
        obligations=[
            _ob("new", due=date(2027, 1, 1)),
            _ob("status", "overdue"),
            _ob("due", due=date(2027, 12, 31)),
            _ob("same"),
            _ob("reworded"),
        ]
    )
    changes = compare_evaluations(
        before, after, amended={"reworded": [CITE], "new": [CITE]}, why={"due": [CITE]}
    )
    assert [(c["code"], c["change"]) for c in changes] == [
        ("new", "added"),
        ("gone", "removed"),
        ("status", "status_changed"),
        ("due", "due_changed"),
        ("reworded", "amended"),
    ]
    by_code = {c["code"]: c for c in changes}
    assert by_code["due"]["cites"] == [CITE] and by_code["gone"]["cites"] == []
    assert change_line(by_code["due"], "vi") == (
        "Thay đổi thời hạn: Tiêu đề due: 01/07/2027 → 31/12/2027 "
        "(căn cứ: khoản 1 Điều 17 Nghị định 347/2026/NĐ-CP)"
    )
    assert change_line(by_code["status"], "en") == "Status changed: Title status: met → overdue"
    assert change_line(by_code["new"], "en").startswith(
        "New obligation: Title new — due 2027-01-01"
    )


def test_rule_parameters_follow_params_tables_and_derived_facts():
    rule = {
        "all": [
            {"fact": "under_fire_safety_management", "is": True},
            {"fact": "floors", "gte": {"param": "x.floors"}},
            {"in_table": "appendix_vii"},
        ]
    }
    deadline = {
        "type": "recurring",
        "fact": "last_drill_on",
        "months": {"param": "frequency.drill_months"},
    }
    assert rule_parameters(rule, deadline) == {
        "appendix_i",
        "x.floors",
        "appendix_vii",
        "frequency.drill_months",
    }
