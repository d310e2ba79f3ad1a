"""Demo data, signed records: sign the submitted demo inspections now, so the portal and the API
show a ready record right after ``make demo`` (the worker would do it within seconds anyway)."""

from __future__ import annotations

from typing import TextIO

from inspections.models import Inspection, Report
from inspections.pdf.errors import SigningConfigurationError
from inspections.services.reports import generate_report

MAX_DEMO_REPORTS = 10


def seed(stdout: TextIO) -> None:
    pending = (
        Inspection.objects.filter(state=Inspection.State.SUBMITTED)
        .exclude(report__status=Report.Status.READY)
        .order_by("pk")[:MAX_DEMO_REPORTS]
    )
    done = 0
    for inspection in pending:
        try:
            report = generate_report(inspection.pk)
        except SigningConfigurationError as exc:
            stdout.write(f"reports: not signed ({exc})")
            return
        done += report.status == Report.Status.READY
    ready = Report.objects.filter(status=Report.Status.READY).count()
    stdout.write(f"reports: {done} signed now, {ready} ready in total")
