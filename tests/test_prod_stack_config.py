"""The production stack's configuration agrees with the application: queues, limits, paths."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app
from ops.management.commands.render_nginx_conf import render_nginx_conf
from tests.tools import require_tool

ROOT = Path(settings.BASE_DIR)


def _worker_queues(text: str) -> list[set[str]]:
    return [set(q.split(",")) for q in re.findall(r"-Q ([a-z,]+)", text)]


def test_every_task_lands_on_a_queue_a_production_worker_serves():
    app.loader.import_default_modules()
    served = set().union(*_worker_queues((ROOT / "deploy" / "prod-local.sh").read_text()))
    tasks = [name for name in app.tasks if not name.startswith("celery.")]
    assert tasks
    for name in tasks:
        queue = settings.CELERY_TASK_ROUTES.get(name, {}).get(
            "queue", settings.CELERY_TASK_DEFAULT_QUEUE
        )
        assert queue in served, f"{name} goes to {queue}, which no worker of prod-local serves"


def test_development_worker_serves_every_queue():
    everything = set(settings.CELERY_ALL_QUEUES.split(","))
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} == everything
    for path in ("Procfile.dev", "Makefile"):
        assert _worker_queues((ROOT / path).read_text()) == [everything], path


def test_request_size_limit_admits_every_upload_the_application_accepts():
    for limit in (
        settings.PHOTO_MAX_BYTES,
        settings.PREMISES_IMPORT_MAX_BYTES,
        settings.EVIDENCE_MAX_BYTES,
        settings.PHOTO_CHUNK_MAX_BYTES,
    ):
        assert limit < settings.REQUEST_MAX_BODY_BYTES


def test_signing_claims_outlive_the_record_task():
    assert settings.REPORT_CLAIM_TIMEOUT.total_seconds() > settings.REPORT_TASK_TIME_LIMIT
    annotations = settings.CELERY_TASK_ANNOTATIONS["inspections.tasks.generate_inspection_report"]
    assert annotations["time_limit"] == settings.REPORT_TASK_TIME_LIMIT


@pytest.fixture
def conf(tmp_path) -> str:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx-tmp").mkdir()
    return render_nginx_conf(
        prefix=str(tmp_path),
        upstream_ports=[18001, 18002],
        http_port=18080,
        https_port=18443,
        tls_cert=str(cert),
        tls_key=str(key),
        proxy_timeout_s=130,
    )


def test_nginx_conf_matches_the_settings(conf):
    assert f"client_max_body_size {settings.REQUEST_MAX_BODY_BYTES};" in conf
    internal = re.search(r"location /private-media/ \{(.*?)\}", conf, re.S).group(1)
    assert "internal;" in internal
    # The folder django-sendfile2 builds X-Accel-Redirect paths from (= MEDIA_ROOT).
    assert f"alias {Path(settings.SENDFILE_ROOT).resolve()}/;" in internal
    assert "add_header X-Content-Type-Options nosniff always;" in internal
    assert "server 127.0.0.1:18001" in conf and "server 127.0.0.1:18002" in conf
    assert "location /media/" not in conf


def test_nginx_accepts_the_rendered_conf(conf, tmp_path):
    nginx = require_tool("nginx")
    path = tmp_path / "nginx.conf"
    path.write_text(conf)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
