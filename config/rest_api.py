"""Settings of the REST API: Django REST framework, its OpenAPI schema and its JWT tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import environ


def rest_framework(env: environ.Env) -> dict[str, Any]:
    """``REST_FRAMEWORK``; the throttle rates come from the environment."""
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework_simplejwt.authentication.JWTAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        # A JSON body is one object, not too deep, without NUL characters (api/parsers.py).
        "DEFAULT_PARSER_CLASSES": [
            "api.parsers.ObjectJSONParser",
            "rest_framework.parsers.FormParser",
            "rest_framework.parsers.MultiPartParser",
        ],
        "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
        "PAGE_SIZE": 50,
        "DEFAULT_FILTER_BACKENDS": [
            "django_filters.rest_framework.DjangoFilterBackend",
            "rest_framework.filters.OrderingFilter",
            "rest_framework.filters.SearchFilter",
        ],
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "EXCEPTION_HANDLER": "api.errors.exception_handler",
        "DEFAULT_THROTTLE_CLASSES": [
            "rest_framework.throttling.UserRateThrottle",
            "rest_framework.throttling.AnonRateThrottle",
        ],
        "DEFAULT_THROTTLE_RATES": {
            "user": env.str("THROTTLE_USER", default="1200/min"),
            "anon": env.str("THROTTLE_ANON", default="60/min"),
            "auth": env.str("THROTTLE_AUTH", default="20/min"),
            "verify": env.str("THROTTLE_VERIFY", default="30/min"),
            # Mobile API, per user: a phone catching up after a day offline stays well below these.
            "sync": env.str("THROTTLE_SYNC", default="120/min"),
            "uploads": env.str("THROTTLE_UPLOADS", default="600/min"),
        },
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "PCCC Inspect API",
    "DESCRIPTION": (
        "Fire-safety inspection under Law 55/2024/QH15. Every error has the shape "
        '{"code", "detail", "fields"}.'
    ),
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" field: name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "PremisesKindEnum": "inspections.models.premises.PremisesKind",
        "AuthorityKindEnum": "accounts.models.Authority.Kind",
        "InspectionKindEnum": "inspections.models.inspections.Inspection.Kind",
        "InspectionStateEnum": "inspections.models.inspections.Inspection.State",
        "FindingStatusEnum": "inspections.models.findings.Finding.Status",
    },
}


def simple_jwt(env: environ.Env) -> dict[str, Any]:
    """``SIMPLE_JWT``; token lifetimes come from the environment."""
    return {
        "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=30)),
        "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=30)),
        "ROTATE_REFRESH_TOKENS": True,
        "BLACKLIST_AFTER_ROTATION": True,
        "UPDATE_LAST_LOGIN": True,
        "USER_ID_FIELD": "id",
        # Every token carries a stamp of the password hash, checked on each request (and on
        # refresh, api/auth.py): a password change or reset ends the sessions issued before it.
        "CHECK_REVOKE_TOKEN": True,
        "REVOKE_TOKEN_CLAIM": "pwd",
    }
