"""Scoring one pair of pages: the Design2Code metrics, layout similarity and code quality together."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from napkin.render import Render
from napkin.score._blocks import MAX_PIXELS, TextBlock, decode_image, text_blocks
from napkin.score._design2code import Design2CodeScores, design2code_scores
from napkin.score._judge import JudgeScores
from napkin.score._layout import LayoutScores, layout_similarity
from napkin.score._match import BlockMatch, MatchConfig
from napkin.score._quality import CodeQuality, code_quality
from napkin.score._structure import StructureScores, structure_scores
from napkin.score._visual import VisualMetric, inpainted_square, visual_metric

_MAX_DETAILS = 40  # texts listed per kind in a page's details


@dataclass(slots=True)
class Page:
    """One side of a pair, ready to score.

    A page made from HTML has its render (DOM facts) and text blocks; a page that is only a
    screenshot has pixels alone, and only the visual metric can be computed for it.
    """

    pixels: NDArray[np.uint8]
    render: Render | None = None
    html: str | None = None
    blocks: list[TextBlock] = field(default_factory=list)
    mobile: Render | None = None  # the same HTML rendered at phone width, for the responsive check
    failure: str = ""  # why the page has no usable render ("timeout: ...")
    _features: dict[tuple[str, bool], Any] = field(default_factory=dict)

    @property
    def has_dom(self) -> bool:
        return self.render is not None


def page_from_render(
    result: Render, html: str | None = None, mobile: Render | None = None
) -> Page:
    """A page from a render of `html`. A failed render gives a page that scores 0 everywhere."""
    if not result.ok or result.image is None:
        blank = np.full((720, 1280, 3), 255, dtype=np.uint8)
        return Page(blank, result, html, [], mobile, failure=f"{result.failure or 'no_image'}: {result.message}")
    # The engine's own limits bound its pictures: the size check is for pictures from outside.
    pixels = decode_image(result.image, max_pixels=max(MAX_PIXELS, result.width * result.height))
    return Page(pixels, result, html, text_blocks(result, pixels), mobile)


def page_from_image(data: bytes) -> Page:
    """A page that is only a screenshot (PNG or JPEG bytes)."""
    return Page(decode_image(data))


@dataclass(slots=True)
class PairScore:
    """Everything measured for one (prediction, reference) pair. Fields are None where not computable."""

    name: str
    mode: str  # "html": both pages have DOM facts; "screenshot": at least one is only an image
    visual: float
    visual_metric: str
    design2code: Design2CodeScores | None = None  # None in screenshot mode
    layout: LayoutScores | None = None
    quality: CodeQuality | None = None
    judge: JudgeScores | None = None
    structure: StructureScores | None = None  # tree similarity and kind accuracy (html mode)
    failure: str = ""  # why the prediction scores 0 (its render failed)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def overall(self) -> float | None:
        return self.design2code.overall if self.design2code is not None else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mode": self.mode,
            "visual": self.visual,
            "visual_metric": self.visual_metric,
            "failure": self.failure,
            "design2code": self.design2code.as_dict() if self.design2code else None,
            "layout": self.layout.as_dict() if self.layout else None,
            "quality": self.quality.as_dict() if self.quality else None,
            "judge": self.judge.as_dict() if self.judge else None,
            "structure": self.structure.as_dict() if self.structure else None,
            "details": self.details,
        }


class Scorer:
    """Scores pairs of pages with one visual metric and one matching configuration."""

    def __init__(self, visual: str | VisualMetric | None = None, match: MatchConfig | None = None) -> None:
        self.visual = visual_metric(visual)
        self.match = match or MatchConfig()

    def visual_features(self, page: Page, inpaint: bool) -> Any:
        key = (self.visual.name, inpaint)
        if key not in page._features:
            gray = bool(getattr(self.visual, "gray", False))
            square = inpainted_square(page.pixels, page.blocks if inpaint else [], gray=gray)
            page._features[key] = self.visual.features(square)
        return page._features[key]

    def score(self, pred: Page, ref: Page, name: str = "") -> PairScore:
        """Score `pred` against `ref`."""
        both_dom = pred.has_dom and ref.has_dom
        mode = "html" if both_dom else "screenshot"
        quality = None
        if pred.html is not None and pred.render is not None:
            quality = code_quality(pred.html, pred.render, pred.mobile)
        if pred.failure:
            zero = Design2CodeScores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, self.visual.name, ref_blocks=len(ref.blocks),
                                     note=f"prediction did not render: {pred.failure}")
            if not both_dom:
                return PairScore(name, mode, 0.0, f"{self.visual.name} (text kept)", None, None, quality, failure=pred.failure)
            return PairScore(name, mode, 0.0, self.visual.name, zero, LayoutScores(0.0), quality,
                             structure=StructureScores(0.0, None, 0.0, 0, 0), failure=pred.failure)
        if not both_dom:
            # A screenshot's text cannot be located without OCR, so neither page is inpainted:
            # the figure is comparable only with other "text kept" figures.
            metric = f"{self.visual.name} (text kept)"
            visual = self.visual.similarity(self.visual_features(pred, False), self.visual_features(ref, False))
            return PairScore(name, mode, visual, metric, None, None, quality)
        visual = self.visual.similarity(self.visual_features(pred, True), self.visual_features(ref, True))
        scores, match = design2code_scores(pred.blocks, ref.blocks, visual, self.visual.name, self.match)
        assert pred.render is not None and ref.render is not None
        layout = layout_similarity(pred.render, ref.render)
        return PairScore(name, mode, visual, self.visual.name, scores, layout, quality,
                         structure=structure_scores(pred.render, ref.render), details=match_details(match))


def match_details(m: BlockMatch) -> dict[str, Any]:
    """What a person looks at first: text missing from the prediction, text it invented, weak pairs."""
    matched_p = {i for i, _, _ in m.pairs}
    matched_r = {j for _, j, _ in m.pairs}
    weak = sorted(m.pairs, key=lambda p: p[2])[:_MAX_DETAILS]
    moved = sorted(
        ((max(abs(m.pred[i].center[0] - m.ref[j].center[0]), abs(m.pred[i].center[1] - m.ref[j].center[1])), i, j)
         for i, j, _ in m.pairs),
        reverse=True,
    )
    return {
        "missing_text": [_short(b.text) for j, b in enumerate(m.ref) if j not in matched_r][:_MAX_DETAILS],
        "extra_text": [_short(b.text) for i, b in enumerate(m.pred) if i not in matched_p][:_MAX_DETAILS],
        "weak_pairs": [
            {"pred": _short(m.pred[i].text), "ref": _short(m.ref[j].text), "similarity": round(s, 3)}
            for i, j, s in weak
            if s < 0.999
        ],
        "moved": [{"text": _short(m.ref[j].text), "shift": round(shift, 4)} for shift, i, j in moved[:10]],
    }


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
