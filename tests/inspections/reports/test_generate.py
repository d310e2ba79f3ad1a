"""Generating the signed record: once, stored with its hash, retried, swept up when lost."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from inspections import tasks
from inspections.models import Inspection, Report
from inspections.pdf.verification import sha256_hex, verify_pdf
from inspections.selectors.reports import inspections_missing_reports, record_context_for
from inspections.services import reports as service

from ..pdf.helpers import pdfsig, pdftotext


def test_generate_stores_a_signed_valid_record_and_marks_the_inspection_signed(submitted):
    report = service.generate_report(submitted.pk)
    assert report.status == Report.Status.READY
    data = default_storage.open(report.file.name).read()
    assert sha256_hex(data) == report.sha256
    assert "DEVELOPMENT" in report.signer and report.signed_at is not None
    assert verify_pdf(data).valid
    assert "Signature is Valid" in pdfsig(data)
    text = " ".join(pdftotext(data).split())
    assert "BIÊN BẢN KIỂM TRA Về phòng cháy, chữa cháy" in text
    assert "Bình chữa cháy xách tay hết hạn kiểm định." in text
    assert "31/12/2026" in text
    assert report.verification_code in text
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.SIGNED


def test_running_twice_keeps_one_report_and_one_hash(submitted):
    first = service.generate_report(submitted.pk)
    second = service.generate_report(submitted.pk)
    assert Report.objects.filter(inspection=submitted).count() == 1
    assert (second.pk, second.sha256, second.file.name) == (first.pk, first.sha256, first.file.name)
    assert second.attempts == 1


def test_a_claimed_report_is_not_generated_by_a_second_worker(submitted):
    report = service.report_for(submitted)
    Report.objects.filter(pk=report.pk).update(claimed_at=timezone.now())
    with mock.patch.object(service, "render_and_sign") as render:
        result = service.generate_report(submitted.pk)
    render.assert_not_called()
    assert result.status == Report.Status.PENDING


def test_failure_is_recorded_with_reason_then_retry_succeeds(submitted):
    with (
        mock.patch.object(service, "render_record", side_effect=OSError("disk full")),
        pytest.raises(OSError),
    ):
        service.generate_report(submitted.pk)
    report = Report.objects.get(inspection=submitted)
    assert report.status == Report.Status.FAILED
    assert "disk full" in report.failure_reason
    assert report.claimed_at is None
    assert service.generate_report(submitted.pk).status == Report.Status.READY


def test_task_is_thin_and_idempotent(submitted):
    assert tasks.generate_inspection_report.run(submitted.pk) == "ready"
    assert tasks.generate_inspection_report.run(submitted.pk) == "ready"
    assert Report.objects.filter(inspection=submitted).count() == 1


def test_task_ignores_an_inspection_not_submitted(in_progress, signing_settings):
    assert tasks.generate_inspection_report.run(in_progress.pk) == "not_submitted"
    assert not Report.objects.filter(inspection=in_progress).exists()


def test_wrong_passphrase_fails_the_report_loudly_without_autoretry(submitted, settings):
    settings.SIGNING_P12_PASSPHRASE = "wrong"
    from inspections.pdf.errors import SigningConfigurationError

    assert SigningConfigurationError in tasks.generate_inspection_report.dont_autoretry_for
    with pytest.raises(SigningConfigurationError):
        tasks.generate_inspection_report.run(submitted.pk)
    report = Report.objects.get(inspection=submitted)
    assert report.status == Report.Status.FAILED
    assert "PASSPHRASE" in report.failure_reason


def test_sweep_requeues_lost_missing_stuck_and_retryable_reports(submitted):
    # Missing row (e.g. submitted before reports existed, or the row was lost).
    Report.objects.filter(inspection=submitted).delete()
    assert list(inspections_missing_reports()) == [submitted]
    with mock.patch.object(tasks.generate_inspection_report, "delay") as delay:
        assert tasks.sweep_missing_reports.run() == 1
    delay.assert_called_once_with(submitted.pk)

    report = service.report_for(submitted)
    assert list(inspections_missing_reports()) == []  # fresh pending row: give the queue time
    later = timezone.now() + timedelta(minutes=3)
    assert list(inspections_missing_reports(now=later)) == [submitted]  # lost message

    Report.objects.filter(pk=report.pk).update(claimed_at=timezone.now())
    assert list(inspections_missing_reports(now=later)) == []  # a worker is on it
    assert list(inspections_missing_reports(now=later + timedelta(minutes=10))) == [submitted]

    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.FAILED, claimed_at=None, attempts=5
    )
    assert list(inspections_missing_reports(now=later)) == []  # gave up: an operator looks
    Report.objects.filter(pk=report.pk).update(attempts=2)
    assert list(inspections_missing_reports(now=later)) == [submitted]

    service.generate_report(submitted.pk)
    assert list(inspections_missing_reports(now=later)) == []


def test_queue_report_enqueues_after_commit(submitted, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.generate_inspection_report, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = service.queue_report(submitted)
    assert report.status == Report.Status.PENDING
    delay.assert_called_once_with(submitted.pk)


def test_record_context_reads_in_constant_queries(submitted, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        ctx = record_context_for(submitted, verification_code="ABCDEFGHJKLM")
    assert ctx.form == "pc03"
    assert ctx.items and ctx.findings and ctx.photos
    assert {s.role for s in ctx.signatures} == {"inspector", "representative"}
    assert ctx.items[0].citations[0].label  # snapshot of the cited provision
    assert ctx.verification_url.endswith("/verify/ABCDEFGHJKLM/")


def test_self_inspection_gets_a_signed_pc02_with_the_heads_drawing(self_submitted):
    report = service.generate_report(self_submitted.pk)
    assert report.form == Report.Form.PC02
    data = default_storage.open(report.file.name).read()
    assert verify_pdf(data).valid
    assert "Signature is Valid" in pdfsig(data)
    text = " ".join(pdftotext(data).split())
    assert "BIÊN BẢN TỰ KIỂM TRA Về phòng cháy, chữa cháy" in text
    assert "Mẫu số PC02" in text
    assert "Lê Thị Chủ" in text
    # The visible signature widget carries the head's drawing as an image XObject.
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    widget = next(
        a.get_object()
        for a in reader.pages[-1]["/Annots"]
        if a.get_object().get("/FT") == "/Sig" or a.get_object().get("/Subtype") == "/Widget"
    )
    appearance = widget["/AP"]["/N"].get_object()
    assert "/XObject" in appearance["/Resources"] or b"Do" in appearance.get_data()


def test_render_report_command_writes_a_valid_pdf(submitted, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "record.pdf"
    call_command("render_report", "--demo", "--out", str(out))
    data = out.read_bytes()
    assert verify_pdf(data).valid
    assert "BIÊN BẢN KIỂM TRA Về phòng cháy, chữa cháy" in " ".join(pdftotext(data).split())
    # A support tool: the stored report (queued by submit) is untouched, its code is reused.
    report = Report.objects.get(inspection=submitted)
    assert (report.status, report.file.name, report.attempts) == (Report.Status.PENDING, "", 0)
    assert report.verification_code in " ".join(pdftotext(data).split())

    out_en = tmp_path / "record-en.pdf"
    call_command("render_report", str(submitted.pk), "--out", str(out_en), "--lang", "en")
    assert "INSPECTION RECORD" in " ".join(pdftotext(out_en.read_bytes()).split())


def test_demo_seed_signs_submitted_inspections_once(submitted):
    import io

    from inspections.demo import reports as demo

    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    assert "1 signed now" in out.getvalue() and "0 signed now, 1 ready" in out.getvalue()
    assert Report.objects.get(inspection=submitted).status == Report.Status.READY
