"""Property-based requests from the OpenAPI schema: no generated request gets a 5xx.

Runs in-process (WSGI) as an authenticated inspector who has a scheduled and an in-progress
inspection, so path ids hit real objects as well as missing ones. Bounded: a few examples per
operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error

from inspections.models import Inspection
from inspections.services import inspections as services
from tests import inspection_factories as inf

# tus PATCH bodies are raw bytes (tus 1.0 core), a media type schemathesis cannot make itself.
schemathesis.openapi.media_type("application/offset+octet-stream", st.binary(max_size=2048))


@pytest.fixture
def bearer(manager, authority, inspector, premises) -> tuple[dict[str, str], list[int]]:
    inf.make_catalogue(3)
    ids = []
    for kind, start in ((Inspection.Kind.PERIODIC, False), (Inspection.Kind.REINSPECTION, True)):
        inspection, _ = services.create_inspection(
            user=manager,
            premises=premises,
            authority=authority,
            kind=kind,
            scheduled_for=inf.device_time().date(),
            inspectors=[inspector],
        )
        if start:
            services.start_inspection(user=inspector, inspection=inspection)
        ids.append(inspection.pk)
    return {"Authorization": f"Bearer {RefreshToken.for_user(inspector).access_token}"}, ids


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: a raw WSGI call would otherwise close the connection that
    holds the test's transaction (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_server_errors(db, settings, tmp_path, bearer, keep_test_connection):
    from django.core.wsgi import get_wsgi_application

    settings.MEDIA_ROOT = str(tmp_path)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    # schemathesis' pytest plugin does not support pytest 9 yet: drive its strategies directly.
    api = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    operations = [
        result.ok()
        for result in api.include(path_regex=r"^/api/v1/(inspections|sync)").get_all_operations()
    ]
    assert len(operations) >= 12
    headers, ids = bearer
    for operation in operations:
        for pk in (None, *ids):
            run(operation, headers, pk)


def run(operation, headers: dict[str, str], pk: int | None) -> None:
    """A few generated requests; with ``pk`` the path points at a real inspection."""

    @given(case=operation.as_strategy())
    @hsettings(
        max_examples=5,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:
        cache.clear()  # the throttles are not under test here
        if pk is not None and "id" in (case.path_parameters or {}):
            case.path_parameters = {**case.path_parameters, "id": pk}
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])

    check()
