"""The catalogue data file: every duty of the law covered, every citation resolves to the law."""

from __future__ import annotations

import pytest

from inspections.legal.catalogue_file import (
    CATALOGUE_DIR,
    CatalogueFileError,
    latest_catalogue_file,
    parse_catalogue,
    read_catalogue,
    requirement_specs,
)
from inspections.legal.parser import LAW_DOCUMENT, provision_text, vendored_law


@pytest.fixture(scope="module")
def data():
    return read_catalogue(latest_catalogue_file())


def _cited(data) -> set[tuple[int, int | None, str | None]]:
    return {
        (c.article, c.clause, c.point)
        for r in data.requirements
        for c in r.citations
        if c.document == LAW_DOCUMENT
    }


def _primary(data) -> list[tuple[int, int | None, str | None]]:
    # The Decree 105 recurring duties (D105-*) cite the law clause they carry out; they are not
    # the law point's own requirement.
    return [
        (r.citations[0].article, r.citations[0].clause, r.citations[0].point)
        for r in data.requirements
        if not r.code.startswith("D105-")
    ]


def _points(article: int, clause: int) -> list[str]:
    return [
        p.point
        for p in vendored_law().provisions
        if p.article == article and p.clause == clause and p.point
    ]


# Duties of the person responsible for premises, by article and clause of the law.
LISTED_POINTS = {
    (8, 3): _points(8, 3),
    (8, 4): _points(8, 4),
    (19, 1): _points(19, 1),
    (20, 1): _points(20, 1),
    (20, 2): _points(20, 2),
    (22, 1): _points(22, 1),
    (23, 1): _points(23, 1),
    (23, 2): _points(23, 2),
}


@pytest.mark.parametrize(("key", "letters"), sorted(LISTED_POINTS.items()))
def test_one_requirement_per_listed_point(data, key, letters):
    primary = _primary(data)
    for letter in letters:
        if (key, letter) == ((23, 1), "d"):
            # 23.1.d refers to Art. 16.1 a–e: one requirement per referred point instead.
            continue
        if (key, letter) == ((8, 3), "b") and data.version != "2025.1":
            # Issue 19.6: the on-site team is one requirement (L55-23.1.e) citing 8.3.b too.
            team = next(r for r in data.requirements if r.code == "L55-23.1.e")
            assert (8, 3, "b") in {(c.article, c.clause, c.point) for c in team.citations}
            continue
        assert primary.count((*key, letter)) == 1, f"Điều {key[0]}.{key[1]}.{letter}"


def test_points_of_16_1_referred_by_23_1_d_each_have_a_requirement(data):
    codes = {r.code: r for r in data.requirements}
    for letter in ("a", "b", "c", "d", "đ", "e"):
        code = f"L55-23.1.d-16.1.{'dd' if letter == 'đ' else letter}"
        cited = {(c.article, c.clause, c.point) for c in codes[code].citations}
        assert {(23, 1, "d"), (16, 1, letter)} <= cited


def test_every_duty_of_issue_4_is_cited(data):
    cited = _cited(data)
    clauses = {(a, c) for a, c, _p in cited}
    for article, clause in [(10, 1), (19, 2), (20, 5), (37, 1), (43, 2), (48, 1), (54, 4)]:
        assert (article, clause) in clauses, f"Điều {article}.{clause}"
    for point in [
        (8, 6, "a"), (8, 6, "b"), (8, 6, "c"), (8, 6, "d"), (11, 3, "a"),
        (21, 1, "a"), (21, 1, "b"), (21, 1, "c"), (21, 2, "a"), (21, 2, "b"), (21, 2, "c"),
        (21, 2, "d"), (22, 2, "a"), (22, 2, "b"), (22, 2, "c"), (22, 2, "d"),
        (24, 1, "a"), (24, 1, "c"), (24, 1, "d"), (24, 2, "a"), (24, 2, "b"),
        (45, 1, "c"), (45, 1, "d"), (45, 1, "đ"), (55, 6, "c"), (55, 6, "d"),
    ]:  # fmt: skip
        assert point in cited, point


def test_every_law_citation_resolves_and_carries_no_typed_text(data):
    for r in data.requirements:
        for c in r.citations:
            if c.document == LAW_DOCUMENT:
                assert c.text_vi is None
                assert provision_text(c.article, c.clause, c.point)
            else:
                assert c.text_vi and c.confidence in ("verified", "secondary", "unconfirmed")


def test_specs_take_the_law_text_from_the_parser(data):
    spec = next(s for s in requirement_specs(data) if s.code == "L55-23.1.c")
    assert spec.citations[0].text_vi == provision_text(23, 1, "c")
    assert spec.citations[1].text_vi == provision_text(54, 4)


def test_decree_parameters_of_2025_1_carry_source_and_confidence():
    # Catalogue 2025.1 as published (defaults before the decree text was read); 2025.2 has its
    # own tests in test_catalogue_2025_2.py.
    data = read_catalogue(CATALOGUE_DIR / "2025.1.yaml")
    params = {p.key: p for p in data.parameters}
    for p in params.values():
        assert p.source and p.confidence in ("verified", "secondary", "unconfirmed")
    assert params["roadmap.alarm_transmission_deadline"].value == "2027-07-01"
    assert params["roadmap.alarm_transmission_deadline"].confidence == "verified"
    milestones = {m["date"]: m for m in params["roadmap.milestones"].value}
    assert milestones["2027-07-01"]["confidence"] == "verified"
    for draft in ("2026-01-01", "2026-07-01", "2028-07-01"):
        assert milestones[draft]["confidence"] == "unconfirmed"
    vii = {row["id"] for row in params["appendix_vii"].value}
    # Every example row of the fact sheet.
    assert {
        "vii.apartment", "vii.kindergarten", "vii.school", "vii.hospital", "vii.clinic",
        "vii.karaoke", "vii.market", "vii.petrol", "vii.hotel", "vii.factory", "vii.warehouse",
        "vii.car_park", "vii.home_business",
    } <= vii  # fmt: skip
    ii = {row["id"]: row for row in params["appendix_ii"].value}
    assert ii["ii.apartment.1"]["group"] == 1 and ii["ii.apartment.2"]["group"] == 2
    assert params["inspection_authority"].value["appendix_ii"] == "fire_police"
    assert params["frequency.periodic_inspection_months"].confidence == "unconfirmed"
    assert params["inspection_cap"].value["max_per_year"] == 1


def test_invalid_file_reports_every_problem():
    raw = {
        "version": "x",
        "parameters": [],
        "requirements": [
            {
                "code": "A",
                "title_vi": "t",
                "title_en": "t",
                "question_vi": "q",
                "question_en": "q",
                "premises_kinds": ["spaceship"],
                "applicability": {"fact": "floors", "gte": 1, "lte": 3},
                "citations": [
                    {"document": LAW_DOCUMENT, "article": 23, "clause": 1, "point": "z"},
                    {"document": LAW_DOCUMENT, "article": 20, "clause": 5, "text_vi": "typed"},
                ],
                "severity": "fatal",
            }
        ],
    }
    with pytest.raises(CatalogueFileError) as exc:
        parse_catalogue(raw)
    text = "\n".join(exc.value.errors)
    assert "premises_kinds" in text
    assert "exactly one operator" in text
    assert "điểm z khoản 1 Điều 23" in text
    assert "must not carry text_vi" in text
    assert "severity" in text
