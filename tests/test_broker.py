"""The embedded broker (SQLAlchemy transport on SQLite) works with the project's options."""

from __future__ import annotations

from django.conf import settings
from kombu import Connection

import config.celery  # noqa: F401  (registers the fixed "sqla" transport)


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


def test_embedded_default_uses_the_sqlite_broker():
    if not settings.REDIS_URL:
        assert settings.CELERY_BROKER_URL.startswith("sqla+sqlite:///")
