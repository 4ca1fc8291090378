"""Pictures for the bad-input tests, made on the spot: a good one and every kind of bad one."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

# name -> does a page come out of it (True) or an InputError (False)
EXPECTED = {
    "good.png": True,
    "blank.png": True,
    "animated.gif": True,
    "not_an_image.png": False,
    "truncated.png": False,
    "empty.png": False,
    "tiny.png": False,
    "bomb.png": False,
}


def good_picture(size: tuple[int, int] = (640, 400)) -> Image.Image:
    """A page-like picture: a dark header, a title bar and two cards."""
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, size[0], 60), fill="#1d2b53")
    d.rectangle((40, 100, 400, 130), fill="#333333")
    d.rectangle((40, 170, 300, 360), outline="#888888", width=2)
    d.rectangle((340, 170, 600, 360), outline="#888888", width=2)
    return img


def bomb_png(side: int = 20000) -> bytes:
    """A real 1-bit PNG of side x side pixels: ~50 MB of pixels in a few kB of file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def write_pictures(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    good_picture().save(folder / "good.png")
    Image.new("RGB", (800, 600), "white").save(folder / "blank.png")
    frames = [good_picture((320, 200)), Image.new("RGB", (320, 200), "red")]
    frames[0].save(folder / "animated.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    (folder / "not_an_image.png").write_text("<html>this is not a picture</html>")
    buf = io.BytesIO()
    noisy = Image.effect_noise((400, 300), 60).convert("RGB")
    noisy.save(buf, "PNG")
    (folder / "truncated.png").write_bytes(buf.getvalue()[: buf.tell() // 2])
    (folder / "empty.png").write_bytes(b"")
    Image.new("RGB", (1, 1), "white").save(folder / "tiny.png")
    (folder / "bomb.png").write_bytes(bomb_png())
    return folder
