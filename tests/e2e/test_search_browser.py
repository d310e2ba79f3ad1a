"""Search as Vietnamese users type, error pages, dd/mm/yyyy date inputs and the pages reached
from an e-mail, in a real browser (Debian's chromium driven by Playwright) against live_server.

Screenshots go to artifacts/screenshots/portal/; every page is checked with axe-core for
WCAG 2.1 A/AA violations.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accounts.models import Authority, Membership, User
from tests.e2e.test_portal_browser import (
    DESKTOP,
    PASSWORD,
    PHONE,
    log_in,
)

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "portal"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def in_english(page, base: str) -> None:
    """Portal pages follow the language the visitor chose (cookie), not Accept-Language."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])


def assert_accessible(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    violations = results.response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


@pytest.fixture
def world(transactional_db, settings):
    from tests import factories as f

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    authority = Authority.objects.create(
        name="UBND Phường Hoàn Kiếm",
        kind=Authority.Kind.COMMUNE_COMMITTEE,
        province_code=f.HOAN_KIEM_PROVINCE,
        ward_codes=[f.HOAN_KIEM_WARD],
    )
    manager = User.objects.create_user("manager@demo.test", PASSWORD, full_name="Trần Văn Quân")
    Membership.objects.create(user=manager, authority=authority, role=Membership.Role.MANAGER)
    head = User.objects.create_user("head@demo.test", PASSWORD, full_name="Nguyễn Thị Hoa")
    ho_guom = f.PremisesFactory(
        name="Nhà hàng Hồ Gươm", address_line="12 Đinh Tiên Hoàng", heads=[head]
    )
    f.PremisesFactory(name="Karaoke Tràng Tiền", address_line="3 Hàng Khay")
    f.PremisesFactory(name="Khách sạn Hàng Bạc", address_line="40 Hàng Bạc")
    return {"manager": manager, "head": head, "ho_guom": ho_guom}


@pytest.mark.parametrize("typed", ["ho guom", "HỒ GƯƠM"])
def test_manager_finds_ho_guom_without_accents(browser, live_server, world, typed):
    page = browser.new_page(viewport=DESKTOP, locale="vi-VN")
    log_in(page, live_server.url, "manager@demo.test")
    page.goto(f"{live_server.url}/manage/premises/")
    page.get_by_label("Tìm kiếm").fill(typed)
    with page.expect_navigation():
        page.get_by_label("Tìm kiếm").press("Enter")
    table = page.locator("main")
    assert table.get_by_text("Nhà hàng Hồ Gươm").count() >= 1
    assert table.get_by_text("Karaoke Tràng Tiền").count() == 0
    assert page.get_by_label("Tìm kiếm").input_value() == typed
    slug = "unaccented" if typed == "ho guom" else "upper-case"
    shoot(page, f"search-{slug}")
    assert_accessible(page)
    page.close()


def test_error_pages_are_styled_in_both_languages(browser, live_server, world):
    for locale, heading in (("vi-VN", "Không tìm thấy trang"), ("en-US", "Page not found")):
        page = browser.new_page(viewport=DESKTOP, locale=locale)
        if locale == "en-US":
            in_english(page, live_server.url)
        response = page.goto(f"{live_server.url}/khong-co-trang-nay/")
        assert response.status == 404
        assert page.get_by_role("heading", name=heading).is_visible()
        assert "Not Found" not in page.content()
        shoot(page, f"error-404-{locale[:2]}")
        assert_accessible(page)
        page.close()
    # A head opening a manager's page: the styled 403, never a bare "403 Forbidden".
    page = browser.new_page(viewport=DESKTOP, locale="en-US")
    log_in(page, live_server.url, "head@demo.test")
    in_english(page, live_server.url)
    response = page.goto(f"{live_server.url}/manage/premises/")
    assert response.status == 403
    assert page.get_by_role("heading", name="You may not open this page").is_visible()
    assert "403 Forbidden" not in page.content()
    shoot(page, "error-403-en")
    assert_accessible(page)
    page.close()


def test_date_input_shows_and_takes_dd_mm_yyyy_on_an_english_browser(
    browser,
    live_server,
    world,
):
    premises = world["ho_guom"]
    premises.insurance_expires_on = dt.date(2027, 3, 5)
    premises.save()
    page = browser.new_page(viewport=DESKTOP, locale="en-US")
    log_in(page, live_server.url, "head@demo.test")
    in_english(page, live_server.url)
    page.goto(f"{live_server.url}/premises/{premises.pk}/facts/")
    field = page.locator("#id_insurance_expires_on")
    assert field.get_attribute("type") == "text"
    assert field.input_value() == "05/03/2027"  # 5 March, not 3 May
    field.fill("31/12/2027")
    shoot(page, "date-input-en")
    assert_accessible(page)
    page.locator("form").filter(has=field).get_by_role("button").last.click()
    page.wait_for_load_state()
    premises.refresh_from_db()
    assert premises.insurance_expires_on == dt.date(2027, 12, 31)
    page.close()


def test_unsubscribe_page_is_styled(browser, live_server, world):
    from inspections.services.notifications import unsubscribe_token

    token = unsubscribe_token(world["head"], "inspection_due")
    page = browser.new_page(viewport=DESKTOP, locale="vi-VN")
    page.goto(f"{live_server.url}/unsubscribe/{token}/")
    assert page.get_by_role("heading", name="Hủy nhận thông báo").is_visible()
    assert page.locator("link[rel=stylesheet]").count() >= 1
    assert page.locator(".site-header").is_visible()
    shoot(page, "unsubscribe")
    assert_accessible(page)
    page.get_by_role("button", name="Hủy nhận").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").is_visible()
    page.close()
    page = browser.new_page(viewport=DESKTOP, locale="vi-VN")
    response = page.goto(f"{live_server.url}/verify/KHONGCO1234/")
    assert response.status == 404
    assert page.locator(".notice.error").is_visible()
    shoot(page, "verify-not-found")
    assert_accessible(page)
    page.close()
