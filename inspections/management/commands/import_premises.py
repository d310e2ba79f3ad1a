"""``manage.py import_premises FILE.csv``: bulk import of premises keyed by external_id."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspections.models import PremisesImport
from inspections.services.premises_csv import ImportFileError
from inspections.services.premises_import import RowError
from inspections.services.premises_import_jobs import (
    create_import_job,
    queue_import,
    run_import_job,
)


class Command(BaseCommand):
    help = (
        "Import premises from a CSV file (UTF-8, comma or semicolon separated). The whole file "
        "is checked first; valid rows are saved, invalid rows are listed with their line number. "
        "Re-running changes nothing (and repairs obligations lost by an interrupted import)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file with an external_id column")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="hand the import to the Celery worker and return (progress in the admin)",
        )

    def handle(self, *args, file: Path, queue: bool = False, **options) -> None:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        create = queue_import if queue else create_import_job
        try:
            job = create(user=None, file_name=file.name, raw=raw)
        except ImportFileError as exc:
            raise CommandError(f"{file}: {exc}") from None
        if queue:
            self.stdout.write(f"Import {job.pk} queued ({job.total_rows} rows); see the admin.")
            return
        # The worker's job, run in this process so its progress is printed as it goes.
        run_import_job(
            job.pk, on_progress=lambda done, total: self.stderr.write(f"{done}/{total} rows")
        )
        job.refresh_from_db()
        if job.status == PremisesImport.Status.FAILED:
            raise CommandError(f"{file}: {job.error}")
        report = job.report
        if report["ignored_columns"]:
            self.stderr.write(f"Ignored columns: {', '.join(report['ignored_columns'])}")
        for error in report["errors"]:
            self.stderr.write(str(RowError(**error)))
        self.stdout.write(report["summary"])
