"""Classical element detection: flat panels, outlined boxes, lines, pictures, squiggles.

Screenshots are crisp: a panel (a section band, a card, a button) is a region of one exact
color whose outline is a rectangle, and a border is a run of pixels thinner than three that
differs from both sides. Sketches are strokes on paper: boxes are closed stroke contours,
a box crossed by both diagonals is a picture, and a short wavy stroke stands for text.
Which panel is a button or an input is decided with the text lines in hand (`classify`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from napkin.vision._text import hex_color
from napkin.vision._types import Box, Detection, ImageKind, Line

# Design2Code replaces every picture by a solid #0000ff box before rendering its references (see
# `_is_blue`).


def _codes(rgb: np.ndarray) -> np.ndarray:
    return (rgb[..., 0].astype(np.int32) << 16) | (rgb[..., 1].astype(np.int32) << 8) | rgb[..., 2].astype(np.int32)


def _rgb(code: int) -> tuple[int, int, int]:
    return ((code >> 16) & 255, (code >> 8) & 255, code & 255)


def _radius(mask: np.ndarray, x: int, y: int, w: int, h: int) -> float:
    """Corner radius of a filled rounded rectangle: how far in its top-left corner starts."""
    limit = min(w, h) // 2
    row = mask[y, x : x + limit]
    filled = np.flatnonzero(row)
    if filled.size == 0:
        return 0.0
    first = int(filled[0])
    return float(first * 1.7) if first > 1 else 0.0  # the arc meets the top edge ~r/1.7 in


def flat_panels(rgb: np.ndarray, min_side: int = 12, max_colors: int = 32) -> list[Detection]:
    """Regions of one exact color whose outline is a (rounded) rectangle."""
    import cv2

    H, W = rgb.shape[:2]
    codes = _codes(rgb)
    sample = codes[::4, ::4].ravel()
    values, counts = np.unique(sample, return_counts=True)
    min_count = max(4, (min_side * min_side) // 16)
    order = np.argsort(-counts)
    out: list[Detection] = []
    for idx in order[:max_colors]:
        if counts[idx] < min_count:
            break
        code = int(values[idx])
        mask = (codes == code).astype(np.uint8)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            x, y, w, h = cv2.boundingRect(c)
            if w < min_side or h < min_side:
                continue
            area = cv2.contourArea(c)
            if area < 0.9 * w * h:
                continue
            radius = _radius(mask, x, y, w, h)
            coverage = float(mask[y : y + h, x : x + w].mean())
            out.append(Detection("panel", (x, y, w, h), color=hex_color(_rgb(code)), radius=radius, coverage=coverage, outline=c))
    return out


def _thin_lines(rgb: np.ndarray, axis: int, min_len: int) -> np.ndarray:
    """Pixels of lines at most 3 px thick running along `axis` (1: horizontal, 0: vertical).

    A line pixel differs from the pixels two steps to either side, which agree with each other.
    """
    import cv2

    g = rgb.astype(np.int16)
    a = np.roll(g, 2, axis=1 - axis)
    b = np.roll(g, -2, axis=1 - axis)
    line = (np.abs(g - a).sum(axis=2) > 40) & (np.abs(g - b).sum(axis=2) > 40) & (np.abs(a - b).sum(axis=2) < 24)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (min_len, 1) if axis == 1 else (1, min_len))
    return cv2.morphologyEx(line.astype(np.uint8), cv2.MORPH_OPEN, kernel)


def outlined_boxes(rgb: np.ndarray, min_side: int = 14) -> tuple[list[Detection], list[Detection]]:
    """Rectangles drawn by thin borders, and the thin lines that are not part of one (dividers)."""
    import cv2

    horiz = _thin_lines(rgb, 1, 24)
    vert = _thin_lines(rgb, 0, 14)
    # Dilation bridges the gaps rounded corners leave between the sides (radius up to ~8 px).
    both = cv2.dilate(horiz | vert, np.ones((7, 7), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    boxes: list[Detection] = []
    used = np.zeros(n, dtype=bool)
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if w < min_side or h < min_side:
            continue
        comp = labels[y : y + h, x : x + w] == i
        band = 7
        cover = [
            comp[:band].any(axis=0).mean(),
            comp[-band:].any(axis=0).mean(),
            comp[:, :band].any(axis=1).mean(),
            comp[:, -band:].any(axis=1).mean(),
        ]
        if min(cover) < 0.7:
            continue
        edge = rgb[y + 3, x + w // 2]
        boxes.append(Detection("panel", (x + 3, y + 3, w - 6, h - 6), border=hex_color(edge), border_width=1.0))
        used[i] = True
    dividers = []
    hn, hl, hs, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    for i in range(1, hn):
        x, y, w, h, _area = (int(v) for v in hs[i])
        if w < 60 or h > 4:
            continue
        if used[labels[y, x]]:
            continue
        dividers.append(Detection("divider", (x, y, w, h), color=hex_color(rgb[y, x + w // 2])))
    return boxes, dividers


def _box_contains(outer: Box, inner: Box, tol: float = 2.0) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[0] + inner[2] <= outer[0] + outer[2] + tol
        and inner[1] + inner[3] <= outer[1] + outer[3] + tol
    )


def _overlap(a: Box, b: Box) -> float:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return max(0.0, x1 - x0) * max(0.0, y1 - y0)


def intersect(a: Box, b: Box) -> Box:
    """The box two boxes share (zero width or height where they do not meet)."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return (x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0))


