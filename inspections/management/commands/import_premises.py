"""``manage.py import_premises FILE.csv``: bulk import of premises keyed by external_id."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspections.services.premises_import import ImportFileError, import_premises


class Command(BaseCommand):
    help = (
        "Import premises from a CSV file (UTF-8, comma or semicolon separated). Valid rows are "
        "saved; invalid rows are listed with their line number. Re-running changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file with an external_id column")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        try:
            report = import_premises(raw, user=None, source="import")
        except ImportFileError as exc:
            raise CommandError(f"{file}: {exc}") from None
        if report.ignored_columns:
            self.stderr.write(f"Ignored columns: {', '.join(report.ignored_columns)}")
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(report.summary())
