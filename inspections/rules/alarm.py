"""The alarm-transmission roadmap (Law Art. 23.1.c / Decree 105 Art. 20.5): where a premises'
device stands (none → installed → connected → declared) and what that makes of the duty."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext_noop

from .bilingual import PerLanguage, both
from .reminders.wording import _, in_language
from .statuses import MET, NON_COMPLIANT, NOT_MET, OVERDUE

# Vietnamese msgids, English in locale/en.
ALARM_STEPS: dict[str, str] = {
    "none": gettext_noop("Chưa trang bị thiết bị truyền tin báo cháy"),
    "installed": gettext_noop("Đã lắp thiết bị, chưa kết nối"),
    "connected": gettext_noop("Đã kết nối, chưa khai báo dữ liệu PCCC"),
    "declared": gettext_noop("Đã kết nối và khai báo dữ liệu PCCC"),
}

CITY_PAYS = gettext_noop(
    "%(step)s; UBND thành phố trang bị, kết nối và chi trả kinh phí thiết bị (Điều 27.1 Nghị "
    "định 105/2025/NĐ-CP), hộ gia đình duy trì hoạt động"
)


def alarm_step(step: str | None) -> str:
    """The device's step in the active language (an unknown state reads as "none")."""
    return _(ALARM_STEPS.get(step or "none", ALARM_STEPS["none"]))


def alarm_step_texts(step: str | None) -> tuple[str, str]:
    """(vi, en) of the device's step, for an obligation's reason (stored in both languages)."""
    return in_language("vi", lambda: alarm_step(step)), in_language("en", lambda: alarm_step(step))


def device_progress(rule: Mapping[str, Any], facts: Mapping[str, Any]) -> tuple[str, bool]:
    """(the device's step, whether the duty is done): connected, and declared when the rule asks
    for the declaration of the fire-safety data too."""
    state = facts.get("alarm_device_state") or "none"
    declared = facts.get("fire_data_declared_on") is not None
    step = "declared" if state == "connected" and declared else state
    done = state == "connected" and (declared or not rule.get("declaration"))
    return step, done


def city_pays(facts: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
    """Decree 105 Art. 27.1: the city equips, connects and pays for the device of homes not under
    fire-safety management; the household keeps it running at its own cost (Art. 25.1.c)."""
    return bool(
        params.get("roadmap.homes_city_paid")
        and facts.get("kind") in ("home", "home_business")
        and not facts.get("under_fire_safety_management")
    )


def alarm_roadmap_status(
    rule: Mapping[str, Any],
    facts: Mapping[str, Any],
    params: Mapping[str, Any],
    *,
    answer: str | None,
    deadline: date | None,
    late: bool,
) -> tuple[str, date | None, str, str, str | None]:
    """The status of the device duty: met once done (unless the inspector found otherwise on
    site), else not met, or overdue past the roadmap's deadline."""
    step, done = device_progress(rule, facts)
    vi, en = alarm_step_texts(step)
    if city_pays(facts, params):
        vi, en = both(CITY_PAYS, step=PerLanguage(vi, en))
    if done and answer != NON_COMPLIANT:
        return MET, deadline, vi, en, step
    return (OVERDUE if late else NOT_MET), deadline, vi, en, step
