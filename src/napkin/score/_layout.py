"""Layout similarity as the Sketch2Code benchmark defines it (Li et al. 2024, "Sketch2Code").

Every visible element falls into zero or more classes: text, image, button, navigation, form and
table, divider, video. Per class, the boxes of each page (normalised to its page size) are united
into one region, and the class scores the IoU of the two pages' regions. The layout similarity is
the mean of the class IoUs weighted by the area of each class's union over both pages. As in
Sketch2Code, two pages with no classified elements at all score 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from napkin.render import Element, Render

CLASSES = ("text", "image", "button", "navigation", "form_table", "divider", "video")

_IMAGE_TAGS = {"img", "svg", "picture", "canvas"}
_BUTTON_INPUTS = {"button", "submit", "reset", "image"}
_NAV_WORDS = {"nav", "navbar", "navigation", "menu"}
_DIVIDER_WORDS = ("separator", "divider")

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def element_classes(el: Element) -> list[str]:
    """The Sketch2Code classes of one element (selectors as in their evaluation code)."""
    tag, attrs = el.tag, el.attrs
    role = attrs.get("role", "")
    cls = attrs.get("class", "")
    ident = attrs.get("id", "")
    tokens = set(cls.split())
    out: list[str] = []
    if tag == "video":
        out.append("video")
    if tag in _IMAGE_TAGS:
        out.append("image")
    is_button = tag == "button" or role == "button" or (tag == "input" and attrs.get("type", "") in _BUTTON_INPUTS)
    if is_button:
        out.append("button")
    elif el.text:
        out.append("text")
    if tag in ("form", "table") or (tag == "div" and "form" in tokens):
        out.append("form_table")
    if tag == "nav" or role == "navigation" or tokens & _NAV_WORDS or ident in _NAV_WORDS:
        out.append("navigation")
    if tag == "hr" or role == "separator" or ident in _DIVIDER_WORDS or any(w in cls for w in _DIVIDER_WORDS):
        out.append("divider")
    return out


@dataclass(slots=True)
class LayoutScores:
    """The weighted IoU and, per class present on either page, its IoU and weight."""

    similarity: float
    classes: dict[str, tuple[float, float]] = field(default_factory=dict)  # class -> (iou, weight)

    def as_dict(self) -> dict[str, Any]:
        return {"similarity": self.similarity, "classes": {k: list(v) for k, v in self.classes.items()}}


def layout_boxes(result: Render) -> dict[str, list[Box]]:
    """Each class's element boxes in page units (fractions of the page's scroll width and height)."""
    out: dict[str, list[Box]] = {c: [] for c in CLASSES}
    pw, ph = max(result.page_width, 1.0), max(result.page_height, 1.0)
    for el in result.elements:
        if el.w <= 0 or el.h <= 0:
            continue
        # Clipped to the page: what lies past its scroll size (a closed dropdown's 1920 x 1080
        # arrow, a menu parked off-screen) is not on the page a person sees.
        box = (max(0.0, el.x / pw), max(0.0, el.y / ph), min(1.0, (el.x + el.w) / pw), min(1.0, (el.y + el.h) / ph))
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        for c in element_classes(el):
            out[c].append(box)
    return out


def region_iou(a: Sequence[Box], b: Sequence[Box]) -> tuple[float, float]:
    """IoU of the union of boxes `a` with the union of boxes `b`, and the area of their union. Exact."""
    if not a and not b:
        return 0.0, 0.0
    xs = np.unique([v for x0, _, x1, _ in (*a, *b) for v in (x0, x1)])
    ys = np.unique([v for _, y0, _, y1 in (*a, *b) for v in (y0, y1)])
    cells = np.outer(np.diff(ys), np.diff(xs))  # (Y-1, X-1): area of each cell of the grid
    cover_a = _cover(a, xs, ys)
    cover_b = _cover(b, xs, ys)
    union = float(cells[cover_a | cover_b].sum())
    inter = float(cells[cover_a & cover_b].sum())
    return (inter / union if union > 0 else 0.0), union


def _cover(boxes: Sequence[Box], xs: NDArray[np.float64], ys: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Which cells of the grid (edges xs, ys) any box covers: a 2-D difference array, summed up."""
    grid = np.zeros((len(ys), len(xs)), dtype=np.int32)
    if boxes:
        arr = np.asarray(boxes, dtype=np.float64)
        x0 = np.searchsorted(xs, arr[:, 0])
        x1 = np.searchsorted(xs, arr[:, 2])
        y0 = np.searchsorted(ys, arr[:, 1])
        y1 = np.searchsorted(ys, arr[:, 3])
        np.add.at(grid, (y0, x0), 1)
        np.add.at(grid, (y0, x1), -1)
        np.add.at(grid, (y1, x0), -1)
        np.add.at(grid, (y1, x1), 1)
    covered = grid.cumsum(axis=0).cumsum(axis=1) > 0
    return covered[:-1, :-1]


def layout_similarity(pred: Render, ref: Render) -> LayoutScores:
    """Sketch2Code's layout similarity of two rendered pages."""
    boxes_p, boxes_r = layout_boxes(pred), layout_boxes(ref)
    classes: dict[str, tuple[float, float]] = {}
    for c in CLASSES:
        iou, area = region_iou(boxes_p[c], boxes_r[c])
        if area > 0:
            classes[c] = (iou, area)
    total = sum(area for _, area in classes.values())
    if total <= 0:
        return LayoutScores(0.0)
    return LayoutScores(
        similarity=sum(iou * area for iou, area in classes.values()) / total,
        classes={c: (iou, area / total) for c, (iou, area) in classes.items()},
    )
