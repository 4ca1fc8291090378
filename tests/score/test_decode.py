"""Decoding screenshots: libspng and OpenCV give the same pixels; oversized and broken files are refused."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from napkin.errors import InputError
from napkin.score._blocks import decode_image


def _png(pixels: np.ndarray, mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels, mode).save(buf, "PNG")
    return buf.getvalue()


def test_png_decodes_to_the_same_pixels_as_opencv_and_pil():
    import cv2

    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (123, 77, 3), dtype=np.uint8)
    data = _png(pixels)
    out = decode_image(data)
    assert out.dtype == np.uint8 and out.shape == (123, 77, 3)
    assert np.array_equal(out, pixels)
    via_cv2 = cv2.cvtColor(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    assert np.array_equal(out, via_cv2)


def test_other_pngs_and_jpegs_decode_to_rgb():
    rgba = np.zeros((10, 20, 4), np.uint8)
    rgba[..., 0] = 200
    rgba[..., 3] = 255
    assert decode_image(_png(rgba, "RGBA"))[0, 0].tolist() == [200, 0, 0]
    gray = np.full((10, 20), 77, np.uint8)
    assert decode_image(_png(gray, "L")).shape == (10, 20, 3)
    buf = io.BytesIO()
    Image.new("RGB", (32, 16), (10, 200, 30)).save(buf, "JPEG", quality=95)
    jpeg = decode_image(buf.getvalue())
    assert jpeg.shape == (16, 32, 3) and abs(int(jpeg[8, 8, 1]) - 200) <= 3


def _with_size(png: bytes, width: int, height: int) -> bytes:
    """The PNG with its header claiming another size (and a valid header checksum)."""
    ihdr = bytearray(png[8 + 8 : 8 + 8 + 13])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return png[:16] + bytes(ihdr) + crc + png[16 + 13 + 4 :]


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = _with_size(_png(np.zeros((8, 8, 3), np.uint8)), 40_000, 40_000)
    with pytest.raises(InputError, match="megapixel limit"):
        decode_image(bomb)
    with pytest.raises(InputError, match="10000x6000 px, over the 50 megapixel limit"):
        decode_image(_with_size(_png(np.zeros((8, 8, 3), np.uint8)), 10_000, 6_000))
    with pytest.raises(InputError, match="megapixel limit"):
        decode_image(_png(np.zeros((100, 100, 3), np.uint8)), max_pixels=5_000)


def test_broken_files_are_input_errors():
    with pytest.raises(InputError, match="cannot decode"):
        decode_image(b"not an image at all")
    truncated = _png(np.full((64, 64, 3), 9, np.uint8))[:60]
    with pytest.raises(InputError):
        decode_image(truncated)