def _intersection(a: Box, b: Box) -> float:
    _, _, w, h = intersect(a, b)
    return w * h


def iou(a: Box, b: Box) -> float:
    inter = _intersection(a, b)
    return inter / max(1e-9, a[2] * a[3] + b[2] * b[3] - inter)


def overlap_share(a: Box, b: Box) -> float:
    """The share of a's area that b covers."""
    return _intersection(a, b) / max(1e-6, a[2] * a[3])


def _photo_regions(rgb: np.ndarray, text_boxes: list[Box], min_side: int = 64) -> list[Detection]:
    """Pictures: large regions busy with many colors and no text."""
    import cv2

    small = cv2.resize(rgb, (max(1, rgb.shape[1] // 4), max(1, rgb.shape[0] // 4)), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).astype(np.float32)
    var = cv2.blur(gray * gray, (5, 5)) - cv2.blur(gray, (5, 5)) ** 2
    busy = (var > 60).astype(np.uint8)
    for x, y, w, h in text_boxes:
        busy[int(y) // 4 : int(y + h) // 4 + 1, int(x) // 4 : int(x + w) // 4 + 1] = 0
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(cv2.morphologyEx(busy, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)))
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if w * 4 < min_side or h * 4 < min_side or area < 0.7 * w * h:
            continue
        # Photos have many colors; a colored button or a chart has a handful.
        patch = small[y : y + h, x : x + w].reshape(-1, 3).astype(np.int32) // 16
        if len(np.unique((patch[:, 0] << 8) | (patch[:, 1] << 4) | patch[:, 2])) < 48:
            continue
        out.append(Detection("image", (x * 4, y * 4, w * 4, h * 4), score=0.6))
    return out


# -- sketches ------------------------------------------------------------------------------------


def stroke_mask(rgb: np.ndarray) -> np.ndarray:
    """Pen strokes of a sketch: pixels clearly darker than the paper around them."""
    import cv2

    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    paper = cv2.medianBlur(cv2.resize(gray, (max(1, gray.shape[1] // 8), max(1, gray.shape[0] // 8))), 5)
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return ((paper.astype(np.int16) - gray.astype(np.int16)) > 40).astype(np.uint8)


def _diagonal_ink(ink: np.ndarray, x: int, y: int, w: int, h: int) -> float:
    """How much of both diagonals of a box is drawn (a crossed box is a picture)."""
    n = max(8, min(w, h))
    t = np.linspace(0.12, 0.88, n)
    hits = 0
    for xs, ys in ((x + t * w, y + t * h), (x + t * w, y + (1 - t) * h)):
        for px, py in zip(xs.astype(int), ys.astype(int), strict=True):
            hits += bool(ink[max(0, py - 2) : py + 3, max(0, px - 2) : px + 3].any())
    return hits / (2 * n)


def _frame_ink(ink: np.ndarray, x: int, y: int, w: int, h: int) -> float:
    """How much of a box's outline is drawn."""
    n = max(8, min(w, h))
    t = np.linspace(0.05, 0.95, n)
    pts = [(x + t * w, np.full(n, y)), (x + t * w, np.full(n, y + h - 1)), (np.full(n, x), y + t * h), (np.full(n, x + w - 1), y + t * h)]
    hits = 0
    for xs, ys in pts:
        for px, py in zip(xs.astype(int), ys.astype(int), strict=True):
            hits += bool(ink[max(0, py - 3) : py + 4, max(0, px - 3) : px + 4].any())
    return hits / (4 * n)


def _overlapping_groups(boxes: list[Box]) -> list[list[Box]]:
    """Boxes joined when they overlap (the four triangles of one crossed box do; those of two
    neighbouring crossed boxes are kept apart by the frames between them)."""
    parent = list(range(len(boxes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            if _overlap(a, boxes[j]) > 0:
                parent[find(i)] = find(j)
    groups: dict[int, list[Box]] = {}
    for i, b in enumerate(boxes):
        groups.setdefault(find(i), []).append(b)
    return list(groups.values())


def _union(boxes: list[Box]) -> tuple[int, int, int, int]:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def sketch_shapes(rgb: np.ndarray, lines: list[Line]) -> list[Detection]:
    """Boxes, crossed boxes (pictures), circles and squiggles (text) of a drawing."""
    import cv2

    H, W = rgb.shape[:2]
    ink = stroke_mask(rgb)
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    unit = max(W, H) / 100.0  # 1% of the drawing: the scale of a pen's wobble
    contours, hierarchy = cv2.findContours(closed, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    out: list[Detection] = []
    if hierarchy is None:
        return out
    # Holes of stroke blobs are the insides of drawn closed shapes.
    triangles: list[Box] = []
    for c, hinfo in zip(contours, hierarchy[0], strict=True):
        if hinfo[3] < 0:
            continue
        x, y, w, h = cv2.boundingRect(c)
        if w < 2 * unit or h < 1.2 * unit or w * h < 6 * unit * unit:
            continue
        area = cv2.contourArea(c)
        fill = area / max(1.0, w * h)
        if fill < 0.6:
            # A crossed box: the diagonals cut the inside into four triangles (fill about 1/2).
            if fill > 0.35:
                triangles.append((x, y, w, h))
            continue
        circular = 0.7 < w / h < 1.4 and fill < 0.85 and w < 12 * unit
        if circular:
            out.append(Detection("icon", (x, y, w, h), score=0.5, source="sketch"))
            continue
        crossed = _diagonal_ink(ink, x, y, w, h) > 0.8
        out.append(Detection("image" if crossed else "panel", (x, y, w, h), border="#222222", border_width=2.0, source="sketch"))
    candidates = [_union(g) for g in _overlapping_groups(triangles) if len(g) >= 3]
    # A crossed box drawn on its own is one stroke blob; inside a drawn frame it is still an
    # outer boundary of its own (RETR_CCOMP puts blobs inside holes at the top level too).
    for c, hinfo in zip(contours, hierarchy[0], strict=True):
        if hinfo[3] < 0:
            bx, by, bw, bh = cv2.boundingRect(c)
            candidates.append((bx, by, bw, bh))
    for x, y, w, h in candidates:
        # Smaller than this, the outline alone is close enough to the diagonals to pass for them.
        if w < 3 * unit or h < 2.2 * unit:
            continue
        # Both diagonals and a frame: handwriting is dense enough to cover the diagonals of its
        # own bounding box, but it has no frame.
        if _diagonal_ink(ink, x, y, w, h) > 0.8 and _frame_ink(ink, x, y, w, h) > 0.75 and not any(
            d.cls == "image" and iou(d.box, (x, y, w, h)) > 0.6 for d in out
        ):
            out = [d for d in out if not _box_contains((x, y, w, h), d.box)]
            out.append(Detection("image", (x, y, w, h), border="#222222", border_width=2.0, source="sketch"))
    # Squiggles: ink blobs much wider than tall, outside every word that OCR read.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, np.ones((3, 7), np.uint8)))
    text = [ln.box for ln in lines]
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if w < 2.5 * unit or h > 4 * unit or w < 2.2 * h:
            continue
        box: Box = (x, y, w, h)
        if any(_overlap(box, t) > 0.2 * w * h for t in text):
            continue  # strokes of letters OCR read
        if any(_box_contains(box, d.box) for d in out):
            continue  # the frame of a box, not a stroke of text
        if h <= 0.6 * unit and w > 8 * unit:
            out.append(Detection("divider", box, score=0.6, source="sketch"))  # straight and long: a rule
            continue
        out.append(Detection("squiggle", box, score=0.6, source="sketch"))
    return out


@dataclass
class ClassicalDetector:
    """The default `Detector`: pixel rules, no learned weights."""

    min_side: int = 12
    takes_panels = True  # analyze passes the flat panels it found for OCR

    def detect(self, rgb: np.ndarray, lines: list[Line], kind: ImageKind, panels: list[Detection] | None = None) -> list[Detection]:
        """Elements of the image; pass the flat panels if already found (`flat_panels`) to save time."""
        if kind == "sketch":
            return sketch_shapes(rgb, lines)
        panels = [replace(p) for p in panels] if panels is not None else flat_panels(rgb, self.min_side)
        boxes, dividers = outlined_boxes(rgb)
        out: list[Detection] = []
        for p in panels:
            if p.color is not None and _is_blue(p.color):
                out.append(Detection("image", p.box, color=p.color, radius=p.radius))
            else:
                out.append(p)
        for b in boxes:
            if not any(iou(b.box, p.box) > 0.85 for p in out):
                out.append(b)
            else:
                for p in out:
                    if p.cls == "panel" and iou(b.box, p.box) > 0.85:
                        p.border, p.border_width = b.border, b.border_width
        text_boxes = [ln.box for ln in lines]
        for d in dividers:
            if any(_underlines(d.box, t) for t in text_boxes):
                continue
            out.append(d)
        flat_boxes = [d.box for d in out if d.cls in ("image", "panel")]
        for ph in _photo_regions(rgb, text_boxes):
            if not any(iou(ph.box, b) > 0.3 or _box_contains(ph.box, b) for b in flat_boxes if b[2] * b[3] > 0.5 * ph.box[2] * ph.box[3]):
                out.append(ph)
        return out


def _is_blue(color: str) -> bool:
    """Design2Code's picture placeholder, give or take a color-managed or re-encoded step."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return r <= 16 and g <= 16 and b >= 235


def _underlines(line_box: Box, text_box: Box) -> bool:
    x, y, w, _h = line_box
    tx, ty, tw, th = text_box
    below = 0 <= y - (ty + th) <= 6
    return below and x >= tx - 6 and x + w <= tx + tw + 6
