"""Password-reset e-mails and /verify/ uploads are rate-limited: a flood is a
429 with Retry-After, and no more mail goes out."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PORTAL_RATE_LIMITS = {"password_reset": "3/hour", "verify_upload": "2/min"}
    cache.clear()


def test_password_reset_mails_are_limited_per_address(client, head):
    url = reverse("portal:password_reset")
    codes = [client.post(url, {"email": head.email}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


def test_password_reset_mails_are_limited_per_mailbox_from_many_addresses(client, head):
    url = reverse("portal:password_reset")
    codes = [
        client.post(url, {"email": head.email}, REMOTE_ADDR=f"10.0.0.{i}").status_code
        for i in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


def test_unknown_addresses_are_limited_too(client, db):
    # The same answers whether or not an account exists: the limit must not tell either.
    url = reverse("portal:password_reset")
    codes = [client.post(url, {"email": "nobody@test.vn"}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]


def test_the_refusal_says_when_to_come_back(client, head):
    url = reverse("portal:password_reset")
    for _ in range(3):
        client.post(url, {"email": head.email})
    response = client.post(url, {"email": head.email})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3601
    assert "Vui lòng thử lại sau" in response.content.decode()


def test_verify_uploads_are_limited_per_address(client, db):
    url = reverse("portal:verify_upload")

    def upload():
        pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.7 not a record", "application/pdf")
        return client.post(url, {"file": pdf}).status_code

    assert [upload(), upload(), upload()] == [200, 200, 429]
    assert client.get(url).status_code == 200  # reading the page is not limited
