"""Pure reminder rules: the stage window that contains a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from inspections.rules.reminders import ReminderConfig, law_cite, stage_for

DUE = date(2027, 7, 1)
FINDING = ReminderConfig.from_setting({"offsets": [3, 14]})
ROADMAP = ReminderConfig.from_setting({"offsets": [365, 180, 90, 30, 7], "overdue_every_days": 30})


@pytest.mark.parametrize(
    ("days_before", "stage"),
    [(15, None), (14, "t14"), (4, "t14"), (3, "t3"), (0, "t3"), (-1, "overdue"), (-40, "overdue")],
)
def test_finding_windows(days_before, stage):
    assert stage_for(DUE, DUE - timedelta(days=days_before), FINDING) == stage


@pytest.mark.parametrize(
    ("day", "stage"),
    [
        (date(2026, 6, 30), None),
        (date(2026, 7, 1), "t365"),
        (date(2027, 1, 1), "t365"),
        (date(2027, 1, 2), "t180"),
        (date(2027, 4, 2), "t90"),
        (date(2027, 6, 1), "t30"),
        (date(2027, 6, 24), "t7"),
        (date(2027, 7, 1), "t7"),
        (date(2027, 7, 2), "overdue"),
        (date(2027, 7, 31), "overdue"),
        (date(2027, 8, 1), "overdue-1"),
        (date(2027, 8, 31), "overdue-2"),
    ],
)
def test_roadmap_windows(day, stage):
    assert stage_for(DUE, day, ROADMAP) == stage


def test_no_overdue_stage_when_switched_off():
    cfg = ReminderConfig.from_setting({"offsets": [7], "overdue": False})
    assert stage_for(DUE, DUE + timedelta(days=1), cfg) is None


def test_citation_text_comes_from_the_parsed_law():
    cite = law_cite(23, 1, "c")
    assert cite.label_vi == "điểm c khoản 1 Điều 23 Luật 55/2024/QH15"
    assert cite.label_en == "Art. 23.1.c of Law 55/2024/QH15"
    assert cite.text_vi.startswith("Trang bị thiết bị truyền tin báo cháy")
