"""/healthz: 200 with every component when all answer, 503 naming the one that does not."""

from __future__ import annotations

import pytest

from config import health


@pytest.fixture
def local_broker(settings, tmp_path):
    if not settings.REDIS_URL:
        # Embedded default: a private SQLite broker file for this test.
        settings.CELERY_BROKER_URL = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"


def test_all_components_answer(client, db, local_broker):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["components"]) == {"database", "broker", "storage", "cache"}
    assert all(c["ok"] for c in body["components"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_unreachable_broker_is_503_naming_it(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["broker"]
    assert body["components"]["broker"]["ok"] is False
    assert body["components"]["database"]["ok"] is True


def test_failing_storage_is_named(client, db, local_broker, monkeypatch):
    def broken_save(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(health.default_storage, "save", broken_save)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]
    assert response.json()["components"]["storage"]["error"] == "PermissionError"


def test_storage_check_leaves_no_file(db, local_broker, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    health.check_storage()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
