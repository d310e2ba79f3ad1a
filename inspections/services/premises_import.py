"""Bulk import of premises from a CSV file, keyed by ``external_id`` (re-running changes nothing).

The whole file is read and checked first (encoding, NUL bytes, broken quoting, header): a bad
file is refused before anything is saved. Then valid rows are saved one by one (each in its own
transaction, through the premises service so the audit trail follows; the worker recomputes the
obligations of those rows afterwards); invalid rows are reported with their line number and
reason, and the report lists the line of every row saved. Columns present in the header are
authoritative for every row (an empty cell clears the fact); columns absent from the header are
left untouched on existing premises.

Large files run in the worker as a PremisesImport job (services/premises_import_jobs.py). Reading
the file: ``premises_csv.py``; converting its cells: ``premises_cells.py``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.models import Premises
from inspections.services.premises import create_premises, fact_fields, update_premises_facts

from .premises_cells import convert_cell, validation_messages
from .premises_csv import ParsedFile, read_file

logger = logging.getLogger(__name__)

HEADS_COLUMN = "head_emails"
OBLIGATIONS_BATCH = 500
PROGRESS_EVERY = 100
_EMAIL_SPLIT = re.compile(r"[\s,;]+")


@dataclass
class RowError:
    line: int
    external_id: str
    reasons: list[str]

    def __str__(self) -> str:
        ident = f" ({self.external_id})" if self.external_id else ""
        return _("Dòng %(line)s%(ident)s: %(reasons)s") % {
            "line": self.line,
            "ident": ident,
            "reasons": "; ".join(r.rstrip(".") for r in self.reasons),
        }


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # Line numbers of the rows created or updated, so a report says exactly what was saved.
    saved_lines: list[int] = field(default_factory=list)

    @property
    def invalid(self) -> int:
        return len(self.errors)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "invalid": self.invalid, "summary": self.summary()}

    def summary(self) -> str:
        return _(
            "Tạo mới: %(created)s, cập nhật: %(updated)s, không đổi: %(unchanged)s, "
            "không hợp lệ: %(invalid)s"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
        }


# --- The import ------------------------------------------------------------------------------


def import_premises(
    raw: bytes,
    *,
    user: User | None = None,
    source: str = "import",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import ``raw`` CSV bytes. ``user`` (None for the command line) is recorded as the author;
    a user who is not a superuser may only import premises within the jurisdictions they manage.
    The whole file is checked before the first row is saved. ``progress(done, total)`` is
    called every PROGRESS_EVERY rows and at the end.
    """
    run = _ImportRun(read_file(raw), user=user, source=source)
    total = len(run.rows)
    for done, (line, row) in enumerate(run.rows):
        if progress is not None and done and done % PROGRESS_EVERY == 0:
            progress(done, total)
        run.import_row(line, row)
    if progress is not None:
        progress(total, total)
    _queue_obligations(run.touched)
    return run.report


