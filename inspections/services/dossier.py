"""The fire-safety dossier: file generated forms, upload and remove documents, purge, retention."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.models import DossierDocument, DossierItem, FormDocument, Premises, Report
from inspections.rules.images import ImageRejected, inspect_image

from .errors import Conflict, Invalid, TooLarge

logger = logging.getLogger(__name__)

# Documents are recognised by their first bytes, never by the name or the browser's type.
_PDF_MAGIC = b"%PDF-"
_IMAGE_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
TITLE_LIMIT = 255

_REPORT_ITEM = {
    Report.Form.PC02: DossierItem.G,
    Report.Form.PC03: DossierItem.M,
    Report.Form.INSPECTION_RECORD: DossierItem.M,
}
_FORM_ITEM = {FormDocument.Form.PC01: DossierItem.A, FormDocument.Form.PC04: DossierItem.H}


def _local_date(moment) -> date:
    return timezone.localtime(moment).date() if moment else timezone.localdate()


# --- Generated documents -------------------------------------------------------------------


def file_signed_report(report: Report) -> DossierDocument:
    """Put a signed PC02 (item g) or PC03 (item m) in the premises' dossier, once."""
    inspection = report.inspection
    item = _REPORT_ITEM[report.form]
    title = (
        _("Biên bản tự kiểm tra về phòng cháy, chữa cháy")
        if item == DossierItem.G
        else _("Biên bản kiểm tra về phòng cháy, chữa cháy")
    )
    if inspection.number:
        title = f"{title} {inspection.number}"
    document, _created = DossierDocument.objects.get_or_create(
        report=report,
        defaults={
            "premises_id": inspection.premises_id,
            "item": item,
            "title": title[:TITLE_LIMIT],
            "made_on": _local_date(inspection.ended_at or report.signed_at),
            "origin": DossierDocument.Origin.GENERATED,
            "sha256": report.sha256,
            "content_type": "application/pdf",
        },
    )
    return document


def file_signed_form(form: FormDocument) -> DossierDocument:
    """Put a signed PC01 (item a) or PC04 (item h) in the premises' dossier, once."""
    item = _FORM_ITEM[form.form]
    title = str(form.get_form_display())
    if form.period_end:
        title = _("%(form)s, kỳ đến ngày %(end)s") % {
            "form": title,
            "end": form.period_end.strftime("%d/%m/%Y"),
        }
    document, _created = DossierDocument.objects.get_or_create(
        form_document=form,
        defaults={
            "premises_id": form.premises_id,
            "item": item,
            "title": title[:TITLE_LIMIT],
            "made_on": _local_date(form.signed_at),
            "origin": DossierDocument.Origin.GENERATED,
            "sha256": form.sha256,
            "content_type": "application/pdf",
        },
    )
    return document


# --- Uploads -------------------------------------------------------------------------------


def sniff_document(data: bytes) -> tuple[str, str]:
    """(content type, extension) of a PDF or a photo of a paper document, by its bytes."""
    if data.startswith(_PDF_MAGIC):
        return "application/pdf", "pdf"
    try:
        info = inspect_image(data, max_pixels=settings.PHOTO_MAX_PIXELS)
    except ImageRejected as exc:
        msg = _("Chỉ chấp nhận tài liệu PDF hoặc ảnh (JPEG, PNG, WebP).")
        raise Invalid("dossier_file_type", msg, fields={"file": [msg]}) from exc
    return info.content_type, _IMAGE_EXT[info.content_type]


