"""Celery tasks: thin wrappers that call services. Each is idempotent and safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def purge_consumed_broker_messages() -> int:
    """Delete consumed rows of the embedded SQLite broker (kombu keeps them forever)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith("sqla+sqlite:///"):
        return 0
    import sqlite3

    path = url.removeprefix("sqla+sqlite:///")
    with sqlite3.connect(path, timeout=20) as conn:
        try:
            cur = conn.execute("DELETE FROM kombu_message WHERE visible = 0")
        except sqlite3.OperationalError:  # table not created yet
            return 0
        deleted = cur.rowcount
    logger.info("purged %s consumed broker messages", deleted)
    return deleted
