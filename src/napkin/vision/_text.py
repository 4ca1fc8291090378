"""From OCR words to lines with style facts measured on the pixels: size, baseline, color, weight.

Font metrics are DejaVu Sans's (units of the em): the font Design2Code's references were
rendered with and the one `emit_html`'s theme uses, so a size measured here renders at the
same glyph height.
"""

from __future__ import annotations

import numpy as np

from napkin.vision._types import Box, Line, Word

# DejaVu Sans: ascender of 'b', cap height, x-height, descender of 'p' (in em).
ASCENDER = 0.760
CAP = 0.729
X_HEIGHT = 0.547
DESCENDER = 0.208
# The font's line metrics (hhea ascent + descent): the content box CSS centres in a line.
ASCENT = 0.928
DESCENT = 0.236

_TALL = set("bdfhklt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!?/\\|()[]{}#$%&@'\"ij")
_DEEP = set("gjpqy()[]{}|")



def is_bold(stroke: float, font_size: float) -> bool:
    """Stroke width over em, measured on the Design2Code references: normal text 0.058-0.067,
    bold 0.104-0.112 from 14 px up; below 14 px pixel rounding blurs the two together."""
    return stroke / max(font_size, 1.0) > (0.085 if font_size >= 14 else 0.13)


def word_em(word: Word) -> float | None:
    """The em size a word's box height implies, from which of its letters rise and fall."""
    chars = [c for c in word.text if c.isalnum() or c in _TALL or c in _DEEP]
    if not chars:
        return None
    top = ASCENDER if any(c in _TALL for c in chars) else X_HEIGHT
    bottom = DESCENDER if any(c in _DEEP for c in chars) else 0.0
    return word.box[3] / (top + bottom)


def union(boxes: list[Box]) -> Box:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def group_lines(words: list[Word]) -> list[Line]:
    """Words on one baseline and near each other (closer than about an em) form a line."""
    lines: list[list[Word]] = []
    ems: dict[int, float] = {id(w): word_em(w) or w.box[3] for w in words}
    for w in sorted(words, key=lambda w: w.box[0]):
        wx, wy, ww, wh = w.box
        cy = wy + wh / 2
        best, best_d = None, 0.0
        for ln in lines:
            last = ln[-1]
            lx, ly, lw, lh = last.box
            h = max(max(v.box[3] for v in ln), wh)
            em = max(ems[id(last)], ems[id(w)])
            gap = wx - (lx + lw)
            # A space is ~0.45 em between glyph boxes (0.8 in monospace); menu items sit >= 1 em apart.
            if gap < -2 or gap > 0.9 * em + 2:
                continue
            # Same baseline: bottoms agree unless one has descenders; centres agree roughly.
            line_cy = np.median([v.box[1] + v.box[3] / 2 for v in ln])
            if abs(cy - line_cy) > 0.35 * h:
                continue
            size_ratio = wh / max(1.0, max(v.box[3] for v in ln))
            if not 0.45 < size_ratio < 2.2:
                continue
            d = gap + abs(cy - line_cy)
            if best is None or d < best_d:
                best, best_d = ln, d
        if best is None:
            lines.append([w])
        else:
            best.append(w)
    out = [Line(words=ln, box=union([w.box for w in ln])) for ln in lines]
    out.sort(key=lambda ln: (ln.box[1], ln.box[0]))
    return out


def _mode_color(pixels: np.ndarray) -> np.ndarray:
    """The most frequent exact color of (N, 3) uint8 pixels."""
    codes = (pixels[:, 0].astype(np.int32) << 16) | (pixels[:, 1].astype(np.int32) << 8) | pixels[:, 2].astype(np.int32)
    values, counts = np.unique(codes, return_counts=True)
    c = int(values[np.argmax(counts)])
    return np.array([(c >> 16) & 255, (c >> 8) & 255, c & 255], dtype=np.uint8)


