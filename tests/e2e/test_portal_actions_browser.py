"""head@demo.test in a real browser: the action list answers "what must I do, by when" within
two clicks, in Vietnamese and English, on a phone and a desktop; the self-inspection keeps
every answer and everything typed when one answer is wrong; axe-core finds no WCAG 2 A/AA
violation on these pages. Screenshots go to artifacts/screenshots/portal/.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from inspections.models import Answer, Inspection, Premises
from tests.e2e.test_portal_browser import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "portal"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def demo(transactional_db, settings, tmp_path, monkeypatch, signing_settings):  # noqa: F811
    """The demo as `make demo` loads it (seed_demo), signed records included; the dossier's
    signed forms and the CSV import are left out (slow, and not what these pages show)."""
    from inspections.management.commands import seed_demo

    monkeypatch.setattr(
        seed_demo,
        "DEMO_MODULES",
        [m for m in seed_demo.DEMO_MODULES if not m.endswith((".dossier", ".imports"))],
    )
    settings.DEBUG = True  # seed_demo refuses production settings
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # In a thread of its own: Playwright's loop runs in this one, and signing the records
    # (pyHanko) starts an asyncio loop of its own.
    failure: list[BaseException] = []

    def seed() -> None:
        try:
            call_command("seed_demo", stdout=io.StringIO())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failure.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=seed)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    settings.DEBUG = False
    return Premises.objects.get(external_id="demo-rem-karaoke")


def new_page(browser, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    # Injected through the DevTools protocol: the portal's strict CSP stays on.
    context.add_init_script(path=str(AXE))
    return context.new_page()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def assert_accessible(page, what: str) -> None:
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}}))
            .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                   nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))""",
        WCAG_AA,
    )
    assert violations == [], f"{what}: {violations}"


def switch_language(page, label: str) -> None:
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state()


def test_head_sees_what_to_do_and_reaches_it_in_two_clicks(browser, live_server, demo):
    for viewport, device in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = new_page(browser, viewport)
        log_in(page, live_server.url, "head@demo.test")
        assert page.get_by_role("heading", name="Việc cần làm").is_visible()
        rows = page.locator("li.action")
        # Overdue first: the first row is overdue, and the finding five days late is there.
        assert "Quá hạn" in rows.first.locator(".badge").inner_text()
        finding = rows.filter(has_text="Lối thoát nạn tầng 3 bị chắn bởi hàng hóa")
        assert finding.locator(".badge").inner_text() == "Quá hạn 5 ngày"
        insurance = rows.filter(has_text="Bảo hiểm cháy, nổ bắt buộc").filter(
            has_text="Karaoke Hồ Gươm (demo)"
        )
        assert insurance.locator(".badge").inner_text() == "Còn 6 ngày"
        assert "hết hiệu lực ngày" in insurance.inner_text()
        upcoming = rows.filter(has_text="kiểm tra ngày")
        assert upcoming.count() >= 3, "the inspections of the next days"
        assert rows.filter(has_text="01/07/2027").count() >= 1, "the 2027 device deadline"
        assert rows.filter(has_text="Thiếu thông tin để xác định nghĩa vụ").count() >= 1
        shoot(page, f"01-head-actions-vi-{device}")
        assert_accessible(page, f"action list vi {device}")

        # Click 2: the finding's button opens the page where evidence is uploaded.
        finding.get_by_role("link", name="Tải lên chứng cứ khắc phục").click()
        page.wait_for_load_state()
        assert page.get_by_label("Ảnh hoặc tài liệu").is_visible()
        shoot(page, f"02-head-finding-upload-{device}")
        page.go_back()
        page.wait_for_load_state()
        insurance.get_by_role("link", name="Cập nhật bảo hiểm").click()
        page.wait_for_load_state()
        assert page.url.endswith("#id_insurance_expires_on")
        assert page.locator("#id_insurance_expires_on").is_visible()
        page.go_back()
        page.wait_for_load_state()

        switch_language(page, "English")
        assert page.get_by_role("heading", name="What to do").is_visible()
        assert page.locator("li.action").first.locator(".badge").inner_text().endswith("overdue")
        shoot(page, f"03-head-actions-en-{device}")
        assert_accessible(page, f"action list en {device}")
        switch_language(page, "Tiếng Việt")
        page.context.close()


