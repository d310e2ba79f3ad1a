"""Serializer fields for input: dates and times only within the sane range of inspections/inputs.py."""

from __future__ import annotations

from rest_framework import serializers

from inspections.inputs import validate_sane_date


class SaneDateField(serializers.DateField):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate_sane_date)


class SaneDateTimeField(serializers.DateTimeField):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate_sane_date)
