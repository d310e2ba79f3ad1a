"""The manager's dashboard in a real browser: each number opens the list behind it (same count).

As manager@demo.test on a desktop and a phone, in Vietnamese and English: the drill-downs, the
workload against the authority's capacity on the assignment form, the map (tiles served by the
test), and an axe-core check (WCAG 2.x A/AA) of every page visited. Screenshots go to
artifacts/screenshots/portal/.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from inspections.models import Finding, Inspection, Premises
from inspections.services.rollups import rebuild_rollups
from tests.e2e.test_portal_browser import (  # noqa: F401 (demo is a fixture)
    DESKTOP,
    PHONE,
    SHOTS,
    demo,
    log_in,
)

pytestmark = pytest.mark.e2e

PORTAL_SHOTS = SHOTS / "portal"


def tile_png() -> bytes:
    """A plain light tile: every map tile the browser asks for (no tile server in tests)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), (228, 232, 236)).save(out, "PNG")
    return out.getvalue()


WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def shoot(page, name: str) -> None:
    PORTAL_SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(PORTAL_SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def assert_accessible(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        results = Axe().run(page, options=WCAG)
        assert results.violations_count == 0, results.generate_report()
    page.set_viewport_size(DESKTOP)


def list_total(page) -> int:
    """The total of the list's pagination line ("1–3 / 3", "1–3 of 3"); 0 when empty."""
    if not page.locator(".pagination").count():
        return 0
    return int(re.findall(r"\d+", page.locator(".pagination .muted").inner_text())[-1])


@pytest.fixture
def world(demo, settings, live_server):  # noqa: F811
    """The demo plus what the dashboard answers: an overdue finding, coordinates, a plan."""
    settings.PORTAL_MAP_TILE_URL = f"{live_server.url}/tiles/{{z}}/{{x}}/{{y}}.png"
    settings.PORTAL_MAP_ATTRIBUTION = "Bản đồ thử nghiệm"
    karaoke = demo["karaoke"]
    past = karaoke.inspections.get()
    Finding.objects.create(
        inspection=past,
        premises=karaoke,
        description="Lối thoát nạn tầng 2 bị chắn bởi hàng hóa",
        severity="major",
        remediation_deadline=timezone.localdate() - dt.timedelta(days=40),
    )
    planned = Inspection.objects.create(
        premises=Premises.objects.get(name="Nhà hàng Phố Cổ"),
        authority=past.authority,
        kind=Inspection.Kind.PERIODIC,
        state=Inspection.State.SCHEDULED,
        catalogue_version=past.catalogue_version,
        scheduled_for=timezone.localdate() - dt.timedelta(days=2),
    )
    planned.inspectors.add(demo["inspector"])
    for i, p in enumerate(Premises.objects.order_by("pk")):
        Premises.objects.filter(pk=p.pk).update(
            latitude=Decimal("21.0245") + Decimal(i) / 500, longitude=Decimal("105.8412")
        )
    # These rows were written behind the services' back: the nightly rebuild counts them.
    rebuild_rollups()
    return {**demo, "planned": planned}


def test_every_dashboard_number_opens_its_list(browser, live_server, world):
    page = browser.new_page(viewport=DESKTOP, locale="vi-VN")
    tile = tile_png()
    page.route("**/tiles/**", lambda route: route.fulfill(body=tile, content_type="image/png"))
    base = live_server.url
    log_in(page, base, "manager@demo.test")
    assert page.get_by_role("heading", name="Tổng quan địa bàn").is_visible()
    # The map: one marker per premises with coordinates, coloured by state.
    page.wait_for_selector("#premises-map .leaflet-interactive")
    assert page.locator("#premises-map path.leaflet-interactive").count() == 4
    shoot(page, "20-dashboard")
    assert_accessible(page)

    drills = [
        ("cơ sở chưa từng được kiểm tra", 3, "21-never-inspected"),
        ("cơ sở quá hạn kiểm tra định kỳ", 1, "22-periodic-overdue"),
        ("quá hạn 31–90 ngày", 1, "23-findings-31-90"),
        ("chưa đến hạn khắc phục", 1, "24-findings-not-due"),
    ]
    for label, expected, shot in drills:
        page.goto(f"{base}/manage/")
        link = page.get_by_role("link", name=re.compile(re.escape(label)))
        assert link.locator("strong").inner_text() == str(expected), label
        link.click()  # one click from the dashboard to the list behind the number
        page.wait_for_load_state()
        assert list_total(page) == expected, (label, page.url)
        shoot(page, shot)
        assert_accessible(page)

    # Planned past their day: the count and the inspections list agree.
    page.goto(f"{base}/manage/")
    page.get_by_role("link", name=re.compile("1 quá ngày")).click()
    page.wait_for_load_state()
    assert list_total(page) == 1
    assert page.get_by_text("Nhà hàng Phố Cổ").first.is_visible()

    # The assignment form shows each inspector's open work against the authority's capacity.
    page.goto(f"{base}/manage/inspections/{world['planned'].pk}/assign/")
    assert page.get_by_label(re.compile(r"Lê Minh Kiểm — đang mở 1/12")).is_visible()
    shoot(page, "25-assign-workload")
    assert_accessible(page)
    page.close()


def test_dashboard_in_english_on_a_phone(browser, live_server, world, settings):
    settings.PORTAL_MAP_TILE_URL = ""  # no tile server: no map, and nothing broken
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "manager@demo.test")
    page.goto(f"{base}/manage/")
    page.get_by_role("button", name="English").click()  # the language switch in the header
    page.wait_for_load_state()
    assert page.locator("#premises-map").count() == 0
    assert page.get_by_role("heading", name="Jurisdiction overview").is_visible()
    link = page.get_by_role("link", name=re.compile("premises never inspected"))
    link.click()
    page.wait_for_load_state()
    assert list_total(page) == 3
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(PORTAL_SHOTS / "26-never-inspected-en-phone.png"), full_page=True)
    assert_accessible(page)
    context.close()
