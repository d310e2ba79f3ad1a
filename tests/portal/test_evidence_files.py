"""Evidence a facility head uploads: PDFs checked by parsing them, photos from phones accepted,
and every file downloaded with a safe name and a type the browser may not second-guess."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from tests.conftest import file_bytes


def pdf(change=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_script(writer: PdfWriter) -> None:
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x')"),
        }
    )


def upload(client, finding, name: str, data: bytes, content_type: str = "application/pdf"):
    return client.post(
        reverse("portal:finding_detail", args=[finding.pk]),
        {"file": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def test_a_real_pdf_is_accepted_and_downloaded_as_an_attachment(client, head, finding):
    client.force_login(head)
    data = pdf()
    assert upload(client, finding, "Biên bản nghiệm thu <b>.pdf", data).status_code == 302
    evidence = finding.evidence.get()
    assert evidence.content_type == "application/pdf"
    assert evidence.sha256 not in evidence.file.name  # the stored name locates nothing
    response = client.get(reverse("portal:evidence_download", args=[evidence.pk]))
    assert file_bytes(response) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Bien-ban-nghiem-thu-b.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pdfs_that_are_not_what_they_claim_are_refused(client, head, finding):
    client.force_login(head)
    fakes = {
        "page.pdf": b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>",
        "cut.pdf": pdf()[:300],
        "script.pdf": pdf(with_script),
        "locked.pdf": pdf(lambda w: w.encrypt("secret")),
        "carrier.pdf": pdf(lambda w: w.add_attachment("run.exe", b"MZ\x90\x00")),
    }
    for name, data in fakes.items():
        response = upload(client, finding, name, data)
        assert response.status_code == 200, name
        assert "Tệp PDF không đọc được" in response.content.decode(), name
    assert not finding.evidence.exists()


def test_a_phone_photo_in_mpo_is_accepted_as_jpeg(client, head, finding):
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    client.force_login(head)
    assert upload(client, finding, "IMG_0001.JPG", out.getvalue(), "image/jpeg").status_code == 302
    evidence = finding.evidence.get()
    assert evidence.content_type == "image/jpeg"
    response = client.get(reverse("portal:evidence_download", args=[evidence.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="IMG-0001.jpg"'
