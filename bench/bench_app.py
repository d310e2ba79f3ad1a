"""The inspector app in Debian's Chromium (Playwright, 390 px phone viewport) against runserver.

    .venv/bin/python bench/bench_app.py
    BENCH_PHOTOS=5 BENCH_STARTS=5 .venv/bin/python bench/bench_app.py   # a quicker run

Data (its own generator, on a fresh SQLite database in a temporary PCCC_VAR_DIR): a published
catalogue of 150 requirements with their law text, one inspector and one in-progress inspection
of an establishment with 150 checklist items. The server is `manage.py runserver` (whitenoise
static, as `make run`) in a subprocess; the browser logs in once, then:

1. app start from the service worker's cache with the network off: a new tab opened on /app/
   until the app is ready (list drawn from IndexedDB), and the same for a reload;
2. rendering the 150-item checklist (hash change until every card is in the page and painted);
3. offline, 150 answers tapped and 20 camera photos of a few MB each taken (compressed on the
   phone); then the network returns and the time until the outbox reports "all sent".

Prints wall time, the page's main-thread CPU (Chrome's TaskDuration), the CPU of the server
process and of the browser processes. Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.phone import READY_PROBE, RENDER_CHECKLIST, camera_photos, wait_until  # noqa: E402
from bench.process_cpu import Meter  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ITEMS = 150
PHOTOS = int(os.environ.get("BENCH_PHOTOS", 20))
STARTS = int(os.environ.get("BENCH_STARTS", 10))
RENDERS = int(os.environ.get("BENCH_RENDERS", 10))
PASSWORD = "bench-app-pass"
PHONE = {"width": 390, "height": 844}

# Set before Django (and the server) read their settings: a fresh database and media folder.
VAR = Path(tempfile.mkdtemp(prefix="pccc-bench-app-"))
SERVER_ENV = {
    "PCCC_VAR_DIR": str(VAR),
    "MEDIA_ROOT": str(VAR / "media"),
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "LOG_LEVEL": "WARNING",
    # The throttles are not what is measured here.
    "THROTTLE_USER": "1000000/min",
    "THROTTLE_SYNC": "1000000/min",
    "THROTTLE_UPLOADS": "1000000/min",
    "THROTTLE_AUTH": "1000000/min",
}
SERVER_ENV.pop("DATABASE_URL", None)


def setup_django() -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(SERVER_ENV)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate() -> dict:
    from django.db import transaction

    with transaction.atomic():
        version = generate_catalogue()
        people = generate_people_and_premises()
    inspection = generate_inspection(version, **people)
    return {"inspector": people["inspector"], "inspection": inspection}


def generate_catalogue():
    """A published version of ITEMS requirements, each citing one provision of a long text."""
    from django.utils import timezone

    from inspections.models import (
        CatalogueVersion,
        Citation,
        LegalDocument,
        Provision,
        Requirement,
    )

    version = CatalogueVersion.objects.create(
        label="bench-app", status="published", published_at=timezone.now()
    )
    doc = LegalDocument.objects.create(code="BENCH/APP", kind="law", title="Bench document")
    Requirement.objects.bulk_create(
        Requirement(
            version=version,
            code=f"A-{n:03d}",
            title_vi=f"Yêu cầu kiểm tra số {n}: lối thoát nạn, bình chữa cháy, báo cháy",
            question_vi=f"Cơ sở có đáp ứng yêu cầu số {n} về phòng cháy, chữa cháy không?",
            premises_kinds=["establishment"],
            order=n,
        )
        for n in range(ITEMS)
    )
    Provision.objects.bulk_create(
        Provision(
            document=doc,
            article=100 + n,
            clause=1,
            text_vi="Cơ sở phải bảo đảm điều kiện an toàn về phòng cháy, chữa cháy. " * 6,
            order=n,
        )
        for n in range(ITEMS)
    )
    Citation.objects.bulk_create(
        Citation(requirement=r, provision=p)
        for r, p in zip(
            Requirement.objects.filter(version=version).order_by("order"),
            Provision.objects.filter(document=doc).order_by("article"),
            strict=True,
        )
    )
    return version


def generate_people_and_premises() -> dict:
    """The authority, its inspector and the establishment to inspect."""
    from accounts.models import Authority, Membership, User
    from inspections.models import Premises

    authority = Authority.objects.create(
        name="Bench app authority", kind="commune_committee", province_code=1, ward_codes=[70]
    )
    inspector = User.objects.create_user("inspector@bench-app.test", PASSWORD)
    Membership.objects.create(user=inspector, authority=authority, role="inspector")
    premises = Premises.objects.create(
        kind="establishment",
        external_id="bench-app-1",
        name="Cơ sở bench ứng dụng",
        province_code=1,
        ward_code=70,
        occupancy_category="office",
        floors=5,
    )
    return {"authority": authority, "inspector": inspector, "premises": premises}


def generate_inspection(version, *, authority, inspector, premises):
    """The inspection in progress, with its checklist frozen from the version's template."""
    from django.utils import timezone

    from inspections.models import Inspection, InspectionItem
    from inspections.services.checklists import item_rows, template_for

    template = template_for(version, "establishment")
    inspection = Inspection.objects.create(
        premises=premises,
        authority=authority,
        kind="periodic",
        state="in_progress",
        catalogue_version=version,
        template=template,
        scheduled_for=timezone.localdate(),
        started_at=timezone.now(),
    )
    inspection.inspectors.add(inspector)
    InspectionItem.objects.bulk_create(item_rows(inspection, template.items))
    return inspection


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("runserver did not start")


