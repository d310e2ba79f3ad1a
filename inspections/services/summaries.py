"""Scheduled compliance summaries for managers: snapshot, notification rows, e-mail with files.

Recording is idempotent: one ComplianceSnapshot per (authority, period kind, period end) and
one Notification row per manager on the usual unique key, so beat firing twice, or a task
retried, sends each summary once. The e-mail carries the figures of the snapshot (so the trend
compares like with like), a PDF with a chart, and the underlying rows as CSV and XLSX.
"""

from __future__ import annotations

import base64
import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Authority, Membership
from inspections.dates import format_date
from inspections.exports import safe_cell
from inspections.models import (
    Channel,
    ComplianceSnapshot,
    Delivery,
    Notification,
    WebhookEndpoint,
)
from inspections.selectors.compliance import (
    Period,
    compliance_summary,
    period_ending_before,
    premises_rows,
)
from inspections.services import notifications as notes

KIND_BY_PERIOD = {"weekly": "summary_weekly", "monthly": "summary_monthly"}

KIND_LABELS = {
    "establishment": ("Cơ sở", "Establishments"),
    "home": ("Nhà ở", "Homes"),
    "home_business": ("Nhà ở kết hợp SXKD", "Homes with a business"),
    "construction_site": ("Công trình đang thi công", "Construction sites"),
    "vehicle": ("Phương tiện", "Vehicles"),
}


def roadmap_deadline() -> str | None:
    """The alarm-transmission deadline of the published catalogue (a decree parameter)."""
    from inspections.selectors.catalogue import current_version, parameters_of

    version = current_version()
    if version is None:
        return None
    value = parameters_of(version).get("roadmap.alarm_transmission_deadline")
    return str(value) if value else None


def take_snapshot(authority: Authority, period: Period) -> ComplianceSnapshot:
    """The period's figures, computed once; later calls return the stored snapshot."""
    existing = ComplianceSnapshot.objects.filter(
        authority=authority, period=period.kind, period_end=period.end
    ).first()
    if existing:
        return existing
    summary = compliance_summary(authority, period)
    figures = summary.figures()
    figures["authority"] = {"id": authority.pk, "name": authority.name}
    figures["roadmap_deadline"] = roadmap_deadline()
    figures["previous_period_end"] = (
        summary.previous_period_end.isoformat() if summary.previous_period_end else None
    )
    snapshot, _ = ComplianceSnapshot.objects.get_or_create(
        authority=authority,
        period=period.kind,
        period_end=period.end,
        defaults={
            "period_start": period.start,
            "obligated_premises": summary.total.roadmap_obligated,
            "connected_premises": summary.total.roadmap_connected,
            "figures": figures,
        },
    )
    return snapshot


def record_summaries(*, period: str, today: date | None = None) -> list[int]:
    """Snapshot every authority with managers and record one summary row per manager."""
    today = today or timezone.localdate()
    p = period_ending_before(period, today)
    kind = KIND_BY_PERIOD[period]
    managers: dict[int, list[int]] = {}
    for aid, uid in Membership.objects.filter(
        role__in=(Membership.Role.MANAGER, Membership.Role.ADMIN), user__is_active=True
    ).values_list("authority_id", "user_id"):
        managers.setdefault(aid, []).append(uid)
    hooks: dict[int, list[WebhookEndpoint]] = {}
    for hook in WebhookEndpoint.objects.filter(active=True):
        hooks.setdefault(hook.authority_id, []).append(hook)

    rows: list[Notification] = []
    for authority in Authority.objects.filter(pk__in=set(managers) | set(hooks)).order_by("pk"):
        snapshot = take_snapshot(authority, p)
        payload = {
            "kind": kind,
            "snapshot_id": snapshot.pk,
            "authority_id": authority.pk,
            "authority_name": authority.name,
            "title_vi": f"Báo cáo tổng hợp tuân thủ PCCC {p.label_vi} — {authority.name}",
            "title_en": f"Fire-safety compliance summary, {p.label_en} — {authority.name}",
            "due_on": p.end.isoformat(),
            "link": ["portal:dashboard", []],
            "figures": snapshot.figures,
        }
        uids = sorted(set(managers.get(authority.pk, ())))
        modes = notes.modes_for(uids, {kind})
        for uid in uids:
            if modes[(uid, kind)] == Delivery.OFF:
                continue
            rows.append(
                Notification(
                    kind=kind,
                    subject_key=f"authority:{authority.pk}",
                    due_on=p.end,
                    stage=p.kind,
                    channel=Channel.EMAIL,
                    recipient_key=f"user:{uid}",
                    user_id=uid,
                    # A summary has attachments: it is never folded into the text digest.
                    delivery=Delivery.IMMEDIATE,
                    payload=payload,
                )
            )
        for hook in hooks.get(authority.pk, ()):
            if hook.wants(kind):
                rows.append(
                    Notification(
                        kind=kind,
                        subject_key=f"authority:{authority.pk}",
                        due_on=p.end,
                        stage=p.kind,
                        channel=Channel.WEBHOOK,
                        recipient_key=f"webhook:{hook.pk}",
                        webhook_id=hook.pk,
                        delivery=Delivery.IMMEDIATE,
                        payload=payload,
                    )
                )
    return notes.record(rows).to_send


