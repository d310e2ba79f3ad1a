"""``LOGGING``: one console handler, plain or JSON, with the request id in every line.

The request id (X-Request-ID from nginx, else generated) is in every log line of the request
and of the tasks it queues (``config/request_id.py``).
"""

from __future__ import annotations

from typing import Any


def logging_config(*, level: str, json: bool) -> dict[str, Any]:
    """The ``dictConfig`` of the application; ``json`` picks the console's formatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            },
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json else "plain",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "fontTools": {"level": "WARNING"},
            "weasyprint": {"level": "ERROR"},
            "axes": {"level": "WARNING"},
        },
    }
