"""The signature stamp's font: a DejaVu subset made once per process, not parsed per signature.

pyHanko's GlyphAccumulatorFactory parses the whole DejaVu Sans file with fontTools for every
signature (most of signing's CPU time, measured in bench/bench_signing.py). The stamp only ever
shows ASCII, Vietnamese letters and the signer's names, so a subset of those is made once and
handed to pyHanko from memory; a name with a character outside it gets a subset of its own
(cached too, keyed by the characters).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from fontTools import subset, ttLib
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

from .render import STAMP_FONT


def _chars(*ranges: tuple[int, int]) -> frozenset[str]:
    return frozenset(chr(c) for start, end in ranges for c in range(start, end + 1))


# Printable ASCII, Latin-1 and Latin Extended-A/B (đ, ơ, ư …), combining tone marks, and the
# precomposed Vietnamese letters of Latin Extended Additional (ạ … ỹ).
BASE_CHARACTERS = _chars(
    (0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x323), (0x1EA0, 0x1EF9), (0x2010, 0x2026)
)  # fmt: skip


@lru_cache(maxsize=32)
def _subset_bytes(extra: frozenset[str]) -> bytes:
    font = ttLib.TTFont(str(STAMP_FONT))
    options = subset.Options()
    options.layout_features = ["*"]  # keep mark positioning for stacked Vietnamese diacritics
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: fontTools would warn and drop it
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text="".join(sorted(BASE_CHARACTERS | extra)))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def subset_for(*texts: str) -> bytes:
    """The stamp font covering ``texts`` (and every Vietnamese letter), built once per set."""
    extra = frozenset("".join(texts)) - BASE_CHARACTERS
    return _subset_bytes(frozenset(c for c in extra if c.isprintable()))


@dataclass(frozen=True)
class StampFontFactory(GlyphAccumulatorFactory):
    """A GlyphAccumulatorFactory reading the cached subset from memory instead of a file."""

    font_bytes: bytes = b""

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(self.font_bytes),
            font_size=self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )


def stamp_font(font_size: int, *texts: str) -> StampFontFactory:
    return StampFontFactory(
        font_file=str(STAMP_FONT), font_size=font_size, font_bytes=subset_for(*texts)
    )