# --- Rendering -----------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def view_model(figures: dict[str, Any], lang: str) -> dict[str, Any]:
    """Figures with the derived shares and labels the templates show."""

    def ward(w: dict[str, Any]) -> dict[str, Any]:
        share = w["roadmap_connected"] / w["roadmap_obligated"] if w["roadmap_obligated"] else None
        ob = w["obligations_met"] / w["obligations_total"] if w["obligations_total"] else None
        kinds = [
            (KIND_LABELS.get(k, (k, k))[0 if lang == "vi" else 1], n)
            for k, n in sorted(w["premises_by_kind"].items())
        ]
        return {**w, "roadmap_share": _pct(share), "obligations_share": _pct(ob), "kinds": kinds}

    total = ward(figures["total"])
    t = figures["total"]
    share = t["roadmap_connected"] / t["roadmap_obligated"] if t["roadmap_obligated"] else None
    prev = figures.get("previous_share")
    trend = None if prev is None or share is None else share - prev
    return {
        "wards": [ward(w) for w in figures["wards"]],
        "total": total,
        "trend": None if trend is None else f"{trend * 100:+.1f}",
        "previous_share": _pct(prev),
        # Shown dd/mm/yyyy in both languages; stored ISO in the figures.
        "previous_period_end": format_date(date.fromisoformat(figures["previous_period_end"]))
        if figures.get("previous_period_end")
        else None,
        "period": figures["period"],
        "roadmap_deadline": date.fromisoformat(figures["roadmap_deadline"])
        if figures.get("roadmap_deadline")
        else None,
    }


