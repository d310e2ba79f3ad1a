"""The inspector app in a real browser (Debian's chromium, phone viewport) against live_server.

A whole inspection is done with the network off, the page reloaded offline, then the network
comes back: the server must hold every answer, photo, finding and signature exactly once and
the signed record must be produced. Also: a conflict resolved from the app, a tombstone that
keeps unsent work, a photo upload cut half-way and resumed, and the refusal to sign. Every
screen is photographed at 390 px in Vietnamese and English into artifacts/screenshots/fieldapp/
(and checked for overflow and touch targets under 44 px).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from inspections.models import Answer, Finding, Inspection, Photo, Report, Signature
from inspections.services import inspections as services

pytestmark = [pytest.mark.e2e]


def wait_until(page, expression: str, timeout: float = 30000) -> None:
    """Poll a JavaScript expression with page.evaluate: the app's CSP forbids the string
    evaluation that Playwright's wait_for_function performs inside the page."""
    waited = 0.0
    while not page.evaluate(expression):
        if waited >= timeout:
            raise TimeoutError(f"still false after {timeout:.0f} ms: {expression}")
        page.wait_for_timeout(100)
        waited += 100


SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "fieldapp"
PHONE = {"width": 390, "height": 844}
PASSWORD = "field-pass-2026"


@pytest.fixture
def app_env(transactional_db, settings, tmp_path, inspector, eager, signing_settings, browser):
    from django.core.cache import cache

    # Every test logs in from 127.0.0.1: the API's per-address throttles (kept in the shared
    # cache, Redis under CI) must not carry over from the tests before.
    cache.clear()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    inspector.set_password(PASSWORD)
    inspector.save()
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield inspector
    # The app keeps syncing until its page is gone, and a request still running in the live
    # server holds row locks that the database flush between tests would deadlock on: close
    # every page first, then let the last requests finish.
    for context in browser.contexts:
        context.close()
    import time

    time.sleep(1.0)


def camera_jpeg(tmp_path: Path) -> Path:
    """A phone camera picture: 2400×1800 with its shooting time and a GPS position in EXIF."""
    image = Image.merge(
        "RGB",
        [
            Image.radial_gradient("L").resize((2400, 1800)),
            Image.linear_gradient("L").resize((2400, 1800)),
            Image.effect_noise((2400, 1800), 40),
        ],
    )
    exif = Image.Exif()
    exif[0x8769] = {0x9003: "2026:11:30 09:15:00"}
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 42.0)}
    path = tmp_path / "camera.jpg"
    image.save(path, "JPEG", quality=92, exif=exif)
    return path


def noisy_jpeg(tmp_path: Path) -> Path:
    """A picture that stays large after compression on the phone (several upload chunks)."""
    image = Image.merge("RGB", [Image.effect_noise((2400, 1800), 90) for _ in range(3)])
    path = tmp_path / "noisy.jpg"
    image.save(path, "JPEG", quality=95)
    return path


def open_app(browser, live_server, lang: str = "vi"):
    context = browser.new_context(viewport=PHONE, service_workers="allow", locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/app/")
    page.wait_for_selector("input[name=email]")
    return context, page, errors


def log_in(page, email: str):
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("main .card", timeout=60000)  # a loaded CI machine is slow
    # The service worker controls the page before the network goes away.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, "!!navigator.serviceWorker.controller", timeout=15000)


def shot(page, name: str):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def draw(page, selector: str):
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + 100 + (30 if step % 2 else -30))
    page.mouse.up()


def pending(page) -> int:
    return int(page.evaluate("document.body.dataset.pending || '0'"))


