"""Hostile input never crashes a page: every API endpoint and portal URL, walked
from the URL configuration, as anonymous, inspector, manager and facility head, with NUL bytes,
absurd dates, non-ASCII digits, non-object and deeply nested JSON, oversized text. A NUL is
always a 400; nothing is ever a 5xx.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from inspections.models import AnswerType, Inspection, InspectionItem
from inspections.services import inspections as services
from tests import inspection_factories as inf

NUL_QUERY = "?q=a%00b&search=a%00b&version=a%00b"
# Absurd but NUL-free: each must be refused or ignored, never crash.
ABSURD_QUERY = (
    "?on=9999-12-31&version=abc&page=99999999999999999999999&premises=%C2%B2"
    "&inspector=%C2%B2&article=%C2%B2&ward=%C2%B2&cursor=%C2%B2&ordering=-nonexistent"
    "&status=%E2%80%AE&kind=%C2%B2&sort=%C2%B2&limit=-1"
)
ABSURD_FORM = {
    "version": "abc",
    "action": "submit",
    "scheduled_for": "9999-12-31",
    "alarm_device_state": "connected",
    "alarm_connected_on": "9999-12-31",
    "insurance_expires_on": "0001-01-01",
    "last_drill_on": "9999-12-31",
    "issued_on": "9999-12-31",
    "expires_on": "9999-12-31",
    "holder_name": "x" * 300,
    "note": "x" * 200_001,
    "recommendations": "x" * 200_001,
    "signer_name": "x" * 300,
    "signer_position": "x" * 300,
    "typed_signature": "1",
    "decision": "reject",
    "kind": "periodic",
    "inspectors": "²",
    "email": "x" * 300 + "@test.vn",
    "username": "x" * 300,
    "password": "x" * 300,
}
ABSURD_JSON = {
    "email": ["not", "a", "string"],
    "password": {"a": 1},
    "on": "9999-12-31",
    "facts": {"kind": "home", "insurance_expires_on": "9999-12-31", "hazard_class": ["A"]},
    "scheduled_for": "9999-12-31",
    "started_at": "9999-12-31T23:59:59-12:00",
    "version": "abc",
    "client_uuid": "not-a-uuid",
    "answers": [{"answered_at": "9999-12-31T23:59:59-12:00", "note": "x" * 6000}],
    "description": "x" * 6000,
    "remediation_deadline": "9999-12-31",
    "inspectors": ["²"],
    "reason": "x" * 3000,
}


def _deep(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


JSON_BODIES = [
    "[1, 2, 3]",
    '"a string"',
    "12",
    "null",
    _deep(50),
    "[" * 100_000 + "]" * 100_000,
    '{"q": "a\\u0000b", "email": "a\\u0000@test.vn", "password": "x"}',
    '{"a\\u0000": 1}',
    json.dumps(ABSURD_JSON),
]


def _patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            yield from _patterns(p, prefix, f"{namespace}:{ns}".strip(":") if ns else namespace)
        elif p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def walked_urls(ids: dict[str, int]) -> list[str]:
    """Every named URL but the admin's (API, portal, docs, health...), with real ids filled in."""
    urls = []
    for name, pattern in _patterns(get_resolver()):
        # Every app's URLs (API, portal, the offline app...), except Django's own admin, and
        # logout (it takes no input, and would end the persona's session mid-walk).
        if name.startswith(("admin:", "set_language")) or name == "portal:logout":
            continue
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {arg: _sample(arg, conv, ids) for arg, conv in converters.items()}
        urls.append(reverse(name, kwargs=kwargs))
    return urls


def _sample(arg: str, converter, ids: dict[str, int]):
    """A value the URL accepts: a real id for numbers, a well-formed value otherwise."""
    if arg == "sha256":
        return "a" * 64
    if isinstance(converter, IntConverter):
        return ids.get(arg, ids["pk"])
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    return "x"


@pytest.fixture
def world(manager, authority, inspector, premises, head, published_catalogue):
    inf.make_catalogue(3)
    scheduled, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=inf.device_time().date(),
        inspectors=[inspector],
    )
    started, _ = services.start_inspection(user=inspector, inspection=scheduled)
    own, _ = services.start_unplanned_inspection(
        user=head,
        premises=premises,
        client_uuid=inf.new_uuid(),
        kind=Inspection.Kind.SELF,
    )
    return {
        "personas": [None, inspector, manager, head],
        "ids": {"pk": started.pk, "premises_pk": premises.pk, "cert_pk": 1, "self": own.pk},
        "self_pk": own.pk,
        "premises_pk": premises.pk,
    }


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _urls(world) -> list[str]:
    urls = walked_urls(world["ids"])
    # The premises' own pages and the head's self-inspection form with real objects.
    urls.append(reverse("portal:self_inspection", args=[world["self_pk"]]))
    urls.append(reverse("portal:premises_detail", args=[world["premises_pk"]]))
    return sorted(set(urls))


