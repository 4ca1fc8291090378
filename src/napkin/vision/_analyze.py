"""The pipeline: load, read text, detect elements, infer the layout and theme.

Every stage sits behind a seam (`TextReader`, `Detector`, and `LayoutConfig` for the rules of
layout inference), so a learned model can replace or join a classical stage without touching
the others.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from PIL import Image

from napkin._image import WARNINGS_KEY, Source, image_warnings, load_image
from napkin.errors import InputError
from napkin.layout import DEFAULT_THEME, Node, Style, Theme
from napkin.vision._detect import ClassicalDetector, flat_panels, iou, stroke_mask
from napkin.vision._layout import LayoutConfig, build_tree
from napkin.vision._ocr import TesseractReader
from napkin.vision._sheet import find_sheet, rectify
from napkin.vision._text import group_lines, hex_color, measure_line, plausible_sizes
from napkin.vision._types import Analysis, Detection, Detector, ImageKind, Line, TextReader, Word

log = logging.getLogger(__name__)

KindArg = Literal["auto", "screenshot", "sketch"]


@dataclass
class VisionConfig:
    """How `analyze` reads a picture."""

    # Desktop screenshots are 1280 CSS px wide (Design2Code's references, our renders); a
    # retina capture is scaled down to that, a small sketch up.
    css_width: float = 1280.0
    # A sketch's handwriting is only kept where Tesseract is sure; the rest is squiggles.
    sketch_min_conf: float = 70.0
    # Pictures taller than this (image px) are cut, with a warning: OCR time grows with height.
    max_height: int = 16000
    # A sketch is read on its sheet: a scanned or photographed sheet lying on a bed of another
    # color is found and straightened first (napkin.vision._sheet).
    sheet: bool = True
    layout: LayoutConfig = field(default_factory=LayoutConfig)


def _dominant(rgb: np.ndarray) -> np.ndarray:
    sample = rgb[::4, ::4].reshape(-1, 3)
    codes = (sample[:, 0].astype(np.int32) << 16) | (sample[:, 1].astype(np.int32) << 8) | sample[:, 2].astype(np.int32)
    values, counts = np.unique(codes, return_counts=True)
    c = int(values[np.argmax(counts)])
    return np.array([(c >> 16) & 255, (c >> 8) & 255, c & 255], dtype=np.uint8)


def _frame_color(rgb: np.ndarray) -> np.ndarray:
    """The page background: the most frequent color of the left and right edges and the top row.

    Not the most frequent color overall: a centred white content column can outweigh the
    colored page around it.
    """
    edge = max(1, min(4, rgb.shape[1] // 20))
    frame = np.concatenate([rgb[:, :edge].reshape(-1, 3), rgb[:, -edge:].reshape(-1, 3), rgb[:edge].reshape(-1, 3)])
    return _dominant(frame[None])  # (1, N, 3): _dominant samples every 4th pixel


def guess_kind(rgb: np.ndarray, lines: list[Line]) -> ImageKind:
    """A sketch is strokes that are mostly not text, in (almost) no color, on light paper."""
    paper = _dominant(rgb).astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    if paper < 190:
        return "screenshot"
    ink = stroke_mask(rgb).astype(bool)
    total = int(ink.sum())
    if total == 0:
        return "screenshot"
    text = np.zeros_like(ink)
    for ln in lines:
        x, y, w, h = (int(v) for v in ln.box)
        text[max(0, y - 2) : y + h + 2, max(0, x - 2) : x + w + 2] = True
    text_share = float((ink & text).sum()) / total
    hsv_s = rgb.max(axis=2).astype(np.int16) - rgb.min(axis=2).astype(np.int16)
    colorful = float((hsv_s[::2, ::2] > 60).mean())
    return "sketch" if text_share < 0.5 and colorful < 0.03 else "screenshot"


def infer_theme(rgb: np.ndarray, lines: list[Line], dets: list[Detection], kind: ImageKind, page_bg: str) -> Theme:
    """Page background, text, primary and surface colors, and base size, from what was found."""
    if kind == "sketch":
        return DEFAULT_THEME.with_(name="sketch")
    chars: Counter[str] = Counter()
    sizes: list[float] = []
    for ln in lines:
        chars[ln.color] += len(ln.text)
        sizes += [ln.font_size] * len(ln.text)
    text = chars.most_common(1)[0][0] if chars else DEFAULT_THEME.text
    fills: Counter[str] = Counter()
    for d in dets:
        if d.cls in ("panel", "button") and d.color and d.color != page_bg:
            fills[d.color] += int(d.box[2] * d.box[3])
    saturated = [c for c, _ in fills.most_common() if _saturation(c) > 0.35 and c != "#0000ff"]
    saturated += [c for c, _ in chars.most_common() if _saturation(c) > 0.35]
    primary = saturated[0] if saturated else DEFAULT_THEME.primary
    surface = next((c for c, _ in fills.most_common() if _saturation(c) < 0.2), DEFAULT_THEME.surface)
    bg = np.array([int(page_bg[i : i + 2], 16) for i in (1, 3, 5)])
    dark = float(bg @ np.array([0.299, 0.587, 0.114])) < 100
    base = float(np.median(sizes)) if sizes else 16.0
    return Theme(
        name="inferred",
        background=page_bg,
        surface=surface,
        text=text,
        muted=text,
        primary=primary,
        on_primary="#ffffff" if float(np.array([int(primary[i : i + 2], 16) for i in (1, 3, 5)]) @ np.array([0.299, 0.587, 0.114])) < 160 else "#1f2328",
        border=DEFAULT_THEME.border if not dark else "#3a3f47",
        base_size=round(base),
        dark=dark,
    )


def _saturation(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    hi, lo = max(r, g, b), min(r, g, b)
    return 0.0 if hi == 0 else (hi - lo) / hi


def _scale_box(box: tuple[float, float, float, float], s: float) -> tuple[float, float, float, float]:
    return (box[0] * s, box[1] * s, box[2] * s, box[3] * s)


def _scaled(lines: list[Line], dets: list[Detection], s: float) -> tuple[list[Line], list[Detection]]:
    out_lines = []
    for ln in lines:
        words = [Word(w.text, _scale_box(w.box, s), w.conf) for w in ln.words]
        out_lines.append(replace(ln, words=words, box=_scale_box(ln.box, s), font_size=ln.font_size * s, baseline=ln.baseline * s))
    out_dets = [
        replace(d, box=_scale_box(d.box, s), radius=d.radius * s, border_width=max(1.0, round(d.border_width * s)) if d.border_width else 0.0, outline=None)
        for d in dets
    ]
    return out_lines, out_dets


def _merge(found: list[list[Detection]]) -> list[Detection]:
    """Detections of several detectors: of two overlapping ones of a class, the higher score stays."""
    if len(found) == 1:
        return found[0]
    out: list[Detection] = []
    for d in sorted((d for f in found for d in f), key=lambda d: -d.score):
        if not any(o.cls == d.cls and iou(o.box, d.box) > 0.7 for o in out):
            out.append(d)
    return out


def empty_page(width: float, height: float, background: str) -> Node:
    return Node("page", box=(0.0, 0.0, width, height), children=[
        Node("section", box=(0.0, 0.0, width, height), style=Style(padding=(0, 0, 0, 0), height=round(height), background=background)),
    ])


def analyze(
    image: Source,
    kind: KindArg = "auto",
    *,
    reader: TextReader | None = None,
    detectors: list[Detector] | None = None,
    config: VisionConfig | None = None,
) -> Analysis:
    """Infer a layout tree and theme from a screenshot, wireframe or sketch.

    `emit_html(result.tree, result.theme)` is the page. Boxes in the result are CSS px of a
    page `config.css_width` wide (1280 by default).
    """
    if kind not in ("auto", "screenshot", "sketch"):
        raise InputError(f"kind must be auto, screenshot or sketch, not {kind!r}")
    cfg = config or VisionConfig()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    img = image if isinstance(image, Image.Image) and image.mode == "RGB" and WARNINGS_KEY in image.info else load_image(image)
    warnings = image_warnings(img)
    if img.height > cfg.max_height:
        warnings.append(f"the image is {img.height} px tall; only the top {cfg.max_height} px were analysed")
        img = img.crop((0, 0, img.width, cfg.max_height))
    rgb = np.ascontiguousarray(np.asarray(img, dtype=np.uint8))
    timings["load"] = time.perf_counter() - t
    sheet = None
    if kind == "sketch" and cfg.sheet:
        t = time.perf_counter()
        sheet = find_sheet(rgb)
        if sheet is not None:
            rgb = rectify(rgb, sheet)
        timings["sheet"] = time.perf_counter() - t
    H, W = rgb.shape[:2]
    s = cfg.css_width / W

    page_bg = hex_color(_frame_color(rgb))
    if int(rgb.max()) - int(rgb.min()) < 12:
        warnings.append("the image is blank (one flat color): the result is an empty page")
        theme = DEFAULT_THEME.with_(name="blank", background=page_bg)
        tree = empty_page(cfg.css_width, H * s, page_bg)
        return Analysis(tree, theme, "screenshot" if kind == "auto" else kind, [], [], [], warnings, timings, s, (W, H), sheet)

    t = time.perf_counter()
    # Flat panels serve OCR (the background behind text) and detection alike: found once.
    panels = flat_panels(rgb)
    timings["panels"] = time.perf_counter() - t
    t = time.perf_counter()
    reader = reader or TesseractReader()
    words = reader.read(rgb, panels) if isinstance(reader, TesseractReader) else reader.read(rgb)
    lines = group_lines(words)
    for ln in lines:
        measure_line(ln, rgb)
    plausible_sizes(lines)
    timings["ocr"] = time.perf_counter() - t

    t = time.perf_counter()
    detected: ImageKind = guess_kind(rgb, lines) if kind == "auto" else kind
    if kind == "auto" and detected == "sketch" and cfg.sheet:
        t_sheet = time.perf_counter()
        sheet = find_sheet(rgb)
        if sheet is not None:
            # Read again on the straightened sheet: every box so far is in the bed's frame.
            straight = Image.fromarray(rectify(rgb, sheet), mode="RGB")
            straight.info[WARNINGS_KEY] = warnings
            out = analyze(straight, "sketch", reader=reader, detectors=detectors, config=replace(cfg, sheet=False))
            out.sheet = sheet
            out.timings = {**timings, "sheet": time.perf_counter() - t_sheet, **out.timings}
            return out
    if detected == "sketch":
        words = [w for w in words if w.conf >= cfg.sketch_min_conf and len(w.text) > 1]
        lines = group_lines(words)
        for ln in lines:
            measure_line(ln, rgb)
        plausible_sizes(lines)
    found = [
        d.detect(rgb, lines, detected, panels) if getattr(d, "takes_panels", False) else d.detect(rgb, lines, detected)  # type: ignore[call-arg]
        for d in (detectors if detectors is not None else [ClassicalDetector()])
    ]
    dets = _merge(found)
    timings["detect"] = time.perf_counter() - t

    t = time.perf_counter()
    css_lines, css_dets = _scaled(lines, dets, s)
    theme = infer_theme(rgb, css_lines, css_dets, detected, page_bg)
    tree = build_tree(css_lines, css_dets, cfg.css_width, H * s, theme.background, detected, theme, cfg.layout)
    if not css_lines and not css_dets:
        warnings.append("nothing was recognised in the image: the result is an empty page")
    timings["layout"] = time.perf_counter() - t
    css_words = [w for ln in css_lines for w in ln.words]
    return Analysis(tree, theme, detected, css_words, css_lines, css_dets, warnings, timings, s, (W, H), sheet)
