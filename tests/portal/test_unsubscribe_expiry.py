"""Unsubscribe links expire: a leaked or forwarded old e-mail cannot change
someone's settings; the page says so and points to the settings page."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from inspections.services.notifications import unsubscribe_token


def test_a_link_works_until_it_expires(client, head, settings):
    settings.UNSUBSCRIBE_TOKEN_MAX_DAYS = 60
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        url = reverse("portal:unsubscribe", args=[unsubscribe_token(head, "inspection_due")])
    with time_machine.travel(issued + timedelta(days=59), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(issued + timedelta(days=61), tick=False):
        page = client.get(url)
        assert page.status_code == 410
        assert "đã hết hạn" in page.content.decode()
        assert client.post(url).status_code == 410
    assert not head.notification_preferences.filter(kind="inspection_due").exists()
