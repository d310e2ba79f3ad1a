"""The embedded broker (SQLAlchemy transport on SQLite) works with the project's options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kombu import Connection


def test_sqlite_broker_round_trip_with_polling_interval(tmp_path):
    url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    options = {"polling_interval": 0.1}
    with Connection(url, transport_options=options) as conn:
        assert conn.transport.polling_interval == 0.1
        queue = conn.SimpleQueue("pccc-test")
        queue.put({"premises": 42})
        message = queue.get(timeout=5)
        message.ack()
        assert message.payload == {"premises": 42}
        queue.close()


def _celery_settings(**env: str) -> dict:
    """The broker settings a fresh process derives from ``env`` (settings read it at import)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "limits = [a.get('time_limit', 0) for a in s.CELERY_TASK_ANNOTATIONS.values()]; "
        "print(json.dumps([s.CELERY_BROKER_URL, s.CELERY_BROKER_TRANSPORT_OPTIONS, max(limits)]))"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    environ.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    url, options, longest_task = json.loads(out.strip().splitlines()[-1])
    return {"url": url, "options": options, "longest_task": longest_task}


def test_without_redis_the_embedded_sqlite_broker_polls_often():
    broker = _celery_settings()
    assert broker["url"].startswith("sqla+sqlite:///")
    assert broker["options"] == {"polling_interval": 0.1}


def test_with_redis_a_message_outlives_the_longest_task():
    broker = _celery_settings(REDIS_URL="redis://127.0.0.1:6379/9")
    assert broker["url"] == "redis://127.0.0.1:6379/9"
    # acks_late: a message back in the queue before its task may end would run it twice.
    assert broker["options"]["visibility_timeout"] > broker["longest_task"] > 0
