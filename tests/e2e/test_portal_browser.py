"""The portal in a real browser (Debian's chromium driven by Playwright) against live_server.

A facility head opens an obligation and its citation and uploads evidence; a manager filters the
dashboard and schedules and assigns an inspection. Every page is photographed on a desktop
(1280x800) and a phone (390x844) into artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from accounts.models import Authority, Membership, User
from inspections.models import Finding, Inspection, PremisesKind, Report
from inspections.selectors.yearly_plan import earliest_periodic_day

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PASSWORD = "demo-pass-2025"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo personas of seed_demo, built here so the test owns its data."""
    from inspections.legal.catalogue_file import latest_catalogue_file
    from inspections.services.catalogue_loading import load_catalogue
    from inspections.services.obligations import refresh_obligations
    from tests import factories as f

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    version = load_catalogue(latest_catalogue_file(), publish=True).version
    authority = Authority.objects.create(
        name="UBND Phường Hoàn Kiếm",
        kind=Authority.Kind.COMMUNE_COMMITTEE,
        province_code=f.HOAN_KIEM_PROVINCE,
        ward_codes=[f.HOAN_KIEM_WARD, 73],
    )
    head = User.objects.create_user("head@demo.test", PASSWORD, full_name="Nguyễn Thị Hoa")
    manager = User.objects.create_user("manager@demo.test", PASSWORD, full_name="Trần Văn Quân")
    inspector = User.objects.create_user("inspector@demo.test", PASSWORD, full_name="Lê Minh Kiểm")
    Membership.objects.create(user=manager, authority=authority, role=Membership.Role.MANAGER)
    Membership.objects.create(user=inspector, authority=authority, role=Membership.Role.INSPECTOR)
    karaoke = f.PremisesFactory(
        name="Karaoke Ánh Sao",
        address_line="12 Hàng Bài",
        heads=[head],
        occupancy_category="karaoke",
        floors=4,
        floor_area_m2=600,
        volume_m3=2400,
    )
    f.PremisesFactory(name="Nhà hàng Phố Cổ", occupancy_category="restaurant", floors=2)
    f.PremisesFactory(name="Nhà ông Bình", kind=PremisesKind.HOME, occupancy_category="")
    f.PremisesFactory(name="Cửa hàng Tạp hóa Mai", kind=PremisesKind.HOME_BUSINESS, ward_code=73)
    for p in [karaoke]:
        refresh_obligations(p)
    past = Inspection.objects.create(
        premises=karaoke,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        state=Inspection.State.SIGNED,
        catalogue_version=version,
        scheduled_for=timezone.localdate() - dt.timedelta(days=400),
        submitted_at=timezone.now() - dt.timedelta(days=400),
    )
    past.inspectors.add(inspector)
    from django.core.files.base import ContentFile

    report = Report.objects.create(
        inspection=past, status=Report.Status.READY, sha256="ab" * 32, signed_at=timezone.now()
    )
    report.file.save("record.pdf", ContentFile(b"%PDF-1.7\n%signed\n"), save=True)
    Finding.objects.create(
        inspection=past,
        premises=karaoke,
        description="Bình chữa cháy xách tay tại tầng 3 đã hết hạn kiểm định",
        severity="major",
        remediation_deadline=timezone.localdate() + dt.timedelta(days=12),
    )
    return {"head": head, "manager": manager, "inspector": inspector, "karaoke": karaoke}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def photo(tmp_path: Path) -> Path:
    path = tmp_path / "binh-moi.jpg"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path, "JPEG")
    return path


def test_head_opens_citation_and_uploads_evidence(browser, live_server, demo, tmp_path):
    page = browser.new_page(viewport=DESKTOP, locale="vi-VN")
    base = live_server.url
    page.goto(f"{base}/login/")
    shoot(page, "01-login")
    log_in(page, base, "head@demo.test")
    assert page.get_by_role("heading", name="Cơ sở của tôi").is_visible()
    shoot(page, "02-head-my-premises")

    page.get_by_role("link", name="Karaoke Ánh Sao").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("Lộ trình thiết bị truyền tin báo cháy").is_visible()
    assert page.get_by_text("01/07/2027").first.is_visible()
    first = page.locator("li.obligation").first
    summary = first.locator("summary").first
    quote = first.locator("blockquote.law").first
    assert not quote.is_visible()
    summary.click()
    assert quote.is_visible()
    assert len(quote.inner_text()) > 20  # the law's verbatim text
    shoot(page, "03-head-obligations-citation")

    page.get_by_role("link", name="Lịch sử kiểm tra").click()
    page.wait_for_load_state()
    assert page.get_by_text("Tải PDF đã ký").is_visible()
    shoot(page, "04-head-inspection-history")

    page.get_by_role("link", name="Thông tin do cơ sở cập nhật").first.click()
    page.wait_for_load_state()
    shoot(page, "05-head-facts")

    page.get_by_role("link", name="Vi phạm cần khắc phục").click()
    page.wait_for_load_state()
    shoot(page, "06-head-findings")
    page.get_by_role("link", name="Bình chữa cháy xách tay").click()
    page.wait_for_load_state()
    page.get_by_label("Ảnh hoặc tài liệu").set_input_files(str(photo(tmp_path)))
    page.get_by_label("Ghi chú").first.fill("Đã thay bình mới, tem kiểm định 2026")
    page.get_by_role("button", name="Tải lên").click()
    page.wait_for_load_state()
    assert page.locator("#evidence-list").get_by_text("binh-moi.jpg").is_visible()
    assert page.get_by_text("Đã tải lên chứng cứ.").is_visible()
    shoot(page, "07-head-finding-evidence")
    page.get_by_role("button", name="Đánh dấu đã khắc phục").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã khắc phục, chờ xác nhận").first.is_visible()

    page.get_by_role("link", name="Karaoke Ánh Sao").click()
    page.get_by_role("link", name="Tự kiểm tra").click()
    page.get_by_role("button", name="Bắt đầu đợt tự kiểm tra mới").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Bảng tự kiểm tra").is_visible()
    page.locator("input[type=radio][value=compliant]").first.check()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã lưu câu trả lời.").is_visible()
    shoot(page, "08-head-self-inspection")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    shoot(page, "09-head-english")
    page.close()


