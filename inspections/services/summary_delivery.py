"""A compliance summary's e-mail: figures, PDF with the roadmap chart, CSV and XLSX of the rows,
attached or (past a size) stored and linked; old linked files are purged."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation
from django.utils.translation import pgettext, pgettext_lazy

from accounts.models import Authority
from inspections.exports import csv_bytes, dataset, xlsx_bytes
from inspections.models import Notification
from inspections.pdf.summary import summary_pdf, view_model
from inspections.selectors.compliance import Period, premises_rows
from inspections.services.transports import _headers, _lang, portal_url, render_email

PREMISES_COLUMNS = (
    ("id", pgettext_lazy("summary column", "Mã")),
    ("name", pgettext_lazy("summary column", "Tên")),
    ("kind_label", pgettext_lazy("summary column", "Loại")),
    ("occupancy_category", pgettext_lazy("summary column", "Loại hình")),
    ("ward_code", pgettext_lazy("summary column", "Mã xã/phường")),
    ("ward_name", pgettext_lazy("summary column", "Xã/phường")),
    ("alarm_device_state", pgettext_lazy("summary column", "Thiết bị truyền tin")),
    ("fire_data_declared_on", pgettext_lazy("summary column", "Ngày khai báo dữ liệu")),
    ("roadmap_obligated", pgettext_lazy("summary column", "Thuộc diện lộ trình 2027")),
    ("insurance_expires_on", pgettext_lazy("summary column", "Hết hạn bảo hiểm")),
    ("last_drill_on", pgettext_lazy("summary column", "Thực tập gần nhất")),
    ("last_self_inspection_on", pgettext_lazy("summary column", "Tự kiểm tra gần nhất")),
    ("findings_open", pgettext_lazy("summary column", "Vi phạm chưa khắc phục")),
    ("findings_overdue", pgettext_lazy("summary column", "Vi phạm quá hạn")),
    ("obligations_met", pgettext_lazy("summary column", "Nghĩa vụ đã đáp ứng")),
    ("obligations_total", pgettext_lazy("summary column", "Tổng nghĩa vụ")),
)

WARD_COLUMNS = (
    ("ward_code", pgettext_lazy("summary column", "Mã xã/phường")),
    ("ward_name", pgettext_lazy("summary column", "Xã/phường")),
    ("premises_total", pgettext_lazy("summary column", "Số cơ sở")),
    ("inspections_planned", pgettext_lazy("summary column", "Kiểm tra theo kế hoạch")),
    ("inspections_done", pgettext_lazy("summary column", "Kiểm tra đã thực hiện")),
    ("findings_open", pgettext_lazy("summary column", "Vi phạm chưa khắc phục")),
    ("findings_closed", pgettext_lazy("summary column", "Vi phạm đã đóng trong kỳ")),
    ("findings_overdue", pgettext_lazy("summary column", "Vi phạm quá hạn")),
    ("obligations_met", pgettext_lazy("summary column", "Nghĩa vụ đã đáp ứng")),
    ("obligations_total", pgettext_lazy("summary column", "Tổng nghĩa vụ")),
    ("roadmap_obligated", pgettext_lazy("summary column", "Thuộc diện lộ trình 2027")),
    ("roadmap_connected", pgettext_lazy("summary column", "Đã kết nối")),
)

SUMMARY_FILE_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def spreadsheets(
    authority: Authority, period: Period, figures: dict[str, Any], lang: str
) -> tuple[bytes, bytes]:
    """(CSV of the premises rows, XLSX with a ward sheet and the same premises sheet)."""
    with translation.override(lang):
        premises = dataset(
            PREMISES_COLUMNS,
            premises_rows(authority, period),
            title=pgettext("summary sheet", "Cơ sở"),
        )
        wards = dataset(
            WARD_COLUMNS, figures["wards"], title=pgettext("summary sheet", "Xã, phường")
        )
    return csv_bytes(premises), xlsx_bytes(wards, premises)


def summary_stem(n: Notification) -> str:
    """File name stem: kind, period end and authority, e.g. pccc-weekly-2026-11-22-3."""
    per = n.payload["figures"]["period"]
    return f"pccc-{per['kind']}-{per['end']}-{n.payload['authority_id']}"


def summary_file_path(n: Notification, ext: str) -> str:
    return f"summaries/{n.pk}/summary.{ext}"


def summary_files(n: Notification, context: dict[str, Any], lang: str) -> dict[str, Any]:
    """{extension: (file name, bytes)} of the PDF, XLSX and CSV of the summary."""
    figures = n.payload["figures"]
    per = figures["period"]
    period = Period(per["kind"], date.fromisoformat(per["start"]), date.fromisoformat(per["end"]))
    with translation.override(lang):
        pdf = summary_pdf({**context, "lang": lang, "figures": figures})
    csv_data, xlsx_data = spreadsheets(context["authority"], period, figures, lang)
    stem = summary_stem(n)
    return {
        "pdf": (f"{stem}.pdf", pdf),
        "xlsx": (f"{stem}.xlsx", xlsx_data),
        "csv": (f"{stem}.csv", csv_data),
    }


def build_summary_email(n: Notification) -> EmailMultiAlternatives:
    user = n.user
    if user is None:  # the e-mail transport refuses such rows before building anything
        raise ValueError(f"summary notification {n.pk} has no recipient")
    lang = _lang(user)
    payload = n.payload
    per = payload["figures"]["period"]
    period = Period(per["kind"], date.fromisoformat(per["start"]), date.fromisoformat(per["end"]))
    headers, unsub = _headers(user, n.kind)
    context = {
        "user": user,
        "authority": Authority.objects.get(pk=payload["authority_id"]),
        "title": payload.get(f"title_{lang}") or payload["title_vi"],
        "period_label": period.label_vi if lang == "vi" else period.label_en,
        "s": view_model(payload["figures"], lang),
        "url": portal_url(*payload.get("link", ["portal:dashboard", []])),
        "unsubscribe_url": unsub,
        "preferences_url": portal_url("portal:notification_preferences"),
        "generated_at": timezone.localtime(),
    }
    files = summary_files(n, context, lang)
    links: dict[str, str] = {}
    if sum(len(data) for _name, data in files.values()) > settings.SUMMARY_ATTACHMENT_MAX_BYTES:
        links = _store_summary_files(n, files)
    subject, text, html = render_email("summary", {**context, "links": links}, lang)
    msg = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [user.email], headers=headers
    )
    msg.attach_alternative(html, "text/html")
    if not links:
        for ext, (name, data) in files.items():
            msg.attach(name, data, SUMMARY_FILE_TYPES[ext])
    return msg


def _store_summary_files(n: Notification, files: dict[str, tuple[str, bytes]]) -> dict[str, str]:
    """Save the files under the notification (a resend overwrites them) and return the links
    the recipient downloads them from after logging in."""
    links = {}
    for ext, (_name, data) in files.items():
        path = summary_file_path(n, ext)
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(data))
        links[ext] = portal_url("portal:summary_file", [n.pk, ext])
    return links


def purge_summary_files(*, now: datetime | None = None) -> int:
    """Delete linked summary files older than ``SUMMARY_FILES_KEEP_DAYS``; how many folders went.

    Works on any storage that lists directories (local files, S3).
    """
    if not default_storage.exists("summaries"):
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=settings.SUMMARY_FILES_KEEP_DAYS)
    folders = {int(d) for d in default_storage.listdir("summaries")[0] if d.isdigit()}
    recent = set(
        Notification.objects.filter(pk__in=folders, created_at__gte=cutoff).values_list(
            "pk", flat=True
        )
    )
    purged = 0
    for pk in sorted(folders - recent):
        names = default_storage.listdir(f"summaries/{pk}")[1]
        for name in names:
            default_storage.delete(f"summaries/{pk}/{name}")
        # A local storage keeps the empty folder; it is not counted again.
        purged += bool(names)
    return purged
