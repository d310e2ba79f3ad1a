"""``manage.py seed_demo [--force]``: load the demo data (idempotent; refuses in production).

Each area owns one module in ``inspections/demo/`` with a ``seed(stdout)`` function; they run in
the order below, each after the data it builds on. A module that does not exist yet is skipped,
so the command works while the areas land.
"""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

# Order matters: accounts → premises → catalogue → inspections → reports → reminders;
# dashboard last (it rebuilds the counters over everything seeded before).
DEMO_MODULES = [
    "inspections.demo.accounts",
    "inspections.demo.premises",
    "inspections.demo.catalogue",
    "inspections.demo.inspections",
    "inspections.demo.reports",
    "inspections.demo.dossier",
    "inspections.demo.reminders",
    "inspections.demo.imports",
    "inspections.demo.dashboard",
]


class Command(BaseCommand):
    help = "Load demo authorities, users (password demo-pass-2025), premises and the rest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with production settings (DEBUG off): creates known passwords.",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with production settings (DEBUG is off): it creates "
                "users with a published password. Use --force if you really mean it."
            )
        for name in DEMO_MODULES:
            importlib.import_module(name).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
