"""compliance_summary and premises_rows: the figures a manager's summary reports, per ward."""

from __future__ import annotations

import datetime as dt

from inspections.models import ComplianceSnapshot
from inspections.selectors.compliance import (
    Period,
    compliance_summary,
    month_period,
    period_ending_before,
    premises_rows,
)

from .conftest import ON

WEEK = Period("weekly", ON - dt.timedelta(days=6), ON)  # 19–25 Nov 2026


def test_figures_per_ward_and_in_total(district):
    summary = compliance_summary(district.authority, WEEK)

    cua_nam, hoan_kiem = summary.wards  # sorted by ward name; Son La's premises not counted
    assert (cua_nam.ward_name, hoan_kiem.ward_name) == ("Phường Cửa Nam", "Phường Hoàn Kiếm")
    assert cua_nam.premises_by_kind == {"home": 1}
    assert cua_nam.inspections_planned == 0  # its visit is next week; the cancelled one never
    assert hoan_kiem.premises_by_kind == {"establishment": 2}
    assert (hoan_kiem.inspections_planned, hoan_kiem.inspections_done) == (2, 1)
    assert (hoan_kiem.findings_open, hoan_kiem.findings_closed, hoan_kiem.findings_overdue) == (
        3,  # open and remediated-awaiting-check
        1,
        1,
    )
    assert (hoan_kiem.obligations_total, hoan_kiem.obligations_met) == (4, 3)
    assert hoan_kiem.obligations_overdue == 1
    assert (hoan_kiem.roadmap_obligated, hoan_kiem.roadmap_connected) == (2, 1)
    assert hoan_kiem.roadmap_share == 0.5

    total = summary.total
    assert total.premises_total == 3
    assert total.premises_by_kind == {"establishment": 2, "home": 1}
    assert (total.inspections_planned, total.findings_open, total.obligations_total) == (2, 3, 4)
    assert summary.previous_share is None and summary.trend is None


def test_trend_against_the_last_stored_snapshot(district):
    for end, connected in ((ON - dt.timedelta(days=14), 0), (ON - dt.timedelta(days=7), 1)):
        ComplianceSnapshot.objects.create(
            authority=district.authority,
            period="weekly",
            period_start=end - dt.timedelta(days=6),
            period_end=end,
            obligated_premises=4,
            connected_premises=connected,
        )
    summary = compliance_summary(district.authority, WEEK)
    assert summary.previous_period_end == ON - dt.timedelta(days=7)
    assert summary.previous_share == 0.25
    assert summary.trend == 0.25  # 50% now


def test_figures_take_the_same_queries_for_more_premises(district, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        compliance_summary(district.authority, WEEK)


def test_figures_are_plain_data_for_the_snapshot(district):
    figures = compliance_summary(district.authority, WEEK).figures()
    assert figures["period"] == {"kind": "weekly", "start": "2026-11-19", "end": "2026-11-25"}
    assert [w["ward_name"] for w in figures["wards"]] == ["Phường Cửa Nam", "Phường Hoàn Kiếm"]
    assert figures["total"]["roadmap_connected"] == 1


def test_premises_rows_one_per_premises_of_the_jurisdiction(district):
    rows = list(premises_rows(district.authority, WEEK))
    assert [r["id"] for r in rows] == [district.hotel.pk, district.karaoke.pk, district.home.pk]
    hotel = rows[0]
    assert (hotel["findings_open"], hotel["findings_overdue"]) == (3, 1)
    assert (hotel["obligations_total"], hotel["obligations_met"]) == (2, 2)
    assert hotel["roadmap_obligated"] is True and rows[2]["roadmap_obligated"] is False
    assert hotel["ward_name"] == "Phường Hoàn Kiếm"
    assert rows[2]["kind_label"] == "Nhà ở"


def test_periods_end_before_today():
    assert period_ending_before("weekly", ON) == Period(
        "weekly", dt.date(2026, 11, 16), dt.date(2026, 11, 22)
    )
    assert period_ending_before("monthly", ON) == month_period(2026, 10)
    assert month_period(2026, 2).end == dt.date(2026, 2, 28)
    assert month_period(2026, 10).label_vi == "tháng 10/2026"
    assert WEEK.label_vi == "tuần 19/11–25/11/2026"
