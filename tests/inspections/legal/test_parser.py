"""The law parser: every article, clause and point of Law 55/2024/QH15, verbatim, nothing lost."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from inspections.legal.parser import (
    LAW_PATH,
    POINT_LETTERS,
    article_title,
    get_provision,
    parse_document,
    parse_law,
    provision_text,
    vendored_law,
)
from tests.tools import under_ci

# ../shared beside the repository (as laid out for developers and CI).
SHARED_LAW = Path(__file__).resolve().parents[3].parent / "shared" / "law" / "luat-55-2024-qh15.txt"


def _counts(article: int) -> tuple[int, int]:
    ps = [p for p in vendored_law().provisions if p.article == article]
    clauses = sum(1 for p in ps if p.clause is not None and p.point is None)
    points = sum(1 for p in ps if p.point is not None)
    return clauses, points


def test_vendored_law_is_byte_identical_to_the_shared_copy():
    if not SHARED_LAW.exists():
        if under_ci():
            pytest.fail(f"{SHARED_LAW} is missing: CI lays ../shared beside the repository")
        pytest.skip("shared law copy not present beside the repository")
    assert LAW_PATH.read_bytes() == SHARED_LAW.read_bytes()


def test_every_article_1_to_55_is_present_with_its_title():
    articles = [p for p in vendored_law().provisions if p.clause is None]
    assert [p.article for p in articles] == list(range(1, 56))
    assert all(p.heading for p in articles)
    assert article_title(1) == "Phạm vi điều chỉnh"
    assert article_title(23) == "Phòng cháy đối với cơ sở"
    assert article_title(54) == "Hiệu lực thi hành"
    assert article_title(55) == "Quy định chuyển tiếp"


@pytest.mark.parametrize(
    ("article", "clauses", "points"),
    [
        (2, 22, 0),  # definitions 1..22
        (8, 10, 25),  # 3: a-h, 4: a-e (with đ), 6: a-d, 7: a-đ, 8: a-b
        (11, 4, 8),
        (12, 0, 0),  # one paragraph, no clauses
        (16, 2, 11),  # 1: a-g, 2: a-d
        (20, 6, 4),
        (23, 2, 10),  # 1: a-e with đ (6), 2: a-d
        (45, 5, 14),  # 1: a-i (9), 2: a-đ (5)
        (53, 3, 0),  # quoted amendments create no points
        (55, 7, 5),  # 6: a-đ
    ],
)
def test_clause_and_point_counts_checked_by_hand(article, clauses, points):
    assert _counts(article) == (clauses, points)


def test_totals_match_the_numbered_lines_of_the_file():
    text = LAW_PATH.read_text(encoding="utf-8")
    point_lines = len(re.findall(r"^[a-zđ]\)", text, flags=re.M))
    clause_lines = len(re.findall(r"^\d+\.", text, flags=re.M))
    ps = vendored_law().provisions
    # Two "d)"/"đ)" lines sit inside the amendment quoted by Art. 53.3 and are not points.
    assert sum(1 for p in ps if p.point) == point_lines - 2 == 185
    assert sum(1 for p in ps if p.clause and not p.point) == clause_lines == 258


def test_verbatim_texts():
    assert provision_text(23, 1, "c") == (
        "Trang bị thiết bị truyền tin báo cháy kết nối với hệ thống Cơ sở dữ liệu về phòng cháy, "
        "chữa cháy, cứu nạn, cứu hộ và truyền tin báo cháy; khai báo, cập nhật dữ liệu về phòng "
        "cháy, chữa cháy, cứu nạn, cứu hộ theo lộ trình do Chính phủ quy định;"
    )
    assert provision_text(54, 4) == (
        "Việc trang bị thiết bị truyền tin báo cháy kết nối với hệ thống Cơ sở dữ liệu về phòng "
        "cháy, chữa cháy, cứu nạn, cứu hộ và truyền tin báo cháy theo lộ trình quy định tại khoản 5 "
        "Điều 20 và điểm c khoản 1 Điều 23 của Luật này được thực hiện chậm nhất từ ngày 01 tháng 7 "
        "năm 2027."
    )
    text_20_5 = provision_text(20, 5)
    paragraphs = text_20_5.split("\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Đối với nhà ở tại thành phố trực thuộc trung ương")
    assert paragraphs[1].startswith("Đối với nhà ở tại khu vực khác thì khuyến khích")
    assert paragraphs[2] == (
        "Ủy ban nhân dân thành phố trực thuộc trung ương xác định khu vực không bảo đảm hạ tầng "
        "giao thông hoặc nguồn nước phục vụ chữa cháy."
    )
    assert provision_text(12) == (
        "Ngày 04 tháng 10 hằng năm là “Ngày toàn dân phòng cháy, chữa cháy, cứu nạn, cứu hộ”."
    )


def test_point_d_with_stroke_follows_d():
    assert provision_text(23, 1, "d").startswith("Thực hiện các yêu cầu về phòng cháy và chữa cháy")
    assert provision_text(23, 1, "đ") == "Có phương án chữa cháy, cứu nạn, cứu hộ;"
    assert provision_text(23, 1, "e").startswith("Thành lập lực lượng phòng cháy")
    letters = [
        p.point for p in vendored_law().provisions if p.article == 45 and p.clause == 1 and p.point
    ]
    assert letters == list(POINT_LETTERS[:9])  # a b c d đ e g h i


def test_headings_are_not_glued_into_the_previous_clause():
    assert provision_text(14, 11).endswith("cứu nạn, cứu hộ cơ giới.")
    assert "Chương" not in provision_text(14, 11)
    assert provision_text(24, 4).endswith("theo quy định của pháp luật về điện lực.")
    assert get_provision(25).chapter.startswith("Chương III")
    assert "Luật này được Quốc hội" not in provision_text(55, 7)
    assert vendored_law().closing[0].startswith("Luật này được Quốc hội")


def test_quoted_amendments_stay_inside_the_clause_that_quotes_them():
    text = provision_text(53, 3)
    assert "d) Công trình thi công không đúng theo thiết kế" in text
    assert text.endswith("mà đã đưa vào hoạt động;”.")
    assert provision_text(53, 1).endswith("“d) Hoạt động phòng cháy, chữa cháy, cứu nạn, cứu hộ.”.")
    with pytest.raises(KeyError):
        get_provision(53, 3, "d")
    with pytest.raises(KeyError):
        get_provision(56)


def test_continuation_paragraphs_belong_to_their_clause():
    assert provision_text(6, 2).endswith("là 114.")
    assert provision_text(8, 8).endswith("theo quy định tại Điều 21 của Luật này.")
    assert provision_text(8, 8, "b").endswith(
        "trừ trường hợp có thỏa thuận khác với người cho thuê, mượn, ở nhờ nhà ở."
    )


def test_no_text_is_lost():
    raw = LAW_PATH.read_text(encoding="utf-8")
    law = parse_document(raw)
    expected = Counter(line.strip() for line in raw.splitlines() if line.strip())
    accounted: Counter[str] = Counter(law.preamble + law.headings + law.closing)
    for p in law.provisions:
        if p.clause is None:
            accounted[f"Điều {p.article}. {p.heading}"] += 1
        label = ""
        if p.point:
            label = f"{p.point}) "
        elif p.clause is not None:
            label = f"{p.clause}. "
        paragraphs = p.text.split("\n") if p.text else []
        for i, paragraph in enumerate(paragraphs):
            accounted[(label + paragraph) if i == 0 else paragraph] += 1
    assert accounted == expected


def test_parse_law_is_pure_and_handles_a_small_text():
    text = (
        "Chương I\n\nA\n\nĐiều 1. Một\n\nMở đầu.\n\n1. Khoản một:\n\na) điểm a;\n\nd) lạc;\n\n"
        "Mục 1\n\nB\n\nĐiều 2. Hai\n\n1. Chỉ một khoản.\n"
    )
    ps = parse_law(text)
    assert [(p.article, p.clause, p.point) for p in ps] == [
        (1, None, None),
        (1, 1, None),
        (1, 1, "a"),
        (2, None, None),
        (2, 1, None),
    ]
    # "d)" out of sequence after "a)" stays text of the clause rather than inventing a point.
    assert ps[1].text == "Khoản một:\nd) lạc;"
