"""Rate limits of portal forms whose every request costs something: password-reset e-mails
(a mailbox can be flooded from many addresses, so also per e-mail) and PDF verification uploads
(each one is a signature validation). Fixed windows counted in the shared cache; the rates are
settings (PORTAL_RATE_LIMITS). The API has DRF throttles for the same purpose.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/hour" → (5, 3600)."""
    count, period = rate.split("/")
    return int(count), _PERIODS[period]


def retry_after(scope: str, *idents: str) -> int | None:
    """Count one request against each ident (address, e-mail...) in ``scope``; the seconds to
    wait when any of them is over its limit, else None."""
    limit, window = parse_rate(settings.PORTAL_RATE_LIMITS[scope])
    now = time.time()
    slot = int(now // window)
    wait = None
    for ident in idents:
        digest = hashlib.sha256(ident.lower().encode()).hexdigest()[:32]
        key = f"ratelimit:{scope}:{digest}:{slot}"
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        if count > limit:
            wait = int(window - now % window) + 1
    return wait


def client_address(request: HttpRequest) -> str:
    # Behind the reverse proxy REMOTE_ADDR is set from X-Forwarded-For by the proxy setup.
    return request.META.get("REMOTE_ADDR", "")


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(
        request, "portal/rate_limited.html", {"minutes": max(1, -(-wait // 60))}, status=429
    )
    response["Retry-After"] = str(wait)
    return response
