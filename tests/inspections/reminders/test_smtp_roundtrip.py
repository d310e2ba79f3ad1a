"""A real SMTP round trip (aiosmtpd on 127.0.0.1): headers, language, links, attachments."""

from __future__ import annotations

import csv
import io
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from inspections.models import AlarmDeviceState, ComplianceSnapshot, Notification
from inspections.services.notifications import deliver
from inspections.services.reminders.sweep import run_sweep
from inspections.services.summaries import record_summaries
from tests.conftest import file_bytes

from .conftest import TODAY, make_manager


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for rcpt, m in self.messages if address in rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.PUBLIC_BASE_URL = "https://pccc.example.vn"
    yield inbox
    controller.stop()


def parts(msg) -> dict[str, str]:
    return {
        p.get_content_type(): p.get_content()
        for p in msg.walk()
        if p.get_content_type() in ("text/plain", "text/html")
    }


def test_reminders_over_smtp_in_each_users_language(world, smtp, client):
    run_sweep(today=TODAY)
    vi = [m for m in smtp.to("head@test.vn") if "Hạn khắc phục vi phạm" in m["Subject"]]
    en = [m for m in smtp.to("head-en@test.vn") if "Remediation deadline" in m["Subject"]]
    assert len(vi) == 1 and len(en) == 1
    msg = vi[0]
    body = parts(msg)
    assert "Karaoke Hoàn Kiếm" in msg["Subject"]
    assert "Việc cần làm" in body["text/plain"] and "khoản 3 Điều 8" in body["text/plain"]
    assert f"https://pccc.example.vn/findings/{world['finding'].pk}/" in body["text/html"]
    assert parts(en[0])["text/plain"].count("By when") == 1

    # One-click unsubscribe: the header URL is a POST target that needs no login.
    unsub = str(msg["List-Unsubscribe"]).strip().strip("<>")
    assert unsub.startswith("https://pccc.example.vn/unsubscribe/"), repr(unsub)
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsub.removeprefix("https://pccc.example.vn")
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    # A legal deadline is moved to the digest, never switched off.
    pref = world["head"].notification_preferences.get(kind="finding_deadline")
    assert pref.mode == "digest"
    assert client.post(path[:-5] + "xxxx/").status_code == 400  # tampered token


@pytest.fixture
def summary_world(world, published_catalogue):
    from inspections.services.obligations import refresh_obligations
    from tests import factories as f

    connected = f.PremisesFactory(
        name="Khách sạn Tràng Tiền",
        occupancy_category="hotel",
        floors=8,
        alarm_device_state=AlarmDeviceState.CONNECTED,
        fire_data_declared_on=TODAY - timedelta(days=40),
    )
    for p in (world["premises"], connected):
        refresh_obligations(p, on=TODAY)
    make_manager(world["authority"], "manager-en@test.vn", language="en")
    return world


def test_weekly_summary_with_pdf_xlsx_csv(summary_world, smtp):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    ids = record_summaries(period="weekly", today=TODAY)
    assert len(ids) == 2  # two managers
    for pk in ids:
        assert deliver(pk).status == "sent"
    assert record_summaries(period="weekly", today=TODAY) == []  # beat fired twice: no resend

    msg = smtp.to("manager@test.vn")[0]
    assert "Báo cáo tổng hợp tuân thủ PCCC tuần 16/11–22/11/2026" in msg["Subject"]
    assert str(msg["List-Unsubscribe"]).strip().startswith("<https://pccc.example.vn/unsubscribe/")
    text = parts(msg)["text/plain"]
    assert "Lộ trình thiết bị truyền tin báo cháy (hạn 01/07/2027): 1/2" in text
    attachments = {a.get_filename(): a for a in msg.iter_attachments()}
    names = sorted(attachments)
    assert [n.rsplit(".", 1)[1] for n in names] == ["csv", "pdf", "xlsx"]

    pdf = next(a for n, a in attachments.items() if n.endswith(".pdf")).get_content()
    assert pdf.startswith(b"%PDF")
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Phường Hoàn Kiếm" in pdf_text and "Lộ trình" in pdf_text
    # The roadmap chart is drawn (inline SVG), its words are text in the PDF.
    assert "Tỉ lệ cơ sở thuộc diện đã kết nối thiết bị truyền tin báo cháy (%)" in pdf_text

    xlsx = next(a for n, a in attachments.items() if n.endswith(".xlsx")).get_content()
    wb = load_workbook(io.BytesIO(xlsx), read_only=True)
    assert wb.sheetnames == ["Xã, phường", "Cơ sở"]
    premises_rows = list(wb["Cơ sở"].iter_rows(values_only=True))
    assert {r[1] for r in premises_rows[1:]} == {"Karaoke Hoàn Kiếm", "Khách sạn Tràng Tiền"}

    raw_csv = next(a for n, a in attachments.items() if n.endswith(".csv")).get_content()
    if isinstance(raw_csv, bytes):
        raw_csv = raw_csv.decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw_csv.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Mã", "Tên", "Loại"] and len(rows) == 3

    english = smtp.to("manager-en@test.vn")[0]
    assert "Fire-safety compliance summary" in english["Subject"]
    assert (
        "Alarm-transmission roadmap (deadline 01/07/2027): 1 of 2" in parts(english)["text/plain"]
    )
    assert {Notification.objects.get(pk=pk).status for pk in ids} == {"sent"}