def hex_color(rgb: np.ndarray | tuple[int, int, int]) -> str:
    r, g, b = (int(v) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def measure_line(line: Line, rgb: np.ndarray) -> None:
    """Fill a line's font size, baseline, text and background colors and weight from the pixels."""
    ems = [e for w in line.words if (e := word_em(w)) is not None]
    size = float(np.median(ems)) if ems else line.box[3]
    # The line's own box bounds the size: at least descender-to-ascender, at most x-height tall.
    line.font_size = min(max(size, line.box[3] / (ASCENDER + DESCENDER + 0.1)), line.box[3] / (X_HEIGHT - 0.05))
    flat = [w.box[1] + w.box[3] for w in line.words if not any(c in _DEEP for c in w.text)]
    bottom = line.box[1] + line.box[3]
    line.baseline = float(np.median(flat)) if flat else bottom - DESCENDER * line.font_size

    H, W = rgb.shape[:2]
    x, y, w, h = line.box
    x0, y0 = max(0, int(x) - 2), max(0, int(y) - 2)
    x1, y1 = min(W, int(np.ceil(x + w)) + 2), min(H, int(np.ceil(y + h)) + 2)
    patch = rgb[y0:y1, x0:x1].reshape(-1, 3)
    if patch.size == 0:
        return
    border = np.concatenate([rgb[y0, x0:x1], rgb[y1 - 1, x0:x1], rgb[y0:y1, x0], rgb[y0:y1, x1 - 1]])
    bg = _mode_color(border)
    dist = np.abs(patch.astype(np.int16) - bg.astype(np.int16)).sum(axis=1)
    far = dist.max()
    line.background = hex_color(bg)
    if far < 30:
        line.color = hex_color(bg)
        return
    # Antialiased edges blend into the background; the stroke cores carry the true color.
    core = patch[dist >= 0.8 * far]
    line.color = hex_color(_mode_color(core))
    ink = (dist >= 0.5 * far).reshape(y1 - y0, x1 - x0)
    line.bold = is_bold(stroke_width(ink), line.font_size)


def stroke_width(ink: np.ndarray) -> float:
    """Mean stroke width of a binary glyph mask: area over half the perimeter."""
    area = int(ink.sum())
    if area == 0:
        return 0.0
    inner = ink.copy()
    inner[1:, :] &= ink[:-1, :]
    inner[:-1, :] &= ink[1:, :]
    inner[:, 1:] &= ink[:, :-1]
    inner[:, :-1] &= ink[:, 1:]
    edge = area - int(inner.sum())
    return 2.0 * area / max(edge, 1) - 1.0


# The narrowest a run of text gets, per character, in em (DejaVu Sans averages 0.55 em; a word of
# i, l and t comes near 0.3, and few runs of three or more characters are all of those).
_MIN_ADVANCE = 0.38


def plausible_sizes(lines: list[Line]) -> None:
    """Cap font sizes no run of glyphs that wide could have.

    OCR sometimes boxes a short word far taller than its glyphs (a footer link read beside a
    separator: 29 px tall for 10 px type), and the size measured from that box would print it
    three times too large, wrapped a letter per line in its slot. A line of three or more
    characters is at most `width / (0.38 * characters)` em (0.3 for one or two); one over that
    takes the size and baseline of the lines beside it on its row, or else the cap.
    """
    def cap(ln: Line) -> float:
        # One or two characters can be narrower still (an "l", a "1"): a looser cap.
        per = _MIN_ADVANCE if len(ln.text) >= 3 else 0.3
        return ln.box[2] / (per * max(1, len(ln.text)))

    for ln in lines:
        limit = cap(ln)
        if ln.font_size <= 1.15 * limit:
            continue
        cy = ln.box[1] + ln.box[3] / 2
        row = [o for o in lines if o is not ln and o.box[1] <= cy <= o.box[1] + o.box[3] and o.font_size <= 1.15 * cap(o)]
        if row:
            ln.font_size = float(np.median([o.font_size for o in row]))
            ln.baseline = float(np.median([o.baseline for o in row]))
        elif len(ln.text) >= 3:
            ln.font_size = limit