def test_whole_inspection_offline_then_sent_exactly_once(
    browser, live_server, app_env, scheduled, tmp_path
):
    inspection = scheduled
    items = list(inspection.items.order_by("order"))
    context, page, errors = open_app(browser, live_server)
    shot(page, "login-vi")
    log_in(page, app_env.email)
    shot(page, "list-vi")

    context.set_offline(True)
    page.reload()
    page.wait_for_selector(f"text={inspection.premises.name}")
    page.click(f"text={inspection.premises.name}")
    shot(page, "inspection-vi")
    page.click("text=Bắt đầu kiểm tra")
    page.wait_for_selector(f"[data-item='{items[0].pk}']")
    for n, item in enumerate(items):
        value = "non_compliant" if n == 0 else "compliant"
        page.click(f"[data-item='{item.pk}'][data-value='{value}']")
        page.wait_for_selector(f"[data-item='{item.pk}'][data-value='{value}'][aria-pressed=true]")
    page.locator("button", has_text="Vì sao áp dụng").first.click()
    page.wait_for_selector(".sheet .law")
    shot(page, "citation-vi")
    page.click(".sheet button")
    page.set_input_files(f"input[data-photo='{items[0].pk}']", str(camera_jpeg(tmp_path)))
    page.wait_for_selector(f"#item-{items[0].pk} .thumbs img")
    shot(page, "checklist-vi")

    page.goto(live_server.url + f"/app/#/i/{inspection.pk}/find")
    page.fill("textarea[name=description]", "Bình chữa cháy tầng 2 hết hạn kiểm định")
    page.select_option("select[name=severity]", "major")
    page.fill("input[name=deadline]", "2027-01-15")
    page.click("form button[type=submit]")
    page.wait_for_selector("text=Bình chữa cháy tầng 2")
    shot(page, "findings-vi")

    page.goto(live_server.url + f"/app/#/i/{inspection.pk}/sign")
    page.wait_for_selector("canvas[data-role=inspector]")
    page.fill("input[name=representative_name]", "Nguyễn Văn An")
    page.fill("input[name=representative_position]", "Giám đốc")
    draw(page, "canvas[data-role=inspector]")
    draw(page, "canvas[data-role=representative]")
    shot(page, "signatures-vi")
    page.click("text=Nộp biên bản")
    page.wait_for_selector("text=Hôm nay")

    # Closed tab, phone restarted: everything is still on the phone and nothing went out.
    page.reload()
    wait_until(page, "document.body.dataset.ready === '1'")
    queued = pending(page)
    assert (
        queued == 1 + len(items) + 1 + 1 + 2 + 1
    )  # start, answers, photo, finding, 2 signatures, submit
    page.goto(live_server.url + "/app/#/sync")
    page.wait_for_selector("[data-status=pending]")
    shot(page, "outbox-offline-vi")
    assert not Answer.objects.exists() and not Photo.objects.exists()

    answer_puts = []

    def answered(request) -> None:
        # Requests the server answered: a PUT cut by the network coming back is retried, and
        # only what arrived counts (the server holds every answer once either way).
        response = request.response()
        if request.method == "PUT" and "/answers/" in request.url and response and response.ok:
            answer_puts.append(request)

    page.on("requestfinished", answered)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "document.body.dataset.pending === '0'", timeout=60000)
    shot(page, "outbox-sent-vi")
    assert errors == []
    assert len(answer_puts) == 1  # the day's taps go out as one batch
    cached = page.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
          }
          return urls;
        }"""
    )
    assert any(url.endswith("/app/") for url in cached)  # the shell starts the app offline
    assert not [url for url in cached if "/api/" in url]  # API answers live in the outbox only

    inspection.refresh_from_db()
    assert inspection.state in (Inspection.State.SUBMITTED, Inspection.State.SIGNED)
    assert Answer.objects.filter(inspection=inspection).count() == len(items)
    assert Answer.objects.get(item=items[0]).value == "non_compliant"
    photo = Photo.objects.get(inspection=inspection)
    assert photo.item == items[0]
    stored = Image.open(io.BytesIO(photo.blob.file.read()))
    assert stored.width * stored.height <= 2_100_000  # compressed on the phone to about 2 MP
    exif = stored.getexif()
    assert exif.get_ifd(0x8769).get(0x9003) == "2026:11:30 09:15:00"  # shooting time kept
    assert not exif.get_ifd(0x8825)  # no location without consent
    finding = Finding.objects.get(inspection=inspection)
    assert finding.severity == "major" and str(finding.remediation_deadline) == "2027-01-15"
    assert sorted(
        Signature.objects.filter(inspection=inspection).values_list("role", flat=True)
    ) == [
        "inspector",
        "representative",
    ]
    report = Report.objects.get(inspection=inspection)
    assert report.status == Report.Status.READY and report.file.read().startswith(b"%PDF")
    context.close()


CONFLICT_TEXT = {
    "vi": {"lang": "Tiếng Việt", "checklist": "Danh mục kiểm tra", "keep": "Giữ của tôi"},
    "en": {"lang": "English", "checklist": "Checklist", "keep": "Keep mine"},
}


def test_switching_language_on_the_login_screen_keeps_what_was_typed(browser, live_server, app_env):
    context, page, errors = open_app(browser, live_server)
    page.fill("input[name=email]", app_env.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("text=English")
    # The form is drawn again in English at once, with the typed e-mail and password in it.
    assert page.locator("button[type=submit]").inner_text() == "Log in"
    assert page.input_value("input[name=email]") == app_env.email
    page.click("button[type=submit]")
    page.wait_for_selector("main .card", timeout=60000)
    assert errors == []
    context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_conflict_resolved_from_the_app(browser, live_server, app_env, scheduled, lang):
    words = CONFLICT_TEXT[lang]
    inspection, _ = services.start_inspection(user=app_env, inspection=scheduled)
    item = inspection.items.order_by("order").first()
    context, page, errors = open_app(browser, live_server)
    page.click(f"text={words['lang']}")
    log_in(page, app_env.email)
    page.click(f"text={inspection.premises.name}")
    page.click(f"text={words['checklist']}")
    context.set_offline(True)
    page.click(f"[data-item='{item.pk}'][data-value='compliant']")

    # Meanwhile a colleague's device records a later, different answer to the same item.
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from inspections.services.answers import AnswerInput, record_answers

    record_answers(
        user=app_env,
        inspection=inspection,
        answers=[
            AnswerInput(
                client_uuid=uuid.uuid4(),
                item=item.pk,
                value="non_compliant",
                note="Lối thoát bị chắn",
                answered_at=timezone.now() + timedelta(minutes=5),
            )
        ],
        version=Inspection.objects.get(pk=inspection.pk).version,
    )
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.goto(live_server.url + "/app/#/sync")
    page.wait_for_selector(f"text={words['keep']}", timeout=30000)
    assert page.locator(".side").first.inner_text().count("Lối thoát bị chắn") == 1
    shot(page, f"conflict-{lang}")
    page.click(f"text={words['keep']}")
    wait_until(page, "document.body.dataset.pending === '0'", timeout=30000)
    assert Answer.objects.get(item=item).value == "compliant"
    assert Answer.objects.filter(item=item).count() == 1
    assert errors == []
    context.close()


TOMBSTONE_TEXT = {
    "vi": {
        "lang": "Tiếng Việt",
        "checklist": "Danh mục kiểm tra",
        "sync": "Đồng bộ ngay",
        "gone": "không còn được giao cho bạn",
        "kept": "Dữ liệu chưa gửi được giữ lại trên máy",
    },
    "en": {
        "lang": "English",
        "checklist": "Checklist",
        "sync": "Sync now",
        "gone": "no longer assigned to you",
        "kept": "Unsent work kept on this phone",
    },
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_tombstone_keeps_unsent_work(browser, live_server, app_env, scheduled, manager, lang):
    words = TOMBSTONE_TEXT[lang]
    inspection, _ = services.start_inspection(user=app_env, inspection=scheduled)
    item = inspection.items.order_by("order").first()
    context, page, errors = open_app(browser, live_server)
    page.click(f"text={words['lang']}")
    log_in(page, app_env.email)
    page.click(f"text={inspection.premises.name}")
    page.click(f"text={words['checklist']}")
    context.set_offline(True)
    page.click(f"[data-item='{item.pk}'][data-value='compliant']")
    # The manager cancels the inspection while the phone is offline.
    services.cancel_inspection(user=manager, inspection=inspection, reason="Cơ sở đóng cửa")
    context.set_offline(False)
    page.goto(live_server.url + "/app/#/")
    page.click(f"text={words['sync']}")
    page.wait_for_selector(f"text={words['gone']}", timeout=30000)
    page.click(f"text={inspection.premises.name}")
    page.wait_for_selector(f"text={words['kept']}")
    shot(page, f"tombstone-{lang}")
    assert page.locator(".notice li").count() >= 1
    assert not Answer.objects.filter(inspection=inspection).exists()
    assert errors == []
    context.close()


def test_network_cut_in_the_middle_of_a_photo_upload_resumes_it(
    browser, live_server, app_env, scheduled, tmp_path
):
    """The connection drops after the first chunk; the outbox retries, the tus client asks the
    server how far it got and sends only the rest: one photo, the bytes the phone hashed."""
    import base64
    import hashlib

    from inspections.models import PhotoBlob, PhotoUpload

    inspection, _ = services.start_inspection(user=app_env, inspection=scheduled)
    item = inspection.items.order_by("order").first()
    context, page, errors = open_app(browser, live_server)
    log_in(page, app_env.email)
    page.goto(live_server.url + f"/app/#/i/{inspection.pk}/check")
    page.wait_for_selector(f"input[data-photo='{item.pk}']", state="attached")

    created: list[dict[str, str]] = []
    patches: list[tuple[int, str]] = []
    network = {"up": True}

    def tus(route):
        request = route.request
        if request.method == "POST":
            pairs = (p.split(" ") for p in request.headers["upload-metadata"].split(","))
            created.append({k: base64.b64decode(v).decode() for k, v in pairs})
        if request.method == "PATCH":
            offset = int(request.headers["upload-offset"])
            if offset > 0 and not network["up"]:
                patches.append((offset, "cut"))
                return route.abort("internetdisconnected")
            patches.append((offset, "sent"))
            if offset == 0:
                network["up"] = False  # the connection drops once the first chunk is through
        return route.continue_()

    page.route("**/photo-uploads/**", tus)
    page.set_input_files(f"input[data-photo='{item.pk}']", str(noisy_jpeg(tmp_path)))
    # The outbox keeps retrying with backoff while the network is down.
    for _ in range(300):
        if sum(1 for _, outcome in patches if outcome == "cut") >= 2:
            break
        page.wait_for_timeout(100)
    cuts = [offset for offset, outcome in patches if outcome == "cut"]
    assert len(cuts) >= 2, patches
    upload = PhotoUpload.objects.get(inspection=inspection)
    assert 0 < upload.received == cuts[0] < upload.size  # half-way through on the server
    assert not Photo.objects.filter(inspection=inspection).exists()
    page.goto(live_server.url + "/app/#/sync")
    page.wait_for_selector("text=Ảnh")
    shot(page, "upload-interrupted-vi")

    network["up"] = True
    wait_until(page, "document.body.dataset.pending === '0'", timeout=60000)

    sent = [offset for offset, outcome in patches if outcome == "sent"]
    assert len(created) == 1  # resumed, not started again
    assert sent == sorted(set(sent)) and sent[1] == cuts[0]  # no byte sent twice
    photo = Photo.objects.get(inspection=inspection)
    assert photo.item == item
    data = photo.blob.file.read()
    digest = hashlib.sha256(data).hexdigest()
    assert digest == photo.blob.sha256 == created[0]["sha256"]  # the bytes the phone hashed
    assert len(data) == upload.size
    assert PhotoBlob.objects.count() == 1
    assert errors == []
    context.close()


# Visible controls smaller than a gloved finger, and anything wider than the phone.
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    problems.push(`page ${document.documentElement.scrollWidth}px wide`);
  }
  const controls = document.querySelectorAll(
    "button, input:not([type=checkbox]):not([type=file]), select, textarea, label.check"
  );
  for (const el of controls) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest("[hidden]")) continue;
    if (box.height < 44 || box.width < 44) {
      problems.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${box.width}×${box.height}`);
    }
    if (box.right > window.innerWidth + 0.5) problems.push(`${el.tagName} past the right edge`);
  }
  return problems;
}
"""