def upload_dossier_document(
    *,
    user: User,
    premises: Premises,
    item: str,
    title: str,
    made_on: date,
    data: bytes,
    original_name: str = "",
) -> DossierDocument:
    """The head (or a manager of the jurisdiction) adds a document to an item of the dossier."""
    if not access.can_edit_dossier(user, premises):
        raise PermissionDenied
    fields: dict[str, list[str]] = {}
    if item not in DossierItem.values:
        fields["item"] = [_("Mục hồ sơ không hợp lệ.")]
    if not title.strip():
        fields["title"] = [_("Trường này là bắt buộc.")]
    if made_on > timezone.localdate():
        fields["made_on"] = [_("Ngày lập không được ở tương lai.")]
    if not data:
        fields["file"] = [_("Tệp trống.")]
    if fields:
        raise Invalid("dossier_invalid", _("Tài liệu chưa hợp lệ."), fields=fields)
    if len(data) > settings.DOSSIER_MAX_BYTES:
        msg = _("Tệp lớn hơn %(mb)d MB.") % {"mb": settings.DOSSIER_MAX_BYTES // (1024 * 1024)}
        raise TooLarge("dossier_too_large", msg, fields={"file": [msg]})
    content_type, ext = sniff_document(data)
    sha256 = hashlib.sha256(data).hexdigest()
    document = DossierDocument(
        premises=premises,
        item=item,
        title=title.strip()[:TITLE_LIMIT],
        made_on=made_on,
        origin=DossierDocument.Origin.UPLOADED,
        sha256=sha256,
        size=len(data),
        content_type=content_type,
        original_name=original_name[:255],
        uploaded_by=user,
    )
    document.file.save(f"{sha256}.{ext}", ContentFile(data), save=False)
    document.save()
    return document


# --- Removal and retention -----------------------------------------------------------------


def refuse_if_retained(document: DossierDocument, *, today: date | None = None) -> None:
    """Decree 105 Art. 4.4: items g, h, i, l, n stay at least 5 years from the year made."""
    today = today or timezone.localdate()
    if document.is_retained_on(today):
        msg = _(
            "Tài liệu thuộc mục %(item)s phải lưu trữ tối thiểu 05 năm kể từ năm lập "
            "(khoản 4 Điều 4 Nghị định 105/2025/NĐ-CP): chưa được xóa trước ngày %(until)s."
        ) % {
            "item": document.item,
            "until": (document.retained_until + timedelta(days=1)).strftime("%d/%m/%Y"),
        }
        raise Conflict("dossier_retained", msg)


def delete_dossier_document(
    *, user: User, document: DossierDocument, today: date | None = None
) -> DossierDocument:
    """Remove an uploaded document from the dossier (the file is purged later).

    Refused while the decree's retention runs, and for generated forms and minutes, which are
    the signed record of what happened.
    """
    if not access.can_edit_dossier(user, document.premises):
        raise PermissionDenied
    with transaction.atomic():
        locked = DossierDocument.objects.select_for_update().get(pk=document.pk)
        if locked.deleted_at is not None:
            return locked  # already removed: the repeat changes nothing
        refuse_if_retained(locked, today=today)
        if locked.origin == DossierDocument.Origin.GENERATED:
            raise Conflict(
                "dossier_generated",
                _("Biên bản, biểu mẫu do hệ thống lập và ký không xóa được khỏi hồ sơ."),
            )
        locked.deleted_at = timezone.now()
        locked.deleted_by = user
        locked.save(update_fields=["deleted_at", "deleted_by"])
    return locked


def purge_deleted_dossier_documents(*, now=None, today: date | None = None) -> int:
    """Delete the files of documents removed more than the grace period ago.

    Checks retention again on every row: a document still under Art. 4.4 is never purged,
    whatever put it in the deleted state.
    """
    now = now or timezone.now()
    today = today or timezone.localdate()
    cutoff = now - timedelta(days=settings.DOSSIER_DELETED_KEEP_DAYS)
    purged = 0
    rows = DossierDocument.objects.filter(
        deleted_at__lt=cutoff, origin=DossierDocument.Origin.UPLOADED
    ).order_by("pk")
    for document in rows.iterator():
        if document.is_retained_on(today):
            logger.warning("dossier document %s is retained; not purged", document.pk)
            continue
        name = document.file.name
        document.delete()
        if name and not DossierDocument.objects.filter(file=name).exists():
            document.file.storage.delete(name)
        purged += 1
    return purged
