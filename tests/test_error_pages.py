"""Error pages: styled, in the visitor's language, JSON under /api/; never Django's bare pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory

from config import errors


@pytest.fixture(autouse=True)
def _no_manifest(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_404_is_the_portal_page_in_vietnamese_then_english(client, db):
    page = client.get("/khong-co-trang-nay/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "Không tìm thấy trang" in html and "portal.css" in html and "Not Found" not in html
    client.cookies["django_language"] = "en"
    html = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in html and "Back to the home page" in html


def test_api_404_keeps_the_error_shape(client, db):
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "detail", "fields"}
    assert response.json()["code"] == "not_found"


def test_csrf_refusal_says_what_to_do(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "a@b.vn", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Phiên làm việc của biểu mẫu đã hết hạn" in html
    assert "Forbidden" not in html and "CSRF" not in html


def test_403_for_a_head_on_a_manager_page(client, head):
    client.force_login(head)
    response = client.get("/manage/premises/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Bạn không có quyền truy cập trang này" in html and "403 Forbidden" not in html


def test_500_page_and_its_fallback(db, monkeypatch):
    request = RequestFactory().get("/premises/1/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = errors.server_error(request)
    assert response.status_code == 500
    assert "Hệ thống gặp sự cố" in response.content.decode()

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(errors, "render", broken)
    response = errors.server_error(request)
    assert response.status_code == 500
    assert "Hệ thống gặp sự cố" in response.content.decode()


def _refusal_request(path: str, referer: str = ""):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().post(path, HTTP_REFERER=referer) if referer else None
    request = request or RequestFactory().post(path)
    request.user = AnonymousUser()
    return request


def test_a_refusal_no_view_handled_is_a_page_that_says_why(db):
    from config.middleware import ServiceRefusalMiddleware
    from inspections.services.errors import Conflict

    refusal = Conflict("invalid_state", "Đợt kiểm tra đã được nộp.")
    request = _refusal_request("/inspections/7/checklist/", "http://testserver/inspections/7/")
    response = ServiceRefusalMiddleware.process_exception(request, refusal)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Yêu cầu chưa thực hiện được" in html and "Đợt kiểm tra đã được nộp." in html
    assert 'href="http://testserver/inspections/7/"' in html
    # A referer from another site is not offered as the way back.
    elsewhere = _refusal_request("/inspections/7/checklist/", "https://evil.example/x")
    html = ServiceRefusalMiddleware.process_exception(elsewhere, refusal).content.decode()
    assert "evil.example" not in html and "Quay lại trang trước" not in html


def test_a_refusal_under_the_api_keeps_the_error_shape_and_other_errors_pass(db):
    from config.middleware import ServiceRefusalMiddleware
    from inspections.services.errors import Invalid

    refusal = Invalid("bad_day", "Ngày không hợp lệ.", fields={"day": ["Ngày không hợp lệ."]})
    response = ServiceRefusalMiddleware.process_exception(_refusal_request("/api/v1/x/"), refusal)
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "code": "bad_day",
        "detail": "Ngày không hợp lệ.",
        "fields": {"day": ["Ngày không hợp lệ."]},
    }
    assert ServiceRefusalMiddleware.process_exception(_refusal_request("/"), KeyError()) is None
