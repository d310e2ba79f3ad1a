"""A typed-name signature image, for people who cannot draw on the signature pad (keyboard,
screen reader): the name is rendered to a PNG the same way a drawn signature is stored."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = (
    Path(__file__).resolve().parents[1] / "inspections" / "pdf" / "fonts" / "DejaVuSerif-Italic.ttf"
)


def typed_signature_png(name: str) -> bytes:
    name = " ".join(name.split())[:80]
    font = ImageFont.truetype(str(FONT), 40)
    left, top, right, bottom = font.getbbox(name)
    image = Image.new("RGBA", (right - left + 40, bottom - top + 30), (255, 255, 255, 0))
    ImageDraw.Draw(image).text((20 - left, 15 - top), name, font=font, fill=(16, 32, 74, 255))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()
