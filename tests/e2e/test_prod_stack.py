"""The production stack, started by deploy/prod-local.sh and used over loopback as a user would.

nginx (TLS) in front of two gunicorn instances, PostgreSQL, Redis, three Celery worker pools and
one beat; e-mail to an SMTP sink (aiosmtpd) in this process. Everything goes through nginx:
a phone session, the signed record downloaded by the facility head and refused to another
authority, a records worker killed while it signs, the reminder sweep run twice on two workers.
Each wait is bounded; the stack is stopped and its database dropped at the end.
"""

from __future__ import annotations

import email
import hashlib
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.policy import default as default_policy
from pathlib import Path

import psycopg
import pytest
import requests
from aiosmtpd.controller import Controller
from PIL import Image

from tests.tools import SYSTEM_PATHS

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "prod-local.sh"

PG_SERVER = os.environ.get("E2E_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
# A Redis database of its own: no other test or engineer consumes these queues.
REDIS_DB_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/9")
START_TIMEOUT_S = 600
PASSWORD = "demo-pass-2025"


def _missing_prerequisite() -> str | None:
    if not (shutil.which("nginx") or shutil.which("nginx", path=SYSTEM_PATHS)):
        return "nginx is not installed (Debian package nginx-light; .ci/run installs it)"
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            pass
        with socket.create_connection(("127.0.0.1", 6379), timeout=3):
            pass
    except OSError as exc:
        return f"PostgreSQL or Redis not reachable: {exc}"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """SMTP sink: keeps every message received."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


@dataclass
class Stack:
    base: str
    cert: str
    env: dict[str, str]
    dsn: str
    run_dir: Path
    sink: Sink

    def session(self) -> requests.Session:
        s = requests.Session()
        # Only the stack's own certificate; REQUESTS_CA_BUNDLE in the environment would win.
        s.trust_env = False
        s.verify = self.cert
        return s

    def token(self, email_address: str) -> dict[str, str]:
        r = self.session().post(
            f"{self.base}/api/v1/auth/token/",
            json={"email": email_address, "password": PASSWORD},
            timeout=30,
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access']}"}

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def celery(self, *args: str, timeout: int = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(ROOT / ".venv/bin/celery"), "-A", "config", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    def pid(self, name: str) -> int:
        return int((self.run_dir / f"{name}.pid").read_text())


def wait_for(check: Callable[[], object], *, timeout: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    if reason := _missing_prerequisite():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("prodstack")
    var = tmp / "var"
    db_name = f"pccc_e2e_stack_{os.getpid()}"
    dsn = f"{PG_SERVER}/{db_name}"
    sink = Sink()
    smtp_port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    http_port, https_port, web1, web2 = (_free_port() for _ in range(4))
    settings_env = {
        "DJANGO_SETTINGS_MODULE": "config.settings_production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{https_port}",
        "PUBLIC_BASE_URL": f"https://127.0.0.1:{https_port}",
        "SECURE_HSTS_SECONDS": "60",
        "LOG_JSON": "1",
        "DATABASE_URL": dsn,
        "REDIS_URL": REDIS_DB_URL,
        "CACHE_KEY_PREFIX": f"e2e-{os.getpid()}",
        "PCCC_VAR_DIR": str(var),
        "MEDIA_ROOT": str(var / "media"),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "PROD_LOCAL_SMTP_SINK": "0",
        "PROD_LOCAL_DEMO": "1",
        "PROD_HTTP_PORT": str(http_port),
        "PROD_HTTPS_PORT": str(https_port),
        "GUNICORN_PORTS": f"{web1} {web2}",
        "WEB_CONCURRENCY": "2",
        "RECORDS_CONCURRENCY": "1",
        "NOTIFICATIONS_CONCURRENCY": "2",
        "BACKGROUND_CONCURRENCY": "1",
        # Shortened so the sweep reclaims the killed worker's record within this test; in
        # production the claim outlives the record task's time limit (settings).
        "REPORT_TASK_TIME_LIMIT": "120",
        "REPORT_CLAIM_TIMEOUT_SECONDS": "20",
    }
    env_file = tmp / "stack.env"
    env_file.write_text("".join(f"{k}='{v}'\n" for k, v in settings_env.items()))
    # A production process never runs with Django's async-safety switched off (a test helper).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**inherited, **settings_env, "ENV_FILE": str(env_file)}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    subprocess.run(["redis-cli", "-u", REDIS_DB_URL, "flushdb"], check=True, capture_output=True)
    run = [str(SCRIPT)]
    try:
        started = subprocess.run(
            [*run, "start"], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=START_TIMEOUT_S,
        )  # fmt: skip
        assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]
        yield Stack(
            base=f"https://127.0.0.1:{https_port}",
            cert=str(var / "tls" / "cert.pem"),
            env=env,
            dsn=dsn,
            run_dir=var / "run",
            sink=sink,
        )
    finally:
        subprocess.run([*run, "stop"], cwd=ROOT, env=env, capture_output=True, timeout=400)
        controller.stop()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


# --- The phone session -----------------------------------------------------------------------


def _jpeg(seed: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (seed % 256, 120, 90)).save(buf, "JPEG")
    return buf.getvalue()


def _png(seed: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (120, 40), (0, 0, seed % 256, 255)).save(buf, "PNG")
    return buf.getvalue()


def _now() -> str:
    return datetime.now(UTC).isoformat()


def phone_session(stack: Stack) -> dict:
    """Inspector: sync, start a scheduled inspection, answer, photo, sign, submit."""
    s = stack.session()
    s.headers.update(stack.token("inspector@demo.test"))
    api = f"{stack.base}/api/v1"
    sync = s.get(f"{api}/sync/", timeout=60)
    assert sync.status_code == 200, sync.text
    # The JSON of the first sync is compressed by nginx for phones on slow networks.
    assert sync.headers.get("Content-Encoding") == "gzip"
    scheduled = [i for i in sync.json()["inspections"] if i["state"] == "scheduled"]
    assert scheduled, "the demo inspector has scheduled inspections"
    inspection = scheduled[0]
    pk = inspection["id"]
    started = s.post(
        f"{api}/inspections/{pk}/start/",
        json={"version": inspection["version"], "started_at": _now()},
        timeout=30,
    )
    assert started.status_code == 200, started.text
    version = started.json()["version"]
    items = inspection["items"]
    answers = [
        {"client_uuid": str(uuid.uuid4()), "item": item["id"], "value": "compliant",
         "answered_at": _now()}
        for item in items
    ]  # fmt: skip
    r = s.put(
        f"{api}/inspections/{pk}/answers/", json={"version": version, "answers": answers},
        timeout=30,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    version = r.json().get("inspection_version", version)
    photo = _jpeg(pk)
    r = s.post(
        f"{api}/inspections/{pk}/photos/",
        data={
            "client_uuid": str(uuid.uuid4()),
            "sha256": hashlib.sha256(photo).hexdigest(),
            "item": items[0]["id"],
            "caption": "Lối thoát nạn",
            "taken_at": _now(),
        },
        files={"file": ("photo.jpg", photo, "image/jpeg")},
        timeout=30,
    )
    assert r.status_code == 201, r.text
    for role, seed in (("inspector", 1), ("representative", 2)):
        r = s.post(
            f"{api}/inspections/{pk}/signatures/",
            data={"client_uuid": str(uuid.uuid4()), "role": role, "signer_name": "Nguyễn Văn An"},
            files={"image": ("sig.png", _png(seed), "image/png")},
            timeout=30,
        )
        assert r.status_code == 201, r.text
    current = s.get(f"{api}/inspections/{pk}/", timeout=30).json()
    r = s.post(
        f"{api}/inspections/{pk}/submit/",
        json={
            "version": current["version"],
            "representative_name": "Nguyễn Văn An",
            "representative_position": "Chủ cơ sở",
            "recommendations": "Duy trì điều kiện an toàn PCCC.",
            "ended_at": _now(),
        },
        timeout=30,
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "submitted"
    return {**current, "request_id": r.headers["X-Request-ID"]}


def _report_row(stack: Stack, inspection_id: int) -> tuple | None:
    rows = stack.sql(
        "SELECT status, claimed_at, file, verification_code FROM inspections_report "
        "WHERE inspection_id = %s",
        (inspection_id,),
    )
    return rows[0] if rows else None


def _pool_children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_phone_session_signed_record_survives_a_killed_worker(stack):
    records_worker = stack.pid("worker-records")
    children_before = _pool_children(records_worker)
    assert children_before, "the records worker runs a prefork pool"
    inspection = phone_session(stack)
    pk = inspection["id"]

    # The moment the worker claims the record it is rendering and signing it: kill its pool
    # process there, as the kernel's OOM killer or a lost machine would.
    wait_for(
        lambda: (row := _report_row(stack, pk)) and row[1] is not None,
        timeout=120, every=0.05, what="the records worker to claim the record",
    )  # fmt: skip
    for child in _pool_children(records_worker):
        os.kill(child, signal.SIGKILL)
    assert _report_row(stack, pk)[0] != "ready", "the worker was killed before it finished"

    # The message came back (acks_late + reject_on_worker_lost); the stale claim is released
    # by the sweep, which beat runs every five minutes: run it now, as beat would.
    def produced() -> bool:
        row = _report_row(stack, pk)
        if row[0] == "ready":
            return True
        stack.celery("call", "inspections.tasks.sweep_missing_reports")
        return False

    wait_for(produced, timeout=240, every=5, what="the record after the kill")
    assert _pool_children(records_worker), "the worker replaced its killed pool process"

    # The facility head downloads it through nginx (X-Accel-Redirect from the internal location).
    head = stack.session()
    head.headers.update(stack.token("head@demo.test"))
    pdf_url = f"{stack.base}/api/v1/inspections/{pk}/report/pdf/"
    r = head.get(pdf_url, timeout=60)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.content.startswith(b"%PDF") and b"/ByteRange" in r.content
    _status, _claimed, file_name, code = _report_row(stack, pk)
    assert hashlib.sha256(r.content).hexdigest() in file_name

    # Another authority's inspector is refused, and the stored path is not public.
    other = stack.session()
    other.headers.update(stack.token("inspector.sonla@demo.test"))
    assert other.get(pdf_url, timeout=30).status_code == 404
    assert stack.session().get(f"{stack.base}/private-media/{file_name}").status_code == 404
    assert stack.session().get(f"{stack.base}/media/{file_name}").status_code == 404

    # The submission's request id is in nginx's access log and in the log lines of the record
    # task it queued (redelivered after the kill, with the same message headers).
    logs = stack.run_dir.parent / "logs"
    access = [json.loads(line) for line in (logs / "nginx-access.json").read_text().splitlines()]
    assert any(
        e["request_id"] == inspection["request_id"] and e["uri"].endswith(f"/{pk}/submit/")
        for e in access
    )
    worker_lines = []
    for line in (logs / "worker-records.log").read_text().splitlines():
        try:
            worker_lines.append(json.loads(line))
        except ValueError:
            continue  # the worker's start-up banner
    assert any(e.get("request_id") == inspection["request_id"] for e in worker_lines)

    # Anyone can check the record's authenticity by its code.
    verify = stack.session().get(f"{stack.base}/verify/{code}/", timeout=30)
    assert verify.status_code == 200
    assert code in verify.text


def _text(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part else ""


def test_reminder_sweep_twice_on_two_workers_sends_each_email_once(stack):
    second = subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "-n", "notifications2@%h",
         "-Q", "notifications,summaries", "--pool", "prefork", "--concurrency", "2", "-l", "info"],
        cwd=ROOT, env=stack.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(
            lambda: "notifications2@" in stack.celery("inspect", "ping", "--timeout", "5").stdout,
            timeout=120, every=2, what="the second notifications worker",
        )  # fmt: skip
        stack.celery("call", "inspections.tasks.run_reminder_sweep")
        stack.celery("call", "inspections.tasks.run_reminder_sweep")

        def settled() -> bool:
            pending = stack.sql(
                "SELECT count(*) FROM inspections_notification WHERE channel = 'email' "
                "AND delivery = 'immediate' AND status IN ('pending', 'sending')"
            )[0][0]
            sent = stack.sql(
                "SELECT count(*) FROM inspections_notification WHERE channel = 'email' "
                "AND delivery = 'immediate' AND status = 'sent'"
            )[0][0]
            return pending == 0 and sent > 0 and len(stack.sink.messages) >= sent

        wait_for(settled, timeout=240, every=2, what="the reminders to be sent")
        time.sleep(3)  # a duplicate would arrive now
        sent = stack.sql(
            "SELECT count(*) FROM inspections_notification WHERE channel = 'email' "
            "AND delivery = 'immediate' AND status = 'sent'"
        )[0][0]
        received = [(m["To"], m["Subject"], _text(m)) for m in stack.sink.messages]
        assert len(received) == sent
        assert len(set(received)) == len(received), "an e-mail arrived twice"
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=60)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"  # an orphan nobody has reaped yet is gone all the same


def test_stopping_the_records_worker_finishes_the_record_it_signs(stack):
    """Last in this module: it stops the records worker, as `make prod-local-stop` does."""
    pk = phone_session(stack)["id"]
    wait_for(
        lambda: (row := _report_row(stack, pk)) and row[1] is not None,
        timeout=120, every=0.05, what="the records worker to claim the record",
    )  # fmt: skip
    worker = stack.pid("worker-records")
    os.kill(worker, signal.SIGTERM)
    assert _report_row(stack, pk)[0] != "ready", "the worker was asked to stop mid-record"
    wait_for(lambda: not _alive(worker), timeout=240, every=0.5, what="the warm shutdown")
    # No sweep, no other worker: the stopping worker finished the record before it exited.
    assert _report_row(stack, pk)[0] == "ready"
