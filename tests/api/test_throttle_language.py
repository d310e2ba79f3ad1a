"""The 429 message is in one language, the caller's: DRF's own message mixed a
Vietnamese sentence with an English one."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle


@pytest.fixture
def throttled(api_client, db, monkeypatch, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "auth": "1/min"}
    )

    def login(language: str):
        return api_client.post(
            reverse("api:auth-token"),
            {"email": "nobody@test.vn", "password": "x"},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )

    login("vi")
    return login


def test_vietnamese(throttled):
    response = throttled("vi")
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert response.json()["detail"] == (f"Quá nhiều yêu cầu, vui lòng thử lại sau {seconds} giây.")


def test_english(throttled):
    response = throttled("en")
    seconds = int(response["Retry-After"])
    assert response.json()["detail"] == f"Too many requests; try again in {seconds} seconds."
    assert response.json()["code"] == "throttled"
