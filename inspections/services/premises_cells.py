"""The cells of a premises CSV as the model takes them: yes/no, dates, numbers, choices."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from inspections.inputs import MAX_DATE, MIN_DATE, date_in_range
from inspections.models import AlarmDeviceState, PremisesKind
from inspections.services.premises import fact_fields

_TRUE = {"1", "true", "yes", "y", "x", "có", "co", "đúng", "dung"}
_FALSE = {"0", "false", "no", "n", "không", "khong", "sai"}


def _label_lookup(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, label in choices:
        table[str(value).lower()] = value
        table[str(label).lower()] = value
    return table


def _parse_bool(value: str) -> bool | None:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ValueError(_("“%(v)s” không phải có/không.") % {"v": value})


def _parse_date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            day = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not date_in_range(day):
            raise ValueError(
                _("“%(v)s”: năm phải từ %(min)s đến %(max)s.")
                % {"v": value, "min": MIN_DATE.year, "max": MAX_DATE.year}
            )
        return day
    raise ValueError(_("“%(v)s” không phải ngày (YYYY-MM-DD hoặc DD/MM/YYYY).") % {"v": value})


def _parse_number(value: str) -> str:
    v = value.replace(" ", "")
    if "," in v and "." not in v:
        v = v.replace(",", ".")  # Vietnamese decimal comma: "12,5"
    return v


def _parse_decimal(value: str) -> Decimal:
    try:
        return Decimal(_parse_number(value))
    except InvalidOperation:
        raise ValueError(_("“%(v)s” không phải số.") % {"v": value}) from None


def _parse_int(value: str) -> int:
    v = _parse_number(value)
    if not re.fullmatch(r"-?\d+(\.0*)?", v):
        raise ValueError(_("“%(v)s” không phải số nguyên.") % {"v": value})
    return int(v.split(".")[0])


# Cells of these field types are parsed; choice fields take a value or its label; the rest is
# text as written.
_PARSERS: dict[str, Callable[[str], Any]] = {
    "BooleanField": _parse_bool,
    "DateField": _parse_date,
    "DecimalField": _parse_decimal,
    "PositiveIntegerField": _parse_int,
    "PositiveSmallIntegerField": _parse_int,
}
_CHOICE_FIELDS: dict[str, type[models.TextChoices]] = {
    "kind": PremisesKind,
    "alarm_device_state": AlarmDeviceState,
}
# Roman numerals as the decree writes them ("III", "II"), except the grade "special".
_ROMAN_GRADES = ("works_grade", "fishing_port_class")


def convert_cell(name: str, value: str) -> Any:
    f = fact_fields()[name]
    if value == "":
        if f.null:
            return None
        return f.get_default() if f.has_default() else ""
    if name in _CHOICE_FIELDS:
        return _choice(_CHOICE_FIELDS[name], value)
    if parse := _PARSERS.get(f.get_internal_type()):
        return parse(value)
    if name == "hazard_class" or (name in _ROMAN_GRADES and value.lower() != "special"):
        return value.upper()
    return value


def _choice(choices: type[models.TextChoices], value: str) -> str:
    lookup = _label_lookup(choices.choices)
    if value.lower() not in lookup:
        raise ValueError(
            _("“%(v)s” không hợp lệ (dùng: %(allowed)s)")
            % {"v": value, "allowed": ", ".join(choices.values)}
        )
    return lookup[value.lower()]


def validation_messages(exc: ValidationError) -> list[str]:
    fields = fact_fields()
    if hasattr(exc, "error_dict"):
        out: list[str] = []
        for name, msgs in exc.message_dict.items():
            label = str(fields[name].verbose_name) if name in fields else name
            out.extend(f"{label}: {m}" for m in msgs)
        return out
    return list(exc.messages)
