"""A serializer's own field rules, compiled into one plain-Python pass over a request body.

A DRF serializer walks each row of a list through a dozen method calls per field; for a batch of
200 answers that was a fifth of the request's CPU time. ``compile_input`` reads the declared
fields of a serializer once (types, limits, choices, defaults, validators) and builds checks that
accept only what the serializer accepts and return what it would return. Anything they are not
sure of (an unusual type, a value out of bounds, a naive datetime) is not judged here: the
caller then runs the serializer itself, so every error body, code and message is DRF's, from
the one definition of the rules.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import ISO_8601, fields, serializers
from rest_framework.settings import api_settings
from rest_framework.validators import ProhibitSurrogateCharactersValidator

# What the slow path (the serializer) must decide.
_SLOW = object()
_ABSENT = fields.empty
_SURROGATE = re.compile("[\ud800-\udfff]")
# Validators a compiled check already applies inline; any other one is called as declared.
_INLINE = (
    MaxLengthValidator,
    MinLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
    ProhibitSurrogateCharactersValidator,
)

Check = Callable[[Any, dict], Any]  # (value, per-call context) -> internal value or _SLOW


class Unsupported(TypeError):
    """The serializer uses a feature the compiler does not reproduce (found at import)."""


def _extra_validators(field: fields.Field) -> list[Callable[[Any], Any]]:
    extra: list[Any] = [v for v in field.validators if not isinstance(v, _INLINE)]
    if any(getattr(v, "requires_context", False) for v in extra):
        raise Unsupported(f"{field.field_name}: a validator that needs the serializer context")
    return extra


def _integer(field: fields.IntegerField) -> Check:
    low, high = field.min_value, field.max_value

    def check(value: Any, ctx: dict) -> Any:
        # JSON whole numbers only; "5", 5.0 and booleans are left to the serializer.
        if type(value) is not int:
            return _SLOW
        if (low is not None and value < low) or (high is not None and value > high):
            return _SLOW
        return value

    return check


def _uuid(field: fields.UUIDField) -> Check:
    def check(value: Any, ctx: dict) -> Any:
        if type(value) is not str:
            return _SLOW
        try:
            return uuid.UUID(hex=value)
        except ValueError:
            return _SLOW

    return check


def _choice(field: fields.ChoiceField) -> Check:
    allow_blank = field.allow_blank
    values = dict(field.choice_strings_to_values)

    def check(value: Any, ctx: dict) -> Any:
        if type(value) is not str:
            return _SLOW
        if value == "" and allow_blank:
            return ""
        return values.get(value, _SLOW)

    return check


def _char(field: fields.CharField) -> Check:
    allow_blank, trim = field.allow_blank, field.trim_whitespace
    longest, shortest = field.max_length, field.min_length

    def check(value: Any, ctx: dict) -> Any:
        if type(value) is not str:
            return _SLOW
        if trim:
            value = value.strip()
        if value == "":
            return "" if allow_blank else _SLOW
        if longest is not None and len(value) > longest:
            return _SLOW
        if shortest is not None and len(value) < shortest:
            return _SLOW
        if "\x00" in value or (not value.isascii() and _SURROGATE.search(value)):
            return _SLOW
        return value

    return check


def _datetime(field: fields.DateTimeField) -> Check:
    formats = getattr(field, "input_formats", api_settings.DATETIME_INPUT_FORMATS)
    if [f.lower() for f in formats] != [ISO_8601]:
        raise Unsupported(f"{field.field_name}: datetime formats other than ISO 8601")
    fixed = getattr(field, "timezone", _ABSENT)

    def check(value: Any, ctx: dict) -> Any:
        if type(value) is not str:
            return _SLOW
        try:
            parsed = parse_datetime(value)
        except ValueError:
            return _SLOW
        # A naive time is made aware by the serializer (with its own checks).
        if parsed is None or parsed.utcoffset() is None:
            return _SLOW
        zone = ctx["tz"] if fixed is _ABSENT else fixed
        if zone is None:
            return _SLOW
        try:
            return parsed.astimezone(zone)
        except OverflowError:
            return _SLOW

    return check


def _delegate(field: fields.Field) -> Check:
    """Any other field type: its own run_validation, without the serializer around it."""

    def check(value: Any, ctx: dict) -> Any:
        try:
            return field.run_validation(value)
        except (serializers.ValidationError, fields.SkipField):
            return _SLOW

    return check


def _with_validators(inner: Check, extra: list[Callable[[Any], Any]]) -> Check:
    if not extra:
        return inner

    def check(value: Any, ctx: dict) -> Any:
        value = inner(value, ctx)
        if value is _SLOW:
            return _SLOW
        for validator in extra:
            try:
                validator(value)
            except Exception:  # noqa: BLE001 - any refusal is for the serializer to word
                return _SLOW
        return value

    return check


def _list(field: serializers.ListSerializer) -> Check:
    if not _behaves_as(field, serializers.ListSerializer, "validate", "run_child_validation"):
        raise Unsupported(f"{field.field_name}: a list with custom validation")
    if field.validators:
        raise Unsupported(f"{field.field_name}: a list with validators")
    if not isinstance(field.child, serializers.BaseSerializer):
        raise Unsupported(f"{field.field_name}: a list of plain values")
    row = _serializer(field.child)
    allow_empty = field.allow_empty
    longest, shortest = getattr(field, "max_length", None), getattr(field, "min_length", None)

    def check(value: Any, ctx: dict) -> Any:
        if type(value) is not list:
            return _SLOW
        n = len(value)
        if (not allow_empty and n == 0) or (longest is not None and n > longest):
            return _SLOW
        if shortest is not None and n < shortest:
            return _SLOW
        out = []
        for item in value:
            checked = row(item, ctx)
            if checked is _SLOW:
                return _SLOW
            out.append(checked)
        return out

    return check


# The methods a compiled check replaces: a subclass that overrides one is not compiled.
_CONVERSION = ("run_validation", "validate_empty_values", "get_value", "to_internal_value")


def _behaves_as(field: fields.Field, base: type, *extra: str) -> bool:
    kind = type(field)
    return isinstance(field, base) and all(
        getattr(kind, name) is getattr(base, name) for name in (*_CONVERSION, *extra)
    )


def _field(field: fields.Field) -> Check:
    if isinstance(field, serializers.ListSerializer):
        return _list(field)
    if isinstance(field, serializers.BaseSerializer):
        return _serializer(field)
    # SaneDateTimeField only adds a validator: it keeps DateTimeField's conversion.
    if _behaves_as(field, fields.IntegerField):
        inner = _integer(field)  # type: ignore[arg-type]
    elif _behaves_as(field, fields.UUIDField):
        inner = _uuid(field)  # type: ignore[arg-type]
    elif _behaves_as(field, fields.ChoiceField):
        inner = _choice(field)  # type: ignore[arg-type]
    elif _behaves_as(field, fields.CharField):
        inner = _char(field)  # type: ignore[arg-type]
    elif _behaves_as(field, fields.DateTimeField, "enforce_timezone", "default_timezone"):
        inner = _datetime(field)  # type: ignore[arg-type]
    else:
        return _delegate(field)
    return _with_validators(inner, _extra_validators(field))


def _member(field: fields.Field) -> Check:
    """A field of an object, present or not: DRF's empty and null handling, then the check."""
    convert = _field(field)
    allow_null = field.allow_null
    if field.required:
        default: Any = _SLOW
    else:
        # DRF: an absent optional field without a default is left out of the result.
        default = field.default

    # ``empty`` (no default) is a class: returned as the marker, never called.
    call = callable(default) and default is not _ABSENT

    def check(raw: Any, ctx: dict) -> Any:
        if raw is _ABSENT:
            return default() if call else default
        if raw is None:
            return None if allow_null else _SLOW
        return convert(raw, ctx)

    return check


