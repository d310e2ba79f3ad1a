"""Finding reminders: remediation deadlines, the authority's decision, overdue for managers."""

from __future__ import annotations

from inspections.rules.reminders.findings import (
    finding_overdue_manager_reminder,
    finding_reminder,
    remediation_decision_notice,
)
from inspections.rules.reminders.reminder import Reminder
from inspections.rules.reminders.schedule import ReminderConfig

from .common import ART_20_5, DECREE_CITE, TODAY, in_days, worded


def _finding(**over):
    args = dict(
        finding_id=11,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        description="Bình chữa cháy hết hạn",
        deadline=in_days(3),
        head_ids=[8, 6],
        cites=(),
        authority_ids=[4, 2, 4],
        today=TODAY,
        config=ReminderConfig(offsets=(14, 3), cite=((20, 5, None),)),
    )
    return worded(finding_reminder(**(args | over)))


def test_finding_reminder_in_full():
    assert _finding() == Reminder(
        kind="finding_deadline",
        subject_key="finding:11",
        due_on=in_days(3),
        stage="t3",
        user_ids=(6, 8),
        title_vi="Hạn khắc phục vi phạm: Karaoke Sao Mai",
        title_en="Remediation deadline: Karaoke Sao Mai",
        what_vi="Khắc phục vi phạm “Bình chữa cháy hết hạn” — còn 3 ngày (hạn 03/12/2026).",
        what_en="Remedy the finding “Bình chữa cháy hết hạn” — due in 3 days (03/12/2026).",
        why_vi="Vi phạm được ghi trong biên bản kiểm tra; người đứng đầu cơ sở phải khắc phục "
        "đúng hạn và gửi chứng cứ khắc phục.",
        why_en="The finding was recorded in the inspection record; the head must remedy it by "
        "the deadline and upload evidence.",
        cites=(ART_20_5,),
        link=("portal:finding_detail", (11,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        authority_ids=(2, 4),
    )


def test_finding_reminder_overdue_uses_the_findings_own_citations():
    r = _finding(deadline=in_days(-1), cites=[DECREE_CITE])
    assert r.title_vi == "Quá hạn khắc phục vi phạm: Karaoke Sao Mai"
    assert r.title_en == "Remediation overdue: Karaoke Sao Mai"
    assert r.cites == (DECREE_CITE,)
    assert _finding(deadline=in_days(15)) is None
    assert _finding(head_ids=()) is None


def test_finding_description_is_cut_after_160_characters():
    exact = "x" * 160
    assert f"“{exact}”" in _finding(description=exact).what_vi
    long = "y" * 161
    assert f"“{'y' * 157}...”" in _finding(description=long).what_en


def _decision(**over):
    args = dict(
        finding_id=11,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        description="Lối thoát nạn bị khóa",
        head_ids=[6, 6],
        authority_name="Công an phường Hoàn Kiếm",
        accepted=True,
        note="Chưa có ảnh",
        decided_at_key="2026-11-30T10:00",
        decided_on=TODAY,
        deadline=in_days(10),
    )
    return remediation_decision_notice(**(args | over))


def test_remediation_confirmed_notice():
    assert _decision() == Reminder(
        kind="finding_verified",
        subject_key="finding:11@2026-11-30T10:00",
        due_on=TODAY,
        stage="closed",
        user_ids=(6,),
        title_vi="Đã xác nhận khắc phục vi phạm: Karaoke Sao Mai",
        title_en="Remediation confirmed: Karaoke Sao Mai",
        what_vi="Không cần làm gì thêm: vi phạm “Lối thoát nạn bị khóa” đã được xác nhận khắc phục.",
        what_en="Nothing more to do: the finding “Lối thoát nạn bị khóa” is confirmed as remedied.",
        why_vi="Kết quả xem xét chứng cứ khắc phục của Công an phường Hoàn Kiếm.",
        why_en="Công an phường Hoàn Kiếm reviewed the remediation evidence.",
        link=("portal:finding_detail", (11,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
    )


def test_remediation_sent_back_notice_keeps_the_deadline():
    r = _decision(accepted=False)
    assert (r.stage, r.due_on) == ("reopened", in_days(10))
    assert r.title_vi == "Chưa đạt, cần khắc phục tiếp: Karaoke Sao Mai"
    assert r.title_en == "Remediation sent back: Karaoke Sao Mai"
    assert r.what_vi == "Khắc phục tiếp vi phạm “Lối thoát nạn bị khóa”: Chưa có ảnh"
    assert r.what_en == "Keep working on the finding “Lối thoát nạn bị khóa”: Chưa có ảnh"
    assert _decision(accepted=False, deadline=None).due_on == TODAY
    assert _decision(head_ids=[]) is None
    assert "“" + "z" * 157 + "...”" in _decision(description="z" * 161).what_vi
    assert "“" + "z" * 160 + "”" in _decision(description="z" * 160).what_vi


def _manager(**over):
    args = dict(
        finding_id=11,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        ward_name="Phường Hoàn Kiếm",
        description="Bình chữa cháy hết hạn",
        deadline=in_days(-2),
        manager_ids=[3, 1],
        today=TODAY,
        config=ReminderConfig(cite=((20, 5, None),)),
    )
    return worded(finding_overdue_manager_reminder(**(args | over)))


def test_manager_reminder_for_a_finding_past_its_deadline():
    assert _manager() == Reminder(
        kind="finding_overdue_manager",
        subject_key="finding:11",
        due_on=in_days(-2),
        stage="overdue",
        user_ids=(1, 3),
        title_vi="Vi phạm quá hạn khắc phục: Karaoke Sao Mai (Phường Hoàn Kiếm)",
        title_en="Finding past its deadline: Karaoke Sao Mai (Phường Hoàn Kiếm)",
        what_vi="Karaoke Sao Mai: “Bình chữa cháy hết hạn” — đã quá hạn 2 ngày (hạn 28/11/2026).",
        what_en="Karaoke Sao Mai: “Bình chữa cháy hết hạn” — 2 days overdue (due 28/11/2026).",
        why_vi="Cơ sở thuộc địa bàn quản lý của cơ quan; cần kiểm tra lại hoặc xử lý theo quy định.",
        why_en="The premises is in your authority's jurisdiction; consider a re-inspection or "
        "enforcement.",
        cites=(ART_20_5,),
        link=("portal:finding_detail", (11,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
    )


def test_manager_reminder_only_once_the_deadline_has_passed():
    assert _manager(deadline=TODAY) is None
    assert _manager(deadline=in_days(-1)).what_en.endswith("1 day overdue (due 29/11/2026).")
    assert _manager(manager_ids=[]) is None
    assert "“" + "w" * 120 + "”" in _manager(description="w" * 120).what_vi
    assert "“" + "w" * 117 + "...”" in _manager(description="w" * 121).what_vi
