"""load_image and analyze on bad input: each case is a clear InputError or a sensible result."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from napkin.errors import InputError
from napkin.vision import analyze, image_warnings, load_image


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A valid small PNG whose header claims another size: what a decompression bomb looks like."""
    data = bytearray(png_bytes(Image.new("RGB", (32, 32), "white")))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_reads_path_bytes_and_pil(tmp_path):
    img = Image.new("RGB", (64, 48), (10, 20, 30))
    path = tmp_path / "a.png"
    img.save(path)
    for source in (path, str(path), path.read_bytes(), img):
        out = load_image(source)
        assert out.mode == "RGB" and out.size == (64, 48)
        assert out.getpixel((0, 0)) == (10, 20, 30)
        assert image_warnings(out) == []


def test_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("hello, I am text")
    with pytest.raises(InputError, match="not an image"):
        load_image(path)
    with pytest.raises(InputError, match="empty"):
        load_image(b"")
    with pytest.raises(InputError, match="cannot read"):
        load_image(tmp_path / "missing.png")


def test_truncated_image():
    data = png_bytes(Image.effect_noise((200, 200), 60).convert("RGB"))
    with pytest.raises(InputError, match="truncated|damaged"):
        load_image(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(InputError, match="megapixels|decompression bomb"):
        load_image(png_declaring(100_000, 100_000))


def test_huge_png_is_refused_with_the_way_out():
    with pytest.raises(InputError, match=r"megapixels.*max_pixels"):
        load_image(png_declaring(20_000, 20_000))


def test_huge_jpeg_is_decoded_downscaled_with_a_warning():
    buf = io.BytesIO()
    Image.new("RGB", (1600, 1200), (200, 30, 30)).save(buf, "JPEG")
    out = load_image(buf.getvalue(), max_pixels=200_000)
    assert out.width * out.height <= 200_000 and out.width >= 200
    assert any("1/" in w and "scale" in w for w in image_warnings(out))


@pytest.mark.parametrize("size", [(1, 1), (8, 300), (300, 4)])
def test_too_small(size):
    with pytest.raises(InputError, match="too small"):
        load_image(png_bytes(Image.new("RGB", size, "white")))


def test_animated_gif_takes_the_first_frame_with_a_warning():
    frames = [Image.new("RGB", (40, 40), c) for c in ("red", "lime", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    out = load_image(buf.getvalue())
    r, g, b = out.getpixel((5, 5))
    assert r > 200 and g < 50 and b < 50
    assert any("animated" in w for w in image_warnings(out))


def test_transparent_canvas_becomes_white_paper():
    img = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    img.putpixel((3, 3), (0, 0, 0, 255))
    out = load_image(png_bytes(img))
    assert out.getpixel((10, 10)) == (255, 255, 255) and out.getpixel((3, 3)) == (0, 0, 0)


def test_sixteen_bit_grey_is_normalised():
    a = (np.arange(64 * 64, dtype=np.uint16).reshape(64, 64) * 16).astype(np.uint16)
    out = load_image(png_bytes(Image.fromarray(a)))
    assert out.mode == "RGB" and out.getextrema()[0] == (0, 255)


def test_blank_image_is_an_empty_page_with_a_warning():
    result = analyze(Image.new("RGB", (640, 400), (250, 250, 250)))
    assert any("blank" in w for w in result.warnings)
    assert result.tree.kind == "page" and not result.tree.texts()
    assert result.theme.background == "#fafafa"
    assert result.tree.box is not None and result.tree.box[2] == 1280 and result.tree.box[3] == 800


def test_bad_kind_is_refused():
    with pytest.raises(InputError, match="kind"):
        analyze(Image.new("RGB", (64, 64)), kind="photo")  # type: ignore[arg-type]


def test_over_our_limit_but_under_pils_is_refused_by_size():
    with pytest.raises(InputError, match=r"9000x9000 px .*max_pixels"):
        load_image(png_declaring(9_000, 9_000))
