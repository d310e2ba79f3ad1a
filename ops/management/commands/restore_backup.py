"""``manage.py restore_backup ARCHIVE``: into an empty database, then check every record."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backups import BackupError, restore_backup, unverifiable_records


class Command(BaseCommand):
    help = "Restore a backup into an empty database and MEDIA_ROOT; verify every signed record."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            result = restore_backup(Path(archive))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        problems = unverifiable_records()
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError(f"{len(problems)} of {result.records} records do not verify")
        self.stdout.write(
            f"restored {result.records} signed records and {result.files} files; "
            "every record verifies"
        )
