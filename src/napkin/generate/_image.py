"""Input pictures: reading and checking them, and the forms backends need (data URLs, blankness)."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path
from typing import IO, Any

import numpy as np
from PIL import Image

from napkin._image import image_warnings, load_image
from napkin._limits import MAX_IMAGE_FILE_BYTES, MAX_IMAGE_PIXELS
from napkin.errors import InputError

ImageSource = str | os.PathLike[str] | bytes | IO[bytes] | Image.Image


def read_image(source: ImageSource, max_pixels: int | None = None) -> tuple[Image.Image, list[str]]:
    """Load and check an input picture as RGB; raise InputError when it cannot be used.

    The one loader of every input picture (`napkin._image.load_image`, which the vision
    pipeline, scoring and the embedding use too). `max_pixels` raises or lowers the size limit
    (default 50 megapixels; the CLI's --max-megapixels). Returns the picture and its warnings.
    """
    if isinstance(source, os.PathLike):
        source = Path(source)
    elif not isinstance(source, str | bytes | Image.Image):
        source = _read_stream(source)
    img = load_image(source, max_pixels or MAX_IMAGE_PIXELS)
    # Kept as the loader returns it (RGB, its warnings in .info): analyze then does not load it again.
    return img, image_warnings(img)


def _read_stream(source: Any) -> bytes:
    """The bytes of a file-like object, read no further than the file size limit allows."""
    if not hasattr(source, "read"):
        raise InputError(f"cannot read an image from a {type(source).__name__}; pass a path, bytes or a PIL image")
    data = source.read(MAX_IMAGE_FILE_BYTES + 1)
    if not isinstance(data, bytes):
        raise InputError("the image stream gave text, not bytes: open the file in binary mode ('rb')")
    if len(data) > MAX_IMAGE_FILE_BYTES:
        raise InputError(f"the image is over {MAX_IMAGE_FILE_BYTES // 2**20} MB; Napkin reads smaller pictures")
    return data


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
