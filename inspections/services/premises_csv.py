"""Reading a premises CSV file as a whole: encoding, binary content, dialect, header, quoting.

A file that cannot be read is refused (``ImportFileError``) before any row is saved.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

REQUIRED_COLUMNS = ("external_id", "kind", "name", "province_code", "ward_code")


class ImportFileError(Exception):
    """The file as a whole cannot be read as a premises CSV; nothing was imported."""


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


@dataclass
class ParsedFile:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_file(raw: bytes) -> ParsedFile:
    """Decode and parse the whole file; ImportFileError when it cannot be imported at all."""
    columns, rows = _read_rows(_decode(raw))
    return ParsedFile(columns, list(rows))
