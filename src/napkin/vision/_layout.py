"""Layout inference: text lines and detections (CSS px) to a layout tree `emit_html` reproduces.

1. Panels nest into a containment tree; each panel with text decides what it is (a button,
   an input, a card or a band).
2. Lines inside one container group into paragraphs.
3. A recursive XY-cut orders every container's items: horizontal gaps make a vertical stack,
   vertical gaps make a row (or a grid when the columns are equal).
4. Positions become flow-layout style facts: the page is tiled by sections as tall as their
   band, stack children get `margin_top`, rows get column widths in percent and a left
   padding, text gets a size, weight and color. Vertical positions are computed against the
   line boxes `emit_html` will produce (DejaVu metrics, line-height 1.5 for text, 1.2 for
   headings), so the emitted page lands where the picture has it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from napkin.layout import Node, Style, Theme
from napkin.vision._detect import intersect, iou, overlap_share
from napkin.vision._text import ASCENT, DESCENT, union
from napkin.vision._types import Box, Detection, ImageKind, Line, Word

LEAF_KINDS = ("text", "image", "button", "input", "divider", "icon", "squiggle")
_PLACEHOLDER_WORDS = "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua".split()


@dataclass
class Item:
    """A thing to place: a leaf (text block, picture, control) or a container with items inside."""

    kind: str  # one of LEAF_KINDS or "container"
    box: Box
    lines: list[Line] = field(default_factory=list)
    det: Detection | None = None
    items: list[Item] = field(default_factory=list)
    background: str | None = None  # containers: fill that differs from the parent's
    reach: Box | None = None  # text: the extent of the element it belongs to (a learned text region)
    rows: int = 1  # a squiggle standing for this many lines of text (scribbles merged in one region)

    @property
    def x0(self) -> float:
        return self.box[0]

    @property
    def x1(self) -> float:
        return self.box[0] + self.box[2]

    @property
    def y0(self) -> float:
        return self.box[1]

    @property
    def y1(self) -> float:
        return self.box[1] + self.box[3]


@dataclass
class LayoutConfig:
    """Thresholds of layout inference, in CSS px unless noted."""

    heading_size: float = 20.0  # text this large (or bold and >= 17 px) is a heading
    section_gap: float = 56.0  # a vertical gap this tall between top-level content starts a new section
    button_max_height: float = 72.0
    button_max_width: float = 420.0
    input_min_aspect: float = 2.5  # width over height
    grid_tolerance: float = 0.06  # relative spread of column widths that still makes a grid


# -- geometry helpers ----------------------------------------------------------------------------


def _center_in(box: Box, outer: Box) -> bool:
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    return outer[0] <= cx <= outer[0] + outer[2] and outer[1] <= cy <= outer[1] + outer[3]


def _contains(outer: Box, inner: Box, tol: float = 1.5) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[0] + inner[2] <= outer[0] + outer[2] + tol
        and inner[1] + inner[3] <= outer[1] + outer[3] + tol
    )


def _rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int32)


def _color_dist(a: str, b: str) -> int:
    return int(np.abs(_rgb(a) - _rgb(b)).sum())


def _r(v: float) -> float:
    return float(round(v))


# -- text metrics as emit_html will render them -----------------------------------------------


def _is_heading(line: Line, cfg: LayoutConfig) -> bool:
    return line.font_size >= cfg.heading_size or (line.bold and line.font_size >= 17)


def _line_height(item: Item, cfg: LayoutConfig) -> float:
    return 1.2 if item.lines and _is_heading(item.lines[0], cfg) else 1.5


def _font_size(item: Item) -> float:
    return round(float(np.median([ln.font_size for ln in item.lines])) * 2) / 2 if item.lines else 16.0


def layout_extent(item: Item, cfg: LayoutConfig) -> tuple[float, float]:
    """(top, height) of the box the item's emitted element will occupy.

    Text with a reach (the learned extent of its element) occupies it, but at most one line
    height above and below its lines: `Builder.reached` pads the element to match."""
    top, height = line_extent(item, cfg)
    if item.reach is None or item.kind not in ("text", "squiggle"):
        return top, height
    _, ry, _, rh = item.reach
    line = height / max(1, len(item.lines))
    new_top = max(min(top, ry), top - line)
    new_bottom = min(max(top + height, ry + rh), top + height + line)
    if new_bottom - new_top < height + 4:
        return top, height
    return new_top, new_bottom - new_top


def line_extent(item: Item, cfg: LayoutConfig) -> tuple[float, float]:
    """(top, height) of the item's own line boxes."""
    if item.kind == "text" and item.lines:
        f = _font_size(item)
        lh = _line_height(item, cfg) * f
        top = item.lines[0].baseline - ASCENT * f - (lh - (ASCENT + DESCENT) * f) / 2
        return top, lh * len(item.lines)
    if item.kind == "squiggle":
        f = _squiggle_size(item)
        h = 1.5 * f * item.rows
        if item.reach is not None:  # centred in its share of the region
            return item.reach[1] + item.reach[3] / 2 - h / 2, h
        return item.y0 + item.box[3] / 2 - h / 2, h
    return item.y0, item.box[3]


