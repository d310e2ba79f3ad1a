"""Download of a compliance summary's files when they were too large to attach to the e-mail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest

from inspections.models import Notification, NotificationKind
from inspections.services.summaries import (
    SUMMARY_FILE_TYPES,
    summary_file_path,
    summary_stem,
)

SUMMARY_KINDS = (NotificationKind.SUMMARY_WEEKLY, NotificationKind.SUMMARY_MONTHLY)


@login_required
def summary_file(request: HttpRequest, pk: int, ext: str) -> FileResponse:
    # Only the recipient: the e-mail went to them, and the files hold their jurisdiction's rows.
    notification = Notification.objects.filter(
        pk=pk, kind__in=SUMMARY_KINDS, user_id=request.user.pk
    ).first()
    if notification is None or ext not in SUMMARY_FILE_TYPES:
        raise Http404
    path = summary_file_path(notification, ext)
    if not default_storage.exists(path):
        raise Http404
    return FileResponse(
        default_storage.open(path, "rb"),
        as_attachment=True,
        filename=f"{summary_stem(notification)}.{ext}",
        content_type=SUMMARY_FILE_TYPES[ext],
    )
