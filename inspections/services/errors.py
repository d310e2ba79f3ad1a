"""Errors raised by services; the API turns them into its one error shape."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A refusal with a stable code; ``current`` is the stored object the client should see."""

    status = 400

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        current: Any = None,
        fields: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.current = current
        self.fields = fields or {}


class Conflict(ServiceError):
    """The request disagrees with what is stored (client UUID reused, stale version, state)."""

    status = 409


class Invalid(ServiceError):
    """The request can never succeed as sent (set it aside)."""

    status = 400


class Forbidden(ServiceError):
    """The caller may see the object but not make this decision (e.g. override a cap)."""

    status = 403


class TooLarge(ServiceError):
    status = 413
