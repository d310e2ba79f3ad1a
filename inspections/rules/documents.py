"""Checks on uploaded PDF bytes: a readable, unencrypted document with pages and no active content."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Keys and action types that run or carry something when the file is opened: a PDF sent as
# evidence is read by an authority's staff, it has no reason to hold any of them.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/XFA", "/RichMedia"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/SubmitForm"}
# Real documents have a few thousand objects; walking more is a sign of a crafted file.
MAX_OBJECTS = 200_000


class DocumentRejected(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class DocumentInfo:
    content_type: str
    pages: int


def inspect_pdf(data: bytes, *, max_pages: int = 1000) -> DocumentInfo:
    """Parse the whole file, never just its first bytes: refuse what is not a PDF a reader
    opens (a renamed HTML page, a truncated file), an encrypted one the authority could not
    read, and one that carries scripts, launch actions or embedded files."""
    if not data.startswith(b"%PDF-"):
        raise DocumentRejected("invalid_pdf", "the bytes do not start like a PDF")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DocumentRejected("pdf_encrypted", "the PDF is password-protected")
        pages = len(reader.pages)
        if pages == 0:
            raise DocumentRejected("invalid_pdf", "the PDF has no pages")
        if pages > max_pages:
            raise DocumentRejected("pdf_too_many_pages", f"{pages} pages exceed {max_pages}")
        _refuse_active_content(reader.trailer["/Root"])
    except DocumentRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        # pypdf raises a variety of errors on damaged or crafted files: all mean "unreadable".
        raise DocumentRejected("invalid_pdf", "the bytes are not a readable PDF") from exc
    return DocumentInfo("application/pdf", pages)


def _refuse_active_content(root) -> None:
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_OBJECTS:
                raise DocumentRejected("invalid_pdf", "the PDF has too many objects")
            stack.append(obj.get_object())
        elif isinstance(obj, DictionaryObject):
            # Stream objects are dictionaries too: only their dictionary is walked, never the
            # (possibly compressed) content.
            active = _ACTIVE_KEYS.intersection(obj.keys())
            if active or obj.get("/S") in _ACTIVE_ACTIONS:
                what = ", ".join(sorted(active)) or str(obj.get("/S"))
                raise DocumentRejected("pdf_active_content", f"the PDF contains {what}")
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
