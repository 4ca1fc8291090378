"""How the layout parser sees a picture: scaled to a fixed width, read in overlapping windows.

The same code prepares training windows and inference windows (torch and onnxruntime alike),
so nothing can drift between them. Numpy and Pillow only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

# The tallest picture read, in rows after scaling (4 windows of a 256 x 384 parser: a page four
# screens tall at 1280 px). Below it the page is left out, with a warning from the caller.
MAX_ROWS = 1536


@dataclass(frozen=True, slots=True)
class Tiling:
    """The layout parser's preprocessing: `tiling(picture)` is the scaled picture its windows are cut from."""

    width: int
    window: int  # rows of one window
    stride: int = 2  # input pixels per output cell
    multiple: int = 2  # rows are padded up to a multiple of this

    def __call__(self, image: Image.Image | np.ndarray) -> np.ndarray:
        return scale_to_width(image, self.width, self.multiple)


def scale_to_width(image: Image.Image | np.ndarray, width: int, multiple: int = 2, max_rows: int = MAX_ROWS) -> np.ndarray:
    """The picture as (rows, width, 3) uint8, its aspect kept, rows rounded up to `multiple` (edge-padded), at most `max_rows`."""
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    if image.mode != "RGB":
        image = image.convert("RGB")
    w, h = image.size
    rows = max(1, round(h * width / w))
    keep = min(h, max(1, round(min(rows, max_rows) * w / width)))  # source rows that fit in max_rows
    if keep < h:
        image = image.crop((0, 0, w, keep))
        rows = min(rows, max_rows)
    resample = Image.Resampling.BOX if w >= width else Image.Resampling.BILINEAR
    arr = np.asarray(image.resize((width, rows), resample), dtype=np.uint8)
    return pad_rows(arr, -(-rows // multiple) * multiple)


def pad_rows(arr: np.ndarray, rows: int) -> np.ndarray:
    """`arr` cut or extended to `rows` rows; added rows repeat the last one (a page's background goes on)."""
    if arr.shape[0] >= rows:
        return arr[:rows]
    pad = [(0, rows - arr.shape[0])] + [(0, 0)] * (arr.ndim - 1)
    return np.pad(arr, pad, mode="edge")


def window_starts(rows: int, window: int, overlap: int) -> list[int]:
    """First rows of the windows that cover `rows` rows, overlapping by at least `overlap`; the last ends at the bottom."""
    if rows <= window:
        return [0]
    step = max(1, window - overlap)
    starts = list(range(0, rows - window, step))
    return [*starts, rows - window]


def predict_tiled(
    predict: Callable[[np.ndarray], np.ndarray],
    pixels: np.ndarray,
    window: int,
    stride: int,
    overlap: int = 64,
    batch: int = 4,
) -> np.ndarray:
    """Per-class probabilities (classes, rows / stride, width / stride) of a scaled picture.

    `predict` maps uint8 windows (N, window, width, 3) to logits (N, classes, window / stride,
    width / stride). Where windows overlap, their probabilities are averaged.
    """
    rows = pixels.shape[0]
    padded = pad_rows(pixels, max(rows, window))
    starts = window_starts(padded.shape[0], window, overlap)
    total: np.ndarray | None = None
    count = np.zeros(padded.shape[0] // stride, np.float32)
    for i in range(0, len(starts), batch):
        group = starts[i : i + batch]
        logits = predict(np.stack([padded[s : s + window] for s in group]))
        probs = 1.0 / (1.0 + np.exp(-logits.astype(np.float32)))
        if total is None:
            total = np.zeros((probs.shape[1], padded.shape[0] // stride, probs.shape[3]), np.float32)
        for s, p in zip(group, probs, strict=True):
            total[:, s // stride : s // stride + p.shape[1]] += p
            count[s // stride : s // stride + p.shape[1]] += 1
    assert total is not None
    return (total / np.maximum(count, 1)[None, :, None])[:, : rows // stride]


def layout_similarity_of_masks(pred: np.ndarray, target: np.ndarray) -> tuple[float, dict[str, float]]:
    """Sketch2Code's layout similarity on grids (classes, H, W) of booleans, and each class's IoU.

    Per class the IoU of the two regions, weighted by the area of their union: the weighted mean
    is the total intersection over the total union. Two empty pages score 0, as in Sketch2Code.
    """
    inter = (pred & target).reshape(pred.shape[0], -1).sum(axis=1)
    union = (pred | target).reshape(pred.shape[0], -1).sum(axis=1)
    per_class = {str(i): float(inter[i] / union[i]) for i in range(len(union)) if union[i] > 0}
    total = float(union.sum())
    return (float(inter.sum()) / total if total > 0 else 0.0), per_class
