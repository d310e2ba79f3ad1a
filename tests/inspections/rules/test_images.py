"""Image upload checks: the format by content, MPO read as JPEG, pixel bound, damaged bytes."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from inspections.rules.images import ImageInfo, ImageRejected, inspect_image


def _bytes(fmt: str, size=(4, 3), **save) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format=fmt, **save)
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` (the pixel data is never reached)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b""))
        + _chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
def test_accepted_formats_by_content(fmt, content_type):
    assert inspect_image(_bytes(fmt), max_pixels=12) == ImageInfo(content_type, 4, 3)


def test_pixel_bound_is_inclusive():
    assert inspect_image(_bytes("PNG"), max_pixels=12).width == 4
    with pytest.raises(ImageRejected, match=r"^4×3 exceeds 11 pixels$") as exc:
        inspect_image(_bytes("PNG"), max_pixels=11)
    assert exc.value.code == "image_too_many_pixels"


def test_phone_camera_mpo_is_a_jpeg():
    buf = io.BytesIO()
    first, second = Image.new("RGB", (4, 3)), Image.new("RGB", (4, 3))
    first.save(buf, format="MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buf.getvalue())).format == "MPO"
    assert inspect_image(buf.getvalue(), max_pixels=100) == ImageInfo("image/jpeg", 4, 3)


def test_other_formats_are_refused_with_the_list_of_accepted_ones():
    with pytest.raises(ImageRejected, match=r"^GIF is not accepted; send JPEG, PNG, WEBP$") as exc:
        inspect_image(_bytes("GIF"), max_pixels=100)
    assert exc.value.code == "unsupported_image_type"
    with pytest.raises(ImageRejected, match=r"^WEBP is not accepted; send JPEG, PNG$"):
        inspect_image(_bytes("WEBP"), max_pixels=100, allowed=("JPEG", "PNG"))


def test_bytes_that_are_no_image_or_a_truncated_one_are_unreadable():
    for data in (b"<html>not an image</html>", _bytes("JPEG", size=(64, 64))[:300]):
        with pytest.raises(ImageRejected, match=r"^the bytes are not a readable image$") as exc:
            inspect_image(data, max_pixels=10_000)
        assert exc.value.code == "invalid_image"


def test_decompression_bomb_is_refused_from_its_header():
    limit = Image.MAX_IMAGE_PIXELS
    side = int(limit**0.5) + 100  # past Pillow's warning limit, below its error limit
    with pytest.raises(ImageRejected) as exc:
        inspect_image(_png_header(side, side), max_pixels=10**12)
    assert exc.value.code == "image_too_many_pixels"
    assert "decompression bomb" in str(exc.value)
    with pytest.raises(ImageRejected) as exc:
        inspect_image(_png_header(3 * side, 3 * side), max_pixels=10**12)
    assert exc.value.code == "image_too_many_pixels"
