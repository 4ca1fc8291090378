"""The learned detector: the layout parser's regions joined to the classical detections.

The parser (`napkin train parser`, run here in onnxruntime) marks, for every 2x2 cell of the
picture scaled to its width, which Sketch2Code classes cover it. Its regions decide what the
classical pipeline could only guess from shape:

- a classical panel the parser calls a button or a picture becomes one (`Detection.hint`);
- a button, picture or divider the pixel rules missed is added (`source="learned"`);
- in a sketch, a box or rule with no words in it inside a region the parser calls text becomes
  a squiggle (a line of placeholder text), and so does a line of a text region nothing else
  accounts for (no words read there, no stroke found);
- navigation and form regions become containers that say what they are (`Detection.role`):
  the layout stage gathers what lies inside them, and the page gets a `role="navigation"`
  element or a `<form>` where the picture has one.

Text stays with OCR, and positions with the classical boxes where there are any: the parser's
cells are 10 CSS px wide on a 1280 px page, too coarse to place an edge by.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from napkin.errors import InputError
from napkin.vision._detect import ClassicalDetector, intersect, iou
from napkin.vision._detect import overlap_share as _overlap_share
from napkin.vision._text import union as _union
from napkin.vision._types import Box, Detection, ImageKind, Line

WEIGHTS = Path(__file__).with_name("weights")
DEFAULT_PARSER = WEIGHTS / "ui-parse-s"

# Probability a cell needs to count for a class, and the smallest region kept (in cells).
THRESHOLDS = {"text": 0.5, "button": 0.5, "image": 0.5, "divider": 0.4, "navigation": 0.5, "form_table": 0.5}
_MIN_CELLS = {"text": 3, "button": 6, "image": 16, "divider": 3, "navigation": 24, "form_table": 24}
# The smallest height and width (cells) of a region: a strip one cell tall is a fringe, not a button.
_MIN_SIDES = {"text": (1, 3), "button": (3, 3), "image": (4, 4), "divider": (1, 4), "navigation": (2, 6), "form_table": (3, 6)}
# An element no classical detection matches is added only when the parser is this sure of it;
# renaming a panel the pixel rules found needs only the threshold.
ADD_SCORE = 0.75


@dataclass(slots=True)
class Region:
    """A connected region of one parser class, in image px."""

    cls: str
    box: Box
    score: float  # mean probability inside


def _inside(inner: Box, outer: Box, share: float = 0.6) -> bool:
    """At least `share` of inner's area lies in outer."""
    covered = _overlap_share(inner, outer)
    return covered > 0 and covered >= share


def regions_of(probs: np.ndarray, classes: list[str], cell: float, thresholds: dict[str, float] | None = None) -> list[Region]:
    """Connected regions of each class of a (classes, h, w) probability map; `cell` is image px per cell."""
    limits = {**THRESHOLDS, **(thresholds or {})}
    out: list[Region] = []
    for c, name in enumerate(classes):
        if name not in limits:
            continue
        p = probs[c]
        mask = (p >= limits[name]).astype(np.uint8)
        if not mask.any():
            continue
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
        for i in range(1, n):
            x, y, w, h, area = (int(v) for v in stats[i])
            min_h, min_w = _MIN_SIDES.get(name, (1, 1))
            if area < _MIN_CELLS.get(name, 4) or h < min_h or w < min_w:
                continue
            inside = labels[y : y + h, x : x + w] == i
            if name == "text":
                # A text region can join several lines (a paragraph): one region a line, cut at
                # the rows where it thins out, each as wide as its own cells.
                for top, bottom in _bands(inside.sum(axis=1)):
                    band = inside[top:bottom]
                    cols = np.flatnonzero(band.any(axis=0))
                    score = float(p[y + top : y + bottom, x : x + w][band].mean())
                    out.append(Region(name, ((x + cols[0]) * cell, (y + top) * cell, (cols[-1] - cols[0] + 1) * cell, (bottom - top) * cell), score))
                continue
            score = float(p[y : y + h, x : x + w][inside].mean())
            out.append(Region(name, (x * cell, y * cell, w * cell, h * cell), score))
    return out


