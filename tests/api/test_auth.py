"""JWT login, refresh with rotation, revoke, /me and the error shape in Vietnamese and English."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from tests import factories as f

PASSWORD = "pass-1234-xyz"  # tests.factories.UserFactory


@pytest.fixture(autouse=True)
def _private_cache(settings):
    # Throttle counters live in the cache: a per-test memory cache keeps tests independent of
    # one another and of the file/Redis cache shared with other processes.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def login(client, email, password=PASSWORD, **headers):
    return client.post(
        reverse("api:auth-token"), {"email": email, "password": password}, format="json", **headers
    )


def test_login_returns_a_token_pair_that_opens_me(api_client, inspector, authority):
    response = login(api_client, "Inspector@Test.vn")  # e-mail is case-insensitive
    assert response.status_code == 200, response.content
    tokens = response.json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = api_client.get(reverse("api:me")).json()
    assert me["email"] == "inspector@test.vn"
    assert me["roles"] == ["inspector"]
    assert me["authorities"] == [
        {
            "id": authority.pk,
            "name": "UBND Phường Hoàn Kiếm",
            "kind": "commune_committee",
            "kind_display": "Ủy ban nhân dân cấp xã",
            "province_code": 1,
            "province_name": "Thành phố Hà Nội",
            "wards": [{"code": 70, "name": "Phường Hoàn Kiếm"}],
            "roles": ["inspector"],
        }
    ]
    assert me["headed_premises"] == []


def test_me_lists_premises_a_head_heads(api_client, head, premises):
    api_client.force_authenticate(head)
    me = api_client.get(reverse("api:me")).json()
    assert me["headed_premises"] == [premises.pk]
    assert me["roles"] == [] and me["authorities"] == []


def test_wrong_password_is_401_in_the_error_shape(api_client, inspector):
    response = login(api_client, "inspector@test.vn", "wrong")
    assert response.status_code == 401
    body = response.json()
    assert body == {
        "code": "authentication_failed",
        "detail": "E-mail hoặc mật khẩu không đúng.",
        "fields": {},
    }


def test_error_messages_follow_accept_language(api_client, inspector):
    en = login(api_client, "inspector@test.vn", "wrong", HTTP_ACCEPT_LANGUAGE="en")
    assert en.json()["detail"] == "Wrong e-mail or password."
    vi = login(api_client, "inspector@test.vn", "wrong", HTTP_ACCEPT_LANGUAGE="vi")
    assert vi.json()["detail"] == "E-mail hoặc mật khẩu không đúng."
    missing = api_client.post(
        reverse("api:auth-token"), {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert missing.status_code == 400
    assert missing.json()["code"] == "invalid"
    assert missing.json()["detail"] == "The submitted data is not valid."
    assert missing.json()["fields"]["email"] == ["This field is required."]
    anonymous = api_client.get(reverse("api:me"), HTTP_ACCEPT_LANGUAGE="vi")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    assert anonymous.json()["detail"] == "Chưa cung cấp thông tin xác thực."


def test_refresh_rotates_and_the_old_refresh_token_is_refused(api_client, inspector):
    first = login(api_client, "inspector@test.vn").json()
    url = reverse("api:auth-token-refresh")
    rotated = api_client.post(url, {"refresh": first["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != first["refresh"]
    reused = api_client.post(url, {"refresh": first["refresh"]}, format="json")
    assert reused.status_code == 401
    assert reused.json()["code"] == "token_not_valid"
    again = api_client.post(url, {"refresh": rotated.json()["refresh"]}, format="json")
    assert again.status_code == 200


def test_revoke_logs_the_device_out(api_client, inspector):
    tokens = login(api_client, "inspector@test.vn").json()
    revoked = api_client.post(
        reverse("api:auth-token-revoke"), {"refresh": tokens["refresh"]}, format="json"
    )
    assert revoked.status_code == 204
    refused = api_client.post(
        reverse("api:auth-token-refresh"), {"refresh": tokens["refresh"]}, format="json"
    )
    assert refused.status_code == 401
    garbage = api_client.post(reverse("api:auth-token-revoke"), {"refresh": "x"}, format="json")
    assert garbage.status_code == 401 and garbage.json()["code"] == "token_not_valid"


def test_inactive_user_cannot_log_in(api_client, db):
    f.UserFactory(email="gone@test.vn", is_active=False)
    assert login(api_client, "gone@test.vn").status_code == 401


def test_login_is_throttled_per_address(api_client, inspector, monkeypatch):
    # DRF binds the rates at import time; lower the "auth" rate for this test only.
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "auth": "3/min"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    codes = [login(api_client, f"nobody{i}@test.vn", "x").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    throttled = login(api_client, "inspector@test.vn")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0


def test_locked_out_account_is_told_so_even_with_the_right_password(
    api_client, inspector, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    failures = [login(api_client, "inspector@test.vn", "wrong").status_code for _ in range(3)]
    assert failures == [401, 401, 401]
    locked = login(api_client, "inspector@test.vn", HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert locked.json()["detail"].startswith("Too many failed logins")
    assert int(locked["Retry-After"]) > 60
    assert "access" not in locked.json()


# --- Issue 13 defect 7: a password change ends the sessions issued before it -----------------


def test_tokens_issued_before_a_password_change_stop_working(api_client, inspector):
    tokens = login(api_client, "inspector@test.vn").json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert api_client.get(reverse("api:me")).status_code == 200
    inspector.set_password("a-new-pass-5678")
    inspector.save()
    refused = api_client.get(reverse("api:me"))
    assert refused.status_code == 401 and refused.json()["code"] == "password_changed"
    english = api_client.get(reverse("api:me"), HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "The password has changed; please log in again."
    api_client.credentials()
    refresh = api_client.post(
        reverse("api:auth-token-refresh"), {"refresh": tokens["refresh"]}, format="json"
    )
    assert refresh.status_code == 401 and refresh.json()["code"] == "token_not_valid"
    fresh = login(api_client, "inspector@test.vn", "a-new-pass-5678").json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh['access']}")
    assert api_client.get(reverse("api:me")).status_code == 200
    api_client.credentials()
    rotated = api_client.post(
        reverse("api:auth-token-refresh"), {"refresh": fresh["refresh"]}, format="json"
    )
    assert rotated.status_code == 200


def test_password_reset_ends_portal_sessions(client, inspector):
    from django.contrib.auth.tokens import default_token_generator
    from django.test import Client
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    other_device = Client()
    other_device.force_login(inspector)
    signed_in = other_device.get(reverse("portal:home"))
    assert signed_in.status_code == 302 and signed_in.url == "/app/"  # an inspector's home
    uid = urlsafe_base64_encode(force_bytes(inspector.pk))
    token = default_token_generator.make_token(inspector)
    form_url = client.get(
        reverse("portal:password_reset_confirm", args=[uid, token])
    ).url  # Django swaps the token for a session marker
    done = client.post(
        form_url, {"new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"}
    )
    assert done.status_code == 302
    after = other_device.get(reverse("portal:home"))
    assert after.status_code == 302 and reverse("portal:login") in after.url
