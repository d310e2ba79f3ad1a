"""Work a record does once: the quoted provisions in one annex, the stamp font subset, photos."""

from __future__ import annotations

import io
import re

import pytest
from fontTools import ttLib
from PIL import Image

from inspections.pdf.photos import PHOTO_MAX_PX, print_ready_jpeg
from inspections.pdf.render import render_record
from inspections.pdf.samples import sample_context, sample_photo_jpeg
from inspections.pdf.signing import load_signing_identity, sign_pdf
from inspections.pdf.stamp_font import subset_for
from tests.signing_fixtures import PASSPHRASE, dev_pki  # noqa: F401

from .helpers import pdftotext


@pytest.fixture(scope="module")
def record():
    ctx = sample_context(items=12, photos=1)
    return ctx, render_record(ctx)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_each_quoted_provision_is_printed_once_in_the_annex(record):
    ctx, result = record
    text = _flat(pdftotext(result.pdf))
    assert "Phụ lục: Trích dẫn các quy định được viện dẫn" in text
    # The sample items are titled with the start of their provision: look at the quote's end.
    quotes = {c.text for item in ctx.items for c in item.citations if len(c.text) > 140}
    assert len(quotes) > 3
    for quote in quotes:
        assert text.count(_flat(quote)[-40:]) == 1, quote


def test_the_items_table_still_cites_article_clause_and_point_with_the_annex_number(record):
    ctx, result = record
    before_annex = _flat(pdftotext(result.pdf)).split("Phụ lục: Trích dẫn")[0]
    first = ctx.items[0].citations[0]
    # e.g. "khoản 1 Điều 17 Luật 55/2024/QH15 [1]" in the item's row, no quote beside it.
    assert re.search(re.escape(_flat(first.label)) + r" \[1\]", before_annex)
    long = [c.text for item in ctx.items for c in item.citations if len(c.text) > 140]
    assert long and not any(_flat(q)[-40:] in before_annex for q in long)


def test_the_signatures_stay_on_the_last_page_and_the_page_count_is_stated(record):
    _, result = record
    assert result.signature_box.page == result.page_count - 1
    assert f"gồm {result.page_count} trang" in _flat(pdftotext(result.pdf))


def test_the_stamp_font_subset_is_made_once_and_covers_the_names():
    names = ("Nguyễn Thị Ánh Tuyết", "Ủy ban nhân dân phường Hoàn Kiếm")
    font = subset_for(*names)
    assert subset_for(*reversed(names)) is font  # cached per set of characters
    cmap = ttLib.TTFont(io.BytesIO(font)).getBestCmap()
    assert all(ord(c) in cmap for c in "".join(names) + "ẠạỹỸđĐơưƠƯ0123456789:/")
    # A character outside Vietnamese gets a subset of its own that has it.
    other = subset_for("Ωmega")
    assert other is not font and ord("Ω") in ttLib.TTFont(io.BytesIO(other)).getBestCmap()


def test_a_signed_stamp_shows_the_signers_name(dev_pki, record):  # noqa: F811
    ctx, rendered = record
    identity = load_signing_identity(dev_pki["p12"], PASSPHRASE)
    signed = sign_pdf(
        rendered.pdf,
        box=rendered.signature_box,
        verification_code=ctx.verification_code,
        identity=identity,
        tsa_url="",
    )
    cn = identity.signer.signing_cert.subject.native["common_name"]
    last = _flat(pdftotext(signed.pdf, rendered.page_count, rendered.page_count))
    assert "Ký số bởi / Signed by:" in last
    assert _flat(cn) in last
    assert ctx.verification_code in last


def test_the_print_size_photo_is_upright_and_no_larger_than_printed():
    phone = sample_photo_jpeg(3, width=1600, height=1200)
    small = Image.open(io.BytesIO(print_ready_jpeg(phone)))
    assert small.format == "JPEG"
    assert small.width <= PHOTO_MAX_PX[0] and small.height <= PHOTO_MAX_PX[1]
    assert abs(small.width / small.height - 1600 / 1200) < 0.01


def test_renders_in_a_thread_share_one_font_configuration_and_threads_do_not():
    import threading

    from inspections.pdf.render import font_configuration

    ctx = sample_context(items=3)
    first = render_record(ctx)
    mine = font_configuration()
    assert font_configuration() is mine
    other = []
    thread = threading.Thread(
        target=lambda: other.append((font_configuration(), render_record(ctx)))
    )
    thread.start()
    thread.join()
    # Pango's font map is not thread-safe: the other thread laid out with its own.
    assert other[0][0] is not mine
    # Same fonts, same words, whichever configuration laid the record out.
    assert _flat(pdftotext(other[0][1].pdf)) == _flat(pdftotext(first.pdf))
    assert "Biên bản kiểm tra".upper() in _flat(pdftotext(render_record(ctx).pdf)).upper()
