"""Putting a service's refusal on the form the page shows."""

from __future__ import annotations

from django import forms

from inspections.services.errors import ServiceError


def add_service_error(form: forms.Form, exc: ServiceError) -> None:
    """Show a service refusal next to the fields it names, else above the form."""
    placed = False
    for name, errors in (exc.fields or {}).items():
        if name in form.fields and errors:
            form.add_error(name, [str(e) for e in errors])
            placed = True
    if not placed:
        form.add_error(None, exc.detail)
