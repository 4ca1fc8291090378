"""Text blocks of a rendered page: what Design2Code's low-level metrics compare.

Design2Code (Si et al. 2024, "Design2Code: How Far Are We From Automating Front-End
Engineering?") takes every text element of a page, its text, its box normalised to the
screenshot size, and its text colour read from the screenshot. The authors find the boxes by
injecting colours and diffing two extra renders; the render engine's DOM facts give the boxes of
every text node directly, so one render suffices. As in their extraction, the
text nodes of one element make one block (their boxes are united, their text joined by a space)
and blocks keep document order, which the matching's merging of neighbours relies on.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from napkin._limits import MAX_IMAGE_PIXELS
from napkin.errors import InputError
from napkin.render import Render

RGB = tuple[int, int, int]


@dataclass(slots=True)
class TextBlock:
    """One block of text. Box in [0, 1] page units (fractions of the screenshot's width and height)."""

    text: str
    x: float
    y: float
    w: float
    h: float
    color: RGB
    # Where it came from, for reports: the element's path in its page, and its box in CSS px.
    path: str = ""
    px_box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    @property
    def area(self) -> float:
        return self.w * self.h

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)


# A screenshot larger than this is refused before decoding (a decompression bomb, or a page
# nobody meant to score).
MAX_PIXELS = MAX_IMAGE_PIXELS
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def decode_image(data: bytes, max_pixels: int = MAX_PIXELS) -> NDArray[np.uint8]:
    """PNG or JPEG bytes (or any format PIL reads) to an RGB array (H, W, 3).

    PNGs, every screenshot of the render engine, go through libspng (pyspng), three times
    faster than OpenCV's libpng on Chromium's screenshots and the same pixels; anything else
    through OpenCV. Alpha is dropped, as every decoder here does.
    """
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only
            w, h = probe.size
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"cannot decode the screenshot: {exc}") from exc
    except Image.DecompressionBombError as exc:
        raise InputError(f"the screenshot is over the {max_pixels / 1e6:.0f} megapixel limit ({exc})") from exc
    if w * h > max_pixels:
        raise InputError(f"the screenshot is {w}x{h} px, over the {max_pixels / 1e6:.0f} megapixel limit")
    if data[:8] == _PNG_SIGNATURE:
        try:
            import pyspng

            arr = pyspng.load(data, "RGB")
            if arr.dtype == np.uint8 and arr.shape == (h, w, 3):
                return arr
        except ImportError:
            pass
        except Exception:  # noqa: BLE001 - libspng is stricter than libpng on damaged files: let OpenCV try
            pass
    import cv2

    # OpenCV decodes straight to RGB since 4.10; reversing BGR costs as much as the decoding.
    rgb_flag = getattr(cv2, "IMREAD_COLOR_RGB", None)
    arr = cv2.imdecode(np.frombuffer(data, np.uint8), rgb_flag if rgb_flag is not None else cv2.IMREAD_COLOR)
    if arr is None:
        # cv2 does not read every format PIL does (palette PNGs with transparency, WebP, ...).
        try:
            with Image.open(io.BytesIO(data)) as img:
                return np.asarray(img.convert("RGB"))
        except OSError as exc:
            raise InputError(f"cannot decode the screenshot: {exc}") from exc
    return np.asarray(arr if rgb_flag is not None else cv2.cvtColor(arr, cv2.COLOR_BGR2RGB), dtype=np.uint8)


