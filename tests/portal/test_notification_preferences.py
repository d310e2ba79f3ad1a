"""The notification preferences page: each user sets immediate / digest / off per kind, only
for themselves; mandatory legal deadlines can go to the digest but never off."""

from __future__ import annotations

import re

from django.urls import reverse

from inspections.models import NotificationKind, NotificationPreference
from inspections.selectors.notifications import preferences_for
from inspections.services.notifications import set_preference

URL = "portal:notification_preferences"


def form_data(user, **overrides: str) -> dict[str, str]:
    """What the browser submits when the user changes only ``overrides``."""
    data = {row.kind: row.mode for row in preferences_for(user)}
    data.update(overrides)
    return data


def checked(html: str, kind: str) -> list[str]:
    """The values of the selected radios of one kind, as the browser would show them."""
    return [
        m.group(1)
        for m in re.finditer(rf'<input type="radio" name="{kind}" value="(\w+)"[^>]*>', html)
        if " checked" in m.group(0)
    ]


def stored(user) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))
    assert client.post(reverse(URL), {"drill_due": "digest"}).status_code == 302
    assert not NotificationPreference.objects.exists()


def test_page_lists_every_kind_and_offers_off_only_when_allowed(
    client, head, django_assert_max_num_queries
):
    client.force_login(head)
    with django_assert_max_num_queries(6):
        response = client.get(reverse(URL))
    assert response.status_code == 200
    html = response.content.decode()
    for kind, label in NotificationKind.choices:
        assert f'id="pref-{kind}"' in html
        assert str(label) in html
    # Finding deadlines are legal deadlines: immediate or digest, no "off" radio.
    assert 'name="finding_deadline" value="digest"' in html
    assert 'name="finding_deadline" value="off"' not in html
    assert 'name="inspection_due" value="off"' in html
    assert "Thời hạn theo quy định pháp luật" in html
    # Defaults are pre-selected: the daily digest (urgent legal deadlines still go at once).
    assert checked(html, "finding_overdue_manager") == ["digest"]
    assert checked(html, "finding_deadline") == ["digest"]


def test_user_saves_preferences(client, manager):
    client.force_login(manager)
    data = form_data(
        manager, inspection_due="off", finding_deadline="immediate", summary_weekly="digest"
    )
    response = client.post(reverse(URL), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse(URL)
    assert "Đã lưu tùy chọn nhận thông báo." in response.content.decode()
    # Only the changed kinds are stored; the others keep following the configured default.
    assert stored(manager) == {
        "inspection_due": "off",
        "finding_deadline": "immediate",
        "summary_weekly": "digest",
    }
    modes = {row.kind: row.mode for row in preferences_for(manager)}
    assert modes["inspection_due"] == "off" and modes["finding_deadline"] == "immediate"
    # The page shows the saved choices, and turning one back on updates the same row.
    page = client.get(reverse(URL)).content.decode()
    assert checked(page, "inspection_due") == ["off"]
    assert checked(page, "finding_deadline") == ["immediate"]
    client.post(reverse(URL), form_data(manager, inspection_due="immediate"))
    assert stored(manager)["inspection_due"] == "immediate"
    assert NotificationPreference.objects.filter(user=manager).count() == 3


def test_mandatory_kind_cannot_be_switched_off(client, head):
    set_preference(user=head, kind="drill_due", mode="digest")
    client.force_login(head)
    data = form_data(head, finding_deadline="off", inspection_due="off")
    response = client.post(reverse(URL), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "không thể tắt." in html
    assert 'href="#pref-finding_deadline"' in html
    assert 'id="pref-finding_deadline-errors"' in html
    # Nothing from that form is saved, not even the allowed change to inspection_due.
    assert stored(head) == {"drill_due": "digest"}


def test_post_changes_only_the_logged_in_users_preferences(client, head, inspector):
    set_preference(user=inspector, kind="inspection_due", mode="digest")
    client.force_login(head)
    # A crafted field naming another user is ignored: the page knows only request.user.
    data = form_data(head, inspection_due="off", training_expiry="immediate")
    data["user"] = str(inspector.pk)
    client.post(reverse(URL), data)
    assert stored(head) == {"inspection_due": "off", "training_expiry": "immediate"}
    assert stored(inspector) == {"inspection_due": "digest"}


def test_missing_choice_is_reported(client, head):
    client.force_login(head)
    data = form_data(head, inspection_due="off")
    del data["drill_due"]
    html = client.post(reverse(URL), data).content.decode()
    assert "Chọn cách nhận thông báo này." in html
    assert stored(head) == {}


def test_links_to_the_page(client, head):
    from inspections.services.notifications import unsubscribe_token
    from inspections.services.transports import preferences_url

    assert preferences_url().endswith(reverse(URL))
    client.force_login(head)
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse(URL)}"' in home
    page = client.get(reverse("portal:unsubscribe", args=[unsubscribe_token(head, "drill_due")]))
    assert f'href="{reverse(URL)}"' in page.content.decode()


def test_page_in_english(client, head, settings):
    head.language = "en"
    head.save(update_fields=["language"])
    client.force_login(head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse(URL)).content.decode()
    assert "Notification settings" in html and "Save preferences" in html
    data = form_data(head, finding_deadline="off")
    assert "it can be sent immediately or grouped into the digest" in (
        client.post(reverse(URL), data).content.decode()
    )