SCREEN_TEXT = {
    "vi": {"lang": "Tiếng Việt", "start": "Bắt đầu kiểm tra", "why": "Vì sao áp dụng"},
    "en": {"lang": "English", "start": "Start inspection", "why": "Why it applies"},
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_screen_at_phone_size(browser, live_server, app_env, scheduled, tmp_path, lang):
    """Each screen photographed at 390 px in the language chosen on the log-in screen; none is
    wider than the phone and every control is at least 44 px both ways (gloves)."""
    words = SCREEN_TEXT[lang]
    item = scheduled.items.order_by("order").first()
    context, page, errors = open_app(browser, live_server)
    problems: dict[str, list[str]] = {}

    def screen(name: str):
        shot(page, f"{name}-{lang}")
        found = page.evaluate(LAYOUT_PROBLEMS)
        if found:
            problems[name] = found

    page.click(f"text={words['lang']}")
    screen("login")
    log_in(page, app_env.email)
    screen("list")
    page.click(f"text={scheduled.premises.name}")
    page.wait_for_selector("dl.facts")
    screen("inspection")
    page.click(f"text={words['start']}")
    page.wait_for_selector(f"[data-item='{item.pk}']")
    context.set_offline(True)
    page.click(f"[data-item='{item.pk}'][data-value='non_compliant']")
    page.wait_for_selector(f"[data-item='{item.pk}'][aria-pressed=true]")
    page.set_input_files(f"input[data-photo='{item.pk}']", str(camera_jpeg(tmp_path)))
    page.wait_for_selector(f"#item-{item.pk} .thumbs img")
    screen("checklist")
    page.locator("button", has_text=words["why"]).first.click()
    page.wait_for_selector(".sheet .law")
    screen("citation")
    page.click(".sheet button")
    page.goto(live_server.url + f"/app/#/i/{scheduled.pk}/find")
    page.fill("textarea[name=description]", "Bình chữa cháy tầng 2 hết hạn kiểm định")
    page.fill("input[name=deadline]", "2027-01-15")
    page.click("form button[type=submit]")
    page.wait_for_selector("text=Bình chữa cháy tầng 2")
    screen("findings")
    page.goto(live_server.url + f"/app/#/i/{scheduled.pk}/sign")
    page.wait_for_selector("canvas[data-role=inspector]")
    screen("signatures")
    page.check("input[name=refused]")
    page.fill("textarea[name=refusal_reason]", "Không đồng ý với kết luận về lối thoát nạn")
    page.locator("textarea[name=refusal_reason]").scroll_into_view_if_needed()
    assert not page.locator("canvas[data-role=representative]").is_visible()
    screen("signatures-refused")
    page.goto(live_server.url + "/app/#/sync")
    page.wait_for_selector("[data-status=pending]")
    screen("outbox-offline")
    page.goto(live_server.url + "/app/#/settings")
    page.wait_for_selector("input[name=location]")
    screen("settings")
    assert page.evaluate("document.documentElement.lang") == lang
    assert problems == {}, problems
    assert errors == []
    context.close()


def test_the_representative_refuses_to_sign(browser, live_server, app_env, scheduled):
    """The refusal replaces the representative's signature: the app sends the submit API's PC03
    fields (``refusal_reason``, ``representative_comments``) and no representative signature."""
    import json

    inspection, _ = services.start_inspection(user=app_env, inspection=scheduled)
    items = list(inspection.items.order_by("order"))
    context, page, errors = open_app(browser, live_server)
    log_in(page, app_env.email)
    page.goto(live_server.url + f"/app/#/i/{inspection.pk}/check")
    for item in items:
        page.click(f"[data-item='{item.pk}'][data-value='compliant']")
        page.wait_for_selector(f"[data-item='{item.pk}'][aria-pressed=true]")
    sent: list[dict] = []

    def watch(response):
        if response.request.method == "POST" and response.url.endswith("/submit/"):
            sent.append(json.loads(response.request.post_data))

    page.on("response", watch)
    page.goto(live_server.url + f"/app/#/i/{inspection.pk}/sign")
    page.wait_for_selector("canvas[data-role=inspector]")
    page.fill("input[name=representative_name]", "Nguyễn Văn An")
    page.fill("input[name=representative_position]", "Giám đốc")
    page.fill("textarea[name=representative_comments]", "Cơ sở sẽ bổ sung hồ sơ trong tuần")
    assert not page.locator("textarea[name=refusal_reason]").is_visible()
    page.check("input[name=refused]")
    assert not page.locator("canvas[data-role=representative]").is_visible()
    page.click("text=Nộp biên bản")
    assert page.locator("[role=alert]").inner_text().count("Lý do không ký") == 1  # reason needed
    page.fill("textarea[name=refusal_reason]", "Không đồng ý với kết luận")
    draw(page, "canvas[data-role=inspector]")
    page.click("text=Nộp biên bản")
    page.wait_for_selector("text=Hôm nay")
    for _ in range(300):
        if sent:
            break
        page.wait_for_timeout(100)
    assert list(Signature.objects.filter(inspection=inspection).values_list("role", flat=True)) == [
        "inspector"
    ]
    assert sent[0]["refusal_reason"] == "Không đồng ý với kết luận"
    assert sent[0]["representative_comments"] == "Cơ sở sẽ bổ sung hồ sơ trong tuần"
    assert sent[0]["representative_name"] == "Nguyễn Văn An"
    # The server takes the refusal in place of the representative's signature (form PC03).
    for _ in range(300):
        inspection.refresh_from_db()
        if inspection.state != Inspection.State.IN_PROGRESS:
            break
        page.wait_for_timeout(100)
    assert inspection.state in (Inspection.State.SUBMITTED, Inspection.State.SIGNED)
    assert inspection.representative_refusal_reason == "Không đồng ý với kết luận"
    assert inspection.representative_comments == "Cơ sở sẽ bổ sung hồ sơ trong tuần"
    assert errors == []
    context.close()
