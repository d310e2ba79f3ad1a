"""Planning rules: who inspects (Decree 105 Art. 13.2), when, and the yearly cap (Res. 198)."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.rules.planning import (
    CapDecision,
    InspectionRegime,
    cap_decision,
    inspecting_authority_kind,
    inspection_regimes,
    next_periodic_due,
    periodic_interval_months,
    regimes_decision,
)
from inspections.rules.reminders.wording import in_language

ON = date(2026, 11, 30)
REGIMES = {
    "inspection.regimes": [
        {"id": "police-ii", "authority": "fire_police", "interval_months": "12",
         "points": ["a", "đ"], "source": "Điều 13.2.a", "label_vi": "Công an", "label_en": "Police",
         "when": {"fact": "in_appendix_ii", "is": True}},
        {"id": "commune", "authority": "commune_committee", "interval_months": None,
         "when": {"fact": "floors", "gte": 2}},
        {"authority": "construction", "interval_months": 24, "when": None},
    ]
}  # fmt: skip


def test_regimes_that_surely_apply_in_catalogue_order():
    got = inspection_regimes({"in_appendix_ii": True, "floors": 2}, REGIMES)
    assert got == [
        InspectionRegime("fire_police", 12, ("a", "đ"), "Điều 13.2.a", "police-ii", "Công an",
                         "Police"),
        InspectionRegime("commune_committee", None, regime_id="commune"),
        InspectionRegime("construction", 24),
    ]  # fmt: skip
    assert got[0].as_dict() == {
        "authority_kind": "fire_police", "interval_months": 12, "content_points": ["a", "đ"],
        "surprise_only": False, "source": "Điều 13.2.a", "regime": "police-ii",
        "label_vi": "Công an", "label_en": "Police",
    }  # fmt: skip
    assert got[1].as_dict()["surprise_only"] is True
    assert got[1].as_dict()["content_points"] == []


def test_undecided_regimes_name_the_facts_that_settle_them():
    facts = {"in_appendix_ii": None, "floors": None, "unknown_facts": {"in_appendix_ii": ["beds"]}}
    regimes, missing = regimes_decision(facts, REGIMES)
    assert [r.authority_kind for r in regimes] == ["construction"]
    assert missing == ("beds", "floors")
    both = {"in_appendix_ii": None, "floors": None, "unknown_facts": {"in_appendix_ii": ["floors"]}}
    assert regimes_decision(both, REGIMES)[1] == ("floors",)
    assert regimes_decision({}, {"inspection.regimes": None}) == ([], ())


def test_primary_authority_and_interval_are_the_first_regimes():
    facts = {"in_appendix_ii": False, "floors": 3}
    assert inspecting_authority_kind(facts, REGIMES) == "commune_committee"
    assert periodic_interval_months(facts, REGIMES) is None
    assert periodic_interval_months({"in_appendix_ii": True}, REGIMES) == 12
    assert inspecting_authority_kind({}, {"inspection.regimes": []}) is None
    assert periodic_interval_months({}, {"inspection.regimes": []}) is None


LEGACY = {
    "inspection_authority": {"appendix_ii": "fire_police", "establishment": "commune_committee",
                             "home": ""},
    "frequency.periodic_inspection_months": {"appendix_ii_group_1": 12, "appendix_ii_group_2": 24,
                                             "appendix_i": 36, "other": 48},
}  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "kind", "months"),
    [
        ({"kind": "establishment", "in_appendix_ii": True, "appendix_ii_group": 1}, "fire_police", 12),
        ({"kind": "establishment", "in_appendix_ii": True, "appendix_ii_group": 2}, "fire_police", 24),
        ({"kind": "establishment", "appendix_ii_group": 3, "under_fire_safety_management": True},
         "commune_committee", 36),
        ({"kind": "establishment", "under_fire_safety_management": False}, "commune_committee", 48),
        ({"kind": "home"}, None, 48),
        ({"kind": "vehicle"}, None, 48),
    ],
)  # fmt: skip
def test_legacy_catalogue_single_authority_and_interval(facts, kind, months):
    assert inspecting_authority_kind(facts, LEGACY) == kind
    assert periodic_interval_months(facts, LEGACY) == months
    expected = [InspectionRegime(kind, months)] if kind else []
    assert inspection_regimes(facts, LEGACY) == expected


def test_legacy_catalogue_without_an_appendix_ii_authority_or_any_mapping():
    no_ii = {"inspection_authority": {"establishment": "commune_committee"}}
    facts = {"kind": "establishment", "in_appendix_ii": True}
    assert inspecting_authority_kind(facts, no_ii) == "commune_committee"
    assert inspecting_authority_kind(facts, {}) is None
    assert periodic_interval_months(facts, {}) is None


def test_next_periodic_due():
    facts = {"in_appendix_ii": True}
    assert next_periodic_due(facts, REGIMES, date(2025, 12, 31), ON) == date(2026, 12, 31)
    assert next_periodic_due(facts, REGIMES, None, ON) == ON
    assert next_periodic_due({"floors": 5}, REGIMES, None, ON) is None
    legacy = {"kind": "establishment", "under_fire_safety_management": True}
    assert next_periodic_due(legacy, LEGACY, date(2026, 1, 31), ON) == date(2029, 1, 31)
    zero = {"frequency.periodic_inspection_months": {"other": 0}}
    assert next_periodic_due({}, zero, None, ON) is None


CAP = {"inspection_cap": {"max_per_year": "2", "kinds": ["establishment"]}}
LAST_YEAR, THIS_YEAR = date(2025, 12, 31), date(2026, 1, 1)


def said(decision):
    """The decision's message as a Vietnamese and an English reader see it."""
    return in_language("vi", lambda: decision.message), in_language("en", lambda: decision.message)