def test_manager_filters_dashboard_and_assigns_inspection(browser, live_server, demo):
    page = browser.new_page(viewport=DESKTOP, locale="vi-VN")
    base = live_server.url
    log_in(page, base, "manager@demo.test")
    assert page.get_by_role("heading", name="Tổng quan địa bàn").is_visible()
    assert page.locator("#stat-premises").inner_text() == "4"
    shoot(page, "10-manager-dashboard")

    page.get_by_label("Loại đối tượng", exact=True).select_option("home")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state()
    assert page.locator("#stat-premises").inner_text() == "1"
    shoot(page, "11-manager-dashboard-filtered")

    page.get_by_role("link", name="Danh sách cơ sở").click()
    page.wait_for_load_state()
    shoot(page, "12-manager-premises")

    page.get_by_role("link", name="Kế hoạch kiểm tra").click()
    page.wait_for_load_state()
    shoot(page, "13-manager-planning")
    page.get_by_role("row", name="Nhà hàng Phố Cổ").get_by_role("link", name="Lên lịch").click()
    page.wait_for_load_state()
    # The first day a periodic inspection notified today may take place (03 working days,
    # Decree 105 Art. 14): a fixed offset falls on a weekend on some weekdays.
    day = earliest_periodic_day()
    page.get_by_label("Ngày dự kiến").fill(day.isoformat())
    page.get_by_label("Lê Minh Kiểm").check()
    shoot(page, "14-manager-schedule")
    page.get_by_role("button", name="Lên lịch và phân công").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã lên lịch kiểm tra và phân công cán bộ.").is_visible()
    assert page.get_by_text("Lê Minh Kiểm").is_visible()
    shoot(page, "15-manager-inspection")
    inspection = Inspection.objects.get(premises__name="Nhà hàng Phố Cổ")
    assert [u.email for u in inspection.inspectors.all()] == ["inspector@demo.test"]

    page.get_by_role("link", name="Đợt kiểm tra").first.click()
    page.wait_for_load_state()
    shoot(page, "16-manager-inspections")
    page.get_by_role("link", name="Thông báo", exact=True).click()
    page.wait_for_load_state()
    shoot(page, "17-manager-notifications")
    page.close()


def test_manager_confirms_a_reported_remediation(browser, live_server, demo):
    from django.core.files.base import ContentFile

    finding = Finding.objects.get(premises=demo["karaoke"])
    evidence = finding.evidence.create(
        sha256="cd" * 32, original_name="binh-moi.pdf", content_type="application/pdf"
    )
    evidence.file.save("binh-moi.pdf", ContentFile(b"%PDF-1.7\n%evidence\n"), save=True)
    # The head reports the remediation through the service, as the portal does (the dashboard's
    # counters follow the services' writes).
    from inspections.services.remediation import mark_finding_remediated

    mark_finding_remediated(
        user=User.objects.get(email="head@demo.test"),
        finding=finding,
        note="Đã thay 03 bình mới, có tem kiểm định",
    )

    page = browser.new_page(viewport=DESKTOP, locale="vi-VN")
    log_in(page, live_server.url, "manager@demo.test")
    page.get_by_role("link", name="1", exact=True).click()  # "awaiting confirmation: 1"
    page.wait_for_load_state()
    shoot(page, "18-manager-findings-awaiting")
    page.get_by_role("link", name=finding.description).click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã thay 03 bình mới, có tem kiểm định").is_visible()

    # Sending back without a reason is refused and changes nothing.
    page.get_by_label("Chưa đạt, yêu cầu khắc phục tiếp").check()
    page.get_by_role("button", name="Gửi kết quả").click()
    page.wait_for_load_state()
    assert page.get_by_text("Ghi rõ vì sao chưa đạt").is_visible()
    shoot(page, "19-manager-verify-refused")

    page.get_by_label("Xác nhận đã khắc phục").check()
    page.get_by_role("button", name="Gửi kết quả").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã xác nhận vi phạm được khắc phục.").is_visible()
    shoot(page, "20-manager-verify-done")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED and finding.verified_by == demo["manager"]
    page.close()
