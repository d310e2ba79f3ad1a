"""Run the reminder sweep by hand: record today's reminders, send them, print what was sent."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from inspections.services.reminders.sweep import run_sweep


class Command(BaseCommand):
    help = (
        "Send the reminders due today (each exactly once; a second run sends nothing new). "
        'With --json stdout is only {"sent": N, "already_sent": M, "failed": K} (progress '
        "lines go to stderr), so the output can be piped into jq or a monitoring check."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="write and send nothing")
        parser.add_argument(
            "--json", action="store_true", help="print only one JSON document on stdout"
        )
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="sweep as of YYYY-MM-DD"
        )
        parser.add_argument(
            "--no-digests",
            action="store_true",
            help="leave reminders held for the digest to the daily digest task",
        )

    def handle(self, *args, **options) -> None:
        if options["json"]:
            self.stderr.style_func = None  # progress, not errors: not painted red
        result = run_sweep(
            today=options["date"],
            dry_run=options["dry_run"],
            digests=not options["no_digests"],
            # stdout carries the JSON document alone; what was sent is still told, on stderr.
            on_line=self.stderr.write if options["json"] else self.stdout.write,
        )
        summary = result.as_json()
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            prefix = "(dry run) would send" if options["dry_run"] else "sent"
            self.stdout.write(
                f"{prefix} {result.sent}, already sent {result.already_sent}, "
                f"failed {result.failed}, retrying {result.retrying}, "
                f"held for digest {result.held_for_digest}, switched off {result.suppressed}"
            )
