"""Load an untrusted picture into a plain RGB image, refusing what cannot be one.

Strangers send anything: text files named .png, truncated downloads, decompression bombs,
1x1 tracking pixels, 20000x20000 scans, animated GIFs. Each becomes a clear `InputError` or a
usable image with a warning; nothing is decoded before its size is known to be safe.
"""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from napkin._limits import MAX_IMAGE_FILE_BYTES, MAX_IMAGE_PIXELS
from napkin.errors import InputError

log = logging.getLogger(__name__)

DEFAULT_MAX_PIXELS = MAX_IMAGE_PIXELS
# Below this on either side nothing recognisable fits (a button is ~30 px tall at 1x).
MIN_SIDE = 16
# Where load_image leaves its warnings on the image it returns (`analyze` reports them).
WARNINGS_KEY = "napkin.warnings"

Source = str | Path | bytes | bytearray | Image.Image


def image_warnings(img: Image.Image) -> list[str]:
    """The warnings `load_image` attached to an image (a new list)."""
    found = img.info.get(WARNINGS_KEY, [])
    return list(found) if isinstance(found, list) else []


def _bomb(name: str, max_pixels: int, exc: Exception) -> InputError:
    pil_limit = 2 * (Image.MAX_IMAGE_PIXELS or 0)
    return InputError(
        f"{name} declares an image of more than {pil_limit / 1e6:.0f} megapixels (a decompression bomb?); "
        f"Napkin reads at most {max_pixels / 1e6:.0f} megapixels: downscale it first or raise the limit (napkin generate --max-megapixels; max_pixels in code) ({exc})"
    )


def _open(source: Source, max_pixels: int) -> tuple[Image.Image, str]:
    if isinstance(source, Image.Image):
        return source, "the image"
    if isinstance(source, (bytes, bytearray)):
        if len(source) > MAX_IMAGE_FILE_BYTES:
            raise InputError(f"image data is {len(source) // 2**20} MB, above the {MAX_IMAGE_FILE_BYTES // 2**20} MB limit")
        data, name = bytes(source), "the image data"
    else:
        path = Path(source)
        name = str(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror or exc}") from exc
        if not path.is_file():
            raise InputError(f"{name} is not a file")
        if size > MAX_IMAGE_FILE_BYTES:
            raise InputError(f"{name} is {size // 2**20} MB, above the {MAX_IMAGE_FILE_BYTES // 2**20} MB limit for an image")
        data = path.read_bytes()
    if not data:
        raise InputError(f"{name} is empty, not an image")
    # PIL's global limit (Image.MAX_IMAGE_PIXELS) is left alone: other code in the process may rely
    # on it. Its warning is noise here, since our own check (max_pixels) runs before any decoding;
    # its hard error, at twice its limit, is caught and reported like our own refusal.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise _bomb(name, max_pixels, exc) from exc
    except UnidentifiedImageError as exc:
        raise InputError(f"{name} is not an image Napkin can read (PNG, JPEG, GIF, WebP, BMP, TIFF)") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise InputError(f"{name} is a damaged image: {exc}") from exc
    return img, name


def _check_size(img: Image.Image, name: str, max_pixels: int, notes: list[str]) -> None:
    w, h = img.size
    if w < MIN_SIDE or h < MIN_SIDE:
        raise InputError(f"{name} is {w}x{h} px: too small to show a user interface (at least {MIN_SIDE}x{MIN_SIDE})")
    if w * h <= max_pixels:
        return
    # JPEG decodes at 1/2, 1/4 or 1/8 scale for almost nothing; other formats would have to be
    # decoded whole first, which is exactly the memory a bomb wants, so they are refused.
    if img.format == "JPEG":
        scale = 1
        while (w // scale) * (h // scale) > max_pixels and scale < 8:
            scale *= 2
        if (w // scale) * (h // scale) <= max_pixels:
            img.draft("RGB", (w // scale, h // scale))
            notes.append(f"the image is {w}x{h} px; it was decoded at 1/{scale} scale to stay under {max_pixels:,} pixels")
            return
    raise InputError(
        f"{name} is {w}x{h} px ({w * h / 1e6:.0f} megapixels), above the limit of {max_pixels / 1e6:.0f}; "
        "downscale it first or raise the limit (napkin generate --max-megapixels; max_pixels in code)"
    )


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        a = np.asarray(img, dtype=np.float64)
        lo, hi = float(a.min()), float(a.max())
        a = (a - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(a)
        return Image.fromarray(a.astype(np.uint8), "L").convert("RGB")
    if img.mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        # Transparent pixels are paper: drawing apps export sketches on a transparent canvas.
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return img.convert("RGB")


def load_image(source: Source, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """An RGB image from a path, bytes or a PIL image, or a clear `InputError`.

    Warnings (first frame of an animation taken, image downscaled, ...) are attached to the
    returned image: read them with `image_warnings(img)`; `analyze` reports them.
    """
    notes: list[str] = []
    img, name = _open(source, max_pixels)
    try:
        _check_size(img, name, max_pixels, notes)
        if getattr(img, "is_animated", False):
            notes.append(f"{name} is animated ({getattr(img, 'n_frames', '?')} frames); only the first frame is used")
            img.seek(0)
        try:
            img.load()
        except Image.DecompressionBombError as exc:
            raise _bomb(name, max_pixels, exc) from exc
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise InputError(f"{name} is truncated or damaged and cannot be decoded: {exc}") from exc
        img = ImageOps.exif_transpose(img) or img  # photos of sketches arrive rotated
        rgb = _to_rgb(img)
    except InputError:
        raise
    except MemoryError as exc:
        raise InputError(f"{name} is too large to decode in memory") from exc
    rgb.info[WARNINGS_KEY] = image_warnings(img) + notes
    for note in notes:
        log.info("load_image: %s", note)
    return rgb
