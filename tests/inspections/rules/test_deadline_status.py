"""The status of each type of deadline rule at its boundaries (synthetic specs, no catalogue)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from inspections.rules.deadline_status import dated_status, evaluate_status, status_missing_facts

from .common import ON
from .common import spec as _spec


def _status(rule, facts=None, answer=None, on=ON, params=None):
    return evaluate_status(_spec(rule), facts or {}, params or {}, answer, on)


@pytest.mark.parametrize(
    ("answer", "status"),
    [("compliant", "met"), ("non_compliant", "not_met"), (None, "unknown"), ("", "unknown"),
     ("not_applicable", "unknown")],
)  # fmt: skip
def test_status_from_the_inspectors_answer_without_a_deadline_rule(answer, status):
    assert _status(None, answer=answer) == (status, None, "", "", None)
    assert _status({"type": "odd"}, answer=answer) == (status, None, "", "", None)
    assert _status({"type": ["roadmap"]}, answer=answer) == (status, None, "", "", None)


ROADMAP = {"type": "roadmap", "date": "2027-07-01"}


@pytest.mark.parametrize(
    ("answer", "on", "status"),
    [("non_compliant", date(2027, 7, 1), "not_met"), ("non_compliant", date(2027, 7, 2), "overdue"),
     ("compliant", date(2027, 7, 2), "met"), (None, date(2027, 7, 2), "unknown")],
)  # fmt: skip
def test_roadmap_without_a_track_follows_the_answer_and_the_deadline(answer, on, status):
    assert _status(ROADMAP, answer=answer, on=on) == (status, date(2027, 7, 1), "", "", None)


def test_roadmap_deadline_from_a_parameter_or_none():
    rule = {"type": "roadmap", "date": {"param": "d"}}
    assert _status(rule, params={"d": date(2027, 7, 1)})[1] == date(2027, 7, 1)
    assert _status({"type": "roadmap"}, answer="non_compliant", on=date(2099, 1, 1)) == (
        "not_met", None, "", "", None,
    )  # fmt: skip


ALARM = {"type": "roadmap", "date": "2027-07-01", "track": "alarm_device"}


def test_the_alarm_track_follows_the_device_to_the_roadmaps_deadline():
    installed = {"alarm_device_state": "installed"}
    assert _status(ALARM, installed, on=date(2027, 7, 1)) == (
        "not_met", date(2027, 7, 1), "Đã lắp thiết bị, chưa kết nối",
        "Device installed, not connected", "installed",
    )  # fmt: skip
    assert _status(ALARM, installed, on=date(2027, 7, 2))[0] == "overdue"
    assert _status(ALARM, {"alarm_device_state": "connected"}, on=date(2027, 7, 2))[0] == "met"
    no_date = {k: v for k, v in ALARM.items() if k != "date"}
    assert _status(no_date, installed, on=date(2099, 1, 1))[:2] == ("not_met", None)


RECURRING = {"type": "recurring", "months": 12, "fact": "last_drill_on"}


@pytest.mark.parametrize(
    ("last", "answer", "status", "due"),
    [
        (date(2025, 11, 30), None, "met", date(2026, 11, 30)),
        (date(2025, 11, 29), None, "overdue", date(2026, 11, 29)),
        ("2025-12-01", None, "met", date(2026, 12, 1)),
        (date(2025, 11, 30), "non_compliant", "not_met", date(2026, 11, 30)),
        (date(2025, 11, 29), "non_compliant", "overdue", date(2026, 11, 29)),
    ],
)
def test_recurring_duty_due_months_after_the_last_time(last, answer, status, due):
    got = _status(RECURRING, {"last_drill_on": last}, answer=answer)
    last_d = date.fromisoformat(last) if isinstance(last, str) else last
    assert got == (
        status,
        due,
        f"Lần gần nhất: {last_d.strftime('%d/%m/%Y')}; chu kỳ 12 tháng",
        f"Last done {last_d.isoformat()}; every 12 months",
        None,
    )


def test_recurring_duty_without_a_last_date_or_a_cycle():
    assert _status(RECURRING, {}, answer="compliant") == (
        "met", None, "Chưa ghi nhận ngày thực hiện gần nhất", "No date of the last time recorded",
        None,
    )  # fmt: skip
    no_cycle = {"type": "recurring", "months": None, "fact": "last_drill_on"}
    assert _status(no_cycle, {"last_drill_on": ON}, answer="non_compliant") == (
        "not_met", None, "", "", None,
    )  # fmt: skip
    assert _status({"type": "recurring", "months": "6"}, {})[0] == "unknown"


CYCLE = {"appendix_ii": 6, "appendix_i": 12, "other": 24}


@pytest.mark.parametrize(
    ("facts", "due"),
    [
        ({"in_appendix_ii": True, "under_fire_safety_management": True}, date(2026, 6, 1)),
        ({"in_appendix_ii": False, "under_fire_safety_management": True}, date(2026, 12, 1)),
        ({"in_appendix_ii": False, "under_fire_safety_management": False}, date(2027, 12, 1)),
        ({"in_appendix_ii": None, "under_fire_safety_management": None}, date(2027, 12, 1)),
    ],
)
def test_recurring_cycle_by_appendix(facts, due):
    rule = {"type": "recurring", "months": {"param": "c"}, "fact": "last_self_inspection_on"}
    got = _status(rule, facts | {"last_self_inspection_on": date(2025, 12, 1)}, params={"c": CYCLE})
    assert got[1] == due


def test_recurring_cycle_falls_through_missing_entries():
    rule = {"type": "recurring", "months": {"appendix_ii": None, "appendix_i": None, "other": 3},
            "fact": "last_self_inspection_on"}  # fmt: skip
    facts = {"in_appendix_ii": True, "under_fire_safety_management": True,
             "last_self_inspection_on": date(2026, 1, 31)}  # fmt: skip
    assert _status(rule, facts)[1] == date(2026, 4, 30)
    only_i = rule | {"months": {"appendix_i": 1}}
    assert _status(only_i, facts)[1] == date(2026, 2, 28)
    assert _status(rule | {"months": {}}, facts)[:2] == ("unknown", None)


def test_recurring_cycle_unknown_until_appendix_ii_membership_is_known():
    rule = {"type": "recurring", "months": CYCLE, "fact": "last_self_inspection_on"}
    facts = {"in_appendix_ii": None, "unknown_facts": {"in_appendix_ii": ("floors", "beds")},
             "last_self_inspection_on": date(2026, 1, 1)}  # fmt: skip
    assert _status(rule, facts, answer="compliant") == (
        "unknown", None,
        "Chưa đủ thông tin để xác định nghĩa vụ này: cần bổ sung số tầng, số giường bệnh",
        "Not enough information to decide this duty: fill in number of storeys, beds", None,
    )  # fmt: skip
    # Known membership: the unknown list of another fact does not matter.
    known = facts | {"in_appendix_ii": True}
    assert _status(rule, known)[1] == date(2026, 7, 1)
    no_list = facts | {"unknown_facts": {}}
    assert _status(rule, no_list)[1] == date(2028, 1, 1)


EXPIRY = {"type": "expiry", "fact": "insurance_expires_on", "present_fact": "has_policy"}


@pytest.mark.parametrize(
    ("expires", "answer", "status"),
    [(ON, None, "met"), (ON - timedelta(days=1), None, "overdue"), (ON, "non_compliant", "not_met"),
     (ON - timedelta(days=1), "non_compliant", "overdue"), (ON + timedelta(days=1), None, "met")],
)  # fmt: skip
def test_expiry_on_its_last_valid_day(expires, answer, status):
    assert _status(EXPIRY, {"insurance_expires_on": expires}, answer=answer) == (
        status, expires, f"Hiệu lực đến {expires.strftime('%d/%m/%Y')}",
        f"Valid until {expires.isoformat()}", None,
    )  # fmt: skip


def test_expiry_without_a_date():
    assert _status(EXPIRY, {"has_policy": True}) == (
        "met", None, "Đã có giấy tờ, không ghi hạn", "On file, no expiry date", None,
    )  # fmt: skip
    assert _status(EXPIRY, {"has_policy": True}, answer="non_compliant")[0] == "not_met"
    expected = ("Chưa ghi nhận ngày hết hạn", "No expiry date recorded", None)
    assert _status(EXPIRY, {"has_policy": False}, answer="non_compliant") == (
        "not_met", None, *expected,
    )  # fmt: skip
    no_present = {"type": "expiry", "fact": "insurance_expires_on"}
    assert _status(no_present, {"has_policy": True}) == ("unknown", None, *expected)


CAL_YEAR = {"type": "calendar_year", "fact": "last_drill_on"}


def test_calendar_year_duty_is_owed_by_31_december_of_the_next_year():
    assert _status(CAL_YEAR, {"last_drill_on": date(2025, 1, 1)}, on=date(2026, 12, 31)) == (
        "met", date(2026, 12, 31), "Lần gần nhất: 01/01/2025; ít nhất một lần mỗi năm",
        "Last done 2025-01-01; at least once every calendar year", None,
    )  # fmt: skip
    assert _status(CAL_YEAR, {"last_drill_on": date(2025, 1, 1)}, on=date(2027, 1, 1))[0] == (
        "overdue"
    )
    assert _status(CAL_YEAR, {"last_drill_on": date(2026, 3, 1)}, answer="non_compliant")[0] == (
        "not_met"
    )
    assert (
        _status(CAL_YEAR, {"last_drill_on": date(2024, 3, 1)}, answer="non_compliant")[0]
        == "overdue"
    )
    assert _status(CAL_YEAR, {}, answer="compliant") == (
        "met", date(2026, 12, 31), "Chưa ghi nhận lần thực hiện nào", "Never recorded", None,
    )  # fmt: skip


WITHIN = {"type": "within_days", "fact": "alarm_connected_on", "days": 3,
          "done_fact": "fire_data_declared_on"}  # fmt: skip


def test_within_days_of_an_event():
    start = date(2026, 11, 27)
    assert _status(WITHIN, {"alarm_connected_on": start}, on=ON) == (
        "not_met", ON, "Hạn 3 ngày kể từ 27/11/2026", "Due 3 days after 2026-11-27", None,
    )  # fmt: skip
    assert _status(WITHIN, {"alarm_connected_on": start}, on=ON + timedelta(days=1))[0] == "overdue"
    done = {"alarm_connected_on": start, "fire_data_declared_on": date(2026, 11, 28)}
    assert _status(WITHIN, done) == (
        "met", ON, "Đã thực hiện ngày 28/11/2026", "Done on 2026-11-28", None,
    )  # fmt: skip
    assert _status(WITHIN, done, answer="non_compliant")[0] == "not_met"
    params_days = WITHIN | {"days": {"param": "d"}}
    assert _status(params_days, {"alarm_connected_on": start}, params={"d": "5"})[1] == date(
        2026, 12, 2
    )
    assert _status(WITHIN, {}) == (
        "unknown", None,
        "Chưa đủ thông tin để xác định nghĩa vụ này: cần bổ sung ngày kết nối thiết bị",
        "Not enough information to decide this duty: fill in device connection date", None,
    )  # fmt: skip


PC04 = [{"month": 6, "day": 15}, {"month": "12", "day": "15"}]


CALENDAR = {"type": "calendar", "fact": "last_pc04_report_on", "dates": {"param": "pc04"}}


def test_calendar_report_status():
    params = {"pc04": PC04}
    assert _status(CALENDAR, {}, answer="compliant", params=params) == (
        "met", date(2026, 12, 14), "Chưa ghi nhận lần gửi báo cáo nào", "No report recorded yet",
        None,
    )  # fmt: skip
    sent = {"last_pc04_report_on": date(2026, 6, 1)}
    assert _status(CALENDAR, sent, params=params, on=date(2026, 12, 14)) == (
        "met", date(2026, 12, 14), "Lần gửi gần nhất: 01/06/2026; hạn kế tiếp 14/12/2026",
        "Last sent 2026-06-01; next due 2026-12-14", None,
    )  # fmt: skip
    assert _status(CALENDAR, sent, params=params, on=date(2026, 12, 15))[0] == "overdue"
    assert _status(CALENDAR, sent, params=params, answer="non_compliant")[0] == "not_met"
    assert (
        _status(CALENDAR, sent, params=params, answer="non_compliant", on=date(2026, 12, 15))[0]
        == "overdue"
    )
    with pytest.raises(ValueError):
        _status(CALENDAR, sent, params={"pc04": None})


@pytest.mark.parametrize(
    ("due", "answer", "status"),
    [(ON, None, "met"), (ON, "compliant", "met"), (ON, "non_compliant", "not_met"),
     (ON - timedelta(days=1), None, "overdue"), (ON - timedelta(days=1), "non_compliant", "overdue")],
)  # fmt: skip
def test_a_dated_duty_is_met_until_its_due_day_unless_found_otherwise_on_site(due, answer, status):
    assert dated_status(due, ON, answer) == status


def test_a_team_size_duty_names_the_headcount_then_the_members_it_lacks():
    team = _spec({"type": "team_size"})
    assert status_missing_facts(team, {}) == ("employees",)
    assert status_missing_facts(team, {"employees": 30}) == ("onsite_team_members",)
    assert status_missing_facts(team, {"employees": 30, "onsite_team_members": 0}) == ()
    assert status_missing_facts(_spec({"type": "training"}), {}) == ()
    assert status_missing_facts(_spec(None), {}) == ()


def test_a_within_days_rule_without_its_fact_names_no_fact():
    rule = {"type": "within_days", "days": 3}
    assert _status(rule, {"alarm_connected_on": ON}) == (
        "unknown", None,
        "Chưa đủ thông tin để xác định nghĩa vụ này: cần bổ sung ",
        "Not enough information to decide this duty: fill in ", None,
    )  # fmt: skip


def test_the_inspectors_answer_reaches_the_team_and_the_device_duties():
    team = {"type": "team_size", "table": [{"from": 20, "to": 9999, "min_members": 10}]}
    assert _status(team, {"employees": 5}, answer="compliant")[0] == "met"
    assert _status(team, {"employees": 5})[0] == "unknown"
    connected = {"alarm_device_state": "connected"}
    assert _status(ALARM, connected, on=date(2027, 1, 1))[0] == "met"
    assert _status(ALARM, connected, answer="non_compliant", on=date(2027, 1, 1))[0] == "not_met"
