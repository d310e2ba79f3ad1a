"""People duties: on-site team size (Decree 105 Art. 20) and training per person (Art. 29.4)."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.rules.people import (
    PersonTraining,
    _person,
    people_status,
    required_team_size,
    team_size_status,
    training_status,
)

ON = date(2026, 11, 30)
# Decree 105 Art. 20.5, deliberately out of order: rows are sorted by their "from".
SIZES = [
    {"from": "100", "to": 99999, "min_members": 25},
    {"from": 20, "to": 49, "min_members": "10"},
    {"from": 50, "to": 99, "min_members": 15},
]
TEAM = {"type": "team_size", "table": {"param": "onsite_team.sizes"}}
PARAMS = {"onsite_team.sizes": SIZES}


@pytest.mark.parametrize(
    ("employees", "size"),
    [(0, 0), (19, 0), (20, 10), (49, 10), (50, 15), (99, 15), (100, 25), (5000, 25)],
)
def test_required_team_size_at_each_boundary(employees, size):
    assert required_team_size(employees, SIZES) == size


def _team(facts, answer=None):
    return team_size_status(TEAM, facts, PARAMS, answer)


def test_team_size_without_a_headcount():
    expected = (
        "Chưa ghi nhận số người thường xuyên làm việc tại cơ sở",
        "Number of people regularly working there not recorded",
        None,
    )
    assert _team({}) == ("unknown", None, *expected)
    assert _team({}, "non_compliant") == ("not_met", None, *expected)
    assert _team({"employees": None}, "compliant") == ("unknown", None, *expected)


@pytest.mark.parametrize(
    ("answer", "status"), [(None, "unknown"), ("compliant", "met"), ("non_compliant", "not_met")]
)
def test_below_20_workers_no_team_is_required(answer, status):
    assert _team({"employees": 19, "onsite_team_members": 0}, answer) == (
        status,
        None,
        "19 người làm việc: không bắt buộc lập đội, phải phân công người bằng văn bản",
        "19 people: no team required, persons must be assigned in writing",
        None,
    )


def test_team_size_without_the_team_members():
    expected = (
        "20 người làm việc: đội cần tối thiểu 10 người; chưa ghi nhận số thành viên đội",
        "20 people: the team needs at least 10 members; team size not recorded",
        None,
    )
    assert _team({"employees": 20}) == ("unknown", None, *expected)
    assert _team({"employees": 20}, "non_compliant") == ("not_met", None, *expected)


@pytest.mark.parametrize(
    ("members", "answer", "status"),
    [(14, None, "not_met"), (15, None, "met"), (16, "compliant", "met"),
     (15, "non_compliant", "not_met")],
)  # fmt: skip
def test_team_size_at_its_threshold(members, answer, status):
    assert _team({"employees": "50", "onsite_team_members": str(members)}, answer) == (
        status,
        None,
        f"Đội có {members} người, cần tối thiểu 15 người (50 người làm việc)",
        f"Team of {members}, at least 15 needed (50 people working)",
        None,
    )


def test_team_size_without_a_table_requires_no_team():
    got = team_size_status({"type": "team_size"}, {"employees": 500}, {}, None)
    assert got[0] == "unknown" and got[2].startswith("500 người làm việc: không bắt buộc")


LAW_START = date(2025, 7, 1)


def _p(*records, cycle=None):
    return _person("An", list(records), cycle or {})


def test_person_full_training_after_the_law_lasts_five_years_or_to_its_printed_date():
    got = _p({"issued_on": date(2026, 1, 10)})
    assert got == PersonTraining("An", date(2027, 1, 10), date(2031, 1, 10), date(2027, 1, 10))
    printed = _p({"issued_on": "2026-01-10", "expires_on": "2030-01-10"})
    assert printed.full_until == date(2030, 1, 10)
    late_print = _p({"issued_on": date(2026, 1, 10), "expires_on": date(2032, 1, 1)})
    assert late_print.full_until == date(2031, 1, 10)


def test_person_pre_law_certificate_is_valid_to_its_printed_date():
    got = _p({"issued_on": date(2024, 1, 10), "expires_on": date(2032, 1, 1)})
    # Refresher owed a year after the law came into force.
    assert got == PersonTraining("An", date(2026, 7, 1), date(2032, 1, 1), date(2026, 7, 1))
    no_print = _p({"issued_on": date(2024, 1, 10)})
    assert no_print.full_until == date(2029, 1, 10)
    on_the_day = _p({"issued_on": LAW_START, "expires_on": date(2040, 1, 1)})
    assert on_the_day.full_until == date(2030, 7, 1)
    day_before = _p({"issued_on": date(2025, 6, 30), "expires_on": date(2040, 1, 1)})
    assert day_before.full_until == date(2040, 1, 1)


def test_person_certificate_with_only_a_printed_date():
    got = _p({"expires_on": date(2028, 5, 5)})
    assert got == PersonTraining("An", date(2026, 7, 1), date(2028, 5, 5), date(2026, 7, 1))


def test_person_without_dates_or_with_only_refreshers_proves_nothing():
    assert _p({"issued_on": None, "expires_on": ""}) == PersonTraining("An", None, None, None)
    assert _p({"kind": "refresher", "issued_on": date(2026, 1, 1)}) == PersonTraining(
        "An", None, None, None
    )
    assert _p() == PersonTraining("An", None, None, None)


def test_latest_full_certificate_and_latest_refresher_count():
    got = _p(
        {"kind": "full", "issued_on": date(2026, 1, 1)},
        {"issued_on": date(2026, 3, 1)},
        {"kind": "full", "expires_on": date(2026, 2, 1)},
        {"kind": "refresher", "issued_on": date(2026, 9, 1)},
        {"kind": "refresher", "issued_on": date(2026, 8, 1)},
        {"kind": "refresher", "issued_on": None},
    )
    assert got == PersonTraining("An", date(2027, 9, 1), date(2031, 3, 1), date(2027, 9, 1))
    # A certificate known only by its printed date is the latest when that date is later.
    later = _p({"issued_on": date(2026, 1, 1)}, {"expires_on": date(2029, 1, 1)})
    assert later == PersonTraining("An", date(2026, 7, 1), date(2029, 1, 1), date(2026, 7, 1))


def test_cycle_figures_come_from_the_parameter():
    cycle = {"full_months": "24", "refresher_months": 6, "law_in_force_on": "2026-01-01"}
    got = _p({"issued_on": date(2026, 2, 1)}, cycle=cycle)
    assert got == PersonTraining("An", date(2026, 8, 1), date(2028, 2, 1), date(2026, 8, 1))
    old = _p({"issued_on": date(2025, 12, 1)}, cycle=cycle)
    assert (old.full_until, old.refresher_due) == (date(2027, 12, 1), date(2026, 7, 1))
    assert _p({"issued_on": date(2025, 12, 1)}, cycle={"law_in_force_on": None}).refresher_due == (
        date(2026, 12, 1)
    )


TRAINING = {"type": "training", "duty": "head", "cycle": {"param": "training.cycle"}}


def _training(records, answer=None, on=ON, rule=TRAINING):
    facts = {"training_records": records}
    return training_status(rule, facts, {"training.cycle": {}}, answer, on)


def test_training_status_of_the_first_person_to_lapse():
    records = [
        {"holder": "Bình", "duty": "head", "issued_on": date(2026, 3, 1)},
        {"holder": "An", "duty": "head", "issued_on": date(2026, 2, 1)},
        {"holder": "Chi", "duty": "team_member", "issued_on": date(2020, 1, 1)},
    ]
    assert _training(records) == (
        "met",
        date(2027, 2, 1),
        "An: huấn luyện đến 01/02/2031, bồi dưỡng bổ sung đến 01/02/2027",
        "An: training valid to 2031-02-01, refresher due 2027-02-01",
        None,
    )
    assert _training(records, on=date(2027, 2, 1))[0] == "met"
    assert _training(records, on=date(2027, 2, 2))[0] == "overdue"
    assert _training(records, answer="non_compliant")[0] == "not_met"
    assert _training(records, answer="non_compliant", on=date(2027, 2, 2))[0] == "overdue"


def test_training_records_of_one_person_are_grouped_by_name():
    records = [
        {"holder": " An ", "duty": "head", "issued_on": date(2026, 2, 1)},
        {"holder": "an", "duty": "head", "kind": "refresher", "issued_on": date(2026, 10, 1)},
    ]
    got = _training(records)
    assert got[1] == date(2027, 10, 1) and got[2].startswith(" An : huấn luyện")


@pytest.mark.parametrize(
    ("answer", "status"), [(None, "unknown"), ("compliant", "met"), ("non_compliant", "not_met")]
)
def test_training_status_without_a_certificate(answer, status):
    other_duty = [{"holder": "Chi", "duty": "team_member", "issued_on": date(2026, 1, 1)}]
    assert _training(other_duty, answer) == (
        status,
        None,
        "Chưa ghi nhận chứng nhận huấn luyện của người đứng đầu",
        "No training certificate recorded for the head",
        None,
    )
    odd = {"type": "training", "duty": "guard"}
    assert training_status(odd, {}, {}, answer, ON)[2:4] == (
        "Chưa ghi nhận chứng nhận huấn luyện của guard",
        "No training certificate recorded for the guard",
    )


def test_training_status_when_a_certificate_proves_no_cycle():
    records = [
        {"holder": "An", "duty": "head", "issued_on": date(2026, 2, 1)},
        {"holder": "Bình", "duty": "head", "kind": "refresher", "issued_on": date(2026, 2, 1)},
        {"holder": "Chi", "duty": "head"},
    ]
    expected = (
        "Chứng nhận của Bình, Chi không có ngày cấp, ngày hết hạn hoặc chỉ là bồi dưỡng bổ "
        "sung: chưa xác định được chu kỳ huấn luyện",
        "The certificate of Bình, Chi has no issue or expiry date, or is only a refresher: "
        "the training cycle cannot be established",
        None,
    )
    assert _training(records) == ("unknown", None, *expected)
    assert _training(records, "non_compliant") == ("not_met", None, *expected)
    nameless = [{"duty": "head"}]
    assert "Chứng nhận của  không có" in _training(nameless)[2]


def test_people_status_dispatches_on_the_rule_type():
    facts = {"employees": 19}
    assert people_status(TEAM, facts, PARAMS, "compliant", ON)[0] == "met"
    assert people_status(TRAINING, {}, {"training.cycle": {}}, "compliant", ON)[2] == (
        "Chưa ghi nhận chứng nhận huấn luyện của người đứng đầu"
    )
    assert people_status({"type": "expiry"}, facts, PARAMS, None, ON) is None