def _squiggle_size(item: Item) -> float:
    """A scribble says little of its type size; its share of a learned text region says more
    (the element's height, at line height 1.5), up to twice the scribble's own."""
    own = float(min(40.0, max(14.0, item.box[3] / item.rows * 0.8)))
    if item.reach is not None:
        own = float(min(40.0, max(12.0, min(item.reach[3] / item.rows, 3 * own) / 1.5)))
    # and one placeholder word must fit its width, or the browser breaks it letter by letter
    return float(min(own, max(12.0, item.box[2] / 3.3)))


# -- building items from lines and detections ----------------------------------------------------


def _blocks(lines: list[Line]) -> list[Item]:
    """Consecutive lines of one paragraph: same size, color and weight, aligned, tightly spaced."""
    out: list[Item] = []
    for ln in sorted(lines, key=lambda ln: (ln.box[1], ln.box[0])):
        f = ln.font_size
        joined = None
        for it in reversed(out[-6:]):
            last = it.lines[-1]
            if abs(last.font_size - f) > 0.15 * f or last.bold != ln.bold or _color_dist(last.color, ln.color) > 60:
                continue
            gap = ln.box[1] - (last.box[1] + last.box[3])
            if not -0.2 * f <= gap <= 0.9 * f:
                continue
            lx0, lx1 = last.box[0], last.box[0] + last.box[2]
            x0, x1 = ln.box[0], ln.box[0] + ln.box[2]
            aligned = abs(lx0 - x0) <= 0.6 * f or abs((lx0 + lx1) / 2 - (x0 + x1) / 2) <= 0.6 * f or abs(lx1 - x1) <= 0.6 * f
            if aligned and x1 <= lx1 + 3 * f and x0 >= it.x0 - 0.6 * f:
                joined = it
                break
        if joined is None:
            out.append(Item("text", ln.box, lines=[ln]))
        else:
            joined.lines.append(ln)
            joined.box = union([joined.box, ln.box])
    return out


def _placeholder_line(d: Detection) -> Line:
    x, y, w, h = d.box
    word = Word("Button", d.box, 0.0)
    return Line([word], d.box, font_size=float(min(24.0, max(14.0, h * 0.8))), baseline=y + h * 0.8, color="#1f2328", placeholder=True)


def _classify_panel(det: Detection, inside: list[Line], has_children: bool, parent_bg: str, cfg: LayoutConfig) -> str:
    """What a panel with these lines inside is: button, input, icon or container."""
    x, y, w, h = det.box
    filled = det.color is not None and _color_dist(det.color, parent_bg) > 24
    if has_children:
        return "container"
    one_row = bool(inside) and len({round(ln.box[1] / max(4.0, ln.box[3])) for ln in inside}) == 1
    if not inside:
        if det.border_width and h <= cfg.button_max_height and w >= cfg.input_min_aspect * h:
            return "input"
        if w <= 48 and h <= 48:
            return "icon"
        # A text-free box with something drawn in it (a placeholder's mountain, a photo) is a picture.
        if det.color is not None and 0.3 <= det.coverage < 0.97 and w >= 48 and h >= 48:
            return "image"
        return "container"
    if not one_row or h > cfg.button_max_height or w > cfg.button_max_width * 1.5:
        return "container"
    tb = union([ln.box for ln in inside])
    centered = abs((tb[0] + tb[2] / 2) - (x + w / 2)) < 0.12 * w + 4
    left = tb[0] - x < 0.25 * w and tb[2] < 0.75 * w
    if (det.border_width or not filled) and left and not centered and w >= cfg.input_min_aspect * h:
        return "input"
    if filled or det.border_width:
        return "button"
    return "container"


def _fits_hint(hint: str, lines: list[Line], leaves: list[Detection]) -> bool:
    """Whether a panel holding these can be what a learned detector called it: a picture holds
    no words and no elements (a tab bar of icons is not one picture), a button no pictures."""
    if hint == "image":
        return not lines and all(d.cls == "squiggle" for d in leaves)
    return all(d.cls in ("icon", "squiggle") for d in leaves)


