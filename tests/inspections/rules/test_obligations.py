"""Obligations engine: scenarios, the 1 July 2027 roadmap, statuses from facts and answers."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from inspections.legal.catalogue_file import (
    CATALOGUE_DIR,
    read_catalogue,
    requirement_specs,
)
from inspections.legal.parser import provision_text
from inspections.rules.facts import derive_facts
from inspections.rules.obligations import (
    ALARM_STEPS,
    add_months,
    alarm_step,
    alarm_step_texts,
    applicable,
    decide_applicable,
    evaluate_obligations,
)
from inspections.rules.planning import (
    cap_decision,
    inspecting_authority_kind,
    next_periodic_due,
)

# These tests pin the semantics of catalogue 2025.1 (the Decree 105 defaults before the text was
# read); catalogue 2025.2 has its own scenario tests (test_decree105_*.py).
DATA = read_catalogue(CATALOGUE_DIR / "2025.1.yaml")
SPECS = requirement_specs(DATA)
PARAMS = DATA.params
HANOI, SON_LA = 1, 14
BEFORE, DEADLINE, AFTER = date(2026, 11, 23), date(2027, 7, 1), date(2027, 7, 2)


def run(facts, on=BEFORE, answers=None):
    derived = derive_facts(facts, PARAMS)
    ev = evaluate_obligations(SPECS, derived, PARAMS, answers or {}, on)
    return {o.requirement.code: o for o in ev.obligations}, ev


def test_home_in_hanoi_in_designated_area_must_equip_extinguisher_and_device_by_2027():
    facts = {"kind": "home", "province_code": HANOI, "ward_code": 70, "floors": 4,
             "floor_area_m2": 120, "in_infra_deficient_area": True}  # fmt: skip
    obligations, ev = run(facts)
    alarm = obligations["L55-20.5-alarm"]
    assert alarm.status == "not_met" and alarm.progress == "none"
    assert alarm.due_date == DEADLINE and alarm.days_left == (DEADLINE - BEFORE).days
    assert alarm.reason_vi.startswith("Nhà ở tại Thành phố Hà Nội")
    assert "thiếu hạ tầng giao thông hoặc nguồn nước chữa cháy" in alarm.reason_vi
    assert alarm.reason_vi.endswith(
        "→ khoản 5 Điều 20 Luật 55/2024/QH15, khoản 4 Điều 54 Luật 55/2024/QH15"
    )
    assert alarm.requirement.citations[0].text_vi == provision_text(20, 5)
    assert "L55-20.5-extinguisher" in obligations
    assert ev.advice == []
    # Homes are not establishments: no Art. 23 duties, no insurance.
    assert not any(code.startswith("L55-23.") for code in obligations)
    assert "L55-48.1" not in obligations


def test_home_in_son_la_is_only_encouraged():
    obligations, ev = run({"kind": "home", "province_code": SON_LA, "ward_code": 3646,
                           "in_infra_deficient_area": True})  # fmt: skip
    assert "L55-20.5-alarm" not in obligations
    assert [a.requirement.code for a in ev.advice] == ["L55-20.5-advice"]
    assert "không thuộc thành phố trực thuộc trung ương" in ev.advice[0].reason_vi
    assert {"L55-20.1.a", "L55-20.2.b", "L55-8.6.c"} <= set(obligations)


def test_400_m2_karaoke_is_under_management_and_must_insure():
    obligations, _ = run({"kind": "establishment", "province_code": HANOI,
                          "occupancy_category": "karaoke", "floor_area_m2": 400, "floors": 1})  # fmt: skip
    assert {"L55-23.1.a", "L55-23.1.c", "L55-23.1.e", "L55-8.3.dd", "L55-48.1"} <= set(obligations)
    assert "300 m²" in obligations["L55-48.1"].reason_vi
    assert obligations["L55-48.1"].status == "unknown"
    assert obligations["L55-23.1.c"].due_date == DEADLINE


def test_hospital_is_appendix_ii_and_inspected_by_the_fire_police():
    facts = derive_facts({"kind": "establishment", "province_code": SON_LA,
                          "occupancy_category": "hospital", "beds": 300}, PARAMS)  # fmt: skip
    assert facts["appendix_ii_group"] == 1
    assert inspecting_authority_kind(facts, PARAMS) == "fire_police"
    obligations, _ = run({"kind": "establishment", "province_code": SON_LA,
                          "occupancy_category": "hospital", "beds": 300})  # fmt: skip
    assert "L55-48.1" in obligations and "L55-23.1.c" in obligations


def test_apartment_of_8_floors():
    facts = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "apartment",
             "floors": 8, "floor_area_m2": 6000, "has_ev_charging": True}  # fmt: skip
    derived = derive_facts(facts, PARAMS)
    assert derived["appendix_ii_group"] == 1 and derived["appendix_vii_row"] == "vii.apartment"
    obligations, _ = run(facts)
    assert {"L55-23.1.c", "L55-48.1", "L55-24.1.d", "L55-23.1.d-16.1.c"} <= set(obligations)


def test_vehicle_duties_depend_on_the_mode():
    road, _ = run(
        {"kind": "vehicle", "province_code": HANOI, "occupancy_category": "road_passenger"}
    )
    ship, _ = run(
        {"kind": "vehicle", "province_code": HANOI, "occupancy_category": "inland_waterway"}
    )
    assert {"L55-8.4.a", "L55-8.4.d", "L55-22.1.a", "L55-22.1.b", "L55-45.1.g"} <= set(road)
    assert "L55-8.4.dd" not in road and "L55-22.2.d" not in road
    assert {"L55-8.4.dd", "L55-22.2.a", "L55-22.2.c"} <= set(ship)
    assert not any(code.startswith("L55-20.") or code.startswith("L55-23.") for code in road)


def test_construction_site():
    obligations, _ = run({"kind": "construction_site", "province_code": HANOI})
    assert {"L55-19.1.a", "L55-19.1.b", "L55-19.1.c", "L55-19.1.d", "L55-11.3.a"} <= set(
        obligations
    )
    assert "L55-20.1.a" not in obligations


@pytest.mark.parametrize(
    ("state", "declared", "on", "status", "step"),
    [
        ("none", None, BEFORE, "not_met", "none"),
        ("installed", None, BEFORE, "not_met", "installed"),
        ("connected", None, BEFORE, "not_met", "connected"),
        ("connected", date(2026, 5, 1), BEFORE, "met", "declared"),
        ("none", None, DEADLINE, "not_met", "none"),  # the deadline day itself is still on time
        ("none", None, AFTER, "overdue", "none"),
        ("installed", None, AFTER, "overdue", "installed"),
        ("connected", date(2026, 5, 1), AFTER, "met", "declared"),
    ],
)
def test_roadmap_status_follows_device_state_and_the_deadline(state, declared, on, status, step):
    facts = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "hospital",
             "alarm_device_state": state, "fire_data_declared_on": declared}  # fmt: skip
    obligations, _ = run(facts, on=on)
    o = obligations["L55-23.1.c"]
    assert (o.status, o.progress, o.due_date) == (status, step, DEADLINE)
    assert o.days_left == (DEADLINE - on).days


def test_home_device_needs_connection_only():
    facts = {"kind": "home", "province_code": HANOI, "in_infra_deficient_area": True,
             "alarm_device_state": "connected"}  # fmt: skip
    obligations, _ = run(facts, on=AFTER)
    assert obligations["L55-20.5-alarm"].status == "met"


def test_deadline_comes_from_the_parameter():
    params = dict(PARAMS) | {"roadmap.alarm_transmission_deadline": "2028-01-01"}
    derived = derive_facts({"kind": "establishment", "province_code": 1,
                            "occupancy_category": "hospital"}, params)  # fmt: skip
    ev = evaluate_obligations(SPECS, derived, params, {}, AFTER)
    o = next(o for o in ev.obligations if o.requirement.code == "L55-23.1.c")
    assert (o.status, o.due_date) == ("not_met", date(2028, 1, 1))


def test_insurance_expiry_and_inspector_answers():
    base = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "hospital"}
    valid, _ = run(base | {"insurance_expires_on": "2027-03-01"})
    assert valid["L55-48.1"].status == "met" and valid["L55-48.1"].due_date == date(2027, 3, 1)
    expired, _ = run(base | {"insurance_expires_on": "2026-01-01"})
    assert expired["L55-48.1"].status == "overdue"
    seen_invalid, _ = run(base | {"insurance_expires_on": "2027-03-01"},
                          answers={"L55-48.1": "non_compliant"})  # fmt: skip
    assert seen_invalid["L55-48.1"].status == "not_met"
    answered, ev = run(base, answers={"L55-23.1.a": "compliant", "L55-23.1.b": "non_compliant",
                                      "L55-8.3.h": "not_applicable"})  # fmt: skip
    assert answered["L55-23.1.a"].status == "met"
    assert answered["L55-23.1.b"].status == "not_met"
    assert "L55-8.3.h" not in answered and ev.not_applicable == ["L55-8.3.h"]


def test_yearly_drill_is_recurring():
    base = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "hospital"}
    recent, _ = run(base | {"last_drill_on": "2026-03-10"})
    assert recent["L55-8.3.dd"].status == "met"
    assert recent["L55-8.3.dd"].due_date == date(2027, 3, 10)
    old, _ = run(base | {"last_drill_on": "2025-06-01"})
    assert old["L55-8.3.dd"].status == "overdue"
    never, _ = run(base)
    assert never["L55-8.3.dd"].status == "unknown"


def test_add_months_clamps_to_month_end():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 12, 15), 12) == date(2025, 12, 15)


def test_periodic_frequency_by_group():
    g1 = derive_facts({"kind": "establishment", "province_code": 1,
                       "occupancy_category": "hospital", "beds": 300}, PARAMS)  # fmt: skip
    assert next_periodic_due(g1, PARAMS, date(2026, 2, 1), BEFORE) == date(2027, 2, 1)
    assert next_periodic_due(g1, PARAMS, None, BEFORE) == BEFORE
    home = derive_facts({"kind": "home", "province_code": 1}, PARAMS)
    assert next_periodic_due(home, PARAMS, None, BEFORE) is None
    assert inspecting_authority_kind(home, PARAMS) == "commune_committee"


def test_inspection_cap_of_resolution_198():
    first = cap_decision("establishment", [], BEFORE, None, PARAMS)
    assert first.allowed and not first.needs_reason
    second = cap_decision("establishment", [date(2026, 3, 1)], BEFORE, "", PARAMS)
    assert not second.allowed and second.needs_reason and second.count_this_year == 1
    overridden = cap_decision("establishment", [date(2026, 3, 1)], BEFORE,
                              "Phản ánh của người dân về kho gas", PARAMS)  # fmt: skip
    assert overridden.allowed and overridden.reason.startswith("Phản ánh")
    last_year = cap_decision("home_business", [date(2025, 12, 31)], BEFORE, None, PARAMS)
    assert last_year.allowed
    home = cap_decision("home", [date(2026, 3, 1)] * 3, BEFORE, None, PARAMS)
    assert home.allowed and not home.capped


@settings(max_examples=150, deadline=None)
@given(
    on=st.dates(min_value=date(2025, 7, 1), max_value=date(2030, 12, 31)),
    state=st.sampled_from(["none", "installed", "connected"]),
    declared=st.booleans(),
)
def test_roadmap_status_property(on, state, declared):
    facts = {"kind": "establishment", "province_code": HANOI, "occupancy_category": "hospital",
             "alarm_device_state": state,
             "fire_data_declared_on": date(2026, 1, 5) if declared else None}  # fmt: skip
    o = run(facts, on=on)[0]["L55-23.1.c"]
    done = state == "connected" and declared
    expected = "met" if done else ("overdue" if on > DEADLINE else "not_met")
    assert o.status == expected
    assert o.days_left == (DEADLINE - on).days


# --- Unit tests of each status rule at its boundaries (synthetic specs, no catalogue). ----------

from datetime import timedelta  # noqa: E402

from inspections.rules.applicability import Because  # noqa: E402
from inspections.rules.obligations import (  # noqa: E402
    Advice,
    CitationRef,
    ObligationResult,
    RequirementSpec,
    calendar_due,
    evaluate_status,
    fact_label,
    missing_text,
)

ON = date(2026, 11, 30)
ART_20_5 = CitationRef("55/2024/QH15", 20, 5, None, "Đối với nhà ở …")
ART_23_1_C = CitationRef("55/2024/QH15", 23, 1, "c", "Trang bị …")
DECREE_14_2 = CitationRef("105/2025/NĐ-CP", 14, 2, "a", "Tự kiểm tra …", "draft")
DECREE_26 = CitationRef("105/2025/NĐ-CP", 26, None, None, "Khai báo …")
L20, E20 = "khoản 5 Điều 20 Luật 55/2024/QH15", "Art. 20.5 of Law 55/2024/QH15"


def _spec(rule=None, code="R", applicability=None, citations=(ART_20_5,), **kw) -> RequirementSpec:
    return RequirementSpec(
        code, f"Tiêu đề {code}", f"Title {code}", ("establishment", "home"),
        applicability or {}, citations, deadline_rule=rule, **kw,
    )  # fmt: skip


def _status(rule, facts=None, answer=None, on=ON, params=None):
    return evaluate_status(_spec(rule), facts or {}, params or {}, answer, on)


def test_citation_labels_in_the_one_citation_style():
    assert (ART_20_5.label_vi, ART_20_5.label_en) == (
        "khoản 5 Điều 20 Luật 55/2024/QH15",
        "Art. 20.5 of Law 55/2024/QH15",
    )
    assert (ART_23_1_C.label_vi, ART_23_1_C.label_en) == (
        "điểm c khoản 1 Điều 23 Luật 55/2024/QH15",
        "Art. 23.1.c of Law 55/2024/QH15",
    )
    assert DECREE_14_2.label_vi == "điểm a khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP"
    assert DECREE_14_2.label_en == "Art. 14.2.a of Decree 105/2025/NĐ-CP"
    assert (DECREE_26.label_vi, DECREE_26.label_en) == (
        "Điều 26 Nghị định 105/2025/NĐ-CP",
        "Art. 26 of Decree 105/2025/NĐ-CP",
    )
    no_clause = CitationRef("55/2024/QH15", 47, None, "a", "")
    assert (no_clause.label_vi, no_clause.label_en) == (
        "điểm a Điều 47 Luật 55/2024/QH15",
        "Art. 47 of Law 55/2024/QH15",
    )
    assert DECREE_14_2.as_dict() == {
        "label_vi": "điểm a khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP",
        "label_en": "Art. 14.2.a of Decree 105/2025/NĐ-CP",
        "document": "105/2025/NĐ-CP", "article": 14, "clause": 2, "point": "a",
        "text_vi": "Tự kiểm tra …", "confidence": "draft",
    }  # fmt: skip
    assert ART_20_5.as_dict()["confidence"] == "verified"


def test_add_months_across_years_and_month_ends():
    assert add_months(date(2026, 11, 30), 1) == date(2026, 12, 30)
    assert add_months(date(2026, 11, 30), 2) == date(2027, 1, 30)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 15), 0) == date(2026, 1, 15)
    assert add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)
    assert add_months(date(2026, 1, 15), 11) == date(2026, 12, 15)
    assert add_months(date(2026, 1, 15), 60) == date(2031, 1, 15)


def test_fact_labels_and_missing_text():
    assert fact_label("occupancy_category") == ("loại hình hoạt động", "occupancy category")
    assert fact_label("floors") == ("số tầng", "floors")
    assert fact_label("odd_fact") == ("odd_fact", "odd_fact")
    assert missing_text(["floors", "occupancy_category"]) == (
        "Chưa đủ thông tin để xác định nghĩa vụ này: cần bổ sung số tầng, loại hình hoạt động",
        "Not enough information to decide this duty: fill in floors, occupancy category",
    )


@pytest.mark.parametrize(
    ("answer", "status"),
    [("compliant", "met"), ("non_compliant", "not_met"), (None, "unknown"), ("", "unknown"),
     ("not_applicable", "unknown")],
)  # fmt: skip
def test_status_from_the_inspectors_answer_without_a_deadline_rule(answer, status):
    assert _status(None, answer=answer) == (status, None, "", "", None)
    assert _status({"type": "odd"}, answer=answer) == (status, None, "", "", None)


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


ALARM = {"type": "roadmap", "date": "2027-07-01", "track": "alarm_device", "declaration": True}


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
    got = _status(ALARM, facts, on=on)
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
    assert _status(ALARM, declared)[3] == "Connected and fire data declared"
    assert _status(ALARM, declared, answer="non_compliant")[0] == "not_met"
    assert _status(ALARM, declared, answer="non_compliant", on=date(2027, 7, 2))[0] == "overdue"


def test_alarm_roadmap_without_declaration_needs_only_a_connection():
    rule = {k: v for k, v in ALARM.items() if k != "declaration"}
    got = _status(rule, {"alarm_device_state": "connected"})
    assert (got[0], got[4]) == ("met", "connected")
    assert _status(rule | {"declaration": False}, {"alarm_device_state": "connected"})[0] == "met"
    assert _status(rule, {"alarm_device_state": "installed"})[0] == "not_met"


CITY_PAYS_VI = (
    "; UBND thành phố trang bị, kết nối và chi trả kinh phí thiết bị "
    "(Điều 27.1 Nghị định 105/2025/NĐ-CP), hộ gia đình duy trì hoạt động"
)
CITY_PAYS_EN = (
    "; the city equips, connects and pays for the device (Decree 105 Art. 27.1),"
    " the household keeps it running"
)


def test_city_pays_for_the_device_of_homes_not_under_management():
    params = {"roadmap.homes_city_paid": True}
    for kind in ("home", "home_business"):
        got = _status(ALARM, {"kind": kind}, params=params)
        assert got[2] == "Chưa trang bị thiết bị truyền tin báo cháy" + CITY_PAYS_VI
        assert got[3] == "No alarm-transmission device yet" + CITY_PAYS_EN
    managed = {"kind": "home", "under_fire_safety_management": True}
    assert _status(ALARM, managed, params=params)[2] == "Chưa trang bị thiết bị truyền tin báo cháy"
    assert _status(ALARM, {"kind": "establishment"}, params=params)[3] == (
        "No alarm-transmission device yet"
    )
    assert _status(ALARM, {"kind": "home"})[2] == "Chưa trang bị thiết bị truyền tin báo cháy"


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
        "Not enough information to decide this duty: fill in floors, beds", None,
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


@pytest.mark.parametrize(
    ("last", "on", "due"),
    [
        (None, date(2026, 6, 13), date(2026, 6, 14)),
        (None, date(2026, 6, 14), date(2026, 6, 14)),
        (None, date(2026, 6, 15), date(2026, 12, 14)),
        (None, date(2026, 12, 15), date(2027, 6, 14)),
        (date(2026, 6, 14), ON, date(2026, 12, 14)),
        (date(2026, 6, 15), ON, date(2027, 6, 14)),
        (date(2026, 12, 14), ON, date(2027, 6, 14)),
        (date(2026, 12, 20), ON, date(2027, 12, 14)),
    ],
)
def test_calendar_due_before_15_june_and_15_december(last, on, due):
    assert calendar_due(last, on, PC04) == due


def test_calendar_due_needs_a_configured_day():
    with pytest.raises(ValueError, match="^no calendar deadline configured$"):
        calendar_due(None, ON, [])


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


def _ev(specs, facts, answers=None, params=None):
    return evaluate_obligations(specs, facts, params or {}, answers or {}, ON)


AREA = {"fact": "floor_area_m2", "gte": 300}


def test_evaluate_obligations_in_full():
    spec = _spec({"type": "expiry", "fact": "insurance_expires_on"}, "B", AREA,
                 citations=(DECREE_14_2, ART_23_1_C, ART_20_5))  # fmt: skip
    facts = {"kind": "establishment", "province_name": "Thành phố Hà Nội", "floor_area_m2": 400,
             "insurance_expires_on": date(2026, 12, 10)}  # fmt: skip
    ev = _ev([spec], facts, {"B": "compliant"})
    assert ev.obligations == [
        ObligationResult(
            requirement=spec, status="met", due_date=date(2026, 12, 10), days_left=10,
            reason_vi="Cơ sở tại Thành phố Hà Nội, tổng diện tích sàn 400 m² (≥ 300 m²) "
            f"→ điểm c khoản 1 Điều 23 Luật 55/2024/QH15, {L20}",
            reason_en="Establishment in Thành phố Hà Nội, total floor area 400 m² (≥ 300) "
            f"→ Art. 23.1.c of Law 55/2024/QH15, {E20}",
            detail_vi="Hiệu lực đến 10/12/2026", detail_en="Valid until 2026-12-10",
            progress=None, answer="compliant", missing_facts=(),
        )
    ]  # fmt: skip
    assert ev.obligations[0].as_dict() == {
        "requirement": "B", "title_vi": "Tiêu đề B", "title_en": "Title B", "severity": "major",
        "citations": [DECREE_14_2.as_dict(), ART_23_1_C.as_dict(), ART_20_5.as_dict()],
        "decree_points": [], "status": "met", "due_date": "2026-12-10", "days_left": 10,
        "reason": ev.obligations[0].reason_vi, "reason_vi": ev.obligations[0].reason_vi,
        "reason_en": ev.obligations[0].reason_en, "detail_vi": "Hiệu lực đến 10/12/2026",
        "detail_en": "Valid until 2026-12-10", "progress": None, "missing_facts": [],
    }  # fmt: skip
    assert ev.advice == [] and ev.not_applicable == []


def test_reason_of_premises_without_a_province_or_a_law_citation():
    spec = _spec(
        None, "D", {"fact": "floors", "gte": 2}, citations=(DECREE_14_2, DECREE_26, DECREE_14_2)
    )
    ob = _ev([spec], {"kind": "home", "floors": 2, "province_name": ""}).obligations[0]
    assert ob.reason_vi == (
        "Nhà ở, số tầng 2 (≥ 2) → điểm a khoản 2 Điều 14 Nghị định 105/2025/NĐ-CP, "
        "Điều 26 Nghị định 105/2025/NĐ-CP"
    )
    assert ob.reason_en == (
        "Home, floors 2 (≥ 2) → Art. 14.2.a of Decree 105/2025/NĐ-CP, "
        "Art. 26 of Decree 105/2025/NĐ-CP"
    )
    assert (ob.due_date, ob.days_left, ob.as_dict()["due_date"]) == (None, None, None)
    other = RequirementSpec("O", "t", "t", ("vehicle",), {}, (ART_20_5,))
    got = _reason_of(other, {"kind": "vehicle"})
    assert got == (f"Phương tiện giao thông → {L20}", f"Vehicle → {E20}")
    odd = RequirementSpec("O", "t", "t", ("ship",), {"fact": "x", "eq": 1, "explain": False}, ())
    assert _reason_of(odd, {"kind": "ship", "x": 1}) == ("Đối tượng → ", "Premises → ")


def _reason_of(spec, facts):
    ob = _ev([spec], facts).obligations[0]
    return ob.reason_vi, ob.reason_en


def test_reason_skips_empty_because_texts():
    spec = _spec(None, "E", {"in_table": "t"})
    params = {"t": [{"label_vi": "", "label_en": "Row"}]}
    ob = _ev([spec], {"kind": "home"}, params=params).obligations[0]
    assert (ob.reason_vi, ob.reason_en) == (f"Nhà ở → {L20}", f"Home, Row → {E20}")


def test_requirements_of_another_kind_or_not_applicable_are_left_out_in_order():
    a = _spec(None, "A", AREA, order=2)
    b = _spec(None, "B", {}, order=1)
    c = _spec(None, "C", {}, order=2)
    vehicle = RequirementSpec("V", "t", "t", ("vehicle",), {}, ())
    ev = _ev([a, vehicle, c, b], {"kind": "home", "floor_area_m2": 299})
    assert [o.requirement.code for o in ev.obligations] == ["B", "C"]
    ev = _ev([c, a, b], {"kind": "home", "floor_area_m2": 300})
    assert [o.requirement.code for o in ev.obligations] == ["B", "A", "C"]


def test_unknown_applicability_is_reported_with_the_facts_to_fill_in():
    spec = _spec(None, "U", AREA)
    ev = _ev([spec], {"kind": "home", "floor_area_m2": None}, {"U": "non_compliant"})
    assert ev.obligations == [
        ObligationResult(
            requirement=spec, status="unknown", due_date=None, days_left=None,
            reason_vi="Chưa đủ thông tin để xác định nghĩa vụ này: cần bổ sung tổng diện tích sàn",
            reason_en="Not enough information to decide this duty: fill in total floor area",
            answer="non_compliant", missing_facts=("floor_area_m2",),
        )
    ]  # fmt: skip
    assert ev.obligations[0].as_dict()["missing_facts"] == ["floor_area_m2"]
    marked = _ev([spec], {"kind": "home", "floor_area_m2": None}, {"U": "not_applicable"})
    assert (marked.obligations, marked.not_applicable) == ([], ["U"])
    advice = _spec(None, "AD", AREA, advice=True)
    assert _ev([advice], {"kind": "home", "floor_area_m2": None}).advice == []


def test_advice_and_answers_of_not_applicable():
    advice = _spec(None, "AD", AREA, advice=True)
    ev = _ev([advice], {"kind": "home", "floor_area_m2": 300}, {"AD": "not_applicable"})
    assert ev.obligations == [] and ev.not_applicable == []
    assert ev.advice == [
        Advice(advice, f"Nhà ở, tổng diện tích sàn 300 m² (≥ 300 m²) → {L20}",
               f"Home, total floor area 300 m² (≥ 300) → {E20}")
    ]  # fmt: skip
    assert ev.advice[0].as_dict() == {
        "requirement": "AD", "title_vi": "Tiêu đề AD", "title_en": "Title AD",
        "citations": [ART_20_5.as_dict()], "reason": ev.advice[0].reason_vi,
        "reason_vi": ev.advice[0].reason_vi, "reason_en": ev.advice[0].reason_en,
    }  # fmt: skip
    duty = _spec(None, "N", {})
    ev = _ev([duty], {"kind": "home"}, {"N": "not_applicable"})
    assert (ev.obligations, ev.not_applicable) == ([], ["N"])


def test_applicable_and_decide_applicable():
    spec = _spec(None, "A", AREA)
    assert applicable(spec, {"kind": "vehicle", "floor_area_m2": 500}, {}) is None
    assert applicable(spec, {"kind": "home", "floor_area_m2": 299}, {}) is None
    assert applicable(spec, {"kind": "home", "floor_area_m2": 300}, {}).because == (
        Because("tổng diện tích sàn 300 m² (≥ 300 m²)", "total floor area 300 m² (≥ 300)"),
    )
    by_param = _spec(None, "P", {"fact": "floor_area_m2", "gte": {"param": "area"}})
    assert applicable(by_param, {"kind": "home", "floor_area_m2": 300}, {"area": 300}).applies
    assert applicable(by_param, {"kind": "home", "floor_area_m2": 300}, {"area": 301}) is None
    assert decide_applicable(by_param, {"kind": "home", "floor_area_m2": 300}, {"area": 300}).value
    assert decide_applicable(spec, {"kind": "vehicle"}, {}) is None
    assert decide_applicable(spec, {"kind": "home", "floor_area_m2": None}, {}).missing == (
        "floor_area_m2",
    )


def test_team_size_duty_names_the_missing_headcount_then_the_members():
    rule = {"type": "team_size", "table": [{"from": 20, "to": 9999, "min_members": 10}]}
    spec = _spec(rule, "T")
    ob = _ev([spec], {"kind": "home"}).obligations[0]
    assert (ob.status, ob.missing_facts) == ("unknown", ("employees",))
    ob = _ev([spec], {"kind": "home", "employees": 30}).obligations[0]
    assert (ob.status, ob.missing_facts) == ("unknown", ("onsite_team_members",))
    ob = _ev([spec], {"kind": "home", "employees": 30, "onsite_team_members": 10}).obligations[0]
    assert (ob.status, ob.missing_facts) == ("met", ())
    # Below 20 workers no team is required; without an answer the status stays unknown.
    ob = _ev([spec], {"kind": "home", "employees": 5, "onsite_team_members": 0}).obligations[0]
    assert (ob.status, ob.missing_facts) == ("unknown", ())
    # Other unknown statuses name no fact.
    ob = _ev([_spec(None, "X")], {"kind": "home"}).obligations[0]
    assert (ob.status, ob.missing_facts) == ("unknown", ())
