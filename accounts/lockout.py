"""Lockout after repeated failed logins (django-axes), for the portal form and the API token login."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class RequestLockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check for logins that come with a request.

    ``authenticate()`` without a request (management commands, the test client's ``login()``)
    is not an attempt from an address, so there is nothing to count or lock; axes' own backend
    would raise there instead.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def attempted_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The e-mail tried: the portal form posts ``username``, simplejwt passes ``email``."""
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if not value:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username") or data.get("email")
    if not isinstance(value, str):
        return value
    # axes stores it in a 255-character column: a longer "e-mail" (no real account has one)
    # must count as a failure, not crash the insert on PostgreSQL.
    return value.strip().lower()[:255]