class _ImportRun:
    """One file's import: what is known before the first row, and the report it fills."""

    def __init__(self, parsed: ParsedFile, *, user: User | None, source: str) -> None:
        self.user, self.source = user, source
        self.rows = parsed.rows
        known = set(fact_fields()) | {HEADS_COLUMN}
        self.report = ImportReport(ignored_columns=[c for c in parsed.columns if c not in known])
        self.fact_columns = [c for c in parsed.columns if c in fact_fields()]
        self.with_heads = HEADS_COLUMN in parsed.columns
        # A manager imports within what they manage (access.can_place_premises); the command
        # line (no user) and superusers anywhere.
        self.restricted = user is not None and not user.is_superuser
        ids = {r.get("external_id", "") for _line, r in self.rows} - {""}
        self.existing = {p.external_id: p for p in Premises.objects.filter(external_id__in=ids)}
        self.ids_before = set(self.existing)
        self.users = self._named_users()
        self.seen: dict[str, int] = {}
        self.touched: list[int] = []

    def _named_users(self) -> dict[str, User]:
        emails: set[str] = set()
        if self.with_heads:
            for _line, r in self.rows:
                emails |= {e.lower() for e in _EMAIL_SPLIT.split(r.get(HEADS_COLUMN, "")) if e}
        user = self.user
        pickable = (
            access.users_pickable_by(user, by_email=True)
            if user is not None and self.restricted
            else User.objects.all()
        )
        # Another tenant's users answer as unknown: the report must not confirm who exists.
        return {u.email.lower(): u for u in pickable.filter(email__in=emails)}

    def import_row(self, line: int, row: dict[str, str]) -> None:
        ext = row.get("external_id", "")
        if "__extra__" in row:
            self.report.errors.append(RowError(line, "", [_("nhiều ô hơn số cột tiêu đề")]))
            return
        values, reasons = self._values(line, ext, row)
        if not reasons and self.restricted and self.user is not None:
            reasons = self._outside_jurisdiction(self.user, ext, values)
        if reasons:
            self.report.errors.append(RowError(line, ext, reasons))
            return
        try:
            # A savepoint per row: a row the database refuses is reported, the others stay.
            with transaction.atomic():
                changed = self._save(ext, values)
        except ValidationError as exc:
            self.report.errors.append(RowError(line, ext, validation_messages(exc)))
            return
        except DatabaseError:
            logger.exception("import: line %s (%s) not saved", line, ext)
            self.report.errors.append(RowError(line, ext, [_("không lưu được vào cơ sở dữ liệu")]))
            return
        self._count(line, ext, changed)

    def _values(self, line: int, ext: str, row: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        """The row's facts as the model takes them, and every reason it cannot be saved."""
        reasons: list[str] = []
        if not ext:
            reasons.append(_("thiếu mã định danh ngoài (external_id)"))
        elif ext in self.seen:
            reasons.append(_("trùng external_id với dòng %(line)s") % {"line": self.seen[ext]})
        else:
            self.seen[ext] = line
        values: dict[str, Any] = {}
        for name in self.fact_columns:
            try:
                values[name] = convert_cell(name, row[name])
            except ValueError as exc:
                reasons.append(f"{fact_fields()[name].verbose_name}: {exc}")
        if self.with_heads:
            wanted = [e.lower() for e in _EMAIL_SPLIT.split(row[HEADS_COLUMN]) if e]
            unknown = [e for e in wanted if e not in self.users]
            if unknown:
                reasons.append(
                    _("không có người dùng với e-mail %(emails)s") % {"emails": ", ".join(unknown)}
                )
            values["heads"] = [self.users[e] for e in wanted if e in self.users]
        return values, reasons

    def _outside_jurisdiction(self, user: User, ext: str, values: dict[str, Any]) -> list[str]:
        """A restricted user places premises only where they manage, and moves only those."""
        target = self.existing.get(ext)
        province = values.get("province_code", target and target.province_code) or 0
        ward = values.get("ward_code", target and target.ward_code)
        outside = not access.can_place_premises(user, province, ward)
        if outside or (
            target and not access.can_place_premises(user, target.province_code, target.ward_code)
        ):
            return [_("ngoài địa bàn cơ quan bạn quản lý")]
        return []

    def _save(self, ext: str, values: dict[str, Any]) -> bool:
        """Create or update the row's premises; whether anything changed."""
        if ext in self.existing:
            change = update_premises_facts(
                self.existing[ext],
                user=self.user,
                changes=values,
                source=self.source,
                defer_obligations=True,
            )
            return change is not None
        self.existing[ext] = create_premises(
            user=self.user, data=values, source=self.source, defer_obligations=True
        )
        return True

    def _count(self, line: int, ext: str, changed: bool) -> None:
        premises = self.existing[ext]
        if not changed:
            self.report.unchanged += 1
            # Re-importing repairs: obligations lost with an earlier import are queued again.
            if _obligations_stale(premises):
                self.touched.append(premises.pk)
            return
        if ext in self.ids_before:
            self.report.updated += 1
        else:
            self.report.created += 1
        self.report.saved_lines.append(line)
        self.touched.append(premises.pk)


def _obligations_stale(premises: Premises) -> bool:
    computed = premises.obligations_computed_at
    return computed is None or computed < premises.updated_at


def _queue_obligations(premises_ids: list[int]) -> None:
    # Obligations of created or changed rows are recomputed by the worker, a few hundred per
    # message: computing them row by row would hold a large upload for minutes.
    from inspections.queue import enqueue

    for start in range(0, len(premises_ids), OBLIGATIONS_BATCH):
        batch = premises_ids[start : start + OBLIGATIONS_BATCH]
        transaction.on_commit(
            lambda batch=batch: enqueue("inspections.tasks.refresh_obligations_of", batch)
        )