def _bands(occupancy: np.ndarray) -> list[tuple[int, int]]:
    """Runs of rows (start, end) whose occupancy is at least a quarter of the fullest row's."""
    full = occupancy >= max(1.0, 0.25 * float(occupancy.max()))
    out: list[tuple[int, int]] = []
    start = None
    for r, on in enumerate(full):
        if on and start is None:
            start = r
        elif not on and start is not None:
            out.append((start, r))
            start = None
    if start is not None:
        out.append((start, len(full)))
    return out


@dataclass
class LearnedDetector:
    """A `Detector`: the classical detections, corrected and completed by the layout parser.

    `model` is an exported parser's stem (`STEM.json` and `STEM.parser.onnx`, as `napkin train
    parser` writes them); the shipped `ui-parse-s` by default.
    """

    model: str | Path = DEFAULT_PARSER
    threads: int | None = None
    thresholds: dict[str, float] = field(default_factory=dict)
    classical: ClassicalDetector = field(default_factory=ClassicalDetector)
    takes_panels = True  # analyze passes the flat panels it found for OCR
    _parser: Any = field(default=None, init=False, repr=False)

    def _load(self) -> Any:
        if self._parser is None:
            from napkin.model._onnx import OnnxParser

            stem = Path(self.model)
            if not stem.with_name(stem.name + ".json").is_file():
                raise InputError(
                    f"no layout parser at {stem}: train one with `napkin train parser --config parser "
                    f"--data DATASET -o RUN` and pass RUN/ui-parse-s"
                )
            self._parser = OnnxParser(stem, threads=self.threads)
        return self._parser

    def check(self) -> None:
        """Load the parser now: a missing or broken model is an InputError before any picture."""
        self._load()

    def regions(self, rgb: np.ndarray) -> list[Region]:
        """The parser's regions of a picture, in its pixels."""
        parser = self._load()
        probs = parser.probabilities(rgb)
        cell = rgb.shape[1] / parser.tiling.width * parser.tiling.stride
        return regions_of(probs, parser.classes, cell, self.thresholds)

    def detect(self, rgb: np.ndarray, lines: list[Line], kind: ImageKind, panels: list[Detection] | None = None) -> list[Detection]:
        base = self.classical.detect(rgb, lines, kind, panels)
        return combine(base, self.regions(rgb), lines, kind)