def _plain_member(serializer: serializers.Serializer, name: str, field: fields.Field) -> bool:
    where = f"{type(serializer).__name__}.{name}"
    if field.source != name or getattr(serializer, f"validate_{name}", None):
        raise Unsupported(f"{where}: another source or a validate_{name} method")
    if getattr(field.default, "requires_context", False):
        raise Unsupported(f"{where}: a default that needs the context")
    return True


def _serializer(serializer: serializers.BaseSerializer) -> Check:
    if not isinstance(serializer, serializers.Serializer):
        raise Unsupported(type(serializer).__name__)
    kind = type(serializer)
    if not _behaves_as(serializer, serializers.Serializer, "validate") or serializer.validators:
        raise Unsupported(f"{kind.__name__}: object-level validation or custom conversion")
    plan = [
        (name, _member(field))
        for name, field in serializer.fields.items()
        if not field.read_only and _plain_member(serializer, name, field)
    ]

    def check(value: Any, ctx: dict) -> Any:
        if type(value) is not dict:
            return _SLOW
        out: dict[str, Any] = {}
        for name, member in plan:
            checked = member(value.get(name, _ABSENT), ctx)
            if checked is _SLOW:
                return _SLOW
            if checked is not _ABSENT:
                out[name] = checked
        return out

    return check


_compiled: dict[type, Check] = {}


def compile_input(serializer_class: type[serializers.Serializer]) -> Check:
    check = _compiled.get(serializer_class)
    if check is None:
        check = _compiled[serializer_class] = _serializer(serializer_class())
    return check


def fast_validated(serializer_class: type[serializers.Serializer], data: Any) -> Any:
    """The serializer's validated data if the compiled checks accept ``data``, else None."""
    ctx = {"tz": timezone.get_current_timezone() if settings.USE_TZ else None}
    result = compile_input(serializer_class)(data, ctx)
    return None if result is _SLOW else result


def validated(serializer_class: type[serializers.Serializer], data: Any) -> Any:
    """Validated data by the compiled checks, or by the serializer (which raises its errors)."""
    result = fast_validated(serializer_class, data)
    if result is None:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        result = serializer.validated_data
    return result


__all__ = ["Unsupported", "compile_input", "fast_validated", "validated"]
