"""Date inputs show and take dd/mm/yyyy whatever the browser's locale; ISO is accepted too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from portal.forms.fields import SaneDateField


@pytest.mark.parametrize(
    ("typed", "day"),
    [("31/12/2026", dt.date(2026, 12, 31)), ("5/3/2027", dt.date(2027, 3, 5)),
     ("2026-12-31", dt.date(2026, 12, 31)), (" 05.03.2027 ", dt.date(2027, 3, 5))],
)  # fmt: skip
def test_typed_dates_are_read_day_first(typed, day):
    assert SaneDateField().clean(typed) == day


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_month_first_is_refused_with_a_readable_error_and_the_value_shows_day_first(lang):
    field = SaneDateField()
    with translation.override(lang), pytest.raises(Exception) as exc:
        field.clean("12/31/2026")
    assert "31/12/2026" in str(exc.value)
    html = field.widget.render("d", dt.date(2027, 3, 5))
    assert 'value="05/03/2027"' in html and 'type="text"' in html and "pattern=" in html
