"""Shared fixtures: personas (inspector of the authority, inspector of another authority,
manager, facility head, outsider) and service checks that fail under CI instead of skipping."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.models import Membership
from tests import factories as f

# Fixture modules shared by several packages: registered once, requested by name.
pytest_plugins = [
    "tests.inspection_fixtures",
    "tests.signing_fixtures",
    "tests.report_fixtures",
    "tests.forms_fixtures",
    "tests.local_pki",
]


def _worker_cache(cache: dict, worker: str) -> dict:
    """``cache`` for one pytest-xdist worker: its own Redis database or cache folder.

    The workers' test databases number their rows alike, so a shared cache would hand one
    worker another's cached objects, and ``cache.clear()`` (FLUSHDB on Redis) would wipe the
    throttle counters another worker is asserting on.
    """
    n = int(worker.removeprefix("gw"))
    if "redis" in cache["BACKEND"].lower():
        parts = urlsplit(cache["LOCATION"])
        base = int(parts.path.strip("/") or 0)
        location = urlunsplit(parts._replace(path=f"/{(base + 1 + n) % 16}"))
    else:
        location = f"{cache['LOCATION']}-{worker}"
    return {**cache, "LOCATION": location}


@pytest.fixture(scope="session", autouse=True)
def _cache_per_worker(worker_id):
    if worker_id == "master":  # not under pytest-xdist
        yield
        return
    caches = {**settings.CACHES, "default": _worker_cache(settings.CACHES["default"], worker_id)}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _sendfile_follows_media_root(settings):
    """Production sets SENDFILE_ROOT to MEDIA_ROOT (both from the environment); tests move
    MEDIA_ROOT to a temporary folder, so private files are sent from there too."""
    from django.core.signals import setting_changed

    def follow(*, setting: str, value, enter: bool, **kwargs) -> None:
        if setting == "MEDIA_ROOT" and enter:
            settings.SENDFILE_ROOT = str(value)

    setting_changed.connect(follow, weak=False)
    yield
    setting_changed.disconnect(follow)


def file_bytes(response) -> bytes:
    """The body of a file response, streamed (FileResponse) or not (sendfile's simple backend)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def eager():
    """Celery tasks run in the test's process (``.delay`` calls the task at once)."""
    from config.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    app.conf.update(task_always_eager=before[0], task_eager_propagates=before[1])


@pytest.fixture
def authority(db):
    return f.AuthorityFactory(name="UBND Phường Hoàn Kiếm")


@pytest.fixture
def other_authority(db):
    return f.AuthorityFactory(
        name="UBND Phường Tô Hiệu", province_code=f.SON_LA_PROVINCE, ward_codes=[f.SON_LA_WARD]
    )


@pytest.fixture
def inspector(authority):
    user = f.UserFactory(email="inspector@test.vn", full_name="Trần Thị Kiểm")
    f.MembershipFactory(user=user, authority=authority, role=Membership.Role.INSPECTOR)
    return user


@pytest.fixture
def other_inspector(other_authority):
    user = f.UserFactory(email="other-inspector@test.vn", full_name="Lò Văn Khác")
    f.MembershipFactory(user=user, authority=other_authority, role=Membership.Role.INSPECTOR)
    return user


@pytest.fixture
def manager(authority):
    user = f.UserFactory(email="manager@test.vn", full_name="Phạm Văn Quản")
    f.MembershipFactory(user=user, authority=authority, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def head(db):
    return f.UserFactory(email="head@test.vn", full_name="Lê Thị Chủ")


@pytest.fixture
def outsider(db):
    return f.UserFactory(email="outsider@test.vn", full_name="Người Ngoài")


@pytest.fixture
def premises(head):
    return f.PremisesFactory(name="Karaoke Hoàn Kiếm", heads=[head])


@pytest.fixture
def other_premises(db):
    return f.PremisesFactory(
        name="Nhà hàng Tô Hiệu", province_code=f.SON_LA_PROVINCE, ward_code=f.SON_LA_WARD
    )


def authed(client: APIClient, user) -> APIClient:
    client.force_authenticate(user=user)
    return client


# --- Real services -------------------------------------------------------------------------


def _require(kind: str, available: bool, why: str) -> None:
    if available:
        return
    if settings.CI or os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{kind} is required under CI=true but is not available: {why}")
    pytest.skip(f"{kind} not available: {why}")


@pytest.fixture
def require_postgres(db) -> None:
    from django.db import connection

    _require(
        "PostgreSQL", connection.vendor == "postgresql", f"DATABASE_URL uses {connection.vendor}"
    )


@pytest.fixture
def require_redis() -> str:
    url = settings.REDIS_URL
    if not url:
        _require("Redis", False, "REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        _require("Redis", False, str(exc))
    return url


# --- Legal catalogue -----------------------------------------------------------------------


@pytest.fixture
def published_catalogue(db):
    """The repository's catalogue file loaded and published (law provisions included)."""
    from inspections.legal.catalogue_file import latest_catalogue_file
    from inspections.services.catalogue_loading import load_catalogue

    return load_catalogue(latest_catalogue_file(), publish=True).version


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language: a test that activates English must
    not change what the next one (on the same xdist worker) reads."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