def text_blocks(result: Render, pixels: NDArray[np.uint8] | None = None) -> list[TextBlock]:
    """The text blocks of a render, in document order, with colours read from its screenshot.

    `pixels` is the decoded screenshot (decoded here when not given). Text outside the screenshot
    (below a cut) is left out; text partly inside keeps the visible part of its box.
    """
    if pixels is None:
        if result.image is None:
            return []
        pixels = decode_image(result.image)
    img_h, img_w = pixels.shape[:2]
    scale = result.pixel_scale
    page_w, page_h = img_w / scale, img_h / scale  # the screenshot in CSS px
    blocks: list[TextBlock] = []
    rect_lists: list[list[tuple[float, float, float, float]]] = []
    for el in result.elements:
        if not el.text or not el.text_boxes:
            continue
        rects = []
        for tb in el.text_boxes:
            x0, y0 = max(tb.x, 0.0), max(tb.y, 0.0)
            x1, y1 = min(tb.x + tb.w, page_w), min(tb.y + tb.h, page_h)
            if x1 > x0 and y1 > y0:
                rects.append((x0, y0, x1, y1))
        if not rects:
            continue
        x0 = min(r[0] for r in rects)
        y0 = min(r[1] for r in rects)
        x1 = max(r[2] for r in rects)
        y1 = max(r[3] for r in rects)
        rect_lists.append([(r[0] * scale, r[1] * scale, r[2] * scale, r[3] * scale) for r in rects])
        blocks.append(
            TextBlock(
                text=el.text,
                x=x0 / page_w,
                y=y0 / page_h,
                w=(x1 - x0) / page_w,
                h=(y1 - y0) / page_h,
                color=(0, 0, 0),
                path=el.path,
                px_box=(round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1)),
            )
        )
    for block, color in zip(blocks, text_colors(pixels, rect_lists), strict=True):
        block.color = color
    return blocks


# Below this distance (Euclidean, 0..255 RGB) from the background no pixel is taken for ink:
# the text is invisible, or as good as, and its colour is the background's.
_MIN_INK = 24.0
# Pixels at least this fraction of the strongest contrast count as ink. Anti-aliased glyph
# edges are blends of ink and background; the interior of the strokes carries the true colour.
_INK_SHARE = 0.7


def text_color(pixels: NDArray[np.uint8], rects: list[tuple[float, float, float, float]]) -> RGB:
    """The colour of the text drawn in `rects` (device px, x0 y0 x1 y1) of an RGB screenshot.

    The background is the most common colour along the edges of the text boxes; the ink is the
    most common colour among the pixels that differ from it most. Design2Code averages the pixels
    that its colour injection marks as text, which are the fully covered interior pixels; this
    reads the same pixels without a second render.
    """
    return text_colors(pixels, [rects])[0]


def text_colors(pixels: NDArray[np.uint8], blocks: list[list[tuple[float, float, float, float]]]) -> list[RGB]:
    """`text_color` of many blocks (each a list of rects, device px, x0 y0 x1 y1).

    Block by block, on views of the screenshot (no copies of the page); the per-pixel work
    is OpenCV's. Three times faster than one numpy pass over all blocks' pixels.
    """
    import cv2

    h, w = pixels.shape[:2]
    out: list[RGB] = [(0, 0, 0)] * len(blocks)
    for k, rects in enumerate(blocks):
        crops = []
        for x0, y0, x1, y1 in rects:
            c0, r0 = int(np.floor(x0)), int(np.floor(y0))
            c1, r1 = min(int(np.ceil(x1)), w), min(int(np.ceil(y1)), h)
            if c1 > c0 and r1 > r0:
                crops.append(pixels[r0:r1, c0:c1])
        if not crops:
            continue
        bg = _mode(np.concatenate([e for c in crops for e in (c[0], c[-1], c[:, 0], c[:, -1])]))
        bg_scalar: Any = (float(bg >> 16), float((bg >> 8) & 255), float(bg & 255), 0.0)  # a cv2 Scalar
        dist2 = []  # squared distance of each pixel to the background, as float32 (exact integers)
        strongest = 0.0
        for crop in crops:
            d = cv2.absdiff(np.ascontiguousarray(crop), bg_scalar).astype(np.float32)
            d2 = cv2.transform(d * d, _SUM_CHANNELS)
            dist2.append(d2)
            strongest = max(strongest, float(d2.max()))
        code = bg
        if strongest >= _MIN_INK**2:
            threshold = strongest * np.float32(_INK_SHARE**2)
            ink = [crop[d2 >= threshold] for crop, d2 in zip(crops, dist2, strict=True)]
            code = _mode(np.concatenate(ink) if len(ink) > 1 else ink[0])
        out[k] = ((code >> 16) & 255, (code >> 8) & 255, code & 255)
    return out


_SUM_CHANNELS = np.ones((1, 3), dtype=np.float32)


def _mode(rgb: NDArray[np.uint8]) -> int:
    """The most common colour of (N, 3) pixels as a 24-bit code; ties go to the smaller code."""
    codes = (rgb[:, 0].astype(np.int32) << 16) | (rgb[:, 1].astype(np.int32) << 8) | rgb[:, 2]
    values, counts = np.unique(codes, return_counts=True)
    return int(values[np.argmax(counts)])