def test_premises_page_groups_duties_and_signed_inspections_show_their_record(
    browser,
    live_server,
    demo,
):
    page = new_page(browser)
    log_in(page, live_server.url, "head@demo.test")
    page.goto(f"{live_server.url}/premises/{demo.pk}/")
    headings = page.locator("h3.group-h").all_inner_texts()
    assert headings[0].startswith("Quá hạn") and any(h.startswith("Đã đáp ứng") for h in headings)
    assert page.locator("details.upload").first.is_visible(), "upload beside the evidence asked"
    shoot(page, "04-head-premises-grouped")
    assert_accessible(page, "premises page")

    signed = Inspection.objects.get(premises=demo, state=Inspection.State.SIGNED)
    page.goto(f"{live_server.url}/inspections/{signed.pk}/")
    assert page.get_by_role("heading", name="Kết quả kiểm tra theo bảng kiểm").is_visible()
    assert page.locator("#results-h + .table-wrap tbody tr").count() == signed.items.count()
    assert page.get_by_text("Tải PDF đã ký").first.is_visible()
    shoot(page, "05-head-signed-inspection")
    assert_accessible(page, "signed inspection")
    page.context.close()


def test_self_inspection_keeps_everything_when_one_answer_is_wrong(
    browser,
    live_server,
    demo,
):
    page = new_page(browser, PHONE)
    log_in(page, live_server.url, "head@demo.test")
    row = (
        page.locator("li.action")
        .filter(has_text="Tự kiểm tra PCCC định kỳ")
        .filter(has_text="Karaoke Hồ Gươm (demo)")
    )
    row.get_by_role("button", name="Bắt đầu tự kiểm tra").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Bảng tự kiểm tra").is_visible()
    inspection = Inspection.objects.get(premises=demo, kind=Inspection.Kind.SELF)
    questions = page.locator("fieldset[data-item]")

    # Saved as given: no button pressed.
    first = questions.nth(0)
    first.locator("input[value=compliant]").check()
    first.locator(".save-status").filter(has_text="Đã lưu").wait_for()
    assert Answer.objects.filter(inspection=inspection).count() == 1
    assert "Đã trả lời 1/" in page.locator("#answered-count").inner_text()

    # A note without a result is refused at its own question, and stays typed.
    second = questions.nth(1)
    second.locator("textarea").fill("Bình tầng 2 chưa kiểm tra được")
    second.locator(".save-status").filter(has_text="Hãy chọn một kết quả").wait_for()
    assert second.get_attribute("aria-invalid") == "true"
    shoot(page, "06-self-inspection-inline-error")

    # Everything else answered, the sign-off typed and drawn, then "sign and submit".
    page.evaluate(
        """() => document.querySelectorAll("fieldset[data-item]").forEach((fs, n) => {
            if (n < 2) return;
            const yes = fs.querySelector("input[value=compliant]");
            if (yes) yes.checked = true;
            const number = fs.querySelector("input[name^=x-]");
            if (number) number.value = "2";
            if (!yes && !number) fs.querySelector("textarea").value = "Đã kiểm tra";
        })"""
    )
    page.get_by_label("Kiến nghị, biện pháp khắc phục").fill("Bổ sung 02 bình bột ABC tầng 2")
    pad = page.locator("#sig-pad").bounding_box()
    page.mouse.move(pad["x"] + 20, pad["y"] + 40)
    page.mouse.down()
    page.mouse.move(pad["x"] + 160, pad["y"] + 90, steps=8)
    page.mouse.up()
    page.get_by_role("button", name="Ký và nộp biên bản").click()
    page.wait_for_load_state()

    assert page.locator("#error-summary").is_visible()
    second = page.locator("fieldset[data-item]").nth(1)
    assert second.get_attribute("aria-invalid") == "true"
    assert "Hãy chọn một kết quả" in second.locator(".save-status").inner_text()
    assert second.locator("textarea").input_value() == "Bình tầng 2 chưa kiểm tra được"
    assert page.get_by_label("Kiến nghị, biện pháp khắc phục").input_value() == (
        "Bổ sung 02 bình bột ABC tầng 2"
    )
    assert page.locator("#signature").input_value().startswith("data:image/png;base64,")
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.IN_PROGRESS
    answered = Answer.objects.filter(inspection=inspection).count()
    assert answered == inspection.items.count() - 1, "all but the wrong one were saved"
    shoot(page, "07-self-inspection-error-kept")
    assert_accessible(page, "self-inspection with an error")

    # Fixed at its question; the signature drawn before is still there and is submitted.
    second.locator("input[value=non_compliant]").check()
    second.locator(".save-status").filter(has_text="Đã lưu").wait_for()
    page.get_by_role("button", name="Ký và nộp biên bản").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã nộp kết quả tự kiểm tra").is_visible()
    inspection.refresh_from_db()
    assert inspection.state in (Inspection.State.SUBMITTED, Inspection.State.SIGNED)
    assert inspection.recommendations == "Bổ sung 02 bình bột ABC tầng 2"
    shoot(page, "08-self-inspection-submitted")
    page.context.close()