class _Builder:
    def __init__(self, width: float, height: float, page_bg: str, kind: ImageKind, cfg: LayoutConfig):
        self.W, self.H = width, height
        self.page_bg = page_bg
        self.kind = kind
        self.cfg = cfg

    # -- step 1: items ------------------------------------------------------------------------

    def items(self, lines: list[Line], dets: list[Detection]) -> list[Item]:
        """The page's top-level items, containers holding their own."""
        images = [d for d in dets if d.cls == "image"]
        lines = [ln for ln in lines if not any(_center_in(ln.box, d.box) and d.box[2] * d.box[3] > 4 * ln.box[2] * ln.box[3] for d in images)]
        panels = [d for d in dets if d.cls == "panel" and d.box[2] * d.box[3] < 0.97 * self.W * self.H]
        panels.sort(key=lambda d: -d.box[2] * d.box[3])
        kept: list[Detection] = []
        for p in panels:
            # Panels must nest: one that crosses a bigger one is dropped.
            if any(iou(p.box, k.box) > 0 and not _contains(k.box, p.box) for k in kept):
                continue
            if any(iou(p.box, k.box) > 0.95 for k in kept):
                continue
            kept.append(p)
        leaves = [d for d in dets if d.cls in ("image", "divider", "icon", "squiggle", "button", "input")]
        items = self._fill(None, (0.0, 0.0, self.W, self.H), self.page_bg, kept, lines, leaves)
        regions = [d.box for d in dets if d.cls == "text_region"]
        _merge_scribbles(items, regions, (0.0, 0.0, self.W, self.H))
        _give_reach(items, regions)
        return items

    def _fill(self, owner: Detection | None, box: Box, bg: str, panels: list[Detection], lines: list[Line], leaves: list[Detection]) -> list[Item]:
        # Direct child panels: inside this box, not inside another panel inside this box.
        inner = [p for p in panels if p is not owner and _contains(box, p.box)]
        direct = [p for p in inner if not any(q is not p and _contains(q.box, p.box) and q.box[2] * q.box[3] > p.box[2] * p.box[3] for q in inner)]
        items: list[Item] = []
        taken_lines: set[int] = set()
        taken_leaves: set[int] = set()
        for p in direct:
            p_lines = [ln for ln in lines if _center_in(ln.box, p.box)]
            p_leaves = [d for d in leaves if _center_in(d.box, p.box)]
            p_panels = [q for q in inner if q is not p and _contains(p.box, q.box)]
            squiggles = [d for d in p_leaves if d.cls == "squiggle"]
            if squiggles and len(squiggles) == len(p_leaves) and not p_panels and not p_lines:
                # A drawn box with a scribble in it: judged like a box with that much text.
                p_lines = [_placeholder_line(d) for d in squiggles]
                p_leaves = []
            if p.hint is not None and p.role is None and not p_panels and _fits_hint(p.hint, p_lines, p_leaves):
                what = p.hint  # a learned detector named it
            elif p.role is not None:
                what = "container"  # a navigation or form region holds what lies in it
            else:
                what = _classify_panel(p, p_lines, bool(p_panels or p_leaves), bg, self.cfg)
            if what == "container" and any(ln.placeholder for ln in p_lines):
                p_leaves, p_lines = squiggles, []
            if what != "container":
                p.cls = what  # the detection now names what it is
            taken_lines |= {id(ln) for ln in p_lines}
            taken_leaves |= {id(d) for d in p_leaves}
            if what == "container":
                fill = p.color if p.color and _color_dist(p.color, bg) > 6 else None
                sub = self._fill(p, p.box, fill or bg, inner, p_lines, p_leaves)
                items.append(Item("container", p.box, det=p, items=sub, background=fill))
            else:
                items.append(Item(what, p.box, lines=sorted(p_lines, key=lambda ln: ln.box[0]), det=p))
        for d in leaves:
            if d.cls in ("button", "input") and id(d) not in taken_leaves:
                # A control found on its own (not as a panel) takes the words inside it.
                d_lines = [ln for ln in lines if id(ln) not in taken_lines and _center_in(ln.box, d.box)]
                taken_lines |= {id(ln) for ln in d_lines}
                taken_leaves.add(id(d))
                items.append(Item(d.cls, d.box, lines=sorted(d_lines, key=lambda ln: ln.box[0]), det=d))
        rest_lines = [ln for ln in lines if id(ln) not in taken_lines]
        items += _blocks(rest_lines)
        for d in leaves:
            if id(d) in taken_leaves:
                continue
            items.append(Item(d.cls, d.box, det=d))
        return items

    # -- step 2: the tree ---------------------------------------------------------------------

    def page(self, items: list[Item], theme: Theme) -> Node:
        sections = self._sections(items)
        page = Node("page", box=(0.0, 0.0, self.W, self.H))
        for i, (top, bottom, sec_items, band) in enumerate(sections):
            bg = band.background if band is not None else None
            if band is not None:
                sec_items = band.items
            node = Node("section", box=(0.0, top, self.W, bottom - top))
            node.style = Style(padding=(0, 0, 0, 0), gap=0, height=_r(bottom - top), background=bg)
            node.children = self.stack(sec_items, 0.0, self.W, top, bg or self.page_bg)
            if band is not None and band.det is not None and band.det.border_width:
                node.style.border_width = band.det.border_width
                node.style.border_color = band.det.border
            self._name_section(node, i, len(sections), sec_items, top, bottom)
            role = band.det.role if band is not None and band.det is not None else None
            if role == "form":
                node.kind = "form"
            elif role == "navigation" and node.kind != "navbar":
                node.attrs["role"] = "navigation"
            page.children.append(node)
        return page

    def _sections(self, items: list[Item]) -> list[tuple[float, float, list[Item], Item | None]]:
        """Tile the page top to bottom: full-width bands, and content between them cut at big gaps."""
        bands = [it for it in items if it.kind == "container" and it.box[2] >= 0.97 * self.W]
        others = [it for it in items if it not in bands]
        # Anything overlapping a band vertically but outside it stays loose; attach it to the band.
        chunks: list[tuple[float, float, list[Item], Item | None]] = []
        for b in bands:
            chunks.append((b.y0, b.y1, [], b))
        loose = sorted(others, key=lambda it: it.y0)
        for it in loose:
            host = next((c for c in chunks if c[3] is not None and c[0] - 1 <= (it.y0 + it.y1) / 2 <= c[1] + 1), None)
            if host is not None and host[3] is not None:
                host[3].items.append(it)
                continue
            chunks.append((it.y0, it.y1, [it], None))
        chunks.sort(key=lambda c: c[0])
        merged: list[tuple[float, float, list[Item], Item | None]] = []
        for c in chunks:
            # Loose chunks closer than a section gap (or overlapping) are one chunk.
            if merged and merged[-1][3] is None and c[3] is None and c[0] - merged[-1][1] < max(self.cfg.section_gap, 0.0):
                top, bottom, its, _ = merged[-1]
                merged[-1] = (top, max(bottom, c[1]), its + c[2], None)
            else:
                merged.append(c)
        # Tile: each section runs from the end of the previous one; the gap above content belongs
        # to the loose section below it, a band keeps its own extent.
        tiled: list[tuple[float, float, list[Item], Item | None]] = []
        cursor = 0.0
        for i, (top, bottom, its, band) in enumerate(merged):
            nxt = merged[i + 1][0] if i + 1 < len(merged) else self.H
            if band is not None:
                if top > cursor + 0.5:
                    if tiled:  # the gap above a band belongs to the section before it
                        p_top, _p_end, p_items, p_band = tiled[-1]
                        tiled[-1] = (p_top, top, p_items, p_band)
                    else:
                        tiled.append((cursor, top, [], None))
                start, end = top, bottom
            else:
                start = cursor
                end = bottom if i + 1 < len(merged) and merged[i + 1][3] is not None else (bottom + nxt) / 2 if i + 1 < len(merged) else self.H
                end = max(end, bottom)
            tiled.append((start, max(end, start), its, band))
            cursor = max(end, start)
        if cursor < self.H - 0.5:
            if tiled and tiled[-1][3] is None:
                top, _bottom, its, _ = tiled[-1]
                tiled[-1] = (top, self.H, its, None)
            else:
                tiled.append((cursor, self.H, [], None))
        return [t for t in tiled if t[1] - t[0] >= 1 or t[2]]

    def _name_section(self, node: Node, index: int, count: int, items: list[Item], top: float, bottom: float) -> None:
        texts = [it for it in items if it.kind == "text"]
        if index == 0 and top < 8 and bottom - top <= 160 and len(node.children) == 1 and node.children[0].kind == "row":
            row = node.children[0]
            if len(row.children) >= 3 and all(len(it.lines) <= 1 for it in texts):
                node.kind = "navbar"
                band_top = top + (row.style.margin_top or 0.0)
                row.style.margin_top = None
                row.style.width = "100%"
                rest = bottom - band_top - (row.box[3] if row.box else 0.0)
                node.style = Style(padding=(_r(band_top - top), 0, max(0.0, _r(rest)), 0), gap=0, border_width=0, background=node.style.background, justify="start")
                return
        if index == count - 1 and index > 0 and (node.style.background or any("©" in ln.text or "opyright" in ln.text for it in texts for ln in it.lines)):
            node.kind = "footer"

    def stack(self, items: list[Item], x0: float, x1: float, y_start: float, bg: str, split: bool = True) -> list[Node]:
        """Items stacked vertically in [x0, x1] from y_start: bands by horizontal gaps (or one band each)."""
        out: list[Node] = []
        cursor = y_start
        bands = _split(items, axis=1) if split else [[it] for it in items]
        for band in bands:
            node, top, height = self.band(band, x0, x1, bg)
            gap = top - cursor
            if abs(gap) >= 0.5:
                node.style.margin_top = _r(gap)  # negative when line boxes overlap: the glyphs still land right
            out.append(node)
            cursor = top + height
        return out

    def band(self, items: list[Item], x0: float, x1: float, bg: str) -> tuple[Node, float, float]:
        """One horizontal band of a stack: a single placed item, a row of columns, or a grid."""
        if len(items) == 1:
            return self.placed(items[0], x0, x1, bg)
        cols = _split(items, axis=0)
        if len(cols) == 1:
            # Nothing separates them on either axis: stack in reading order.
            ordered = sorted(items, key=lambda it: (it.y0, it.x0))
            top = min(layout_extent(it, self.cfg)[0] for it in ordered)
            bottom = max(sum(layout_extent(it, self.cfg)) for it in ordered)
            col = Node("column", box=union([it.box for it in ordered]))
            col.children = self.stack(ordered, x0, x1, top, bg, split=False)
            col.style = Style(gap=0)
            return col, top, bottom - top
        return self.row(cols, x0, x1, bg)

    def row(self, cols: list[list[Item]], x0: float, x1: float, bg: str) -> tuple[Node, float, float]:
        extents = [layout_extent(it, self.cfg) for g in cols for it in g]
        top = min(e[0] for e in extents)
        bottom = max(e[0] + e[1] for e in extents)
        height = bottom - top
        lefts = [min(it.x0 for it in g) for g in cols]
        rights = [max(it.x1 for it in g) for g in cols]
        first = lefts[0]
        content = max(1.0, x1 - first)
        grid = self._grid(cols, lefts, rights)
        if grid is not None:
            n, gap = grid
            node = Node("grid", box=(first, top, rights[-1] - first, height), attrs={"cols": str(n)})
            node.style = Style(gap=_r(gap), padding=(0, max(0.0, _r(x1 - rights[-1])), 0, _r(first - x0)))
            for g, left, right in zip(cols, lefts, rights, strict=True):
                node.children.append(self.cell(g, left, right, top, height, bg))
            return node, top, height
        node = Node("row", box=(first, top, x1 - first, height))
        node.style = Style(gap=0, padding=(0, 0, 0, _r(first - x0)) if first - x0 >= 0.5 else None)
        for i, g in enumerate(cols):
            nxt = lefts[i + 1] if i + 1 < len(cols) else x1
            # Rounded down: widths that add up to a hair over 100 % wrap the last column onto a
            # line of its own (the row wraps, as it must on phones).
            pct = f"{math.floor(10000 * (nxt - lefts[i]) / content) / 100}%"
            if len(g) == 1 and g[0].kind == "text":
                it = g[0]
                t, _h = layout_extent(it, self.cfg)
                leaf = self.text(it)
                leaf.style.width = pct
                if t - top >= 0.5:
                    leaf.style.padding = (_r(t - top), 0, 0, 0)
                node.children.append(leaf)
            elif len(g) == 1 and g[0].kind == "container" and g[0].box[2] < nxt - lefts[i] - 2:
                # A box narrower than its slot keeps its own width; a column holds the slot.
                cell = self.cell(g, lefts[i], nxt, top, height, bg)
                cell.style.width = f"{_r(g[0].box[2])}px"
                slot = Node("column", box=(lefts[i], top, nxt - lefts[i], height), children=[cell])
                slot.style = Style(gap=0, width=pct)
                node.children.append(slot)
            else:
                cell = self.cell(g, lefts[i], nxt, top, height, bg)
                cell.style.width = pct
                node.children.append(cell)
        return node, top, height

    def _grid(self, cols: list[list[Item]], lefts: list[float], rights: list[float]) -> tuple[int, float] | None:
        n = len(cols)
        if n < 3:
            return None
        widths = np.array(rights) - np.array(lefts)
        gaps = np.array(lefts[1:]) - np.array(rights[:-1])
        if widths.std() > self.cfg.grid_tolerance * widths.mean() or gaps.std() > 4 + 0.1 * gaps.mean():
            return None
        if not all(any(it.kind in ("container", "image") for it in g) or len(g) > 1 for g in cols):
            return None
        return n, float(gaps.mean())

    def cell(self, items: list[Item], left: float, right: float, top: float, height: float, bg: str) -> Node:
        """A column of a row or grid: its items stacked from the row's top."""
        if len(items) == 1 and items[0].kind == "container":
            it = items[0]
            node = self.container(it, bg)
            node.style.width = None
            offset = it.y0 - top
            if offset >= 0.5:
                node.style.margin_top = _r(offset)
            return node
        node = Node("column", box=(left, top, right - left, height))
        node.children = self.stack(items, left, right, top, bg)
        node.style = Style(gap=0, height=_r(height))
        return node

    # -- leaves and containers placed in a stack ---------------------------------------------------

    def placed(self, it: Item, x0: float, x1: float, bg: str) -> tuple[Node, float, float]:
        top, height = layout_extent(it, self.cfg)
        if it.kind in ("text", "squiggle"):
            # Text keeps a box as tight as its words (as the picture's own text elements have):
            # where it is offset or aligned, a row places it and the text element inside it is
            # as wide as its lines, wrapping at the row's width as before.
            node = self.text(it)
            if it.reach is not None:
                reached = self.reached(node, it, x0, x1, top, height)
                if reached is not None:
                    return reached
            left, right = it.x0 - x0, x1 - it.x1
            slack = 0.04 * it.box[2] + 6
            wrap = Node("row", box=(x0, top, x1 - x0, height), children=[node])
            if left > 0.08 * (x1 - x0) and abs(left - right) < 0.04 * (x1 - x0) + 4:
                node.style.align = "center"
                pad = max(0.0, min(left, right) - slack)
                wrap.style = Style(gap=0, justify="center", padding=(0, _r(pad), 0, _r(pad)) if pad >= 1 else None)
            elif left > 0.3 * (x1 - x0) and right < 0.04 * (x1 - x0) + 4:
                node.style.align = "right"
                wrap.style = Style(gap=0, justify="end", padding=(0, _r(right), 0, 0) if right >= 1 else None)
            else:
                pr = max(0.0, right - slack) if len(it.lines) > 1 else 0.0
                if left < 0.5 and pr < 1:
                    node.style.width = "fit-content"
                    return node, top, height
                wrap.style = Style(gap=0, padding=(0, _r(pr), 0, _r(max(0.0, left))))
            return wrap, top, height
        node = self.container(it, bg) if it.kind == "container" else self.leaf(it)
        left = it.x0 - x0
        if it.kind == "divider" or left < 0.5:
            return node, top, height
        wrap = Node("row", box=(x0, top, x1 - x0, height))
        right = x1 - it.x1
        if abs(left - right) <= 2 and left > 8:
            wrap.style = Style(gap=0, justify="center")
        else:
            wrap.style = Style(gap=0, padding=(0, 0, 0, _r(left)))
        wrap.children = [node]
        return wrap, top, height

    def reached(self, node: Node, it: Item, x0: float, x1: float, top: float, height: float) -> tuple[Node, float, float] | None:
        """Text as big as the element it belongs to (its reach, within [x0, x1]), its words placed in
        it as they are in the picture; None where the reach adds nothing to the words' own box.
        A paragraph of several lines keeps its right edge, so that it wraps where it did. (top,
        height) is the item's `layout_extent`, its reach included."""
        assert it.reach is not None
        rx, _, rw, _ = it.reach
        left = max(x0, min(it.x0, rx))
        right = min(x1, max(it.x1, rx + rw))
        if len(it.lines) > 1:
            right = min(right, it.x1 + 0.04 * it.box[2] + 6)
        line_top, line_height = line_extent(it, self.cfg)
        taller = height >= line_height + 4
        # The region says where the element is only where the words sit in it as text sits in an
        # element: at its left edge, or centred in it. Otherwise it holds more than this text.
        flush = abs(it.x0 - rx) <= max(12.0, 0.05 * rw)
        centred = abs((it.x0 + it.x1) / 2 - (rx + rw / 2)) <= 0.05 * rw + 8
        wider = (flush or centred) and right - left >= it.box[2] + 8
        if not wider and not taller and it.kind != "squiggle":
            return None
        if taller:
            pad = node.style.padding or (0.0, 0.0, 0.0, 0.0)
            node.style.padding = (pad[0] + _r(line_top - top), pad[1], pad[2] + _r(top + height - line_top - line_height), pad[3])
        if wider:
            before, after, w = it.x0 - left, right - it.x1, right - left
            if before > 0.08 * w and abs(before - after) < 0.1 * w + 4:
                node.style.align = "center"
            elif before > 0.3 * w and after < 0.04 * w + 4:
                node.style.align = "right"
            elif before >= 1:
                pad = node.style.padding or (0.0, 0.0, 0.0, 0.0)
                node.style.padding = (pad[0], pad[1], pad[2], pad[3] + _r(before))
        else:  # as wide as its words (and a little: it must wrap where it did, not sooner)
            left = max(x0, it.x0)
            w = min(x1, it.x1 + 0.04 * it.box[2] + 6) - left
        node.style.width = f"{math.floor(10000 * min(1.0, w / max(x1 - left, 1.0))) / 100}%"
        if left - x0 < 0.5:
            return node, top, height
        wrap = Node("row", box=(x0, top, x1 - x0, height), children=[node])
        wrap.style = Style(gap=0, padding=(0, 0, 0, _r(left - x0)))
        return wrap, top, height

    def text(self, it: Item) -> Node:
        if it.kind == "squiggle":
            f = _squiggle_size(it)
            n = max(1, int(it.rows * it.box[2] / (0.6 * f * 5.5)))
            text = " ".join(_PLACEHOLDER_WORDS[i % len(_PLACEHOLDER_WORDS)] for i in range(n)).capitalize()
            kind = "heading" if f >= self.cfg.heading_size else "paragraph"
            attrs = {"level": "3"} if kind == "heading" else {}
            return Node(kind, text, box=it.box, style=Style(font_size=_r(f)), attrs=attrs)
        f = _font_size(it)
        first = it.lines[0]
        text = " ".join(ln.text for ln in it.lines)
        heading = _is_heading(first, self.cfg)
        style = Style(font_size=f, font_weight=700 if first.bold else 400)
        if self.kind == "screenshot":
            style.color = first.color
        if heading:
            level = 1 if f >= 30 else 2 if f >= 24 else 3 if f >= 20 else 4
            return Node("heading", text, box=it.box, style=style, attrs={"level": str(level)})
        return Node("paragraph", text, box=it.box, style=style)

    def leaf(self, it: Item) -> Node:
        x, y, w, h = it.box
        d = it.det
        if it.kind == "image":
            # A solid box (Design2Code's #0000ff) keeps its color; drawn pictures get the placeholder art.
            style = Style(background=d.color) if d is not None and d.color and d.coverage >= 0.97 else Style()
            if d is not None and d.radius:
                style.radius = _r(d.radius)
            return Node("image", box=it.box, style=style, attrs={"width": str(round(w)), "height": str(round(h))})
        if it.kind == "divider":
            style = Style(width=f"{_r(w)}px", height=1)
            if d is not None and d.color and self.kind == "screenshot":
                style.border_color = d.color
            return Node("divider", box=it.box, style=style)
        if it.kind == "icon":
            return Node("icon", box=it.box, style=Style(width=f"{_r(w)}px", height=_r(h)))
        text = " ".join(ln.text for ln in it.lines)
        f = _font_size(it) if it.lines else 16.0
        style = Style(width=f"{_r(w)}px", height=_r(h), font_size=f, padding=(0, 0, 0, 0))
        if d is not None and self.kind == "screenshot":
            style.background = d.color if d.color else None
            style.border_width = d.border_width or 0
            if d.border:
                style.border_color = d.border
            if it.lines:
                style.color = it.lines[0].color
                style.font_weight = 700 if it.lines[0].bold else 400
            style.radius = _r(d.radius) if d.radius else 0
        if any(ln.placeholder for ln in it.lines):
            text = "Text" if it.kind == "input" else "Button"
        if it.kind == "input":
            if it.lines and not it.lines[0].placeholder:
                style.padding = (0, 0, 0, _r(max(0.0, it.lines[0].box[0] - x)))
            return Node("input", text, box=it.box, style=style, attrs={"type": "text"})
        return Node("button", text or "Button", box=it.box, style=style)

    def container(self, it: Item, parent_bg: str) -> Node:
        d = it.det
        bg = it.background or parent_bg
        bordered = d is not None and d.border_width > 0
        kind = "card" if (bordered or it.background) and it.box[2] < 0.97 * self.W else "column"
        role = d.role if d is not None else None
        node = Node("form" if role == "form" else kind, box=it.box)
        if role == "navigation":
            node.attrs["role"] = "navigation"
        style = Style(gap=0, padding=(0, 0, 0, 0), width=f"{_r(it.box[2])}px", height=_r(it.box[3]))
        if kind == "card":  # a form keeps a card's look through these style facts
            style.background = it.background if self.kind == "screenshot" else None
            style.border_width = d.border_width if d is not None else 0.0
            if d is not None and d.border and self.kind == "screenshot":
                style.border_color = d.border
            style.radius = _r(d.radius) if d is not None else 0.0
        node.style = style
        node.children = self.stack(it.items, it.x0, it.x1, it.y0, bg)
        return node


