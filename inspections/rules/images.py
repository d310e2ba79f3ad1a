"""Checks on uploaded image bytes: real JPEG/PNG/WebP by content, bounded size and pixels."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class ImageRejected(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int


def inspect_image(
    data: bytes, *, max_pixels: int, allowed: tuple[str, ...] = ("JPEG", "PNG", "WEBP")
) -> ImageInfo:
    """Identify the image by its bytes (never the file name) and verify it decodes.

    The pixel count is checked from the header before any decoding, so a decompression bomb is
    refused without being expanded in memory.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            fmt = image.format
            if fmt == "MPO":
                # Phone cameras write MPO: a JPEG whose first image is what every viewer shows,
                # with further images (depth, preview) appended. Its bytes are a valid JPEG.
                fmt = "JPEG"
            width, height = image.size
            if fmt not in allowed:
                raise ImageRejected(
                    "unsupported_image_type",
                    f"{fmt or 'unknown'} is not accepted; send {', '.join(allowed)}",
                )
            if width * height > max_pixels:
                raise ImageRejected(
                    "image_too_many_pixels",
                    f"{width}×{height} exceeds {max_pixels} pixels",
                )
            image.verify()
            # verify() does not decode pixel data; a truncated file only fails on load.
            Image.open(io.BytesIO(data)).load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("image_too_many_pixels", str(exc)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected("invalid_image", "the bytes are not a readable image") from exc
    return ImageInfo(CONTENT_TYPES[fmt], width, height)
