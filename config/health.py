"""``/healthz``: does each component answer? 200 when all do, 503 naming the ones that do not.

For load balancers and uptime checks: no authentication, no domain code, short timeouts. Error
details go to the log, not to the (public) response.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)
BROKER_TIMEOUT_S = 3


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    # A real round trip: connect, open a channel and read the size of the default queue.
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=BROKER_TIMEOUT_S,
        transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
    ) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_S)
        conn.default_channel._size("celery")


def check_storage() -> None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as fh:
            if fh.read() != b"ok":
                raise OSError("storage returned other bytes than written")
    finally:
        default_storage.delete(name)


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise OSError("cache did not return the value just set")
    finally:
        cache.delete(key)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_storage,
    "cache": check_cache,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    components: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:
            logger.warning("health check %s failed: %r", name, exc)
            components[name] = {"ok": False, "error": type(exc).__name__}
        else:
            components[name] = {"ok": True}
        components[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    failed = [name for name, result in components.items() if not result["ok"]]
    return JsonResponse(
        {"status": "fail" if failed else "ok", "failed": failed, "components": components},
        status=503 if failed else 200,
    )