@pytest.fixture(autouse=True)
def _private_cache(settings):
    # Hundreds of requests from one address: their throttle counters stay in this test's own
    # cache, and throttling answers (429) are still "not a server error".
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def test_the_walk_covers_api_and_portal(world):
    urls = _urls(world)
    assert "/api/v1/obligations/preview/" in urls and "/api/v1/auth/token/" in urls
    assert any(u.startswith("/verify/") for u in urls) and "/password-reset/" in urls
    assert len(urls) > 40


def test_nul_bytes_are_a_400_everywhere(world):
    failures = []
    for user in world["personas"]:
        client = _client(user)
        for url in _urls(world):
            answers = {
                "GET query": client.get(url + NUL_QUERY),
                "GET path": client.get(url.rstrip("/") + "%00/"),
                "POST form": client.post(url, {"note": "a\x00b", "q": "x"}),
            }
            for how, response in answers.items():
                if response.status_code != 400:
                    failures.append((user and user.email, how, url, response.status_code))
            if url.startswith("/api/") and answers["GET query"].status_code == 400:
                body = answers["GET query"].json()
                assert set(body) == {"code", "detail", "fields"}, (url, body)
    assert failures == []


def test_absurd_input_never_gets_a_server_error(world):
    failures = []
    for user in world["personas"]:
        client = _client(user)
        for url in _urls(world):
            responses = [
                ("GET", client.get(url + ABSURD_QUERY)),
                ("POST form", client.post(url, ABSURD_FORM)),
            ]
            if url.startswith("/api/"):
                for body in JSON_BODIES:
                    for method in (client.post, client.put):
                        responses.append(
                            (
                                f"{method.__name__} {body[:30]}",
                                method(url, body, "application/json"),
                            )
                        )
                responses.append(
                    (
                        "PUT chunk",
                        client.put(
                            url,
                            b"\x00" * 10,
                            "application/offset+octet-stream",
                            headers={"Upload-Offset": "²", "Upload-Length": "١٠"},
                        ),
                    )
                )
            for how, response in responses:
                if response.status_code >= 500:
                    failures.append((user and user.email, how, url, response.status_code))
    assert failures == []


def test_json_that_is_not_an_object_is_a_400_on_login(client):
    for body in ("[]", '"x"', "1", "null", _deep(50), "[" * 100_000 + "]" * 100_000):
        response = client.post("/api/v1/auth/token/", body, "application/json")
        assert response.status_code == 400, body[:20]
        assert response.json()["code"] == "parse_error"


def test_upload_offset_in_non_ascii_digits_is_a_400(world, inspector):
    """tus PATCH: "²" and Arabic-Indic digits are digits to str.isdigit(), not to HTTP."""
    client = _client(inspector)
    created = client.post(
        reverse("api:inspection-photo-uploads", args=[world["ids"]["pk"]]),
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": "3"},
    )
    assert created.status_code == 201
    for offset in ("²", "١", "٣٤", "1²"):
        response = client.generic(
            "PATCH",
            created["Location"],
            b"abc",
            content_type="application/offset+octet-stream",
            headers={"Tus-Resumable": "1.0.0", "Upload-Offset": offset},
        )
        assert response.status_code == 400, offset
        assert response.json()["code"] == "invalid_header"


