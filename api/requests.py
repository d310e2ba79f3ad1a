"""The signed-in user of an API request, typed as ``User`` for views that require a login."""

from __future__ import annotations

from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from accounts.models import User


def current_user(request: Request) -> User:
    """``request.user`` of a view behind ``IsAuthenticated`` (the API's default permission).

    The permission already turned anonymous callers away with 401; the check keeps that answer
    should a view ever be opened to them, instead of passing an ``AnonymousUser`` on.
    """
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
