"""Admin forms write through the services: a refusal shows on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from inspections.services.errors import ServiceError


def through_service(form: forms.ModelForm, action: Callable[[], Any]) -> Any:
    """Run a service for an admin form; its refusal shows on the form (never a 500). The
    admin's own transaction commits only when the whole page is valid."""
    try:
        return action()
    except ServiceError as exc:
        placed = False
        for name, errors in (exc.fields or {}).items():
            if name in form.fields:
                form.add_error(name, [str(e) for e in errors] or exc.detail)
                placed = True
        if not placed:
            form.add_error(None, exc.detail)
    except PermissionDenied:
        form.add_error(None, _("Bạn không có quyền thực hiện thao tác này."))
    return None
