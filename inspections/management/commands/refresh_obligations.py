"""Recompute the stored obligations of every premises (or of one)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from inspections.models import Premises
from inspections.services.obligations import refresh_all, refresh_obligations


class Command(BaseCommand):
    help = "Recompute stored obligations (status, due date, reason) from facts and answers."

    def add_arguments(self, parser):
        parser.add_argument("--premises", type=int, help="only this premises id")
        parser.add_argument("--on", help="evaluation date YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        on = date.fromisoformat(options["on"]) if options.get("on") else None
        if options.get("premises"):
            premises = Premises.objects.filter(pk=options["premises"]).first()
            if premises is None:
                raise CommandError(f"no premises {options['premises']}")
            rows = refresh_obligations(premises, on=on)
            self.stdout.write(f"premises {premises.pk}: {len(rows)} obligations")
            return
        result = refresh_all(on=on)
        self.stdout.write(f"{result.refreshed} premises refreshed")
        if result.failed:
            # Each was logged with its traceback; the others were refreshed all the same.
            ids = ", ".join(map(str, result.failed))
            self.stderr.write(f"{len(result.failed)} premises failed (see the log): {ids}")
