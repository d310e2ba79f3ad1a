"""Load catalogue data files into their versions (idempotent), optionally publishing them."""

from django.core.management.base import BaseCommand, CommandError

from inspections.legal.catalogue_file import CatalogueFileError, catalogue_files
from inspections.services.catalogue import CatalogueError
from inspections.services.catalogue_loading import load_catalogue


class Command(BaseCommand):
    help = (
        "Load inspections/data/catalogue/<version>.yaml into the database: the given file, or "
        "every file in version order (each version applies from its own effective date)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="catalogue YAML file (default: every file)")
        parser.add_argument("--publish", action="store_true", help="publish the version(s)")

    def handle(self, *args, **options):
        paths = [options["file"]] if options["file"] else catalogue_files()
        for path in paths:
            self._load(path, options["publish"])

    def _load(self, path, publish: bool) -> None:
        try:
            result = load_catalogue(path, publish=publish)
        except CatalogueFileError as exc:
            raise CommandError(f"invalid catalogue file {path}:\n" + "\n".join(exc.errors)) from exc
        except CatalogueError as exc:
            raise CommandError(exc.message) from exc
        v = result.version
        if result.unchanged:
            state = "already published, unchanged"
        elif result.published:
            state = "loaded and published"
        else:
            state = "loaded as draft" if not v.is_published else "published"
        effective = v.effective_on.isoformat() if v.effective_on else "no effective date"
        self.stdout.write(
            f"catalogue {v.label} (in force from {effective}): {state} "
            f"({v.requirements.count()} requirements, {v.parameters.count()} parameters)"
        )
