"""Check every stored record's signature and long-term status; list archival timestamps to renew.

    python manage.py check_signatures                 # a line per record, problems first
    python manage.py check_signatures --renewal-only  # only records whose archive stamp ends soon
    python manage.py check_signatures --json          # machine-readable, for monitoring

Exits 1 when a record does not verify (altered, untrusted or unreadable), so a cron job alerts.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from inspections.models import Report
from inspections.pdf.verification import verify_pdf


class Command(BaseCommand):
    help = "Verify every stored signed record and list archival timestamps that need renewal."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON document")
        parser.add_argument(
            "--renewal-only", action="store_true", help="only records whose archive stamp ends soon"
        )
        parser.add_argument(
            "--window-days",
            type=int,
            default=None,
            help="renewal window (default SIGNING_LTV_RENEW_DAYS)",
        )

    def handle(self, *args, **options):
        window = options["window_days"]
        if window is None:
            window = settings.SIGNING_LTV_RENEW_DAYS
        if window < 0:
            raise CommandError("--window-days must be zero or more")
        horizon = timezone.now() + timezone.timedelta(days=window)
        rows = []
        for report in Report.objects.filter(status=Report.Status.READY).iterator(chunk_size=200):
            renew = bool(report.archive_expires_at and report.archive_expires_at < horizon)
            if options["renewal_only"] and not renew:
                continue
            rows.append(self._check(report, renew))
        failed = [r for r in rows if not r["valid"]]
        if options["json"]:
            self.stdout.write(json.dumps({"records": rows, "invalid": len(failed)}, indent=2))
        else:
            for row in sorted(rows, key=lambda r: (r["valid"], r["code"])):
                self.stdout.write(self._line(row))
            self.stdout.write(
                f"{len(rows)} record(s), {len(failed)} invalid, "
                f"{sum(r['renew'] for r in rows)} to renew within {window} days, "
                f"{sum(r['ltv_pending'] for r in rows)} waiting for long-term upgrade"
            )
        if failed:
            raise SystemExit(1)

    def _check(self, report: Report, renew: bool) -> dict:
        try:
            with report.file.open("rb") as handle:
                result = verify_pdf(handle.read())
        except (OSError, ValueError) as exc:
            return {
                "code": report.verification_code, "valid": False, "problem": f"unreadable: {exc}",
                "level": report.signature_level, "archive_valid_until": "", "renew": renew,
                "ltv_pending": report.ltv_pending, "stored_hash_matches": False,
            }  # fmt: skip
        return {
            "code": report.verification_code,
            "valid": result.valid,
            "problem": result.problem,
            "level": result.level,
            "signer": result.signer,
            "proven_time": result.proven_time,
            "archive_valid_until": result.archive_valid_until,
            "renew": renew,
            "ltv_pending": report.ltv_pending,
            "stored_hash_matches": result.sha256 == report.sha256,
        }

    @staticmethod
    def _line(row: dict) -> str:
        state = "OK " if row["valid"] else "BAD"
        extra = []
        if row["renew"]:
            extra.append("renew archive timestamp")
        if row["ltv_pending"]:
            extra.append("waiting for long-term upgrade")
        if not row["stored_hash_matches"]:
            extra.append("file differs from the stored hash")
        if row["problem"]:
            extra.append(row["problem"])
        until = row.get("archive_valid_until") or "-"
        return f"{state} {row['code']} {row['level'] or '-':6} archive until {until}  " + "; ".join(
            extra
        )
