"""Download of a compliance summary's files when they were too large to attach to the e-mail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from config.private_files import serve_private_file
from inspections import access
from inspections.services.summary_delivery import (
    SUMMARY_FILE_TYPES,
    summary_file_path,
    summary_stem,
)


@login_required
def summary_file(request: HttpRequest, pk: int, ext: str) -> HttpResponse:
    notification = access.access_summary(request.user, pk)
    if ext not in SUMMARY_FILE_TYPES:
        raise Http404
    return serve_private_file(
        request,
        summary_file_path(notification, ext),
        download_name=f"{summary_stem(notification)}.{ext}",
        content_type=SUMMARY_FILE_TYPES[ext],
    )
