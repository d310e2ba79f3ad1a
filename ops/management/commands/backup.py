"""``manage.py backup``: database and stored files in one archive (ops/backups.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the stored files together into one archive."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="where to write (default BACKUP_DIR)")

    def handle(self, *args, dir=None, **options):
        try:
            archive = create_backup(Path(dir or settings.BACKUP_DIR))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(archive))
