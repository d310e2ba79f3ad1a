"""Render and sign one inspection record synchronously, for support staff and deployment checks."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from inspections.models import Inspection
from inspections.models.reports import new_verification_code
from inspections.pdf.errors import SigningConfigurationError
from inspections.pdf.verification import sha256_hex, verify_pdf
from inspections.selectors.reports import report_of
from inspections.services.reports import render_and_sign


def demo_inspection() -> Inspection:
    """The completed demo inspection: the richest submitted one (answers, findings, photos)."""
    found = (
        Inspection.objects.filter(state__in=[Inspection.State.SUBMITTED, Inspection.State.SIGNED])
        .annotate(
            n_findings=Count("findings", distinct=True),
            n_photos=Count("photos", distinct=True),
            n_signatures=Count("signatures", distinct=True),
        )
        .filter(n_signatures__gt=0)
        .order_by("-n_findings", "-n_photos", "-pk")
        .first()
    )
    if found is None:
        raise CommandError("No submitted inspection to render: run `python manage.py seed_demo`.")
    return found


class Command(BaseCommand):
    help = (
        "Render and sign the record of INSPECTION_ID (or of the completed demo inspection with "
        "--demo) to --out, then validate the signature. Does not change the stored report."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("inspection_id", nargs="?", type=int)
        target.add_argument("--demo", action="store_true")
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--lang", choices=["vi", "en"], default="vi")

    def handle(self, *args, inspection_id=None, demo=False, out: Path, lang: str, **options):
        if demo:
            inspection = demo_inspection()
        else:
            try:
                inspection = Inspection.objects.get(pk=inspection_id)
            except Inspection.DoesNotExist:
                raise CommandError(f"Inspection {inspection_id} does not exist.") from None
        report = report_of(inspection)
        code = report.verification_code if report else new_verification_code()
        started = time.perf_counter()
        try:
            pdf, signer, signed_at, level = render_and_sign(
                inspection, verification_code=code, language=lang
            )
        except SigningConfigurationError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
        check = verify_pdf(pdf)
        self.stdout.write(
            f"inspection {inspection.pk} → {out} ({len(pdf):,} bytes, {elapsed:.2f} s)\n"
            f"signer: {signer}\nsigned at: {signed_at:%Y-%m-%d %H:%M:%S %Z} ({level})\n"
            f"sha256: {sha256_hex(pdf)}\nverification code: {code}"
            + ("" if report else " (not registered: no stored report yet)")
        )
        if check.valid:
            self.stdout.write(self.style.SUCCESS("signature: intact, trusted, covers the file"))
        else:
            self.stdout.write(
                self.style.ERROR(
                    f"signature NOT valid against SIGNING_TRUST_ROOTS: {check.problem or check}"
                )
            )
