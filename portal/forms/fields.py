"""Fields every portal form shares: dates typed dd/mm/yyyy, free text capped like the API."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from inspections.inputs import validate_sane_date

# Dates are typed dd/mm/yyyy whatever the browser's locale: a native date picker shows
# mm/dd/yyyy on an English-US browser and people in Viet Nam then enter the wrong day. ISO
# (yyyy-mm-dd, what older links and autofill send) and dd-mm-yyyy / dd.mm.yyyy are accepted too.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
# Valid under the "v" flag browsers compile pattern="" with (no bare "/" or "-" in a class).
DATE_PATTERN = r"\s*(\d{1,2}(\/|\.|-)\d{1,2}(\/|\.|-)\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"


class DateInput(forms.DateInput):
    """A text box that shows and takes dd/mm/yyyy in both languages."""

    input_type = "text"

    def __init__(self, attrs=None, **kwargs):
        attrs = {
            "inputmode": "numeric",
            "pattern": DATE_PATTERN,
            "placeholder": "dd/mm/yyyy",
            "autocomplete": "off",
            "size": 10,
            "maxlength": 12,
            "class": "date-input",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%d/%m/%Y", **kwargs)


class SaneDateField(forms.DateField):
    """A date typed dd/mm/yyyy, within the range every input of the system accepts
    (inspections/inputs.py)."""

    default_validators = [validate_sane_date]
    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 31/12/2026."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Ngày/tháng/năm, ví dụ 31/12/2026"))
        super().__init__(**kwargs)


def note_field(label, **kwargs) -> forms.CharField:
    """Free text capped like the API (settings.NOTE_MAX_CHARS)."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
    kwargs.setdefault("max_length", settings.NOTE_MAX_CHARS)
    return forms.CharField(label=label, **kwargs)
