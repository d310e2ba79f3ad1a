"""Request id: set from nginx's X-Request-ID (or generated), logged, and carried into tasks.

A support call quotes the id shown in the response header; grep the JSON logs of web and
workers for it and see the request and everything it queued (PDF signing, e-mails).
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        # A client could send anything: keep only a well-formed id, never log raw input.
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        # Not reset on the way out: Django logs 4xx/5xx responses after the middleware chain
        # returns; request_finished clears it once the response is closed.
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@request_finished.connect
def _request_done(**kwargs) -> None:
    current_request_id.set("-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


@before_task_publish.connect
def _stamp_task(headers: dict | None = None, **kwargs) -> None:
    # A task queued by another task keeps the original request's id.
    if headers is not None and current_request_id.get() != "-":
        headers.setdefault("request_id", current_request_id.get())


_task_tokens: dict[str, contextvars.Token] = {}


@task_prerun.connect
def _enter_task(task_id: str, task, **kwargs) -> None:
    request_id = getattr(task.request, "request_id", None) or f"task-{task_id}"
    _task_tokens[task_id] = current_request_id.set(request_id)


@task_postrun.connect
def _leave_task(task_id: str, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        current_request_id.reset(token)