def test_self_inspection_form_refuses_long_text_and_keeps_what_was_saved(client, world, head):
    from inspections.models import Answer

    client.force_login(head)
    url = reverse("portal:self_inspection", args=[world["self_pk"]])
    inspection = Inspection.objects.get(pk=world["self_pk"])
    first, second = inspection.items.order_by("order")[:2]
    assert client.post(url, {f"v-{first.pk}": "compliant"}).status_code == 302
    saved = Answer.objects.get(inspection=inspection, item=first)

    # A note far over the column: the page comes back with the error at its question, the
    # answer saved before is untouched and nothing of the refused one is stored.
    response = client.post(
        url,
        {
            f"v-{first.pk}": "compliant",
            f"v-{second.pk}": "compliant",
            f"n-{second.pk}": "x" * 200_001,
        },
    )
    assert response.status_code == 400
    assert "dài quá 5000 ký tự" in response.content.decode()
    assert list(Answer.objects.filter(inspection=inspection)) == [saved]
    assert Answer.objects.get(pk=saved.pk).value == "compliant"

    # The same through the script's one-answer-at-a-time endpoint: the API's error shape.
    response = client.post(
        reverse("portal:self_inspection_answer", args=[inspection.pk]),
        {"item": second.pk, f"v-{second.pk}": "compliant", f"n-{second.pk}": "x" * 200_001},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_answer" and f"item-{second.pk}" in body["fields"]
    assert list(Answer.objects.filter(inspection=inspection)) == [saved]

    response = client.post(
        url,
        {
            f"v-{first.pk}": "compliant",
            "action": "submit",
            "signer_name": "x" * 201,
            "typed_signature": "1",
        },
    )
    assert response.status_code == 400
    # The name is refused at its field (the page posts the stored answer back with it).
    assert "Giá trị này chỉ có tối đa 200 kí tự (hiện có 201)" in response.content.decode()
    assert Inspection.objects.get(pk=inspection.pk).state == inspection.state
    assert list(Answer.objects.filter(inspection=inspection)) == [saved]


def test_facts_form_refuses_year_9999(client, world, head, premises):
    client.force_login(head)
    response = client.post(
        reverse("portal:premises_facts", args=[premises.pk]),
        {"alarm_device_state": "connected", "alarm_connected_on": "9999-12-31"},
    )
    assert response.status_code == 200
    assert "Ngày phải nằm trong khoảng 1900 đến 2100" in response.content.decode()
    premises.refresh_from_db()
    assert premises.alarm_connected_on is None


def test_preview_refuses_year_9999_and_deep_json(world, inspector):
    client = _client(inspector)
    url = reverse("api:obligations-preview")
    response = client.post(
        url, {"facts": {"kind": "home", "insurance_expires_on": "9999-12-31"}}, "application/json"
    )
    assert response.status_code == 400
    assert "insurance_expires_on" in response.json()["fields"]
    response = client.post(url, {"kind": "home", "on": "9999-12-31"}, "application/json")
    assert response.status_code == 400 and "on" in response.json()["fields"]
    response = client.post(url, _deep(20), "application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_answers_that_do_not_fit_their_columns_are_refused(client, world, head):
    from inspections.models import Answer

    client.force_login(head)
    url = reverse("portal:self_inspection", args=[world["self_pk"]])
    inspection = Inspection.objects.get(pk=world["self_pk"])
    text, number = inspection.items.order_by("order")[:2]
    # Questions that take free text and a measurement (the checklist snapshot is frozen).
    InspectionItem.objects.filter(pk=text.pk).update(answer_type=AnswerType.TEXT)
    InspectionItem.objects.filter(pk=number.pk).update(answer_type=AnswerType.NUMBER)
    answer_url = reverse("portal:self_inspection_answer", args=[inspection.pk])
    for item, field, value, error in (
        (text, f"v-{text.pk}", "x" * 100, "Giá trị phải là một trong"),
        (number, f"x-{number.pk}", "1e20", "Số đo không hợp lệ hoặc quá lớn"),
    ):
        # The form: the page again with the error at the question (400, never a 500).
        response = client.post(url, {field: value})
        assert response.status_code == 400
        assert error in response.content.decode()
        # The one-answer endpoint the page's script calls: the API's error shape.
        response = client.post(answer_url, {"item": item.pk, field: value})
        assert response.status_code == 400
        assert set(response.json()) == {"code", "detail", "fields"}
        assert error in response.json()["detail"]
    assert not Answer.objects.filter(inspection=inspection).exists()


def test_portal_refusal_is_a_page_that_says_what_happened(client, head):
    client.force_login(head)
    response = client.post(reverse("portal:findings"), {"note": "a\x00b"})
    assert response.status_code == 400
    assert "Dữ liệu gửi lên có ký tự hoặc giá trị không được chấp nhận" in response.content.decode()
    response = client.get("/verify/abc%00/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400


def test_an_overlong_login_name_is_a_failed_login_not_a_crash(api_client, client, db):
    email = "x" * 300 + "@test.vn"
    response = api_client.post(
        reverse("api:auth-token"), {"email": email, "password": "x"}, format="json"
    )
    assert response.status_code == 401
    response = client.post(reverse("portal:login"), {"username": email, "password": "x"})
    assert response.status_code == 200  # the form again, with its error
