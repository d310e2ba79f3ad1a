"""The notices of a law change: each change's line, the heads' and the managers' notices, and
their wording through gettext (English in locale/en), each text in both languages."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from inspections.legal.parser import provision_text
from inspections.rules.lawchange_notices import (
    VersionInfo,
    change_line,
    cite_label,
    premises_message,
    premises_notice,
    summary_line,
    summary_message,
    summary_notice,
    version_sentence,
)
from inspections.rules.reminders.citations import Cite
from inspections.rules.reminders.reminder import Reminder
from inspections.rules.reminders.wording import Message, in_both_languages

CITE = {"document": "347/2026/NĐ-CP", "article": 17, "clause": 1, "text_vi": "…"}
LAW_CITE = {"document": "55/2024/QH15", "article": 20, "clause": 5, "point": None}
LAW_REF = Cite(
    "khoản 5 Điều 20 Luật 55/2024/QH15",
    "Art. 20.5 of Law 55/2024/QH15",
    provision_text(20, 5),
    (20, 5, None),
)
DECREE_REF = Cite(
    "khoản 1 Điều 17 Nghị định 347/2026/NĐ-CP", "Art. 17.1 of Decree 347/2026/NĐ-CP", "…"
)


def _change(kind, before=None, after=None, cites=(), title_en="Drill"):
    return {"code": "D", "title_vi": "Thực tập", "title_en": title_en, "change": kind,
            "before": before, "after": after, "cites": list(cites)}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "vi", "en"),
    [
        (_change("added", after={"status": "not_met", "due_date": None}),
         "Nghĩa vụ mới: Thực tập", "New obligation: Drill"),
        (_change("added", after={"status": "not_met", "due_date": "2027-07-01"}, cites=[LAW_CITE]),
         "Nghĩa vụ mới: Thực tập — hạn 01/07/2027 (căn cứ: khoản 5 Điều 20 Luật 55/2024/QH15)",
         "New obligation: Drill — due 01/07/2027 (under Art. 20.5 of Law 55/2024/QH15)"),
        (_change("removed", before={"status": "met", "due_date": None}, cites=[CITE, LAW_CITE]),
         "Không còn là nghĩa vụ: Thực tập (căn cứ: khoản 1 Điều 17 Nghị định 347/2026/NĐ-CP, "
         "khoản 5 Điều 20 Luật 55/2024/QH15)",
         "No longer an obligation: Drill (under Art. 17.1 of Decree 347/2026/NĐ-CP, Art. 20.5 of Law "
         "55/2024/QH15)"),
        (_change("status_changed", {"status": "unknown"}, {"status": "not_met"}),
         "Thay đổi tình trạng: Thực tập: chưa xác định → chưa đáp ứng",
         "Status changed: Drill: unknown → not met"),
        (_change("status_changed", {"status": "met"}, {"status": "odd"}),
         "Thay đổi tình trạng: Thực tập: đã đáp ứng → odd", "Status changed: Drill: met → odd"),
        (_change("due_changed", {"due_date": None}, {"due_date": "2027-12-31"}),
         "Thay đổi thời hạn: Thực tập: — → 31/12/2027",
         "Due date changed: Drill: — → 31/12/2027"),
        (_change("amended", {"status": "met"}, {"status": "met"}, title_en=""),
         "Nội dung được sửa đổi: Thực tập", "Content amended: Thực tập"),
    ],
)  # fmt: skip
def test_change_line_of_each_kind_in_both_languages(change, vi, en):
    assert (change_line(change, "vi"), change_line(change, "en")) == (vi, en)


def test_change_line_without_titles_and_with_unknown_statuses():
    bare = {"change": "status_changed", "before": {"status": "weird"}, "after": {"status": "met"}}
    assert change_line(bare, "vi") == "Thay đổi tình trạng: : weird → đã đáp ứng"
    assert change_line(bare, "en") == "Status changed: : weird → met"


def test_change_line_is_in_the_language_asked_for_not_the_active_one():
    change = _change("due_changed", {"due_date": "2027-01-01"}, {"due_date": None}, [LAW_CITE])
    with translation.override("en"):
        assert change_line(change, "vi") == (
            "Thay đổi thời hạn: Thực tập: 01/01/2027 → — (căn cứ: khoản 5 Điều 20 Luật 55/2024/QH15)"
        )
        assert translation.get_language() == "en"
    with translation.override("vi"):
        assert change_line(change, "en") == (
            "Due date changed: Drill: 01/01/2027 → — (under Art. 20.5 of Law 55/2024/QH15)"
        )


def test_cite_label_of_a_stored_citation():
    assert cite_label({"document": "55/2024/QH15", "article": "20", "clause": 5}, "en") == (
        "Art. 20.5 of Law 55/2024/QH15"
    )
    assert cite_label({"document": "198/2025/QH15"}, "vi") == "Điều 0 Nghị quyết 198/2025/QH15"


VERSION = VersionInfo("2026.1", date(2026, 9, 15), ("347/2026/NĐ-CP", "55/2024/QH15"))


def _premises_notice(**over):
    changes = [
        _change("added", after={"status": "not_met", "due_date": None}, cites=[CITE]),
        _change("removed", before={"status": "met", "due_date": None}, cites=[LAW_CITE, CITE]),
        _change("amended", cites=[]),
    ]
    args = dict(law_change_id=4, version=VERSION, premises_id=9, premises_name="Karaoke Sao Mai",
                changes=changes, head_ids=[6, 5, 6])  # fmt: skip
    return premises_notice(**(args | over))


def test_premises_notice_in_full():
    notice = _premises_notice()
    assert notice == Reminder(
        kind="law_change",
        subject_key="lawchange:4:premises:9",
        due_on=date(2026, 9, 15),
        stage="in_force",
        user_ids=(5, 6),
        title_vi="Thay đổi pháp luật từ 15/09/2026: nghĩa vụ của Karaoke Sao Mai",
        title_en="Change in the law from 15/09/2026: obligations of Karaoke Sao Mai",
        what_vi="3 nghĩa vụ thay đổi đối với Karaoke Sao Mai (1 mới, 1 không còn áp dụng).",
        what_en="3 obligations change for Karaoke Sao Mai (1 new, 1 no longer applies).",
        why_vi="Danh mục yêu cầu phiên bản 2026.1 áp dụng từ ngày 15/09/2026 "
        "(căn cứ: 347/2026/NĐ-CP, 55/2024/QH15).",
        why_en="Catalogue version 2026.1 applies from 15/09/2026 "
        "(legal basis: 347/2026/NĐ-CP, 55/2024/QH15).",
        cites=(DECREE_REF, LAW_REF),
        link=("portal:law_changes", ()),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        extra={
            "lines_vi": [
                "Nghĩa vụ mới: Thực tập (căn cứ: khoản 1 Điều 17 Nghị định 347/2026/NĐ-CP)",
                "Không còn là nghĩa vụ: Thực tập (căn cứ: khoản 5 Điều 20 Luật 55/2024/QH15, "
                "khoản 1 Điều 17 Nghị định 347/2026/NĐ-CP)",
                "Nội dung được sửa đổi: Thực tập",
            ],
            "lines_en": [
                "New obligation: Drill (under Art. 17.1 of Decree 347/2026/NĐ-CP)",
                "No longer an obligation: Drill (under Art. 20.5 of Law 55/2024/QH15, "
                "Art. 17.1 of Decree 347/2026/NĐ-CP)",
                "Content amended: Drill",
            ],
            "due_label_vi": "Áp dụng từ",
            "due_label_en": "Applies from",
            "what_label_vi": "Thay đổi",
            "what_label_en": "What changes",
            "catalogue_version": "2026.1",
        },
    )


def test_premises_notice_without_a_basis_heads_or_changes():
    plain = _premises_notice(version=VersionInfo("2026.1", date(2026, 9, 15)))
    assert plain.why_vi == "Danh mục yêu cầu phiên bản 2026.1 áp dụng từ ngày 15/09/2026."
    assert plain.why_en == "Catalogue version 2026.1 applies from 15/09/2026."
    assert _premises_notice(head_ids=[]) is None
    assert _premises_notice(changes=[]) is None


def test_stored_citations_with_missing_parts():
    assert cite_label({"article": 8, "clause": 3, "point": "c"}, "vi") == ("điểm c khoản 3 Điều 8")
    assert cite_label({"document": "105/2025/NĐ-CP", "article": 14, "clause": 2, "point": "a"},
                      "en") == "Art. 14.2.a of Decree 105/2025/NĐ-CP"  # fmt: skip
    notice = _premises_notice(
        changes=[_change("added", after={"due_date": None}, cites=[{"document": "105/2025/NĐ-CP",
                                                                     "article": 26}])]
    )  # fmt: skip
    assert notice.cites == (
        Cite("Điều 26 Nghị định 105/2025/NĐ-CP", "Art. 26 of Decree 105/2025/NĐ-CP", ""),
    )


def _summary(**over):
    rows = [
        {"code": "A", "title_vi": "A vi", "title_en": "A en", "added": 2, "removed": 1,
         "status_changed": 1, "due_changed": 2, "amended": 3},
        {"code": "B", "title_vi": "B vi", "title_en": "", "added": 0, "removed": 0,
         "status_changed": 0, "due_changed": 0, "amended": 1},
    ]  # fmt: skip
    args = dict(law_change_id=4, version=VERSION, authority_id=3, authority_name="UBND phường X",
                premises_count=12, rows=rows, manager_ids=[8, 7])  # fmt: skip
    return summary_notice(**(args | over))


def test_summary_notice_in_full():
    assert _summary() == Reminder(
        kind="law_change_summary",
        subject_key="lawchange:4:authority:3",
        due_on=date(2026, 9, 15),
        stage="in_force",
        user_ids=(7, 8),
        title_vi="Thay đổi pháp luật từ 15/09/2026: tổng hợp địa bàn UBND phường X",
        title_en="Change in the law from 15/09/2026: summary for UBND phường X",
        what_vi="Nghĩa vụ của 12 cơ sở trong địa bàn thay đổi.",
        what_en="The obligations of 12 premises in your jurisdiction change.",
        why_vi="Danh mục yêu cầu phiên bản 2026.1 áp dụng từ ngày 15/09/2026.",
        why_en="Catalogue version 2026.1 applies from 15/09/2026.",
        link=("portal:law_changes", ()),
        extra={
            "lines_vi": [
                "A vi (A): 2 cơ sở thêm, 1 cơ sở bỏ, 6 cơ sở thay đổi khác",
                "B vi (B): 0 cơ sở thêm, 0 cơ sở bỏ, 1 cơ sở thay đổi khác",
            ],
            "lines_en": [
                "A en (A): 2 premises gain it, 1 lose it, 6 other changes",
                "B vi (B): 0 premises gain it, 0 lose it, 1 other change",
            ],
            "due_label_vi": "Áp dụng từ",
            "due_label_en": "Applies from",
            "what_label_vi": "Thay đổi",
            "what_label_en": "What changes",
            "catalogue_version": "2026.1",
            "authority_id": 3,
        },
    )
    assert _summary(manager_ids=[]) is None
    assert _summary(rows=[]) is None


@pytest.mark.parametrize(
    ("counts", "vi", "en"),
    [
        ((1, 1, 0), "1 nghĩa vụ thay đổi đối với Karaoke Sao Mai (1 mới, 0 không còn áp dụng).",
         "1 obligation changes for Karaoke Sao Mai (1 new, 0 no longer apply)."),
        ((4, 0, 1), "4 nghĩa vụ thay đổi đối với Karaoke Sao Mai (0 mới, 1 không còn áp dụng).",
         "4 obligations change for Karaoke Sao Mai (0 new, 1 no longer applies)."),
        ((5, 2, 3), "5 nghĩa vụ thay đổi đối với Karaoke Sao Mai (2 mới, 3 không còn áp dụng).",
         "5 obligations change for Karaoke Sao Mai (2 new, 3 no longer apply)."),
    ],
)  # fmt: skip
def test_premises_message_counts_in_both_languages(counts, vi, en):
    changed, added, removed = counts
    texts = in_both_languages(
        lambda: premises_message(version=VERSION, premises_name="Karaoke Sao Mai",
                                 changed=changed, added=added, removed=removed)
    )  # fmt: skip
    assert (texts["what_vi"], texts["what_en"]) == (vi, en)
    assert texts["title_vi"] == "Thay đổi pháp luật từ 15/09/2026: nghĩa vụ của Karaoke Sao Mai"
    assert texts["title_en"] == "Change in the law from 15/09/2026: obligations of Karaoke Sao Mai"


def test_version_sentence_with_and_without_a_legal_basis():
    def both(version):
        texts = in_both_languages(lambda: Message("", version_sentence(version)))
        return texts["what_vi"], texts["what_en"]

    assert both(VersionInfo("2027.2", date(2027, 1, 1), ("12/2026/TT-BCA",))) == (
        "Danh mục yêu cầu phiên bản 2027.2 áp dụng từ ngày 01/01/2027 (căn cứ: 12/2026/TT-BCA).",
        "Catalogue version 2027.2 applies from 01/01/2027 (legal basis: 12/2026/TT-BCA).",
    )
    assert both(VersionInfo("2027.2", date(2027, 1, 1))) == (
        "Danh mục yêu cầu phiên bản 2027.2 áp dụng từ ngày 01/01/2027.",
        "Catalogue version 2027.2 applies from 01/01/2027.",
    )


def test_summary_message_leaves_the_basis_to_its_lines():
    texts = in_both_languages(
        lambda: summary_message(version=VERSION, authority_name="UBND xã Y", premises_count=1)
    )
    assert texts == {
        "title_vi": "Thay đổi pháp luật từ 15/09/2026: tổng hợp địa bàn UBND xã Y",
        "title_en": "Change in the law from 15/09/2026: summary for UBND xã Y",
        "what_vi": "Nghĩa vụ của 1 cơ sở trong địa bàn thay đổi.",
        "what_en": "The obligations of 1 premises in your jurisdiction change.",
        "why_vi": "Danh mục yêu cầu phiên bản 2026.1 áp dụng từ ngày 15/09/2026.",
        "why_en": "Catalogue version 2026.1 applies from 15/09/2026.",
    }


def test_summary_line_says_other_changes_in_the_singular_and_plural():
    row = {"code": "A", "title_vi": "A vi", "title_en": "A en", "added": 1, "removed": 0,
           "status_changed": 0, "due_changed": 1, "amended": 0}  # fmt: skip
    with translation.override("en"):
        assert summary_line(row, "en") == "A en (A): 1 premises gain it, 0 lose it, 1 other change"
    with translation.override("vi"):
        assert summary_line(row | {"amended": 1}, "en") == (
            "A en (A): 1 premises gain it, 0 lose it, 2 other changes"
        )
    assert summary_line(row, "vi") == "A vi (A): 1 cơ sở thêm, 0 cơ sở bỏ, 1 cơ sở thay đổi khác"
