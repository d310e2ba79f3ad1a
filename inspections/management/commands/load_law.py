"""Store the parsed provisions of Law 55/2024/QH15 (idempotent)."""

from django.core.management.base import BaseCommand

from inspections.services.catalogue_loading import load_law


class Command(BaseCommand):
    help = "Load every article, clause and point of Law 55/2024/QH15 with its verbatim text."

    def handle(self, *args, **options):
        document, created = load_law()
        total = document.provisions.count()
        self.stdout.write(f"{document.code}: {total} provisions ({created} new)")
