"""Bulk import of premises from a CSV file, keyed by ``external_id`` (re-running changes nothing).

The whole file is read and checked first (encoding, NUL bytes, broken quoting, header): a bad
file is refused before anything is saved. Then valid rows are saved one by one (each in its own
transaction, through the premises service so the audit trail follows; the worker recomputes the
obligations of those rows afterwards); invalid rows are reported with their line number and
reason, and the report lists the line of every row saved. Columns present in the header are
authoritative for every row (an empty cell clears the fact); columns absent from the header are
left untouched on existing premises.

Large files run in the worker as a PremisesImport job (services/premises_import_jobs.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from inspections import access
from inspections.inputs import MAX_DATE, MIN_DATE, date_in_range
from inspections.models import AlarmDeviceState, Premises, PremisesKind
from inspections.services.premises import create_premises, fact_fields, update_premises_facts

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("external_id", "kind", "name", "province_code", "ward_code")
HEADS_COLUMN = "head_emails"
OBLIGATIONS_BATCH = 500
PROGRESS_EVERY = 100
_TRUE = {"1", "true", "yes", "y", "x", "có", "co", "đúng", "dung"}
_FALSE = {"0", "false", "no", "n", "không", "khong", "sai"}
_EMAIL_SPLIT = re.compile(r"[\s,;]+")


class ImportFileError(Exception):
    """The file as a whole cannot be read as a premises CSV; nothing was imported."""


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


# --- Reading the file ------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise ImportFileError(_("Tệp rỗng: không có dòng tiêu đề và dữ liệu."))
    if len(raw) > settings.PREMISES_IMPORT_MAX_BYTES:
        raise ImportFileError(_("Tệp quá lớn (tối đa 20 MB)."))
    if raw.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("Đây là tệp Excel/ZIP, không phải CSV. Hãy lưu bảng tính dưới dạng “CSV UTF-8”.")
        )
    if raw.startswith(b"%PDF") or b"\x00" in raw:
        # Anywhere in the file, not only its start: PostgreSQL cannot store a NUL character.
        raise ImportFileError(_("Tệp không phải văn bản CSV (có dữ liệu nhị phân)."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Tệp không phải UTF-8 (byte lỗi ở vị trí %(pos)s). Hãy lưu dưới dạng “CSV UTF-8”.")
            % {"pos": exc.start}
        ) from None


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _read_rows(text: str) -> tuple[list[str], Iterable[tuple[int, dict[str, str]]]]:
    # strict: a quote opened and never closed is an error, not a cell that swallows the rest
    # of the file.
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportFileError(_("Không đọc được dòng tiêu đề của tệp CSV.")) from None
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(
            _("Không phải tệp CSV cơ sở đúng mẫu: thiếu cột %(cols)s.")
            % {"cols": ", ".join(missing)}
        )
    if len(set(columns)) != len(columns):
        raise ImportFileError(_("Dòng tiêu đề có cột trùng tên."))

    def rows() -> Iterable[tuple[int, dict[str, str]]]:
        start = reader.line_num + 1
        try:
            for values in reader:
                line, start = start, reader.line_num + 1
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(columns):
                    yield line, {"__extra__": "1"}
                    continue
                padded = values + [""] * (len(columns) - len(values))
                yield line, {c: v.strip() for c, v in zip(columns, padded, strict=True)}
        except csv.Error as exc:
            raise ImportFileError(
                _("Tệp CSV hỏng ở dòng %(line)s: %(err)s") % {"line": reader.line_num, "err": exc}
            ) from None

    return columns, rows()


# --- Converting cells ------------------------------------------------------------------------


def _label_lookup(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, label in choices:
        table[str(value).lower()] = value
        table[str(label).lower()] = value
    return table


def _parse_bool(value: str) -> bool | None:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ValueError(_("“%(v)s” không phải có/không.") % {"v": value})


def _parse_date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            day = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not date_in_range(day):
            raise ValueError(
                _("“%(v)s”: năm phải từ %(min)s đến %(max)s.")
                % {"v": value, "min": MIN_DATE.year, "max": MAX_DATE.year}
            )
        return day
    raise ValueError(_("“%(v)s” không phải ngày (YYYY-MM-DD hoặc DD/MM/YYYY).") % {"v": value})


def _parse_number(value: str) -> str:
    v = value.replace(" ", "")
    if "," in v and "." not in v:
        v = v.replace(",", ".")  # Vietnamese decimal comma: "12,5"
    return v


def _parse_decimal(value: str) -> Decimal:
    try:
        return Decimal(_parse_number(value))
    except InvalidOperation:
        raise ValueError(_("“%(v)s” không phải số.") % {"v": value}) from None


def _parse_int(value: str) -> int:
    v = _parse_number(value)
    if not re.fullmatch(r"-?\d+(\.0*)?", v):
        raise ValueError(_("“%(v)s” không phải số nguyên.") % {"v": value})
    return int(v.split(".")[0])


# Cells of these field types are parsed; choice fields take a value or its label; the rest is
# text as written.
_PARSERS: dict[str, Callable[[str], Any]] = {
    "BooleanField": _parse_bool,
    "DateField": _parse_date,
    "DecimalField": _parse_decimal,
    "PositiveIntegerField": _parse_int,
    "PositiveSmallIntegerField": _parse_int,
}
_CHOICE_FIELDS: dict[str, type[models.TextChoices]] = {
    "kind": PremisesKind,
    "alarm_device_state": AlarmDeviceState,
}
# Roman numerals as the decree writes them ("III", "II"), except the grade "special".
_ROMAN_GRADES = ("works_grade", "fishing_port_class")


def _convert(name: str, value: str) -> Any:
    f = fact_fields()[name]
    if value == "":
        if f.null:
            return None
        return f.get_default() if f.has_default() else ""
    if name in _CHOICE_FIELDS:
        return _choice(_CHOICE_FIELDS[name], value)
    if parse := _PARSERS.get(f.get_internal_type()):
        return parse(value)
    if name == "hazard_class" or (name in _ROMAN_GRADES and value.lower() != "special"):
        return value.upper()
    return value


def _choice(choices: type[models.TextChoices], value: str) -> str:
    lookup = _label_lookup(choices.choices)
    if value.lower() not in lookup:
        raise ValueError(
            _("“%(v)s” không hợp lệ (dùng: %(allowed)s)")
            % {"v": value, "allowed": ", ".join(choices.values)}
        )
    return lookup[value.lower()]


def _messages(exc: ValidationError) -> list[str]:
    fields = fact_fields()
    if hasattr(exc, "error_dict"):
        out = []
        for name, msgs in exc.message_dict.items():
            label = str(fields[name].verbose_name) if name in fields else name
            out.extend(f"{label}: {m}" for m in msgs)
        return out
    return list(exc.messages)


# --- The import ------------------------------------------------------------------------------


@dataclass
class ParsedFile:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_file(raw: bytes) -> ParsedFile:
    """Decode and parse the whole file; ImportFileError when it cannot be imported at all."""
    columns, rows = _read_rows(_decode(raw))
    return ParsedFile(columns, list(rows))


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
            self.report.errors.append(RowError(line, ext, _messages(exc)))
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
                values[name] = _convert(name, row[name])
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
