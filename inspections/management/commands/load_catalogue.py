"""Load a catalogue data file into its version (idempotent), optionally publishing it."""

from django.core.management.base import BaseCommand, CommandError

from inspections.legal.catalogue_file import CatalogueFileError, latest_catalogue_file
from inspections.services.catalogue import CatalogueError, load_catalogue


class Command(BaseCommand):
    help = "Load inspections/data/catalogue/<version>.yaml (default: the latest) into the database."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="catalogue YAML file (default: latest)")
        parser.add_argument("--publish", action="store_true", help="publish the version")

    def handle(self, *args, **options):
        path = options["file"] or latest_catalogue_file()
        try:
            result = load_catalogue(path, publish=options["publish"])
        except CatalogueFileError as exc:
            raise CommandError("invalid catalogue file:\n" + "\n".join(exc.errors)) from exc
        except CatalogueError as exc:
            raise CommandError(exc.message) from exc
        v = result.version
        if result.unchanged:
            state = "already published, unchanged"
        elif result.published:
            state = "loaded and published"
        else:
            state = "loaded as draft" if not v.is_published else "published"
        self.stdout.write(
            f"catalogue {v.label}: {state} "
            f"({v.requirements.count()} requirements, {v.parameters.count()} parameters)"
        )
