"""Decree 105 Art. 13 content points: points from citations, whose set applies, item scope."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from inspections.rules.content_points import (
    allowed_points,
    audience,
    item_in_scope,
    point_citations,
    points_from_citations,
)

LAW, DECREE = "55/2024/QH15", "105/2025/NĐ-CP"


def _c(document, article, clause=None, point=None):
    return {"document": document, "article": article, "clause": clause, "point": point}


@pytest.mark.parametrize(
    ("cite", "point"),
    [
        (_c(LAW, 8, 3), "a"), (_c(LAW, 8, 3, "c"), "a"), (_c(LAW, 8, 4), "b"),
        (_c(LAW, 8, 6), "n"), (_c(LAW, 8, 8), "n"), (_c(LAW, 10, 1), "a"),
        (_c(LAW, 11, 3), "a"), (_c(LAW, 37, 1), "a"), (_c(LAW, 55, 6, "a"), "a"),
        (_c(LAW, 23, 1, "c"), "đ"), (_c(LAW, 23, 1, "a"), None), (_c(LAW, 8, 5), None),
        (_c(DECREE, 14, 2), "a"), (_c(DECREE, 16), "a"), (_c(DECREE, 20, 5), "a"),
        (_c(DECREE, 26), "đ"), (_c(DECREE, 43), "a"), (_c(DECREE, 25), "đ"),
        (_c(DECREE, 27), "đ"), (_c(DECREE, 13), None),
        (_c("136/2020/NĐ-CP", 14), None), (_c(None, 8, 3), None),
    ],
)  # fmt: skip
def test_point_of_each_cited_provision(cite, point):
    assert points_from_citations([cite]) == ([point] if point else [])


def test_points_keep_citation_order_without_repeats_and_read_objects_too():
    cites = [
        _c(DECREE, 26),
        SimpleNamespace(document=LAW, article=8, clause=3, point="a"),
        _c(LAW, 23, 1, "c"),
        SimpleNamespace(document=DECREE, article=14),  # no clause or point attribute
    ]
    assert points_from_citations(cites) == ["đ", "a"]


def test_audience_of_an_authority_inspection_is_the_authority_kind():
    kw = dict(premises_kind="home", managed=False)
    assert audience(inspection_kind="periodic", authority_kind="fire_police", **kw) == "fire_police"
    assert audience(inspection_kind="surprise", authority_kind="", **kw) is None
    assert audience(inspection_kind="periodic", authority_kind=None, **kw) is None


@pytest.mark.parametrize(
    ("premises_kind", "managed", "scope", "who"),
    [
        ("home", False, "periodic", "household"),
        ("home", True, "periodic", "self_periodic"),
        ("home_business", False, "regular", "home_business"),
        ("home_business", True, "regular", "self_regular"),
        ("establishment", False, "regular", "self_regular"),
        ("establishment", True, "periodic", "self_periodic"),
    ],
)
def test_audience_of_a_self_inspection(premises_kind, managed, scope, who):
    got = audience(
        inspection_kind="self",
        authority_kind="fire_police",
        premises_kind=premises_kind,
        managed=managed,
        self_scope=scope,
    )
    assert got == who


def test_self_inspection_scope_defaults_to_periodic():
    got = audience(
        inspection_kind="self", authority_kind=None, premises_kind="establishment", managed=True
    )
    assert got == "self_periodic"


TABLE = {
    "inspection_content_points": {
        "by_premises_kind": {"vehicle": {"fire_police": ["b"]}, "home": None},
        "by_authority": {"fire_police": ["a", "đ"], "commune_committee": ["a"]},
        "points": {"a": {"text_vi": "Thực hiện trách nhiệm"}},
    }
}


def test_allowed_points_by_premises_kind_then_by_authority():
    assert allowed_points(TABLE, "fire_police", "vehicle") == {"b"}
    assert allowed_points(TABLE, "fire_police", "establishment") == {"a", "đ"}
    assert allowed_points(TABLE, "fire_police", "home") == {"a", "đ"}
    assert allowed_points(TABLE, "commune_committee", "vehicle") == {"a"}


def test_no_filtering_when_the_catalogue_or_the_audience_says_nothing():
    assert allowed_points(TABLE, "construction", "establishment") is None
    assert allowed_points(TABLE, None, "establishment") is None
    assert allowed_points(TABLE, "", "establishment") is None
    assert allowed_points({}, "fire_police", "establishment") is None
    no_authorities = {"inspection_content_points": {"by_premises_kind": None}}
    assert allowed_points(no_authorities, "fire_police", "home") is None


def test_item_in_scope():
    assert item_in_scope(["a", "b"], {"b"}) is True
    assert item_in_scope(["a"], {"b"}) is False
    assert item_in_scope([], {"b"}) is True  # never hidden for want of a mapping
    assert item_in_scope(["a"], None) is True
    assert item_in_scope(["a"], set()) is False


def test_point_citations_are_decree_105_art_13_1_snapshots():
    assert point_citations(TABLE, ["a", "đ"]) == [
        {
            "document": "105/2025/NĐ-CP",
            "article": 13,
            "clause": 1,
            "point": "a",
            "heading": "Nội dung, thẩm quyền kiểm tra về phòng cháy, chữa cháy",
            "text_vi": "Thực hiện trách nhiệm",
            "confidence": "verified",
            "label_vi": "điểm a khoản 1 Điều 13 Nghị định 105/2025/NĐ-CP",
            "label_en": "Art. 13.1.a of Decree 105/2025/NĐ-CP",
        },
        {
            "document": "105/2025/NĐ-CP",
            "article": 13,
            "clause": 1,
            "point": "đ",
            "heading": "Nội dung, thẩm quyền kiểm tra về phòng cháy, chữa cháy",
            "text_vi": "",
            "confidence": "verified",
            "label_vi": "điểm đ khoản 1 Điều 13 Nghị định 105/2025/NĐ-CP",
            "label_en": "Art. 13.1.đ of Decree 105/2025/NĐ-CP",
        },
    ]
    assert point_citations({}, ["a"])[0]["text_vi"] == ""
    assert point_citations({"inspection_content_points": {"points": None}}, []) == []
