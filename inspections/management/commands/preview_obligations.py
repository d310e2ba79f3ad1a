"""Print, as JSON, the obligations that premises facts (a JSON file) would have."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.rules.facts import FactsError
from inspections.selectors.obligations import NoPublishedCatalogue, evaluate_facts


class Command(BaseCommand):
    help = (
        "Preview obligations for FACTS.json, the same result as POST /api/v1/obligations/preview/."
    )

    def add_arguments(self, parser):
        parser.add_argument("facts", help="JSON file with premises facts (Premises field names)")
        parser.add_argument("--on", help="evaluation date YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        try:
            facts = json.loads(Path(options["facts"]).read_text(encoding="utf-8"))
            on = date.fromisoformat(options["on"]) if options.get("on") else None
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if not isinstance(facts, dict):
            raise CommandError("the facts file must hold a JSON object")
        try:
            view = evaluate_facts(facts, on=on)
        except FactsError as exc:
            raise CommandError(f"invalid facts: {exc}") from exc
        except NoPublishedCatalogue as exc:
            raise CommandError("no published catalogue: run load_catalogue --publish") from exc
        self.stdout.write(json.dumps(view.as_dict(), ensure_ascii=False, indent=2))
