"""Training-certificate reminders: expiring, expired, and the point of Art. 45.1 cited."""

from __future__ import annotations

from inspections.rules.reminders.certificates import training_reminder
from inspections.rules.reminders.reminder import Reminder
from inspections.rules.reminders.schedule import ReminderConfig

from .common import ART_20_5, TODAY, in_days


def _training(**over):
    args = dict(
        certificate_id=21,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        holder_name="Nguyễn Văn A",
        expires_on=in_days(30),
        head_ids=[6],
        authority_ids=[4, 2],
        today=TODAY,
        config=ReminderConfig(offsets=(30,), cite=((20, 5, None),)),
    )
    return training_reminder(**(args | over))


def test_training_certificate_reminder():
    assert _training() == Reminder(
        kind="training_expiry",
        subject_key="certificate:21",
        due_on=in_days(30),
        stage="t30",
        user_ids=(6,),
        title_vi="Chứng nhận huấn luyện PCCC sắp hết hạn: Nguyễn Văn A (Karaoke Sao Mai)",
        title_en="Fire-safety training certificate expiring: Nguyễn Văn A (Karaoke Sao Mai)",
        what_vi="Chứng nhận huấn luyện nghiệp vụ PCCC của Nguyễn Văn A — còn 30 ngày (hạn 30/12/2026).",
        what_en="The fire-safety training certificate of Nguyễn Văn A — due in 30 days (30/12/2026).",
        why_vi="Người đứng đầu và lực lượng PCCC tại chỗ phải được huấn luyện, bồi dưỡng nghiệp vụ.",
        why_en="Heads and on-site fire teams must hold valid fire-safety training.",
        cites=(ART_20_5,),
        link=("portal:premises_detail", (9,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        authority_ids=(2, 4),
    )
    on_the_day = _training(expires_on=in_days(0))
    assert (on_the_day.stage, on_the_day.title_vi, on_the_day.title_en) == (
        "t30",
        "Chứng nhận huấn luyện PCCC sắp hết hạn: Nguyễn Văn A (Karaoke Sao Mai)",
        "Fire-safety training certificate expiring: Nguyễn Văn A (Karaoke Sao Mai)",
    )
    late = _training(expires_on=in_days(-1))
    assert (late.stage, late.title_vi, late.title_en) == (
        "overdue",
        "Chứng nhận huấn luyện PCCC đã hết hạn: Nguyễn Văn A (Karaoke Sao Mai)",
        "Fire-safety training certificate expired: Nguyễn Văn A (Karaoke Sao Mai)",
    )
    assert _training(expires_on=in_days(31)) is None
    assert _training(head_ids=[]) is None
