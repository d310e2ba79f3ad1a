"""Records every task that failed for good, and queues one again on the administrator's demand.

A retry in progress is not a failure: Celery signals ``task_failure`` only once the task
raised and will not be retried. Recording is best effort: a database outage must not hide the
original error in the worker's log.
"""

from __future__ import annotations

import logging
import traceback as tb

from celery import current_app
from celery.signals import task_failure
from django.db import DatabaseError
from django.utils import timezone

from ops.models import FailedTask

logger = logging.getLogger(__name__)


def _jsonable(value):
    import json

    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value


@task_failure.connect
def record_failed_task(
    sender=None, *, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **extra
) -> None:
    request = getattr(sender, "request", None)
    delivery = getattr(request, "delivery_info", None) or {}
    try:
        FailedTask.objects.update_or_create(
            task_id=task_id or "",
            defaults={
                "task_name": getattr(sender, "name", "") or "",
                "args": _jsonable(list(args or [])),
                "kwargs": _jsonable(dict(kwargs or {})),
                "queue": delivery.get("routing_key") or "",
                "request_id": getattr(request, "request_id", "") or "",
                "exception": f"{type(exception).__name__}: {exception}"[:2000],
                "traceback": (str(einfo) if einfo else "".join(tb.format_exception(exception)))[
                    :20000
                ],
                "requeued_at": None,
            },
        )
    except DatabaseError:
        logger.exception("could not record failed task %s", task_id)


def requeue_failed_task(failed: FailedTask) -> str:
    """Send the task again with its arguments (tasks are idempotent); returns the new id."""
    result = current_app.send_task(failed.task_name, args=failed.args, kwargs=failed.kwargs)
    FailedTask.objects.filter(pk=failed.pk).update(requeued_at=timezone.now())
    return result.id
