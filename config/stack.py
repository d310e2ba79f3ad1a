"""The services behind Django and Celery: the embedded default, or PostgreSQL and Redis.

Embedded default: a SQLite file, a file cache and a Celery broker on SQLite (kombu's SQLAlchemy
transport), all under ``var/``. ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to
Redis (broker and cache). ``config/settings.py`` reads the choice from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ


def database(env: environ.Env, var_dir: Path) -> dict[str, Any]:
    """``DATABASES["default"]``: ``DATABASE_URL``, else the SQLite file under ``var_dir``."""
    config: dict[str, Any] = env.db_url(
        "DATABASE_URL", default=f"sqlite:///{var_dir / 'db.sqlite3'}"
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Web, worker and beat share the file: IMMEDIATE transactions + WAL avoid "database is
        # locked" from deferred read-then-write transactions (measured in GUIDE.md).
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        config.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
        config["CONN_HEALTH_CHECKS"] = True
    return config


def caches(env: environ.Env, redis_url: str, var_dir: Path) -> dict[str, dict[str, Any]]:
    """``CACHES`` (throttling, locks): Redis when ``redis_url`` is set, else a file cache."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="pccc"),
            }
        }
    # A file cache is shared by every process of the embedded default (web, worker, beat).
    return {
        "default": {
            "BACKEND": "config.cache.FileCache",
            "LOCATION": str(var_dir / "cache"),
            # Sync keeps two entries per inspection version (items, answers); the default 300
            # entries would cull them while one inspector's full sync is still reading.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }


def celery_broker(
    redis_url: str, var_dir: Path, *, longest_task_seconds: int
) -> tuple[str, dict[str, float]]:
    """``CELERY_BROKER_URL`` and ``CELERY_BROKER_TRANSPORT_OPTIONS``."""
    if redis_url:
        # An unacknowledged message (acks_late) returns to the queue after this: longer than any
        # task may run, or a long task would be started twice.
        return redis_url, {"visibility_timeout": longest_task_seconds + 600}
    # kombu's filesystem transport loses messages under load (GUIDE.md); SQLAlchemy on SQLite
    # does not.
    return f"sqla+sqlite:///{var_dir / 'celery-broker.sqlite3'}", {"polling_interval": 0.1}
