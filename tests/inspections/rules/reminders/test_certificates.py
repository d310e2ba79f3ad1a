"""Training-certificate reminders: expiring, expired, and the point of Art. 45.1 cited."""

from __future__ import annotations

import pytest

from inspections.legal.parser import provision_text
from inspections.rules.reminders.certificates import training_reminder
from inspections.rules.reminders.reminder import Reminder
from inspections.rules.reminders.schedule import ReminderConfig

from .common import ART_20_5, TODAY, in_days, worded


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
    return worded(training_reminder(**(args | over)))


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


@pytest.mark.parametrize(
    ("duty", "point", "label_en"),
    [
        ("head", "c", "Art. 45.1.c of Law 55/2024/QH15"),
        ("team_member", "d", "Art. 45.1.d of Law 55/2024/QH15"),
        ("assigned", "đ", "Art. 45.1.đ of Law 55/2024/QH15"),
        ("hazardous_work", "e", "Art. 45.1.e of Law 55/2024/QH15"),
        ("crew", "g", "Art. 45.1.g of Law 55/2024/QH15"),
    ],
)
def test_the_holders_duty_cites_its_point_of_article_45_1(duty, point, label_en):
    (cite,) = _training(duty=duty).cites
    assert cite.law_ref == (45, 1, point)
    assert cite.label_en == label_en
    assert cite.text_vi == provision_text(45, 1, point)


def test_an_unknown_or_missing_duty_cites_the_setting():
    assert _training(duty="other").cites == (ART_20_5,)
    # Without a duty argument at all, the setting's article too.
    args = dict(
        certificate_id=21,
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        holder_name="Nguyễn Văn A",
        expires_on=in_days(30),
        head_ids=[6],
        authority_ids=[],
        today=TODAY,
        config=ReminderConfig(offsets=(30,), cite=((20, 5, None),)),
    )
    assert training_reminder(**args).cites == (ART_20_5,)
