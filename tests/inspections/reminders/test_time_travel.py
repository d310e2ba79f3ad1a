"""Time travel across the alarm-transmission roadmap: T-365 (1 July 2026) ... 1 July 2027, after.

The deadline is the catalogue's decree parameter roadmap.alarm_transmission_deadline; which
premises are obliged is the catalogue's applicability rule (Appendix I establishments,
Art. 20.5 homes in centrally-run cities in areas lacking firefighting infrastructure).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from inspections.models import AlarmDeviceState, Notification, PremisesKind
from inspections.services.reminders.sweep import run_sweep
from tests import factories as f

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


@pytest.fixture
def roadmap(published_catalogue):
    head = f.UserFactory(email="chu@test.vn")
    return {
        "karaoke": f.PremisesFactory(name="Karaoke Ánh Sao", heads=[head]),
        "home_20_5": f.PremisesFactory(
            name="Nhà ở ngõ hẹp",
            kind=PremisesKind.HOME,
            occupancy_category="",
            in_infra_deficient_area=True,
            heads=[head],
        ),
        "home_elsewhere": f.PremisesFactory(
            name="Nhà ở phố lớn", kind=PremisesKind.HOME, occupancy_category="", heads=[head]
        ),
        "connected": f.PremisesFactory(
            name="Karaoke đã kết nối",
            alarm_device_state=AlarmDeviceState.CONNECTED,
            fire_data_declared_on=date(2026, 1, 5),
            heads=[head],
        ),
        "not_declared": f.PremisesFactory(
            name="Karaoke chưa khai báo",
            alarm_device_state=AlarmDeviceState.CONNECTED,
            heads=[head],
        ),
    }


def stages(premises) -> list[str]:
    return sorted(
        Notification.objects.filter(
            kind="alarm_roadmap", subject_key=f"premises:{premises.pk}"
        ).values_list("stage", flat=True)
    )


MILESTONES = [
    # (day of the sweep, stage newly sent on that day or None)
    (date(2026, 6, 30), None),
    (date(2026, 7, 1), "t365"),
    (date(2026, 12, 31), None),
    (date(2027, 1, 2), "t180"),
    (date(2027, 4, 2), "t90"),
    (date(2027, 6, 1), "t30"),
    (date(2027, 6, 24), "t7"),
    (date(2027, 6, 28), "t3"),  # a legal deadline 3 days ahead: sent at once, not in the digest
    (date(2027, 7, 1), None),  # deadline day: still the T-3 window
    (date(2027, 7, 2), "overdue"),
    (date(2027, 7, 20), None),
    (date(2027, 8, 1), "overdue-1"),  # repeated every 30 days while not connected
]


def test_roadmap_milestones(roadmap):
    expected: list[str] = []
    for day, new_stage in MILESTONES:
        with time_machine.travel(at(day), tick=False):
            run_sweep()
        if new_stage:
            expected.append(new_stage)
        assert stages(roadmap["karaoke"]) == sorted(expected), day
        assert stages(roadmap["home_20_5"]) == sorted(expected), day
    assert stages(roadmap["home_elsewhere"]) == []  # encouraged only (Art. 20.5), not obliged
    assert stages(roadmap["connected"]) == []
    assert stages(roadmap["not_declared"]) == sorted(expected)  # fire data not declared


def test_roadmap_reminder_cites_the_law_and_states_the_device(roadmap):
    with time_machine.travel(at(date(2027, 6, 28)), tick=False):
        run_sweep()
    msg = next(m for m in mail.outbox if "Karaoke Ánh Sao" in m.subject)
    assert "Lộ trình thiết bị truyền tin báo cháy" in msg.subject
    assert "điểm c khoản 1 Điều 23 Luật 55/2024/QH15" in msg.body
    assert "Trang bị thiết bị truyền tin báo cháy kết nối với hệ thống Cơ sở dữ liệu" in msg.body
    assert "còn 3 ngày (hạn 01/07/2027)" in msg.body
    assert "chưa trang bị thiết bị" in msg.body
    home = next(m for m in mail.outbox if "Nhà ở ngõ hẹp" in m.subject)
    assert "khoản 5 Điều 20 Luật 55/2024/QH15" in home.body


def test_connecting_the_device_stops_the_reminders(roadmap):
    with time_machine.travel(at(date(2027, 6, 1)), tick=False):
        run_sweep()
    karaoke = roadmap["karaoke"]
    karaoke.alarm_device_state = AlarmDeviceState.CONNECTED
    karaoke.fire_data_declared_on = date(2027, 6, 10)
    karaoke.save()
    with time_machine.travel(at(date(2027, 7, 2)), tick=False):
        run_sweep()
    assert stages(karaoke) == ["t30"]


def test_deadline_is_read_from_the_catalogue_parameter(roadmap, published_catalogue):
    from inspections.services.catalogue import clone_version, publish_version, update_parameter

    draft = clone_version(published_catalogue, label="2025.9")
    update_parameter(
        draft.parameters.get(key="roadmap.alarm_transmission_deadline"), value="2027-12-31"
    )
    with time_machine.travel(at(date(2027, 7, 2)), tick=False):
        publish_version(draft)
        run_sweep()
    # Under the new deadline 2 July 2027 is T-182: the T-365 window, not overdue.
    rows = Notification.objects.filter(subject_key=f"premises:{roadmap['karaoke'].pk}")
    assert {(r.due_on, r.stage) for r in rows.filter(kind="alarm_roadmap")} == {
        (date(2027, 12, 31), "t365")
    }
