"""Content-Security-Policy: one policy on every response, and pages that satisfy it — no
inline <script>, <style>, style="" or on*="" handler in the portal, the admin or the API docs,
which are served from our own static files (no CDN)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.test_hostile_input import walked_urls


class InlineCode(HTMLParser):
    """What a strict CSP would block: inline scripts and styles, and event-handler attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        if "style" in names:
            self.found.append(f"<{tag} style=...>")
        self.found += [f"<{tag} {n}=...>" for n in names if n.startswith("on")]


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def assert_policy(response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "worker-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
    ):
        assert directive in policy, (response.request["PATH_INFO"], directive, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.fixture
def pages(published_catalogue, premises, head, manager, inspector, authority):
    from inspections.models import Inspection
    from inspections.services import inspections as services
    from inspections.services.premises import update_premises_facts
    from tests import inspection_factories as inf

    own, _ = services.start_unplanned_inspection(
        user=head, premises=premises, client_uuid=inf.new_uuid(), kind=Inspection.Kind.SELF
    )
    # A change in the premises' history: the admin page shows it.
    update_premises_facts(premises, user=manager, changes={"floors": 5}, source="admin")
    return {
        "ids": {"pk": own.pk, "premises_pk": premises.pk, "cert_pk": 1},
        "self": reverse("portal:self_inspection", args=[own.pk]),
    }


def test_every_portal_page_satisfies_the_policy(client, pages, head, manager):
    urls = [u for u in walked_urls(pages["ids"]) if not u.startswith("/api/")]
    urls.append(pages["self"])
    checked = 0
    for user in (None, head, manager):
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            assert_policy(response)
            assert inline_code(response.content.decode()) == [], url
            checked += 1
    assert checked > 20  # the walk really reached pages (login, dashboard, premises, ...)


def test_admin_pages_satisfy_the_policy(admin_client, pages):
    for url in (
        reverse("admin:index"),
        reverse("admin:inspections_premises_changelist"),
        reverse("admin:inspections_premises_change", args=[pages["ids"]["premises_pk"]]),
        reverse("admin:inspections_premises_import_csv"),
        reverse("admin:inspections_inspection_changelist"),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_policy(response)
        assert inline_code(response.content.decode()) == [], url


def test_api_docs_are_served_offline_under_the_policy(admin_client):
    response = admin_client.get("/api/docs/")
    assert response.status_code == 200
    assert_policy(response)
    html = response.content.decode()
    assert inline_code(html) == []
    assert "cdn" not in html.lower() and "//" not in html.replace("http://testserver", "")
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = admin_client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_api_responses_carry_the_policy(api_client, db):
    assert_policy(api_client.get("/api/v1/me/"))
