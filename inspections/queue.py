"""Enqueue Celery tasks by name: services queue work without importing the task modules
(which import the services), so services and tasks never import each other in a loop."""

from __future__ import annotations

from typing import Any

from celery import current_app


def task(name: str) -> Any:
    """The registered task ``name`` ("inspections.tasks.send_notification")."""
    app = current_app
    if name not in app.tasks:
        # A worker imports every app's tasks.py at start; a web process does it on first use.
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(name: str, *args: Any, **kwargs: Any) -> Any:
    """Queue ``name`` with these arguments (runs at once under ``task_always_eager``)."""
    return task(name).delay(*args, **kwargs)
