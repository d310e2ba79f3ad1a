"""The Reminder value: its payload (what a Notification row stores) and distinct recipients;
a due reminder worded only when asked."""

from __future__ import annotations

from inspections.rules.reminders.reminder import DueReminder, Reminder, distinct_ids
from inspections.rules.reminders.wording import ReminderTexts

from .common import DECREE_CITE, TODAY, in_days


def _reminder(**over):
    args = dict(
        kind="drill_due",
        subject_key="premises:9",
        due_on=in_days(-2),
        stage="overdue-1",
        user_ids=(5,),
        title_vi="Tiêu đề",
        title_en="Title",
        what_vi="Việc",
        what_en="What",
    )
    return Reminder(**(args | over))


def test_payload_carries_both_languages_the_citations_and_the_extra_fields():
    r = _reminder(
        why_vi="Lý do",
        why_en="Reason",
        cites=(DECREE_CITE,),
        link=("portal:premises_detail", (9,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        extra={"alarm_device_state": "installed"},
    )
    assert r.overdue is True
    assert r.payload() == {
        "kind": "drill_due",
        "title_vi": "Tiêu đề",
        "title_en": "Title",
        "what_vi": "Việc",
        "what_en": "What",
        "why_vi": "Lý do",
        "why_en": "Reason",
        "due_on": "2026-11-28",
        "stage": "overdue-1",
        "overdue": True,
        "cites": [DECREE_CITE.as_dict()],
        "link": ["portal:premises_detail", [9]],
        "premises_id": 9,
        "premises_name": "Karaoke Sao Mai",
        "alarm_device_state": "installed",
    }


def test_a_reminder_before_its_date_is_not_overdue_and_links_home_by_default():
    r = _reminder(due_on=TODAY, stage="t3")
    assert r.overdue is False
    payload = r.payload()
    assert (payload["overdue"], payload["link"], payload["cites"]) == (
        False,
        ["portal:home", []],
        [],
    )
    assert (payload["why_vi"], payload["premises_id"], payload["premises_name"]) == ("", None, "")


def test_distinct_ids_are_sorted_and_each_once():
    assert distinct_ids([5, 2, 5, 9, 2]) == (2, 5, 9)
    assert distinct_ids(iter(())) == ()


TEXTS = ReminderTexts(
    title_vi="Tiêu đề", title_en="Title", what_vi="Việc", what_en="What", why_vi="", why_en=""
)


def test_a_due_reminder_is_worded_only_when_asked_and_carries_every_field():
    asked = []

    def texts() -> ReminderTexts:
        asked.append(1)
        return TEXTS

    due = DueReminder(
        kind="drill_due",
        subject_key="premises:9",
        due_on=in_days(-2),
        stage="overdue-1",
        user_ids=(5,),
        texts=texts,
        cites=(DECREE_CITE,),
        link=("portal:premises_detail", (9,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        authority_ids=(2, 4),
        extra={"alarm_device_state": "installed"},
    )
    # The notification key needs no text.
    assert (due.kind, due.subject_key, due.due_on, due.stage, due.user_ids) == (
        "drill_due", "premises:9", in_days(-2), "overdue-1", (5,)
    )  # fmt: skip
    assert asked == []
    expected = _reminder(
        why_vi="",
        why_en="",
        cites=(DECREE_CITE,),
        link=("portal:premises_detail", (9,)),
        premises_id=9,
        premises_name="Karaoke Sao Mai",
        authority_ids=(2, 4),
        extra={"alarm_device_state": "installed"},
    )
    assert due.reminder() == expected
    assert asked == [1]
    assert due.payload() == expected.payload()
    assert asked == [1, 1]
    # The reminder's extra fields are its own copy.
    due.reminder().extra["x"] = 1
    assert due.extra == {"alarm_device_state": "installed"}


def test_due_reminders_are_equal_whatever_renders_their_texts():
    def due(**over):
        args = dict(
            kind="drill_due",
            subject_key="premises:9",
            due_on=TODAY,
            stage="t3",
            user_ids=(5,),
            texts=lambda: TEXTS,
        )
        return DueReminder(**(args | over))

    assert due() == due(texts=lambda: TEXTS)
    assert due() != due(stage="t14")
    assert due().reminder().link == ("portal:home", ()) and due().authority_ids == ()
    assert (due().premises_id, due().premises_name, due().cites, due().extra) == (None, "", (), {})
