"""Comparing obligations under two catalogue versions (pure): every kind of change, its cite."""

from __future__ import annotations

from datetime import date

from inspections.rules.lawchange_notices import change_line
from inspections.rules.lawchanges import (
    authority_counts,
    compare_evaluations,
    new_amendments,
    rule_parameters,
)
from inspections.rules.obligations import Evaluation, ObligationResult
from inspections.rules.requirements import RequirementSpec

CITE = {"document": "347/2026/NĐ-CP", "article": 17, "clause": 1, "text_vi": "…"}
LAW_CITE = {"document": "55/2024/QH15", "article": 20, "clause": 5, "point": None}


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
        "New obligation: Title new — due 01/01/2027"
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


def test_rule_parameters_of_each_derived_fact_and_nested_lists():
    assert rule_parameters({"fact": "in_appendix_ii", "is": True}) == {"appendix_ii"}
    assert rule_parameters({"fact": "appendix_ii_group", "eq": 1}) == {"appendix_ii"}
    assert rule_parameters({"any": ({"fact": "appendix_vii_row", "ne": None},)}) == {"appendix_vii"}
    assert rule_parameters({"fact": "floors", "gte": 3}, None, [{"param": "k"}]) == {"k"}
    # A mapping with more than the "param" key is not a parameter reference.
    assert rule_parameters({"param": "k", "other": 1}) == set()
    assert rule_parameters({"in_table": 5}) == {"5"}
    assert rule_parameters() == set()


def test_new_amendments_are_the_provisions_the_old_item_did_not_carry():
    old = [{"document": "105/2025/NĐ-CP", "article": 14, "clause": 2, "point": "a", "text_vi": "x"}]
    kept = dict(old[0], text_vi="y")
    new = {"document": "105/2025/NĐ-CP", "article": 14, "clause": 2, "point": "b"}
    assert new_amendments(old, [kept, new]) == [new]
    assert new_amendments(None, [new]) == [new]
    assert new_amendments(old, None) == []
    assert isinstance(new_amendments(None, [new])[0], dict)


def test_an_amendment_is_new_when_any_part_of_its_reference_differs():
    old = {"document": "105/2025/NĐ-CP", "article": 14, "clause": 2, "point": "a"}
    others = [
        old | {"document": "347/2026/NĐ-CP"},
        old | {"article": 15},
        old | {"clause": 3},
        old | {"point": "b"},
    ]
    assert new_amendments([old], [old, *others]) == others


def test_change_in_full_and_removed_obligations_cite_why():
    before = Evaluation(obligations=[_ob("a", "met", date(2027, 1, 1)), _ob("gone")])
    after = Evaluation(obligations=[_ob("a", "overdue", date(2027, 1, 1))])
    changes = compare_evaluations(before, after, amended={}, why={"gone": [CITE], "a": [LAW_CITE]})
    assert changes == [
        {
            "code": "gone", "title_vi": "Tiêu đề gone", "title_en": "Title gone",
            "change": "removed", "before": {"status": "not_met", "due_date": None},
            "after": None, "cites": [CITE],
        },
        {
            "code": "a", "title_vi": "Tiêu đề a", "title_en": "Title a",
            "change": "status_changed",
            "before": {"status": "met", "due_date": "2027-01-01"},
            "after": {"status": "overdue", "due_date": "2027-01-01"}, "cites": [LAW_CITE],
        },
    ]  # fmt: skip


def test_amended_provisions_are_cited_before_other_reasons_and_sorted_by_code():
    before = Evaluation(obligations=[_ob("b"), _ob("a")])
    after = Evaluation(obligations=[_ob("b"), _ob("a"), _ob("c")])
    changes = compare_evaluations(
        before, after, amended={"b": [CITE], "a": [CITE]}, why={"b": [LAW_CITE], "c": [LAW_CITE]}
    )
    assert [(c["code"], c["change"], c["cites"]) for c in changes] == [
        ("c", "added", [LAW_CITE]),
        ("a", "amended", [CITE]),
        ("b", "amended", [CITE]),
    ]
    assert changes[0]["before"] is None
    assert compare_evaluations(before, before, amended={}, why={}) == []


def test_authority_counts_per_obligation_most_gained_or_lost_first():
    a = {"code": "A", "title_vi": "A vi", "title_en": "A en"}
    b = {"code": "B", "title_vi": "B vi", "title_en": ""}
    c = {"code": "C", "title_vi": "C vi", "title_en": "C en"}
    rows = authority_counts(
        [
            [a | {"change": "added"}, b | {"change": "status_changed"}, c | {"change": "removed"}],
            [a | {"change": "removed"}, b | {"change": "due_changed"}, c | {"change": "amended"}],
            [b | {"change": "amended"}],
        ]
    )
    assert rows == [
        {"code": "A", "title_vi": "A vi", "title_en": "A en", "added": 1, "removed": 1,
         "status_changed": 0, "due_changed": 0, "amended": 0},
        {"code": "C", "title_vi": "C vi", "title_en": "C en", "added": 0, "removed": 1,
         "status_changed": 0, "due_changed": 0, "amended": 1},
        {"code": "B", "title_vi": "B vi", "title_en": "", "added": 0, "removed": 0,
         "status_changed": 1, "due_changed": 1, "amended": 1},
    ]  # fmt: skip
    assert authority_counts([]) == []


def test_authority_counts_add_up_premises_with_the_same_change():
    a = {"code": "A", "title_vi": "A vi", "title_en": "A en", "change": "added"}
    rows = authority_counts([[a], [a], [a | {"change": "removed"}]])
    assert (rows[0]["added"], rows[0]["removed"]) == (2, 1)
