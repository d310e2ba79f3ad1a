"""The compliance summary's title in both languages (gettext; the period is written per language)."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.rules.reminders.wording import in_both_languages
from inspections.selectors.compliance import Period
from inspections.services.summaries import summary_message


@pytest.mark.parametrize(
    ("period", "vi", "en"),
    [
        (Period("weekly", date(2026, 11, 16), date(2026, 11, 22)),
         "Báo cáo tổng hợp tuân thủ PCCC tuần 16/11–22/11/2026 — UBND phường X",
         "Fire-safety compliance summary, week 16/11–22/11/2026 — UBND phường X"),
        (Period("monthly", date(2026, 11, 1), date(2026, 11, 30)),
         "Báo cáo tổng hợp tuân thủ PCCC tháng 11/2026 — UBND phường X",
         "Fire-safety compliance summary, November 2026 — UBND phường X"),
    ],
)  # fmt: skip
def test_summary_title_in_both_languages(period, vi, en):
    texts = in_both_languages(lambda: summary_message(period, "UBND phường X"))
    assert texts == {
        "title_vi": vi, "title_en": en, "what_vi": "", "what_en": "", "why_vi": "", "why_en": "",
    }  # fmt: skip
