"""Input pictures: reading and checking them, and the forms backends need (data URLs, blankness)."""

from __future__ import annotations

import base64
import io
import os
import warnings
from pathlib import Path
from typing import IO, Any

import numpy as np
from PIL import Image, ImageOps

from napkin._limits import MAX_IMAGE_FILE_BYTES, MAX_IMAGE_PIXELS
from napkin.errors import DependencyError, InputError

ImageSource = str | os.PathLike[str] | bytes | IO[bytes] | Image.Image

# The checks below are a stand-in used only while `napkin.vision.load_image` (which owns the
# real ones) cannot be imported, so that the remote backend works without the vision extra.
_MIN_SIDE = 16


def read_image(source: ImageSource, max_pixels: int | None = None) -> tuple[Image.Image, list[str]]:
    """Load and check an input picture as RGB; raise InputError when it cannot be used.

    Uses `napkin.vision.load_image` when the vision pipeline is installed, else minimal checks
    of our own. `max_pixels` raises or lowers the size limit (default 50 megapixels; the CLI's
    --max-megapixels). Returns the picture and warnings about it.
    """
    try:
        from napkin.vision import image_warnings, load_image
    except (ImportError, DependencyError):
        return _fallback_load(source, max_pixels or MAX_IMAGE_PIXELS)
    if isinstance(source, os.PathLike):
        source = Path(source)
    elif not isinstance(source, str | bytes | Image.Image):
        source = _read_bytes(source, "the image")
    img = load_image(source, max_pixels or MAX_IMAGE_PIXELS)
    # Kept as vision returns it (RGB, its warnings in .info): analyze then does not load it again.
    return (img if img.mode == "RGB" else img.convert("RGB")), image_warnings(img)


def _fallback_load(source: ImageSource, max_pixels: int = MAX_IMAGE_PIXELS) -> tuple[Image.Image, list[str]]:
    notes: list[str] = []
    if isinstance(source, Image.Image):
        img = source
        name = "the image"
    else:
        name = str(source) if isinstance(source, str | os.PathLike) else "the image"
        data = _read_bytes(source, name)
        try:
            with warnings.catch_warnings():
                # PIL only warns between MAX_IMAGE_PIXELS and twice that; refuse those too.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                img = Image.open(io.BytesIO(data))
                _check_size(img.size, name, max_pixels)
                img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise InputError(f"{name} declares a huge size (a decompression bomb?): {exc}") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            what = "truncated or corrupt" if _looks_like_image(data) else "not an image Napkin can read"
            raise InputError(f"{name} is {what}: {exc}. Use a PNG, JPEG, WebP, GIF or BMP file.") from exc
        if getattr(img, "is_animated", False):
            notes.append(f"{name} is animated ({getattr(img, 'n_frames', '?')} frames): used the first frame")
            img.seek(0)
    _check_size(img.size, name, max_pixels)
    img = ImageOps.exif_transpose(img)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        # Transparent pixels are drawn on white: what a screenshot of a transparent PNG shows.
        rgba = img.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        canvas.alpha_composite(rgba)
        img = canvas
    return img.convert("RGB"), notes


def _looks_like_image(data: bytes) -> bool:
    """The file starts like a picture (so a failure to decode means it is damaged)."""
    return data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _read_bytes(source: Any, name: str) -> bytes:
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            if path.stat().st_size > MAX_IMAGE_FILE_BYTES:
                raise InputError(f"{name} is over {MAX_IMAGE_FILE_BYTES // 2**20} MB; Napkin reads smaller pictures")
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise InputError(f"{name} does not exist") from exc
        except IsADirectoryError as exc:
            raise InputError(f"{name} is a folder, not an image") from exc
        except OSError as exc:
            raise InputError(f"could not read {name}: {exc.strerror or exc}") from exc
    elif hasattr(source, "read"):
        data = source.read(MAX_IMAGE_FILE_BYTES + 1)
        if len(data) > MAX_IMAGE_FILE_BYTES:
            raise InputError(f"{name} is over {MAX_IMAGE_FILE_BYTES // 2**20} MB; Napkin reads smaller pictures")
    else:
        raise InputError(f"cannot read an image from a {type(source).__name__}; pass a path, bytes or a PIL image")
    if not data:
        raise InputError(f"{name} is empty")
    return data


def _check_size(size: tuple[int, int], name: str, max_pixels: int = MAX_IMAGE_PIXELS) -> None:
    w, h = size
    if w < _MIN_SIDE or h < _MIN_SIDE:
        raise InputError(f"{name} is {w}x{h} px: too small to show an interface (at least {_MIN_SIDE} px each side)")
    if w * h > max_pixels:
        raise InputError(
            f"{name} is {w}x{h} px ({w * h / 1e6:.0f} megapixels), over the {max_pixels / 1e6:.0f} megapixel limit; "
            "scale it down, cut it into parts, or raise the limit (napkin generate --max-megapixels)"
        )


def to_data_url(image: Image.Image, max_side: int) -> str:
    """The picture as a `data:` URL for an `image_url` content part, scaled to fit `max_side`."""
    img = image
    if max(img.size) > max_side:
        scale = max_side / max(img.size)
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False)
    mime = "image/png"
    # Photos of paper sketches compress badly as PNG; past a few MB a JPEG costs less upload and
    # fits the request limits of hosted APIs (OpenAI's is 20 MB per image).
    if buf.tell() > 4 * 1024 * 1024:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=90)
        mime = "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"


def is_blank(image: Image.Image) -> bool:
    """True when the picture is one flat color (allowing JPEG noise and a stray pixel)."""
    small = np.asarray(image.convert("L").resize((64, max(1, round(64 * image.height / image.width)))), dtype=np.float32)
    return bool(small.std() < 1.5 and np.percentile(small, 99.5) - np.percentile(small, 0.5) < 12)
