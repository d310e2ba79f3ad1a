"""Print a catalogue version (default: the published one) as JSON for auditors to diff."""

import json

from django.core.management.base import BaseCommand, CommandError

from inspections.selectors.catalogue import current_version, export_catalogue, version_by_label


class Command(BaseCommand):
    help = "Print the published catalogue as JSON (requirements with verbatim citation texts)."

    def add_arguments(self, parser):
        parser.add_argument("--label", help="version label (default: the current published one)")

    def handle(self, *args, **options):
        label = options.get("label")
        version = version_by_label(label) if label else current_version()
        if version is None:
            raise CommandError(
                f"no catalogue version {label}" if label else "no published catalogue version"
            )
        self.stdout.write(json.dumps(export_catalogue(version), ensure_ascii=False, indent=2))