def roadmap_chart_png(figures: dict[str, Any], lang: str) -> bytes:
    """Bar chart: share of obligated premises with a connected device, per ward (matplotlib)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    wards = [w for w in figures["wards"] if w["roadmap_obligated"]][:30]
    names = [w["ward_name"] or str(w["ward_code"]) for w in wards] or ["—"]
    shares = [100 * w["roadmap_connected"] / w["roadmap_obligated"] for w in wards] or [0]
    fig, ax = plt.subplots(figsize=(7, max(1.6, 0.35 * len(names) + 1)), dpi=110)
    try:
        ax.barh(names, shares, color="#c62828")
        ax.set_xlim(0, 100)
        ax.set_xlabel(
            "% cơ sở thuộc diện đã kết nối thiết bị truyền tin báo cháy"
            if lang == "vi"
            else "% of obligated premises with a connected alarm-transmission device"
        )
        ax.invert_yaxis()
        for i, v in enumerate(shares):
            ax.text(min(v + 1, 92), i, f"{v:.0f}%", va="center", fontsize=8)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    finally:
        plt.close(fig)
    return buf.getvalue()


def summary_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    from inspections.pdf.render import FONTS_DIR

    html = render_to_string(
        "pdf/compliance_summary.html", {**context, "fonts_dir": FONTS_DIR.as_uri()}
    )
    return HTML(string=html, base_url=str(FONTS_DIR)).write_pdf()


CSV_HEADER = (
    ("id", "Mã", "ID"),
    ("name", "Tên", "Name"),
    ("kind_label", "Loại", "Kind"),
    ("occupancy_category", "Loại hình", "Occupancy"),
    ("ward_code", "Mã xã/phường", "Ward code"),
    ("ward_name", "Xã/phường", "Ward"),
    ("alarm_device_state", "Thiết bị truyền tin", "Alarm device"),
    ("fire_data_declared_on", "Ngày khai báo dữ liệu", "Fire data declared"),
    ("roadmap_obligated", "Thuộc diện lộ trình 2027", "Roadmap obligated"),
    ("insurance_expires_on", "Hết hạn bảo hiểm", "Insurance expires"),
    ("last_drill_on", "Thực tập gần nhất", "Last drill"),
    ("last_self_inspection_on", "Tự kiểm tra gần nhất", "Last self-inspection"),
    ("findings_open", "Vi phạm chưa khắc phục", "Open findings"),
    ("findings_overdue", "Vi phạm quá hạn", "Overdue findings"),
    ("obligations_met", "Nghĩa vụ đã đáp ứng", "Obligations met"),
    ("obligations_total", "Tổng nghĩa vụ", "Obligations"),
)

WARD_HEADER = (
    ("ward_code", "Mã xã/phường", "Ward code"),
    ("ward_name", "Xã/phường", "Ward"),
    ("premises_total", "Số cơ sở", "Premises"),
    ("inspections_planned", "Kiểm tra theo kế hoạch", "Inspections planned"),
    ("inspections_done", "Kiểm tra đã thực hiện", "Inspections done"),
    ("findings_open", "Vi phạm chưa khắc phục", "Open findings"),
    ("findings_closed", "Vi phạm đã đóng trong kỳ", "Findings closed"),
    ("findings_overdue", "Vi phạm quá hạn", "Overdue findings"),
    ("obligations_met", "Nghĩa vụ đã đáp ứng", "Obligations met"),
    ("obligations_total", "Tổng nghĩa vụ", "Obligations"),
    ("roadmap_obligated", "Thuộc diện lộ trình 2027", "Roadmap obligated"),
    ("roadmap_connected", "Đã kết nối", "Connected"),
)


def _cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    # Names and addresses are typed by people: neutralise formulas in both CSV and XLSX.
    return safe_cell(value)


def spreadsheets(
    authority: Authority, period: Period, figures: dict[str, Any], lang: str
) -> tuple[bytes, bytes]:
    """(CSV of premises rows, XLSX with a ward sheet and a premises sheet), streamed rows."""
    from openpyxl import Workbook

    col = 1 if lang == "vi" else 2
    text = io.StringIO()
    text.write("\ufeff")  # Excel opens UTF-8 CSV with diacritics only with a BOM
    writer = csv.writer(text)
    writer.writerow([h[col] for h in CSV_HEADER])
    wb = Workbook(write_only=True)
    wards = wb.create_sheet("Xã, phường" if lang == "vi" else "Wards")
    wards.append([_cell(h[col]) for h in WARD_HEADER])
    for w in figures["wards"]:
        wards.append([_cell(w.get(h[0])) for h in WARD_HEADER])
    sheet = wb.create_sheet("Cơ sở" if lang == "vi" else "Premises")
    sheet.append([h[col] for h in CSV_HEADER])
    for row in premises_rows(authority, period):
        values = [_cell(row.get(h[0])) for h in CSV_HEADER]
        writer.writerow(values)
        sheet.append(values)
    out = io.BytesIO()
    wb.save(out)
    return text.getvalue().encode("utf-8"), out.getvalue()


def build_summary_email(n: Notification) -> EmailMultiAlternatives:
    from inspections.services.transports import _headers, _lang, portal_url, render_email

    user = n.user
    lang = _lang(user)
    payload = n.payload
    figures = payload["figures"]
    authority = Authority.objects.get(pk=payload["authority_id"])
    per = figures["period"]
    period = Period(per["kind"], date.fromisoformat(per["start"]), date.fromisoformat(per["end"]))
    vm = view_model(figures, lang)
    chart = roadmap_chart_png(figures, lang)
    headers, unsub = _headers(user, n.kind)
    context = {
        "user": user,
        "authority": authority,
        "title": payload.get(f"title_{lang}") or payload["title_vi"],
        "period_label": period.label_vi if lang == "vi" else period.label_en,
        "s": vm,
        "url": portal_url(*payload.get("link", ["portal:dashboard", []])),
        "unsubscribe_url": unsub,
        "preferences_url": portal_url("portal:notification_preferences"),
        "generated_at": timezone.localtime(),
    }
    with translation.override(lang):
        pdf = summary_pdf(
            {
                **context,
                "lang": lang,
                "chart_src": "data:image/png;base64," + base64.b64encode(chart).decode(),
            }
        )
    csv_bytes, xlsx_bytes = spreadsheets(authority, period, figures, lang)
    stem = summary_stem(n)
    files = {
        "pdf": (f"{stem}.pdf", pdf),
        "xlsx": (f"{stem}.xlsx", xlsx_bytes),
        "csv": (f"{stem}.csv", csv_bytes),
    }
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


SUMMARY_FILE_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def summary_file_path(n: Notification, ext: str) -> str:
    return f"summaries/{n.pk}/summary.{ext}"


def _store_summary_files(n: Notification, files: dict[str, tuple[str, bytes]]) -> dict[str, str]:
    """Save the files under the notification (a resend overwrites them) and return the links
    the recipient downloads them from after logging in."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from inspections.services.transports import portal_url

    links = {}
    for ext, (_name, data) in files.items():
        path = summary_file_path(n, ext)
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(data))
        links[ext] = portal_url("portal:summary_file", [n.pk, ext])
    return links


def summary_stem(n: Notification) -> str:
    """File name stem: kind, period end and authority, e.g. pccc-weekly-2026-11-22-3."""
    per = n.payload["figures"]["period"]
    return f"pccc-{per['kind']}-{per['end']}-{n.payload['authority_id']}"


def purge_summary_files(*, now: datetime | None = None) -> int:
    """Delete linked summary files older than ``SUMMARY_FILES_KEEP_DAYS``; how many folders went.

    Works on any storage that lists directories (local files, S3).
    """
    from django.core.files.storage import default_storage

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
