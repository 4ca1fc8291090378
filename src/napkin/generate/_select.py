"""Best-of-n: how close a rendering is to the input picture, and which candidate to keep."""

from __future__ import annotations

import math

from PIL import Image

from napkin.generate._types import Candidate, Scorer


def default_scorer() -> Scorer:
    """The image-vs-image score best-of-n ranks candidates by.

    napkin.score's visual metric (Design2Code's, weights-free: MS-SSIM of the two pictures
    squashed to squares, text kept since the input has no DOM), so candidates are ranked by the
    figure `napkin eval` reports for screenshot pairs.
    """
    from napkin.score import image_similarity, visual_metric

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
