"""Log in, lockout after repeated failures (portal form and API token login), password reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

PASSWORD = "pass-1234-xyz"  # tests.factories.UserFactory


@pytest.fixture(autouse=True)
def _private_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.AXES_FAILURE_LIMIT = 3
    cache.clear()


def post_login(client, email, password):
    return client.post(reverse("portal:login"), {"username": email, "password": password})


def test_login_redirects_head_to_my_premises(client, head, premises):
    response = post_login(client, "Head@Test.vn", PASSWORD)
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Karaoke Hoàn Kiếm" in page.content.decode()


def test_wrong_password_shows_error_and_stays_on_login(client, head):
    response = post_login(client, "head@test.vn", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_pages_need_login(client, premises):
    response = client.get(reverse("portal:premises_detail", args=[premises.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_login_form_requires_csrf(head):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("portal:login"), {"username": head.email, "password": PASSWORD})
    assert response.status_code == 403


def test_lockout_after_repeated_failures_even_with_right_password(client, head):
    for _ in range(3):
        post_login(client, "head@test.vn", "wrong")
    response = post_login(client, "head@test.vn", PASSWORD)
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(client, head, outsider):
    for _ in range(3):
        post_login(client, "head@test.vn", "wrong")
    assert post_login(client, "outsider@test.vn", PASSWORD).status_code == 302


def test_api_token_login_works_with_axes(api_client, inspector):
    url = reverse("api:auth-token")
    ok = api_client.post(url, {"email": inspector.email, "password": PASSWORD}, format="json")
    assert ok.status_code == 200, ok.content
    assert "access" in ok.json()


def test_api_token_login_is_locked_out_after_failures(api_client, inspector):
    url = reverse("api:auth-token")
    for _ in range(3):
        bad = api_client.post(url, {"email": inspector.email, "password": "x"}, format="json")
        assert bad.status_code == 401
    locked = api_client.post(url, {"email": inspector.email, "password": PASSWORD}, format="json")
    assert locked.status_code in (401, 429)
    assert "access" not in locked.json()


def test_password_reset_by_email(client, head, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("portal:password_reset"), {"email": "head@test.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["head@test.vn"]
    assert message.alternatives  # HTML part
    link = re.search(r"http://testserver(/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "a-new-Passw0rd-2025", "new_password2": "a-new-Passw0rd-2025"},
    )
    assert done.status_code == 302
    head.refresh_from_db()
    assert head.check_password("a-new-Passw0rd-2025")


def test_password_reset_does_not_reveal_unknown_addresses(db, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("portal:password_reset"), {"email": "nobody@test.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_language_switch_to_english(client, head, premises):
    client.force_login(head)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("portal:home")).content.decode()
    assert 'lang="en"' in page
    assert "My premises" in page and "Log out" in page
    assert "Cơ sở của tôi" not in page


def test_vietnamese_by_default_even_for_an_english_browser(client, head, premises):
    client.force_login(head)
    page = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Cơ sở của tôi" in page.content.decode()


def test_profile_language_english(client, head, premises):
    head.language = "en"
    head.save(update_fields=["language"])
    client.force_login(head)
    assert "My premises" in client.get(reverse("portal:home")).content.decode()


def test_api_errors_still_follow_accept_language(api_client, db):
    response = api_client.get(reverse("api:me"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.headers.get("Content-Language") == "en"