def ms(values: list[float]) -> str:
    p95 = statistics.quantiles(values, n=20)[18] if len(values) >= 2 else values[0]
    return f"median {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms  (n={len(values)})"


def run() -> None:
    if not Path(CHROMIUM).exists():
        raise SystemExit("Debian chromium is needed: apt-get install chromium")
    setup_django()
    t0 = time.perf_counter()
    data = generate()
    photos = camera_photos(VAR, PHOTOS)
    camera_mb = sum(p.stat().st_size for p in photos) / 1e6
    print(
        f"  data generated in {time.perf_counter() - t0:.1f} s: {ITEMS} items, {PHOTOS} camera "
        f"photos of 4000×3000 ({camera_mb / max(1, PHOTOS):.1f} MB each on average)"
    )
    inspection = data["inspection"]
    item_ids = list(inspection.items.order_by("order").values_list("pk", flat=True))

    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            context = browser.new_context(viewport=PHONE, service_workers="allow")
            context.add_init_script(READY_PROBE)
            page = log_in(context, base, data["inspector"].email)
            measure_starts(context, page, base)
            cdp = measure_renders(context, page, server, inspection)
            measure_offline_work(page, cdp, server, inspection, item_ids=item_ids, photos=photos)
            measure_sending(context, page, cdp, server, inspection)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(VAR, ignore_errors=True)


