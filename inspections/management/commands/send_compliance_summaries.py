"""Send the managers' compliance summaries now (the same work as the beat task, inline)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from inspections.services.notifications import deliver
from inspections.services.summaries import record_summaries


class Command(BaseCommand):
    help = (
        "Record and send the weekly or monthly compliance summary of every authority to its "
        "managers (PDF, XLSX and CSV attached). A period already sent is not sent again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", choices=("weekly", "monthly"), default="weekly")
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="as if run on YYYY-MM-DD (the summary covers the period before it)",
        )

    def handle(self, *args, **options) -> None:
        ids = record_summaries(period=options["period"], today=options["date"])
        sent = failed = 0
        for pk in ids:
            outcome = deliver(pk)
            n = outcome.notification
            if outcome.status == "sent" and n is not None:
                sent += 1
                self.stdout.write(f"sent {n.channel} {n.recipient_key}: {n.payload['title_vi']}")
            elif outcome.status in ("failed", "retry"):
                failed += 1
                self.stdout.write(f"failed #{pk}: {outcome.error}")
        self.stdout.write(f"{options['period']} summaries: sent {sent}, failed {failed}")