def test_trend_since_the_last_summary(summary_world):
    record_summaries(period="weekly", today=TODAY - timedelta(days=7))
    from inspections.services.premises import update_premises_facts

    # Through the service, as the portal does: the summary counters follow the change.
    update_premises_facts(
        summary_world["premises"],
        user=None,
        changes={
            "alarm_device_state": AlarmDeviceState.CONNECTED,
            "fire_data_declared_on": TODAY - timedelta(days=3),
        },
        source="portal",
    )
    record_summaries(period="weekly", today=TODAY)
    older, newer = ComplianceSnapshot.objects.order_by("period_end")
    assert (older.connected_share, newer.connected_share) == (0.5, 1.0)
    assert newer.figures["previous_share"] == 0.5


def test_a_summary_too_large_to_attach_is_linked(summary_world, smtp, settings, tmp_path, client):
    from django.test import Client

    from tests import factories as f

    settings.MEDIA_ROOT = str(tmp_path)
    settings.SUMMARY_ATTACHMENT_MAX_BYTES = 1000  # any real summary is larger
    ids = record_summaries(period="weekly", today=TODAY)
    for pk in ids:
        assert deliver(pk).status == "sent"

    msg = smtp.to("manager@test.vn")[0]
    assert list(msg.iter_attachments()) == []
    text = parts(msg)["text/plain"]
    assert "Tệp quá lớn để đính kèm" in text
    links = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("  PDF: ")]
    path = links[0].removeprefix("https://pccc.example.vn")
    assert "Too large to attach" in parts(smtp.to("manager-en@test.vn")[0])["text/html"]

    manager = summary_world["manager"]
    assert client.get(path).status_code == 302  # to the login page
    client.force_login(manager)
    response = client.get(path)
    assert response.status_code == 200
    assert file_bytes(response).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith('attachment; filename="pccc-weekly-')
    xlsx = client.get(path.replace(".pdf", ".xlsx"))
    assert xlsx.status_code == 200

    # Only the recipient downloads them; anyone else logged in is told nothing exists.
    other = Client()
    other.force_login(f.UserFactory(email="manager-en-2@test.vn"))
    assert other.get(path).status_code == 404
    assert client.get(path.replace(".pdf", ".exe")).status_code == 404


def test_linked_summary_files_are_purged_after_the_keep_period(summary_world, settings, tmp_path):
    from django.core.files.storage import default_storage

    from inspections.services.summary_delivery import purge_summary_files, summary_file_path

    settings.MEDIA_ROOT = str(tmp_path)
    settings.SUMMARY_ATTACHMENT_MAX_BYTES = 1000
    settings.SUMMARY_FILES_KEEP_DAYS = 90
    old, new = record_summaries(period="weekly", today=TODAY)
    for pk in (old, new):
        deliver(pk)
    Notification.objects.filter(pk=old).update(created_at=timezone.now() - timedelta(days=91))

    assert purge_summary_files() == 1
    gone, kept = Notification.objects.get(pk=old), Notification.objects.get(pk=new)
    assert not default_storage.exists(summary_file_path(gone, "pdf"))
    assert default_storage.exists(summary_file_path(kept, "pdf"))
    assert purge_summary_files() == 0