def log_in(context, base: str, email: str):
    """The inspector logs in on /app/ once; the service worker then controls the page."""
    page = context.new_page()
    page.goto(base + "/app/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("main .card", timeout=60000)
    wait_until(page, "!!navigator.serviceWorker.controller", timeout=30000)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    return page


def measure_starts(context, page, base: str) -> None:
    """1. Start with the network off, from the service worker's cache."""
    context.set_offline(True)
    new_tab, reloads, from_worker = [], [], set()
    for _ in range(STARTS):
        tab = context.new_page()
        response = tab.goto(base + "/app/")
        from_worker.add(bool(response and response.from_service_worker))
        wait_until(tab, "window.__readyAt > 0", timeout=30000)
        new_tab.append(tab.evaluate("window.__readyAt"))
        tab.close()
    for _ in range(STARTS):
        page.reload()
        wait_until(page, "window.__readyAt > 0", timeout=30000)
        reloads.append(page.evaluate("window.__readyAt"))
    print(
        "\n1. App start offline, navigation start → ready "
        f"(shell from the service worker: {from_worker == {True}})"
    )
    print(f"  new tab   {ms(new_tab)}")
    print(f"  reload    {ms(reloads)}")


def measure_renders(context, page, server: subprocess.Popen, inspection):
    """2. The 150-item checklist, drawn from IndexedDB; the CDP session steps 3 and 4 use."""
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    renders = []
    with Meter(cdp, server.pid) as meter:
        for _ in range(RENDERS):
            renders.append(page.evaluate(RENDER_CHECKLIST, [inspection.pk, ITEMS]))
    print(f"\n2. Rendering the {ITEMS}-item checklist (hash change → painted)")
    print(f"  {ms(renders)}")
    print(f"  all {RENDERS} renders: {meter.line()}")
    return cdp


def measure_offline_work(
    page, cdp, server: subprocess.Popen, inspection, *, item_ids: list[int], photos: list[Path]
) -> None:
    """3. Offline work: every answer tapped, the photos taken and compressed on the phone."""
    page.evaluate(f"location.hash = '#/i/{inspection.pk}/check'")
    page.wait_for_selector(f"[data-item='{item_ids[-1]}']")
    with Meter(cdp, server.pid) as taps:
        for item in item_ids:
            selector = f"[data-item='{item}'][data-value='compliant']"
            page.click(selector)
            page.wait_for_selector(selector + "[aria-pressed=true]")
    with Meter(cdp, server.pid) as shots:
        for item, path in zip(item_ids, photos, strict=False):
            page.set_input_files(f"input[data-photo='{item}']", str(path))
            page.wait_for_selector(f"#item-{item} .thumbs img", timeout=120000)
    queued = int(page.evaluate("document.body.dataset.pending"))
    stored = page.evaluate(
        """async () => { const e = await navigator.storage.estimate(); return e.usage; }"""
    )
    print(f"\n3. Offline: {ITEMS} answers tapped, {PHOTOS} photos taken and compressed")
    print(f"  {ITEMS} taps:     {taps.line()}")
    print(f"  {PHOTOS} photos:    {shots.line()}")
    print(f"  outbox: {queued} entries, phone storage used {stored / 1e6:.1f} MB")


def measure_sending(context, page, cdp, server: subprocess.Popen, inspection) -> None:
    """Then the network returns: the time until the outbox reports "all sent"."""
    requests: dict[str, int] = {}

    def count(request) -> None:
        if "/api/" in request.url:
            key = request.method + (" photo-uploads" if "photo-uploads" in request.url else "")
            requests[key] = requests.get(key, 0) + 1

    waits: list[float] = []

    def answered(request) -> None:
        timing = request.timing
        if "/api/" in request.url and timing["responseStart"] > 0:
            waits.append(timing["responseStart"] - max(0, timing["requestStart"]))

    page.on("request", count)
    page.on("requestfinished", answered)
    context.set_offline(False)
    with Meter(cdp, server.pid) as sending:
        page.evaluate("window.dispatchEvent(new Event('online'))")
        wait_until(page, "document.body.dataset.pending === '0'", timeout=900000, polling=50)
    from inspections.models import Answer, Photo

    answers = Answer.objects.filter(inspection=inspection).count()
    sent = Photo.objects.filter(inspection=inspection)
    uploaded_mb = sum(p.blob.size for p in sent.select_related("blob")) / 1e6
    print(
        f"  reconnect → all sent: {sending.line()}\n"
        f"  server holds {answers} answers and {sent.count()} photos "
        f"({uploaded_mb:.1f} MB after compression on the phone, "
        f"{uploaded_mb / max(1, sent.count()):.2f} MB each)\n"
        f"  API requests: {', '.join(f'{k} {v}' for k, v in sorted(requests.items()))}; "
        f"server response time {ms(waits)}"
    )


if __name__ == "__main__":
    print(
        f"bench_app: {ITEMS} items, {PHOTOS} photos, Chromium {CHROMIUM}, runserver + SQLite; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start"
    )
    run()