def combine(dets: list[Detection], regions: list[Region], lines: list[Line], kind: ImageKind) -> list[Detection]:
    """Classical detections with the parser's regions applied (see the module's docstring)."""
    out = [replace(d) for d in dets]
    # Text drawn as bars (wireframes) or strokes the OCR cannot read: a flat box or a rule with
    # no words in it, inside a region the parser calls text, stands for a line of text.
    # Sketches only: on screenshots and wireframes the conversion cost more Block-Match (placeholder
    # words match nothing) than it gave layout (benchmarks/learned_eval.py, 40 held-out pages).
    texts = [r for r in regions if r.cls == "text"] if kind == "sketch" else []
    for i, d in enumerate(out):
        if d.cls in ("panel", "divider", "image") and d.box[3] <= 64 and not any(_inside(ln.box, d.box, 0.3) for ln in lines):
            if any(_inside(d.box, _grow(r.box, 4.0), 0.7) and r.score >= 0.6 for r in texts):
                out[i] = Detection("squiggle", d.box, score=d.score, source="learned")
    # Lines of text nothing else accounts for (no words read, no stroke found): placeholder text.
    taken = [ln.box for ln in lines] + [d.box for d in out if d.cls != "panel" or d.box[3] <= 96]
    for r in texts:
        if r.score >= ADD_SCORE and r.box[3] <= 96 and not any(_overlap_share(r.box, b) > 0.2 or _overlap_share(b, r.box) > 0.5 for b in taken):
            # A band taller than a line is lines about 24 px apart (the cells cannot tell them apart).
            n = max(1, round(r.box[3] / 24)) if r.box[3] > 36 else 1
            x, y, w, h = r.box
            boxes_of = [(x, y, w, h)] if n == 1 else [(x, y + (k + 0.2) * h / n, w, 0.6 * h / n) for k in range(n)]
            out += [Detection("squiggle", b, score=r.score, source="learned") for b in boxes_of]
    boxes = [d for d in out if d.cls in ("panel", "button", "input")]
    for r in sorted(regions, key=lambda r: -r.score):
        if r.cls in ("button", "image"):
            match = max(boxes, key=lambda d: iou(d.box, r.box), default=None)
            if match is not None and iou(match.box, r.box) >= 0.45:
                if match.cls == "panel" and match.hint is None:
                    match.hint = r.cls
                continue
            if r.score < ADD_SCORE or any(d.cls == r.cls and iou(d.box, r.box) >= 0.3 for d in out):
                continue
            if r.cls == "button":
                # A button's edges come from the words in it where there are any: cells are coarse.
                inside = [ln.box for ln in lines if _inside(ln.box, r.box)]
                box = r.box if not inside else _pad(_union(inside), r.box)
                out.append(Detection("button", box, score=r.score, source="learned"))
            else:
                if any(_inside(ln.box, r.box, 0.5) for ln in lines) and kind == "screenshot":
                    continue  # text on it: a colored band the parser took for a photo
                out.append(Detection("image", r.box, score=r.score, source="learned"))
        elif r.cls == "divider":
            if r.score < ADD_SCORE or r.box[2] < 3 * r.box[3] or any(d.cls == "divider" and _near(d.box, r.box) for d in out):
                continue
            y = r.box[1] + r.box[3] / 2
            out.append(Detection("divider", (r.box[0], y, r.box[2], 1.0), score=r.score, source="learned"))
        elif r.cls in ("navigation", "form_table"):
            role = "navigation" if r.cls == "navigation" else "form"
            area = r.box[2] * r.box[3]
            members = [ln.box for ln in lines if _inside(ln.box, r.box)]
            members += [d.box for d in out if _inside(d.box, r.box) and d.box[2] * d.box[3] < 0.9 * area]
            if not members:
                continue
            tight = _union(members)
            same = next((d for d in out if d.cls == "panel" and d.role is None and iou(d.box, r.box) >= 0.7), None)
            if same is not None:
                same.role = role
                continue
            # The region's own extent, but never cutting what it holds (panels must nest).
            box = _union([tight, intersect(r.box, _grow(tight, 12.0))])
            box = _fit(box, [d.box for d in out if d.cls == "panel"])
            out.append(Detection("panel", box, score=r.score, source="learned", role=role))
    # The parser's text regions are text elements' whole extent (a paragraph's block, as wide as
    # its column): the layout sizes the text found in them to match. Sketches only: there it
    # raised layout similarity from 0.345 to 0.387 on 12 held-out pages, but on screenshots, whose
    # words OCR places exactly, it lowered it from 0.584 to 0.556 (benchmarks/learned_eval.py).
    if kind != "sketch":
        return out
    return out + [Detection("text_region", r.box, score=r.score, source="learned") for r in regions if r.cls == "text"]


def _pad(inner: Box, outer: Box) -> Box:
    """Inner grown to outer's extent, but by no more than its own height on each side."""
    m = inner[3]
    x0 = max(outer[0], inner[0] - m)
    y0 = max(outer[1], inner[1] - m / 2)
    x1 = min(outer[0] + outer[2], inner[0] + inner[2] + m)
    y1 = min(outer[1] + outer[3], inner[1] + inner[3] + m / 2)
    return (min(x0, inner[0]), min(y0, inner[1]), max(x1, inner[0] + inner[2]) - min(x0, inner[0]), max(y1, inner[1] + inner[3]) - min(y0, inner[1]))


def _near(a: Box, b: Box) -> bool:
    return abs((a[1] + a[3] / 2) - (b[1] + b[3] / 2)) <= max(8.0, b[3]) and iou((a[0], 0, a[2], 1), (b[0], 0, b[2], 1)) > 0.5


def _grow(b: Box, m: float) -> Box:
    return (b[0] - m, b[1] - m, b[2] + 2 * m, b[3] + 2 * m)


def _fit(box: Box, panels: list[Box]) -> Box:
    """The box grown until no panel crosses its edge (a crossing panel is taken in whole)."""
    for _ in range(8):
        crossing = [p for p in panels if iou(p, box) > 0 and not _inside(p, box, 0.999) and not _inside(box, p, 0.999)]
        if not crossing:
            return box
        box = _union([box, *crossing])
    return box