def _region_of(it: Item, regions: list[Box]) -> int | None:
    """The index of the region holding most of the item, if one holds at least half of it."""
    share, k = max((overlap_share(it.box, r), k) for k, r in enumerate(regions))
    return k if share >= 0.5 else None


def _give_reach(items: list[Item], regions: list[Box]) -> None:
    """Each text item (in containers too) takes the region holding most of it, if one holds at least
    half. Lines stacked in one region share its height: each reaches halfway to its neighbours."""
    if not regions:
        return
    held: dict[int, list[Item]] = {}

    def visit(its: list[Item]) -> None:
        for it in its:
            if it.kind == "container":
                visit(it.items)
            elif it.kind in ("text", "squiggle") and (k := _region_of(it, regions)) is not None:
                held.setdefault(k, []).append(it)

    visit(items)
    for k, its in held.items():
        rx, ry, rw, rh = regions[k]
        its.sort(key=lambda it: it.y0)
        side_by_side = any(b.y0 < a.y1 for a, b in zip(its, its[1:], strict=False))
        cuts = [ry, *[(a.y1 + b.y0) / 2 for a, b in zip(its, its[1:], strict=False)], ry + rh]
        for i, it in enumerate(its):
            top, bottom = (it.y0, it.y1) if side_by_side else (min(it.y0, cuts[i]), max(it.y1, cuts[i + 1]))
            it.reach = (rx, top, rw, bottom - top)


