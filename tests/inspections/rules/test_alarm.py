"""The alarm-transmission roadmap: the device's step, and the status it gives the duty."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from inspections.rules.alarm import (
    ALARM_STEPS,
    alarm_roadmap_status,
    alarm_step,
    alarm_step_texts,
)

from .common import ON

ALARM = {"type": "roadmap", "date": "2027-07-01", "track": "alarm_device", "declaration": True}
DEADLINE = date(2027, 7, 1)


def _status(facts, answer=None, on=ON, params=None, rule=ALARM):
    return alarm_roadmap_status(
        rule, facts, params or {}, answer=answer, deadline=DEADLINE, late=on > DEADLINE
    )


@pytest.mark.parametrize(
    ("facts", "on", "status", "step", "vi"),
    [
        ({}, date(2027, 7, 1), "not_met", "none", "Chưa trang bị thiết bị truyền tin báo cháy"),
        ({}, date(2027, 7, 2), "overdue", "none", "Chưa trang bị thiết bị truyền tin báo cháy"),
        ({"alarm_device_state": "installed"}, date(2027, 7, 2), "overdue", "installed",
         "Đã lắp thiết bị, chưa kết nối"),
        ({"alarm_device_state": "connected"}, date(2027, 1, 1), "not_met", "connected",
         "Đã kết nối, chưa khai báo dữ liệu PCCC"),
        ({"alarm_device_state": "connected", "fire_data_declared_on": date(2026, 1, 1)},
         date(2028, 1, 1), "met", "declared", "Đã kết nối và khai báo dữ liệu PCCC"),
        ({"alarm_device_state": "installed", "fire_data_declared_on": date(2026, 1, 1)},
         date(2027, 1, 1), "not_met", "installed", "Đã lắp thiết bị, chưa kết nối"),
        ({"alarm_device_state": "broken"}, date(2027, 1, 1), "not_met", "broken",
         "Chưa trang bị thiết bị truyền tin báo cháy"),
    ],
)  # fmt: skip
def test_alarm_roadmap_steps(facts, on, status, step, vi):
    got = _status(facts, on=on)
    assert (got[0], got[1], got[2], got[4]) == (status, date(2027, 7, 1), vi, step)
    assert got[3] == STEP_EN[vi]


STEP_EN = {
    "Chưa trang bị thiết bị truyền tin báo cháy": "No alarm-transmission device yet",
    "Đã lắp thiết bị, chưa kết nối": "Device installed, not connected",
    "Đã kết nối, chưa khai báo dữ liệu PCCC": "Connected, fire data not declared yet",
    "Đã kết nối và khai báo dữ liệu PCCC": "Connected and fire data declared",
}


@pytest.mark.parametrize("step", ["none", "installed", "connected", "declared", None, "broken"])
def test_alarm_step_in_the_active_language(step):
    vi, en = alarm_step_texts(step)
    assert STEP_EN[vi] == en and vi == ALARM_STEPS[step if step in ALARM_STEPS else "none"]
    with translation.override("en"):
        assert alarm_step(step) == en
    with translation.override("vi"):
        assert alarm_step(step) == vi


def test_alarm_roadmap_english_and_the_inspector_overrules_a_declared_device():
    declared = {"alarm_device_state": "connected", "fire_data_declared_on": date(2026, 1, 1)}
    assert _status(declared)[3] == "Connected and fire data declared"
    assert _status(declared, answer="non_compliant")[0] == "not_met"
    assert _status(declared, answer="non_compliant", on=date(2027, 7, 2))[0] == "overdue"


def test_alarm_roadmap_without_declaration_needs_only_a_connection():
    rule = {k: v for k, v in ALARM.items() if k != "declaration"}
    got = _status({"alarm_device_state": "connected"}, rule=rule)
    assert (got[0], got[4]) == ("met", "connected")
    no_declaration = rule | {"declaration": False}
    assert _status({"alarm_device_state": "connected"}, rule=no_declaration)[0] == "met"
    assert _status({"alarm_device_state": "installed"}, rule=rule)[0] == "not_met"


def test_city_pays_for_the_device_of_homes_not_under_management():
    params = {"roadmap.homes_city_paid": True}
    for kind in ("home", "home_business"):
        got = _status({"kind": kind}, params=params)
        assert got[2] == (
            "Chưa trang bị thiết bị truyền tin báo cháy; UBND thành phố trang bị, kết nối và chi "
            "trả kinh phí thiết bị (Điều 27.1 Nghị định 105/2025/NĐ-CP), hộ gia đình duy trì "
            "hoạt động"
        )
        assert got[3] == (
            "No alarm-transmission device yet; the city equips, connects and pays for the device "
            "(Decree 105 Art. 27.1), the household keeps it running"
        )
    managed = {"kind": "home", "under_fire_safety_management": True}
    assert _status(managed, params=params)[2] == "Chưa trang bị thiết bị truyền tin báo cháy"
    assert _status({"kind": "establishment"}, params=params)[3] == (
        "No alarm-transmission device yet"
    )
    assert _status({"kind": "home"})[2] == "Chưa trang bị thiết bị truyền tin báo cháy"
