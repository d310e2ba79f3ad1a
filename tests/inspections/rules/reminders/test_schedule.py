"""Reminder schedule: stage windows at their boundaries, settings, look-ahead."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.rules.reminders.schedule import (
    ReminderConfig,
    is_overdue,
    lookahead_days,
    stage_for,
)

from .common import TODAY, in_days

T14_3 = ReminderConfig(offsets=(14, 3))


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [(15, None), (14, "t14"), (13, "t14"), (4, "t14"), (3, "t3"), (1, "t3"), (0, "t3"),
     (-1, "overdue"), (-400, "overdue")],
)  # fmt: skip
def test_stage_windows_at_their_boundaries(days_left, stage):
    assert stage_for(in_days(days_left), TODAY, T14_3) == stage


def test_no_offsets_means_no_reminder_before_the_due_date():
    cfg = ReminderConfig()
    assert stage_for(TODAY, TODAY, cfg) is None
    assert stage_for(in_days(-1), TODAY, cfg) == "overdue"


def test_overdue_reminders_can_be_switched_off():
    cfg = ReminderConfig(offsets=(3,), overdue=False)
    assert stage_for(in_days(-1), TODAY, cfg) is None
    assert stage_for(TODAY, TODAY, cfg) == "t3"


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [(-1, "overdue"), (-7, "overdue"), (-8, "overdue-1"), (-14, "overdue-1"),
     (-15, "overdue-2"), (-22, "overdue-3")],
)  # fmt: skip
def test_overdue_repeats_every_n_days(days_left, stage):
    cfg = ReminderConfig(offsets=(3,), overdue_every_days=7)
    assert stage_for(in_days(days_left), TODAY, cfg) == stage


def test_overdue_every_one_day():
    cfg = ReminderConfig(overdue_every_days=1)
    assert [stage_for(in_days(d), TODAY, cfg) for d in (-1, -2, -3)] == [
        "overdue",
        "overdue-1",
        "overdue-2",
    ]


def test_config_from_setting_sorts_offsets_and_pads_citations():
    cfg = ReminderConfig.from_setting(
        {
            "offsets": [3, "14", 7, 3],
            "overdue": 0,
            "overdue_every_days": "5",
            "mandatory": 1,
            "default": "digest",
            "cite": [[47], [20, 5], [23, 1, "c"]],
        }
    )
    assert cfg == ReminderConfig(
        offsets=(14, 7, 3),
        overdue=False,
        overdue_every_days=5,
        mandatory=True,
        default="digest",
        cite=((47, None, None), (20, 5, None), (23, 1, "c")),
    )


def test_config_from_empty_setting_has_the_documented_defaults():
    cfg = ReminderConfig.from_setting({})
    assert cfg.offsets == ()
    assert cfg.overdue is True
    assert cfg.overdue_every_days == 0
    assert cfg.mandatory is False
    assert cfg.default == "immediate"
    assert cfg.cite == ()
    assert ReminderConfig.from_setting({"overdue_every_days": None}).overdue_every_days == 0


def test_lookahead_is_the_largest_offset():
    assert lookahead_days(ReminderConfig(offsets=(3, 30, 7))) == 30
    assert lookahead_days(ReminderConfig()) == 0


# The alarm-transmission roadmap's schedule (a year ahead, monthly once overdue) on real dates.
ROADMAP_DUE = date(2027, 7, 1)
ROADMAP = ReminderConfig.from_setting({"offsets": [365, 180, 90, 30, 7], "overdue_every_days": 30})


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
    assert stage_for(ROADMAP_DUE, day, ROADMAP) == stage


@pytest.mark.parametrize(
    ("stage", "late"),
    [("overdue", True), ("overdue-3", True), ("t3", False), ("closed", False), ("", False)],
)
def test_overdue_stages(stage, late):
    assert is_overdue(stage) is late


def test_offsets_in_any_order_give_the_same_windows():
    unsorted = ReminderConfig(offsets=(3, 30, 14))
    assert unsorted.windows == ReminderConfig(offsets=(30, 14, 3)).windows
    assert len(unsorted.windows) == 31 and unsorted.windows[30] == "t30"
    assert [stage_for(in_days(d), TODAY, unsorted) for d in (31, 30, 15, 14, 4, 3)] == [
        None, "t30", "t30", "t14", "t14", "t3"
    ]  # fmt: skip