def _merge_scribbles(items: list[Item], regions: list[Box], owner: Box) -> None:
    """Scribbles stacked in one learned text region are one paragraph as big as the region: a
    squiggle item of that many rows whose box is the region (cut to its container). Left alone
    where the region would overlap something else in the container, or its scribbles sit side by
    side (links of a navigation, columns)."""
    if not regions:
        return
    for it in items:
        if it.kind == "container":
            _merge_scribbles(it.items, regions, it.box)
    groups: dict[int, list[Item]] = {}
    for it in items:
        if it.kind == "squiggle" and (k := _region_of(it, regions)) is not None:
            groups.setdefault(k, []).append(it)
    for k, its in groups.items():
        its.sort(key=lambda it: it.y0)
        if any(b.y0 < a.y1 for a, b in zip(its, its[1:], strict=False)):
            continue
        box = intersect(union([regions[k], *[it.box for it in its]]), owner)
        members = {id(it) for it in its}
        if any(id(it) not in members and iou(it.box, box) > 0 for it in items):
            continue
        # In place, where the first scribble was (by identity: items compare by value).
        at = next(i for i, it in enumerate(items) if it is its[0])
        items[at] = Item("squiggle", box, rows=len(its))
        items[:] = [it for it in items if id(it) not in members]


def _split(items: list[Item], axis: int) -> list[list[Item]]:
    """Groups of items separated by gaps along an axis (1: rows top to bottom, 0: columns left to right)."""
    def span(it: Item) -> tuple[float, float]:
        return (it.y0, it.y1) if axis == 1 else (it.x0, it.x1)

    ordered = sorted(items, key=lambda it: span(it)[0])
    groups: list[list[Item]] = []
    end = -1e18
    for it in ordered:
        a, b = span(it)
        if groups and a < end - 0.5:
            groups[-1].append(it)
            end = max(end, b)
        else:
            groups.append([it])
            end = b
    return groups


def build_tree(lines: list[Line], dets: list[Detection], width: float, height: float, page_bg: str, kind: ImageKind, theme: Theme, cfg: LayoutConfig | None = None) -> Node:
    """The layout tree of a page `width` x `height` CSS px with these lines and detections."""
    b = _Builder(width, height, page_bg, kind, cfg or LayoutConfig())
    tree = b.page(b.items(lines, dets), theme)
    for node in tree.walk():
        if node.kind == "navbar" or node.attrs.get("role") == "navigation":
            name_links(node)
    return tree


_LINK_WORDS = 4  # a navigation entry longer than this is a sentence, not a link


def name_links(nav: Node) -> None:
    """The words of a navigation are its links: short paragraphs in it become links, and a heading
    that comes first in it (the brand, set larger than the entries) becomes the logo."""
    leaves = [n for n in nav.walk() if n is not nav and not n.children and n.text]
    if not leaves:
        return
    first = leaves[0]
    if first.kind == "heading" and len(leaves) > 1:
        first.kind = "logo"
        first.attrs.pop("level", None)
    for n in leaves:
        if n.kind in ("paragraph", "text") and len(n.text.split()) <= _LINK_WORDS:
            n.kind = "link"
