"""Design2Code's five automatic metrics and their overall score.

Si et al. 2024, "Design2Code: How Far Are We From Automating Front-End Engineering?".

- Block-Match: the area of matched blocks over the area of all blocks of both pages. Missing
  and invented text both lower it.
- Text: the mean text similarity (difflib ratio) of the matched pairs.
- Position: the mean of 1 - max(|dx|, |dy|) over the matched pairs' block centres, in page units.
- Color: the mean of max(0, 1 - CIEDE2000 / 100) over the matched pairs' text colours.
- Visual: the whole-page similarity of the inpainted screenshots (CLIP in the paper).

Overall is the mean of the five. When either page has no text blocks, or no pair survives the
matching, the four block metrics are 0 and the overall score is the visual score over five: the
paper's mean with four zeros, which is what the authors' evaluation code computes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from napkin.score._blocks import TextBlock
from napkin.score._color import color_similarity
from napkin.score._match import BlockMatch, MatchConfig, match_blocks

METRICS = ("block_match", "text", "position", "color", "visual")


@dataclass(slots=True)
class Design2CodeScores:
    """The five metrics in [0, 1], their mean, and what they were computed from."""

    block_match: float
    text: float
    position: float
    color: float
    visual: float
    overall: float
    visual_metric: str  # "ms-ssim", or "clip (...)": never compare figures across the two
    pred_blocks: int = 0
    ref_blocks: int = 0
    matched: int = 0
    merges: int = 0
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def design2code_scores(
    pred: list[TextBlock],
    ref: list[TextBlock],
    visual: float,
    visual_metric: str,
    config: MatchConfig | None = None,
) -> tuple[Design2CodeScores, BlockMatch]:
    """Score `pred` against `ref` from their text blocks and a visual similarity already computed."""
    if not pred or not ref:
        side = "either page" if not pred and not ref else ("the prediction" if not pred else "the reference")
        return _visual_only(visual, visual_metric, f"no text blocks in {side}", len(pred), len(ref)), BlockMatch(pred, ref)
    m = match_blocks(pred, ref, config)
    if not m.pairs:
        return _visual_only(visual, visual_metric, "no text block matched", len(pred), len(ref), m.merges), m

    matched_p = {i for i, _, _ in m.pairs}
    matched_r = {j for _, j, _ in m.pairs}
    total = sum(b.area for b in m.pred) + sum(b.area for b in m.ref)
    matched_area = sum(m.pred[i].area for i in matched_p) + sum(m.ref[j].area for j in matched_r)
    pairs_p = [m.pred[i] for i, _, _ in m.pairs]
    pairs_r = [m.ref[j] for _, j, _ in m.pairs]
    centres_p = np.array([b.center for b in pairs_p])
    centres_r = np.array([b.center for b in pairs_r])
    position = 1 - np.abs(centres_p - centres_r).max(axis=1)
    colors = color_similarity(np.array([b.color for b in pairs_p]), np.array([b.color for b in pairs_r]))
    block_match = matched_area / total if total > 0 else 0.0
    text = float(np.mean([s for _, _, s in m.pairs]))
    parts = (block_match, text, float(position.mean()), float(colors.mean()), visual)
    scores = Design2CodeScores(
        *parts, overall=float(np.mean(parts)), visual_metric=visual_metric,
        pred_blocks=len(pred), ref_blocks=len(ref), matched=len(m.pairs), merges=m.merges,
    )
    return scores, m


def _visual_only(
    visual: float, visual_metric: str, note: str, pred_blocks: int, ref_blocks: int, merges: int = 0
) -> Design2CodeScores:
    return Design2CodeScores(0.0, 0.0, 0.0, 0.0, visual, visual / 5, visual_metric, pred_blocks, ref_blocks, 0, merges, note)
