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

import numpy as np
from numpy.typing import NDArray

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


def decode_image(data: bytes) -> NDArray[np.uint8]:
    """PNG or JPEG bytes to an RGB array (H, W, 3)."""
    import cv2

    # OpenCV decodes straight to RGB since 4.10; reversing BGR costs as much as the decoding.
    rgb_flag = getattr(cv2, "IMREAD_COLOR_RGB", None)
    arr = cv2.imdecode(np.frombuffer(data, np.uint8), rgb_flag if rgb_flag is not None else cv2.IMREAD_COLOR)
    if arr is None:
        # cv2 does not read every format PIL does (palette PNGs with transparency, WebP, ...).
        from PIL import Image

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
    scale = result.viewport.device_scale_factor
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
    """`text_color` of many blocks at once: one pass of numpy over all of them, not one per block."""
    h, w = pixels.shape[:2]
    inside: list[NDArray[np.uint8]] = []
    inside_ids: list[int] = []
    edges: list[NDArray[np.uint8]] = []
    edge_ids: list[int] = []
    for k, rects in enumerate(blocks):
        for x0, y0, x1, y1 in rects:
            c0, r0 = int(np.floor(x0)), int(np.floor(y0))
            c1, r1 = min(int(np.ceil(x1)), w), min(int(np.ceil(y1)), h)
            if c1 <= c0 or r1 <= r0:
                continue
            crop = pixels[r0:r1, c0:c1]
            inside.append(crop.reshape(-1, 3))
            inside_ids.append(k)
            for edge in (crop[0], crop[-1], crop[:, 0], crop[:, -1]):
                edges.append(edge)
                edge_ids.append(k)
    out: list[RGB] = [(0, 0, 0)] * len(blocks)
    if not inside:
        return out
    edge_px = np.concatenate(edges)
    edge_seg = np.repeat(np.array(edge_ids), [len(e) for e in edges])
    bg_code = _group_mode(_pack(edge_px), edge_seg, len(blocks))
    px = np.concatenate(inside)
    seg = np.repeat(np.array(inside_ids), [len(a) for a in inside])
    bg = _unpack(bg_code[seg]).astype(np.float32)  # (N, 3): each pixel's block background
    dist2 = ((px.astype(np.float32) - bg) ** 2).sum(axis=1)
    # Pixels come block after block, so each block's maximum is a reduceat over its run.
    starts = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])
    strongest = np.zeros(len(blocks), dtype=np.float32)
    strongest[seg[starts]] = np.maximum.reduceat(dist2, starts)
    ink = (dist2 >= strongest[seg] * _INK_SHARE**2) & (strongest[seg] >= _MIN_INK**2)
    ink_code = _group_mode(_pack(px[ink]), seg[ink], len(blocks))
    has_pixels = np.zeros(len(blocks), dtype=bool)
    has_pixels[seg] = True
    for k in np.flatnonzero(has_pixels).tolist():
        code = int(ink_code[k]) if strongest[k] >= _MIN_INK**2 else int(bg_code[k])
        out[k] = ((code >> 16) & 255, (code >> 8) & 255, code & 255)
    return out


def _group_mode(codes: NDArray[np.int64], groups: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """The most common code of each group (0 for a group without codes); ties go to the smaller code."""
    out = np.zeros(n, dtype=np.int64)
    if codes.size == 0:
        return out
    keys, counts = np.unique(groups.astype(np.int64) << 24 | codes, return_counts=True)
    key_groups = keys >> 24
    order = np.lexsort((-keys, counts, key_groups))  # by group, count, then code falling: each group's mode comes last
    last = order[np.r_[key_groups[order][1:] != key_groups[order][:-1], True]]
    out[key_groups[last]] = keys[last] & 0xFFFFFF
    return out


def _unpack(codes: NDArray[np.int64]) -> NDArray[np.int64]:
    return np.stack([(codes >> 16) & 255, (codes >> 8) & 255, codes & 255], axis=-1)


def _pack(rgb: NDArray[np.uint8]) -> NDArray[np.int64]:
    v = rgb.astype(np.int64)
    return (v[:, 0] << 16) | (v[:, 1] << 8) | v[:, 2]