def test_cap_not_reached():
    got = cap_decision("establishment", [LAST_YEAR, THIS_YEAR], ON, "  ", CAP)
    assert got == CapDecision(True, True, 1, 2, False, "", 2026)
    assert said(got) == ("Đã kiểm tra 1/2 lần trong năm 2026.", "1/2 inspections in 2026.")


def test_cap_reached_without_and_with_a_reason():
    dates = [THIS_YEAR, ON]
    refused = cap_decision("establishment", dates, ON, None, CAP)
    assert refused == CapDecision(False, True, 2, 2, True, "", 2026)
    assert said(refused) == (
        "Cơ sở đã được kiểm tra 2 lần trong năm 2026; Nghị quyết 198/2025/QH15 Điều 4 chỉ cho "
        "phép 2 lần/năm trừ khi có dấu hiệu vi phạm rõ ràng — cần ghi lý do.",
        "Already inspected 2 times in 2026; Resolution 198/2025/QH15 Art. 4 allows 2 per year "
        "unless there are clear signs of violation — a reason is required.",
    )
    allowed = cap_decision("establishment", dates, ON, " Có dấu hiệu vi phạm ", CAP)
    assert allowed == CapDecision(True, True, 2, 2, True, "Có dấu hiệu vi phạm", 2026)
    assert said(allowed) == (
        "Vượt giới hạn 2 lần/năm (Nghị quyết 198/2025/QH15 Điều 4); lý do được ghi nhận: "
        "Có dấu hiệu vi phạm",
        "Over the cap of 2 per year (Resolution 198/2025/QH15 Art. 4); recorded reason: "
        "Có dấu hiệu vi phạm",
    )


def test_refusal_after_one_inspection_says_one_time():
    got = cap_decision("establishment", [THIS_YEAR], ON, "", {})
    vi, en = said(got)
    assert vi.startswith("Cơ sở đã được kiểm tra 1 lần trong năm 2026; ")
    assert en.startswith("Already inspected 1 time in 2026; Resolution 198/2025/QH15 Art. 4 ")
    assert "allows 1 per year" in en


def test_cap_default_is_once_a_year_for_enterprises_and_business_households():
    assert cap_decision("home_business", [], ON, None, {}).allowed is True
    got = cap_decision("home_business", [THIS_YEAR], ON, None, {"inspection_cap": None})
    assert (got.allowed, got.capped, got.max_per_year, got.needs_reason) == (False, True, 1, True)
    assert cap_decision("establishment", [THIS_YEAR], ON, "", {}).allowed is False


def test_cap_does_not_apply_to_homes_or_public_bodies():
    home = cap_decision("home", [THIS_YEAR, ON], ON, "x", {})
    assert home == CapDecision(True, False, 2, 1, False, "x", 2026)
    assert said(home) == (
        "Không áp dụng giới hạn số lần kiểm tra (không phải doanh nghiệp, hộ kinh doanh).",
        "The yearly cap does not apply (not an enterprise or household business).",
    )
    got = cap_decision("establishment", [ON, ON], ON, None, {}, public_body=True)
    assert got == CapDecision(True, False, 2, 1, False, "", 2026, public_body=True)
    assert said(got) == (
        "Không áp dụng giới hạn số lần kiểm tra (cơ quan, đơn vị nhà nước).",
        "The yearly cap does not apply (a public body).",
    )
    assert got.as_dict() == {
        "allowed": True, "capped": False, "count_this_year": 2, "max_per_year": 1,
        "needs_reason": False, "reason": "",
        "message_vi": "Không áp dụng giới hạn số lần kiểm tra (cơ quan, đơn vị nhà nước).",
        "message_en": "The yearly cap does not apply (a public body).",
    }  # fmt: skip


def test_cap_kinds_come_from_the_parameter():
    # The catalogue caps only establishments: a business household is then not capped.
    got = cap_decision("home_business", [THIS_YEAR, ON], ON, None, CAP)
    assert (got.allowed, got.capped) == (True, False)
