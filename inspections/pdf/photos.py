"""Phone photos reduced to the size the record prints them: made once, when a photo arrives."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

# Photos are printed 82 x 58 mm; at 200 dpi that is at most 646 x 457 pixels.
PHOTO_MAX_PX = (646, 457)
PHOTO_JPEG_QUALITY = 82


def print_ready_jpeg(data: bytes | None, path: Path | None = None) -> bytes:
    """A phone photo turned upright (EXIF) and reduced to print size, as a baseline JPEG.

    JPEG "draft" decoding at 1/2-1/8 scale makes this several times cheaper than letting
    WeasyPrint decode full 12 MP images and resample them (its dpi option).
    """
    source: io.BytesIO | Path
    if data is not None:
        source = io.BytesIO(data)
    elif path is not None:
        source = Path(path)
    else:
        raise TypeError("print_ready_jpeg() needs the photo's data or its path")
    with Image.open(source) as opened:
        opened.draft("RGB", PHOTO_MAX_PX)  # decodes at the smallest scale still >= the target
        image: Image.Image = ImageOps.exif_transpose(opened)
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail(PHOTO_MAX_PX, Image.Resampling.LANCZOS, reducing_gap=2.0)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=PHOTO_JPEG_QUALITY, optimize=True)
        return out.getvalue()
