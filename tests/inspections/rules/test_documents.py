"""PDF upload checks: a readable, unencrypted document with pages and no active content."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from inspections.rules import documents
from inspections.rules.documents import DocumentInfo, DocumentRejected, inspect_pdf


def _pdf(pages: int = 1, build=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if build:
        build(writer)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _rejected(data: bytes, code: str, message: str, **kw) -> None:
    with pytest.raises(DocumentRejected) as exc:
        inspect_pdf(data, **kw)
    assert (exc.value.code, str(exc.value)) == (code, message)


def test_plain_pdf_is_accepted_with_its_page_count():
    assert inspect_pdf(_pdf(3)) == DocumentInfo("application/pdf", 3)


def test_page_limit_is_inclusive():
    assert inspect_pdf(_pdf(2), max_pages=2).pages == 2
    _rejected(_pdf(3), "pdf_too_many_pages", "3 pages exceed 2", max_pages=2)


def test_default_page_limit_is_1000():
    _rejected(_pdf(1001), "pdf_too_many_pages", "1001 pages exceed 1000")


def test_not_a_pdf_by_its_first_bytes():
    _rejected(b"<html>%PDF-1.7</html>", "invalid_pdf", "the bytes do not start like a PDF")


def test_a_pdf_without_pages():
    _rejected(_pdf(0), "invalid_pdf", "the PDF has no pages")


def test_a_damaged_pdf_is_unreadable():
    _rejected(b"%PDF-1.7\n garbage", "invalid_pdf", "the bytes are not a readable PDF")


def test_an_encrypted_pdf_is_refused():
    _rejected(
        _pdf(1, lambda w: w.encrypt("secret")), "pdf_encrypted", "the PDF is password-protected"
    )


def test_javascript_is_refused():
    def build(writer: PdfWriter) -> None:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('x');"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    _rejected(_pdf(1, build), "pdf_active_content", "the PDF contains /JS")
    _rejected(
        _pdf(1, _open_action("/JavaScript")), "pdf_active_content", "the PDF contains /JavaScript"
    )


def test_embedded_files_are_refused():
    _rejected(
        _pdf(1, lambda w: w.add_attachment("a.exe", b"MZ")),
        "pdf_active_content",
        "the PDF contains /EmbeddedFiles",
    )


def _open_action(subtype: str):
    def build(writer: PdfWriter) -> None:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject(subtype),
                NameObject("/F"): TextStringObject("calc.exe"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return build


@pytest.mark.parametrize("subtype", ["/Launch", "/SubmitForm", "/ImportData"])
def test_launch_and_submit_actions_are_refused(subtype):
    _rejected(_pdf(1, _open_action(subtype)), "pdf_active_content", f"the PDF contains {subtype}")


def test_a_harmless_action_is_accepted():
    assert inspect_pdf(_pdf(1, _open_action("/GoTo"))).pages == 1


def test_an_active_key_deep_in_a_page_array_is_found():
    def build(writer: PdfWriter) -> None:
        page = writer.pages[0]
        annot = DictionaryObject({NameObject("/RichMedia"): DictionaryObject()})
        page[NameObject("/Annots")] = writer._add_object(
            documents.ArrayObject([writer._add_object(annot)])
        )

    _rejected(_pdf(2, build), "pdf_active_content", "the PDF contains /RichMedia")


def test_a_crafted_file_with_too_many_objects(monkeypatch):
    # A five-page file holds six indirect objects reachable from its root (root, page tree,
    # five pages: the root is reached directly), so the limit is exactly at six.
    monkeypatch.setattr(documents, "MAX_OBJECTS", 5)
    _rejected(_pdf(5), "invalid_pdf", "the PDF has too many objects")
    monkeypatch.setattr(documents, "MAX_OBJECTS", 6)
    assert inspect_pdf(_pdf(5)).pages == 5


def test_a_file_with_broken_offsets_is_still_read_leniently():
    # Real scanners write files whose cross-reference offsets are off; readers repair them.
    data = _pdf(2)
    assert data.startswith(b"%PDF-1.3\n")
    shifted = data.replace(b"%PDF-1.3\n", b"%PDF-1.3\n%junk line\n", 1)
    assert inspect_pdf(shifted) == DocumentInfo("application/pdf", 2)
