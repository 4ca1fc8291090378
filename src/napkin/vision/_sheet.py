"""Find the sheet of paper in a scanned or photographed sketch and straighten it.

A sketch on a scanner bed (or a table) is a sheet a little rotated and tilted, with the bed
around it. The page the sketch stands for is the sheet, not the picture: boxes measured in
the picture are offset by the bed and skewed by the tilt. `find_sheet` looks for the sheet's
four edges, each a straight step from the bed's color to the paper's, and `rectify` warps
the quadrilateral they make onto an upright rectangle.

Each edge is found on its own, scanning in from that side of the picture: on rows (or
columns) every few pixels, the first place where the level leaves the bed's and stays away
for a stretch wider than a pen stroke; a robust line fit through those points keeps the
edge only if most of the side agrees on one straight line. A side without such a line is
the picture's border (the sheet touches it, or the bed is the paper's color). Nothing
straight enough, or a quadrilateral too small or too skewed to be a sheet: no sheet, and the
picture is used as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Point = tuple[float, float]


@dataclass(frozen=True)
class SheetConfig:
    step: int = 6  # px between the scanned rows (columns)
    depth: float = 0.25  # how far in from each side the edge is looked for, fraction of the side
    threshold: float = 5.0  # gray levels between bed and paper, after smoothing
    warmth: float = 3.0  # levels of red minus blue between bed and paper
    sustain: int = 12  # px the new level must hold: wider than a pen stroke
    tolerance: float = 2.5  # px from the fitted line for a point to agree with it
    agree: float = 0.45  # share of the scanned rows that must agree on the edge
    span: float = 0.5  # the agreeing rows must span this share of the side
    max_slope: float = 0.1  # about 6 degrees: more is not a sheet lying on a bed
    near: float = 6.0  # px: an edge this close to the border all along is the border
    min_area: float = 0.45  # the sheet covers at least this share of the picture


def _edge_points(planes: tuple[np.ndarray, np.ndarray], cfg: SheetConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the level first leaves the bed's on each scanned row, scanning left to right.

    `planes` are gray and warmth (red minus blue): a cream sheet on a gray bed can be as
    bright as the bed where the light falls off, never as warm, and sensor noise, gray on
    every channel, leaves warmth alone. Returns rows, edge positions (px, sub-pixel) and the
    step's kind (+-1 for gray, +-2 for warmth; the sign is the paper's side).
    """
    import cv2

    h, w = planes[0].shape
    depth = max(cfg.sustain * 3, int(w * cfg.depth))
    strips = [cv2.blur(np.ascontiguousarray(pl[:, :depth]), (5, 15)) for pl in planes]
    limits = (cfg.threshold, cfg.warmth)
    rows = np.arange(cfg.step // 2, h, cfg.step)
    out_y: list[float] = []
    out_x: list[float] = []
    out_s: list[int] = []
    ones = np.ones(cfg.sustain, dtype=np.int32)
    for y in rows:
        profiles = [st[y] for st in strips]
        beds = [float(np.median(p[:3])) for p in profiles]
        off = np.zeros(depth, dtype=bool)
        for p, bed, limit in zip(profiles, beds, limits, strict=True):
            off |= np.abs(p - bed) > limit
        # The first pixel from which the picture stays away from the bed for `sustain` px.
        run = np.convolve(off.astype(np.int32), ones, mode="valid")
        hits = np.flatnonzero(run == cfg.sustain)
        if not len(hits) or hits[0] < 2:
            continue
        x0 = int(hits[0])
        # The plane whose step stands out more, relative to its limit, places the edge. The
        # level just past the step, not further: a stroke drawn close to the edge is not paper.
        steps = [float(np.median(p[x0 + 3 : x0 + 7])) - bed for p, bed in zip(profiles, beds, strict=True)]
        k = 0 if abs(steps[0]) / limits[0] >= abs(steps[1]) / limits[1] else 1
        p, bed, plateau = profiles[k], beds[k], steps[k]
        sign = 1 if plateau > 0 else -1
        # Sub-pixel: where the level crosses half-way from bed to plateau, near x0.
        lo = max(1, x0 - 4)
        half = lo + np.flatnonzero(sign * (p[lo : x0 + 7] - bed) >= abs(plateau) / 2)
        if not len(half):
            continue
        i = int(half[0])
        a, b = sign * (p[i - 1] - bed), sign * (p[i] - bed)
        x = i - float((b - abs(plateau) / 2) / max(b - a, 1e-6)) if b > a else float(i)
        out_y.append(float(y))
        out_x.append(x + 0.5)  # half a pixel on: checked against the data engine's exact transform
        out_s.append(sign * (k + 1))
    return np.array(out_y), np.array(out_x), np.array(out_s, dtype=np.int32)


def _fit_edge(ys: np.ndarray, xs: np.ndarray, signs: np.ndarray, n_rows: int, length: int,
              cfg: SheetConfig, seed: int = 0) -> tuple[float, float] | None:
    """A line x = a * y + c most of the points agree on, or None."""
    if len(ys) < max(4, cfg.agree * n_rows):
        return None
    rng = np.random.default_rng(seed)
    best: np.ndarray | None = None
    for _ in range(200):
        i, j = rng.choice(len(ys), 2, replace=False)
        if abs(ys[j] - ys[i]) < length * 0.2 or signs[i] != signs[j]:
            continue
        a = (xs[j] - xs[i]) / (ys[j] - ys[i])
        if abs(a) > cfg.max_slope:
            continue
        c = xs[i] - a * ys[i]
        inl = (np.abs(xs - (a * ys + c)) <= cfg.tolerance) & (signs == signs[i])
        if best is None or inl.sum() > best.sum():
            best = inl
    if best is None or best.sum() < cfg.agree * n_rows:
        return None
    if ys[best].max() - ys[best].min() < cfg.span * length:
        return None
    a, c = np.polyfit(ys[best], xs[best], 1)
    if max(c, a * length + c) < cfg.near:
        # Within a few px of the border all along: a frame or vignette of the picture, or a
        # sliver of bed the border stands for as well.
        return None
    return float(a), float(c)


def _intersect(v: tuple[float, float], hz: tuple[float, float]) -> Point:
    """Where x = a*y + c (a vertical edge) meets y = b*x + d (a horizontal one)."""
    a, c = v
    b, d = hz
    y = (b * c + d) / (1 - a * b)
    return (a * y + c, y)


def sheet_edges(rgb: np.ndarray, cfg: SheetConfig) -> list[tuple[float, float] | None]:
    """The left, right, top and bottom edges found, each as (slope, offset) in its own scan's
    frame (mirrored for right and bottom), or None."""
    h, w = rgb.shape[:2]
    f = rgb.astype(np.float32)
    gray = f @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    warm = f[..., 0] - f[..., 2]
    n_v, n_h = len(range(cfg.step // 2, h, cfg.step)), len(range(cfg.step // 2, w, cfg.step))
    flip = (gray[:, ::-1], warm[:, ::-1])
    turn = (gray.T, warm.T)
    turn_flip = (gray.T[:, ::-1], warm.T[:, ::-1])
    return [
        _fit_edge(*_edge_points((gray, warm), cfg), n_v, h, cfg),
        _fit_edge(*_edge_points(flip, cfg), n_v, h, cfg),
        _fit_edge(*_edge_points(turn, cfg), n_h, w, cfg),
        _fit_edge(*_edge_points(turn_flip, cfg), n_h, w, cfg),
    ]


def find_sheet(rgb: np.ndarray, config: SheetConfig | None = None) -> list[Point] | None:
    """The sheet's corners (top-left, top-right, bottom-right, bottom-left) in image px, or None.

    None where no side shows a straight bed-to-paper edge: the picture is the sheet.
    """
    cfg = config or SheetConfig()
    h, w = rgb.shape[:2]
    if min(h, w) < 64:
        return None
    left, right, top, bottom = sheet_edges(rgb, cfg)
    if sum(e is None for e in (left, right, top, bottom)) > 1:
        # A sheet on a bed of another color shows at least three edges (with no margin the
        # rotation still leaves a sliver of bed along each side); one or two straight steps
        # alone are as likely a band drawn across the page.
        return None
    # Mirrored scans measure from the far side: x' = w - x.
    lv = left or (0.0, 0.0)
    rv = (-right[0], w - right[1]) if right else (0.0, float(w))
    th = top or (0.0, 0.0)
    bh = (-bottom[0], h - bottom[1]) if bottom else (0.0, float(h))
    corners = [_intersect(lv, th), _intersect(rv, th), _intersect(rv, bh), _intersect(lv, bh)]
    quad = np.array(corners)
    x, y = quad[:, 0], quad[:, 1]
    area = 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))
    if area < cfg.min_area * w * h:
        return None
    if (x < -2).any() or (y < -2).any() or (x > w + 2).any() or (y > h + 2).any():
        return None
    if max(abs(c[0] - e[0]) + abs(c[1] - e[1]) for c, e in zip(corners, [(0, 0), (w, 0), (w, h), (0, h)], strict=True)) < 1.5:
        return None  # the sheet is the picture
    return [(float(px), float(py)) for px, py in corners]


def rectify(rgb: np.ndarray, corners: list[Point]) -> np.ndarray:
    """The sheet inside `corners` warped onto an upright rectangle as big as its sides."""
    import cv2

    tl, tr, br, bl = (np.array(c) for c in corners)
    out_w = int(round((np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2))
    out_h = int(round((np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2))
    src = np.array(corners, dtype=np.float32)
    dst = np.array([(0, 0), (out_w, 0), (out_w, out_h), (0, out_h)], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(rgb, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return np.ascontiguousarray(out)
