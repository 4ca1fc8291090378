"""Best-of-n: how close a rendering is to the input picture, and which candidate to keep."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from napkin.errors import DependencyError
from napkin.generate._types import Candidate, Scorer

# Comparison width. 256 px keeps blocks, whitespace and the luminance of colors, which is what
# separates a right layout from a wrong one; finer detail (glyphs) costs time and says little.
_WIDTH = 256
_MAX_HEIGHT = 8 * _WIDTH  # a page 8 screens tall; below that the candidates rarely differ
_WINDOW = 7
_C1 = (0.01 * 255) ** 2
_C2 = (0.03 * 255) ** 2


def visual_similarity(reference: Image.Image, candidate: Image.Image) -> float:
    """Grayscale structural similarity (SSIM, 7x7 box windows) of two pictures at 256 px wide, in [-1, 1].

    Both are scaled to the same width with their aspect kept; the shorter is padded with white,
    so a page of the wrong length loses the rows it lacks or adds.
    """
    a, b = _gray(reference), _gray(candidate)
    height = min(max(a.shape[0], b.shape[0]), _MAX_HEIGHT)
    a, b = _fit(a, height), _fit(b, height)
    mu_a, mu_b = _box(a), _box(b)
    var_a = _box(a * a) - mu_a**2
    var_b = _box(b * b) - mu_b**2
    cov = _box(a * b) - mu_a * mu_b
    ssim = ((2 * mu_a * mu_b + _C1) * (2 * cov + _C2)) / ((mu_a**2 + mu_b**2 + _C1) * (var_a + var_b + _C2))
    return float(ssim.mean())


def _gray(img: Image.Image) -> np.ndarray:
    h = max(_WINDOW, round(img.height * _WIDTH / img.width))
    return np.asarray(img.convert("L").resize((_WIDTH, h), Image.Resampling.BILINEAR), dtype=np.float64)


def _fit(x: np.ndarray, height: int) -> np.ndarray:
    if x.shape[0] >= height:
        return x[:height]
    return np.pad(x, ((0, height - x.shape[0]), (0, 0)), constant_values=255.0)


def _box(x: np.ndarray) -> np.ndarray:
    """Mean over every full 7x7 window (valid mode), by summed-area table."""
    k = _WINDOW
    s = np.pad(x, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return (s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]) / (k * k)


def default_scorer() -> Scorer:
    """The image-vs-image score best-of-n ranks candidates by.

    napkin.score's visual metric (Design2Code's, weights-free: MS-SSIM of the two pictures
    squashed to squares, text kept since the input has no DOM), so candidates are ranked by the
    figure `napkin eval` reports for screenshot pairs. `visual_similarity` when the score extra
    is not installed.
    """
    try:
        from napkin.score import image_similarity, visual_metric
    except (ImportError, DependencyError):
        return visual_similarity
    metric = visual_metric()

    def score(reference: Image.Image, candidate: Image.Image) -> float:
        return image_similarity(reference, candidate, metric)

    return score


def pick(candidates: list[Candidate]) -> int | None:
    """Index of the candidate to keep: one that rendered, then the best score, then the fewest problems.

    None when no candidate produced HTML.
    """
    usable = [c for c in candidates if c.error is None and c.html]
    if not usable:
        return None

    def key(c: Candidate) -> tuple[bool, float, int, int]:
        score = c.score if c.score is not None and math.isfinite(c.score) else -math.inf
        return (c.rendered, score, -len(c.problems), -c.index)

    return max(usable, key=key).index
