"""Skins: draw the same page as a screenshot, a gray wireframe or a hand-drawn sketch.

A skin restyles the page's own HTML: a stylesheet is appended, nothing is removed or moved,
so the code that labels the picture stays the page's exact code and the DOM facts of the
skinned render are the boxes of what the picture shows. The sketch skin then works on the
picture: text lines bent into squiggles, every stroke wobbled, and the sheet treated like
scanned paper (texture, rotation, perspective, lighting, sensor noise); the page-to-picture
transform is recorded as a 3x3 matrix, so every box maps exactly into the final image
(`map_box`).

    skin = make_skin("sketch", seed=7)
    r = renderer.render(skin_html(html, skin))
    out = finish_skin(r, skin)         # SkinnedImage: image, transform, effects
    out.map_box(r.elements[5].box)     # that element's box in the final picture

Every parameter is drawn from the seed and kept in `Skin.params` (JSON-ready).
"""

from __future__ import annotations

import io
import math
import random
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from napkin._extras import require
from napkin.errors import ConfigError, InputError
from napkin.render._types import Render

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

SKINS = ("screenshot", "wireframe", "sketch")
# Counts changes to how skins draw a page (stylesheets, image-space effects). Dataset runs
# record it, so a resumed run refuses to mix pictures of two versions.
# 2: squiggles and the wobble done in image space, wobble and warp as one resampling.
# 3: the scanner's lighting and noise round to the nearest level (they truncated); squiggle
#    noise drawn for the band that moves, not the whole sheet; pictures decoded by OpenCV and,
#    when wider than max_width, shrunk by OpenCV's area resampling (was Pillow's box filter).
SKIN_VERSION = 3

# Handwriting fonts the render engine's reference fontconfig provides (Debian packages
# fonts-dkg-handwriting, fonts-humor-sans, fonts-comic-neue), weighted by how hand-made they look.
_HAND_FONTS = {"DkgHandwriting": 4.0, "Humor Sans": 4.0, "Comic Neue": 1.5}
_INKS = {"#1b1b1b": 5.0, "#2a2a2a": 3.0, "#1f2a5c": 1.5, "#3b3b3b": 1.5, "#14213d": 0.7}
_PAPERS = {"#ffffff": 4.0, "#fbfaf5": 3.0, "#f8f5ec": 2.0, "#f4f4f0": 1.5, "#fdfbf3": 1.0}


def _weighted(rng: random.Random, options: dict[str, float]) -> str:
    keys = list(options)
    return rng.choices(keys, weights=[options[k] for k in keys])[0]


@dataclass(frozen=True, slots=True)
class Skin:
    """How to draw a page. `params` holds every sampled choice and is JSON-ready."""

    name: str
    seed: int = 0
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "seed": self.seed, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Skin:
        return cls(name=data["name"], seed=int(data.get("seed", 0)), params=dict(data.get("params", {})))


def make_skin(name: str, seed: int = 0, **overrides: Any) -> Skin:
    """A skin with its look drawn from `seed`; keyword arguments fix single parameters."""
    if name not in SKINS:
        raise ConfigError(f"unknown skin {name!r}; known skins: {', '.join(SKINS)}")
    rng = random.Random(f"napkin.skin/{name}/{seed}")
    params: dict[str, Any] = {}
    if name == "wireframe":
        params = {
            "text": _weighted(rng, {"bars": 3.0, "text": 2.0, "mixed": 2.0}),
            "font": _weighted(rng, {"mono": 2.0, "sans": 2.0}),
            "ink": rng.choice(("#555555", "#4a4a4a", "#666666")),
            "fill": rng.choice(("#e6e6e6", "#dddddd", "#ebebeb")),
            "paper": rng.choice(("#ffffff", "#ffffff", "#fafafa")),
            "band": rng.choice(("#eeeeee", "#e4e4e4", "#f2f2f2")),
            "radius": rng.choice((None, 0.0, 2.0)),
        }
    elif name == "sketch":
        params = {
            "font": _weighted(rng, _HAND_FONTS),
            "ink": _weighted(rng, _INKS),
            "paper": _weighted(rng, _PAPERS),
            "pen": round(rng.uniform(1.2, 2.6), 2),  # stroke width of boxes, CSS px
            "headings": _weighted(rng, {"squiggle": 4.0, "hand": 4.0, "bar": 1.5}),
            "body": _weighted(rng, {"squiggle": 6.0, "bar": 2.0, "hand": 1.5}),
            "labels": _weighted(rng, {"hand": 6.0, "squiggle": 3.0}),  # buttons, links, short texts
            "images": _weighted(rng, {"cross": 6.0, "mountain": 2.0}),
            "sections": _weighted(rng, {"none": 4.0, "line": 3.0, "box": 2.0}),
            "fills": _weighted(rng, {"none": 5.0, "hatch": 3.0, "gray": 1.5}),  # primary buttons, dark bands
            "wobble": round(rng.uniform(2.5, 6.0), 2),  # displacement of every stroke, px
            "wobble_freq": round(rng.uniform(0.008, 0.02), 4),
            "squiggle": round(rng.uniform(6.0, 12.0), 2),  # amplitude of text squiggles, px
            "filter_seed": rng.randrange(1000),
            # Image-space effects, applied by finish_skin on the rendered picture.
            "rotation": round(rng.gauss(0.0, 0.9), 3),  # degrees
            "perspective": round(rng.uniform(0.0, 0.025), 4),  # corner jitter, fraction of the width
            "margin": rng.choice((0, 0, 12, 24, 40)),  # scanner bed around the sheet, px
            "bed": rng.choice(("#ffffff", "#ffffff", "#e9e9e6", "#d9d9d4", "#3a3a3a")),
            "texture": _weighted(rng, {"plain": 6.0, "grain": 3.0, "grid": 1.0, "dots": 0.7, "ruled": 0.7}),
            "lighting": round(rng.uniform(0.0, 0.12), 3),  # darkening across the sheet
            "noise": round(rng.uniform(1.5, 7.0), 2),  # sensor noise, gray levels (sigma)
            "dust": rng.randrange(0, 40),
            "blur": round(rng.uniform(0.0, 0.8), 2),  # px
            "effects_seed": rng.randrange(2**31),
        }
    unknown = set(overrides) - set(params)
    if unknown:
        raise ConfigError(f"unknown parameters for the {name} skin: {sorted(unknown)}; known: {sorted(params)}")
    params.update(overrides)
    return Skin(name=name, seed=seed, params=params)


# -- restyling ------------------------------------------------------------------------------------


def _svg_url(svg: str) -> str:
    return 'url("data:image/svg+xml,' + quote(svg, safe="/:=, ") + '")'


def _rgba(color: str, alpha: float) -> str:
    return f"rgba({int(color[1:3], 16)}, {int(color[3:5], 16)}, {int(color[5:7], 16)}, {alpha})"


_TEXT_BLOCKS = "p, li, td, th, dd, dt, blockquote, figcaption"
_HEADINGS = "h1, h2, h3, h4, h5, h6"
_LABELS = "a, button, label, span:not(.icon), .badge, .logo, input[type=submit], input[type=button]"
_BACKGROUND_RULE = re.compile(r"\.([A-Za-z][\w-]*)\s*\{[^}]*?background:\s*(#[0-9a-fA-F]{6})")


def _luminance(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# Squiggled text is drawn as a straight underline in a transparent text colour whose red
# channel names the squiggle (1 light, 2 heavy): the DOM facts carry that colour to
# `finish_skin`, which bends the lines in image space. An SVG turbulence filter did the same in
# the browser, but Chromium computes turbulence per pixel on the CPU: it cost a sketch render
# 15-20 ms of its ~100 (100 synthetic pages at 640 px, with and without the filters; a run not
# kept).
_SQUIGGLE_MARKS = {(1, 0, 0): "light", (2, 0, 0): "heavy"}


def _text_mode(selector: str, mode: str, ink: str, heavy: bool) -> str:
    """CSS that draws the text of `selector` as handwriting, a squiggle or a bar."""
    if mode == "hand":
        return f"{selector} {{ color: {ink} !important; }}"
    if mode == "squiggle":
        thickness = "3px" if heavy else "1.6px"
        mark = "rgba(2, 0, 0, 0)" if heavy else "rgba(1, 0, 0, 0)"
        return (f"{selector} {{ color: {mark} !important; text-decoration: underline solid {ink} !important; "
                f"text-decoration-thickness: {thickness} !important; text-underline-offset: -0.42em !important; "
                f"text-decoration-skip-ink: none !important; }}")
    alpha = 0.7 if heavy else 0.42
    return (f"{selector} {{ color: transparent !important; text-decoration: underline solid {_rgba(ink, alpha)} !important; "
            f"text-decoration-thickness: 0.55em !important; text-underline-offset: -0.72em !important; "
            f"text-decoration-skip-ink: none !important; }}")


def _sketch_css(p: dict[str, Any], dark_classes: list[str]) -> str:
    ink, paper, pen = p["ink"], p["paper"], float(p["pen"])
    inner = max(pen - 1.0, 0.0)
    font = f"'{p['font']}', 'Humor Sans', cursive"
    cross = _svg_url(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100' preserveAspectRatio='none'>"
        f"<path d='M0 0L100 100M100 0L0 100' stroke='{ink}' stroke-width='{pen * 0.8}' vector-effect='non-scaling-stroke' fill='none'/></svg>"
    )
    mountain = _svg_url(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 60 40'>"
        f"<path d='M6 34 22 14 32 26 40 19 54 34Z' stroke='{ink}' stroke-width='1.6' fill='none' stroke-linejoin='round'/>"
        f"<circle cx='44' cy='10' r='4.5' fill='{ink}'/></svg>"
    )
    person = _svg_url(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 40'>"
        f"<circle cx='20' cy='15' r='7' stroke='{ink}' stroke-width='2' fill='none'/>"
        f"<path d='M7 36c2-8 8-11 13-11s11 3 13 11' stroke='{ink}' stroke-width='2' fill='none'/></svg>"
    )
    tick = _svg_url(f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><path d='M1 1 9 9M9 1 1 9' stroke='{ink}' stroke-width='1.8'/></svg>")
    caret = _svg_url(f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 12 8'><path d='M1 1 6 7 11 1Z' stroke='{ink}' stroke-width='1.3' fill='none'/></svg>")
    ring = f"inset 0 0 0 {pen}px {ink}"
    hatch = f"repeating-linear-gradient(-45deg, {_rgba(ink, 0.28)} 0 1.2px, transparent 1.2px 7px)"
    fill = {"hatch": hatch, "gray": _rgba(ink, 0.16), "none": "transparent"}[p["fills"]]
    picture = cross if p["images"] == "cross" else mountain
    picture_size = "100% 100%" if p["images"] == "cross" else "46% auto"
    rules = [
        f"html {{ background: {paper} !important; }}",
        f"body {{ background: transparent !important; color: {ink} !important; }}",
        f"body * {{ font-family: {font} !important; color: {ink} !important; background: transparent !important; "
        f"border-color: {ink} !important; box-shadow: none !important; text-shadow: none !important; opacity: 1 !important; }}",
        f"::placeholder {{ color: {_rgba(ink, 0.75)} !important; }}",
        f".card, .btn:not(.btn-ghost), .input, .check input {{ box-shadow: {ring} !important; border-color: {ink} !important; }}",
        ".btn-ghost { border-color: transparent !important; }",
        f".btn-primary {{ background: {fill} !important; }}",
        f".img {{ background: {picture} center / {picture_size} no-repeat !important; box-shadow: {ring} !important; }}",
        f".avatar {{ background: {person if p['images'] == 'mountain' else cross} center / 100% 100% no-repeat !important; box-shadow: {ring} !important; }}",
        f".video {{ box-shadow: {ring} !important; }}",
        f".video::after {{ border-color: transparent transparent transparent {ink} !important; }}",
        f".icon {{ box-shadow: {ring} !important; border-radius: 50% !important; }}",
        f".badge {{ box-shadow: inset 0 0 0 {max(pen - 0.4, 1.0)}px {ink} !important; }}",
        f"hr {{ border-top: {pen}px solid {ink} !important; }}",
        f".navbar {{ box-shadow: inset 0 -{pen}px 0 0 {ink} !important; }}",
        f".table td, .table th {{ border-bottom-color: {ink} !important; }}",
        "input[type=checkbox], input[type=radio] { appearance: none; width: 13px; height: 13px; margin: 3px 3px 3px 4px; "
        f"box-shadow: inset 0 0 0 {max(pen - 0.4, 1.2)}px {ink} !important; border-radius: 2px; }}",
        "input[type=radio] { border-radius: 50%; }",
        f"input:checked {{ background: {tick} center / 70% no-repeat !important; }}",
        f"select {{ appearance: none; background: {caret} right 10px center / 12px 8px no-repeat !important; }}",
    ]
    if inner:
        rules.append(f".card, .input {{ box-shadow: inset 0 0 0 {inner + 1}px {ink} !important; }}")
    if p["sections"] == "line":
        rules.append(f".section, .header, .main {{ box-shadow: inset 0 -{pen}px 0 0 {ink} !important; }}")
    elif p["sections"] == "box":
        rules.append(f".section, .header, .footer {{ outline: {pen}px solid {ink}; outline-offset: -10px; }}")
        rules.append(f".sidebar {{ outline: {pen}px solid {ink}; outline-offset: 4px; }}")  # sidebars may have no padding
    rules.append(f".footer {{ box-shadow: inset 0 {pen}px 0 0 {ink} !important; }}")
    if dark_classes and p["fills"] != "none":
        rules.append(", ".join(f".{c}" for c in dark_classes) + f" {{ background: {hatch if p['fills'] == 'hatch' else _rgba(ink, 0.1)} !important; }}")
    rules.append(_text_mode(_LABELS, p["labels"], ink, heavy=False))
    rules.append(_text_mode(_TEXT_BLOCKS, p["body"], ink, heavy=False))
    rules.append(_text_mode(_HEADINGS, p["headings"], ink, heavy=True))
    # Inputs keep their handwritten placeholder; a squiggle there would hide what the field is.
    rules.append("input, textarea, select { color: inherit; text-decoration: none !important; }")
    return "\n".join(rules)


def _wireframe_css(p: dict[str, Any], dark_classes: list[str]) -> str:
    ink, fill, paper, band = p["ink"], p["fill"], p["paper"], p["band"]
    font = "'DejaVu Sans Mono', monospace" if p["font"] == "mono" else "'DejaVu Sans', sans-serif"
    cross = _svg_url(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100' preserveAspectRatio='none'>"
        f"<path d='M0 0L100 100M100 0L0 100' stroke='{ink}' stroke-width='1' vector-effect='non-scaling-stroke' fill='none'/></svg>"
    )
    rules = [
        f"html {{ background: {paper} !important; }}",
        "body { background: transparent !important; }",
        f"body * {{ font-family: {font} !important; color: {ink} !important; background: transparent !important; "
        f"border-color: {_rgba(ink, 0.6)} !important; box-shadow: none !important; text-shadow: none !important; opacity: 1 !important; }}",
        f".img, .avatar, .video {{ background: {fill} {cross} center / 100% 100% no-repeat !important; box-shadow: inset 0 0 0 1px {ink} !important; }}",
        ".video::after { border-color: transparent !important; }",
        f".icon {{ background: {fill} {cross} center / 100% 100% no-repeat !important; box-shadow: inset 0 0 0 1px {ink} !important; }}",
        f".btn-primary {{ background: {fill} !important; }}",
        f".navbar {{ background: {band} !important; }}",
        f".badge {{ box-shadow: inset 0 0 0 1px {ink} !important; }}",
        f"input[type=checkbox], input[type=radio] {{ accent-color: {ink}; filter: grayscale(1); }}",
    ]
    if p["radius"] is not None:
        rules.append(f"body *:not(.avatar) {{ border-radius: {p['radius']}px !important; }}")
    if dark_classes:
        rules.append(", ".join(f".{c}" for c in dark_classes) + f" {{ background: {band} !important; }}")
    mode = p["text"]
    bar = _rgba(ink, 0.45)
    heading_bar = _rgba(ink, 0.75)
    bars = (f"color: transparent !important; text-decoration: underline solid {bar} !important; text-decoration-thickness: 0.5em !important; "
            "text-underline-offset: -0.7em !important; text-decoration-skip-ink: none !important;")
    if mode in ("bars", "mixed"):
        rules.append(f"{_TEXT_BLOCKS} {{ {bars} }}")
        if mode == "bars":
            rules.append(f"{_HEADINGS} {{ {bars.replace(bar, heading_bar)} }}")
            rules.append(f"span:not(.icon):not(.badge), a:not(.logo) {{ {bars} }}")
    return "\n".join(rules)


def _dark_classes(html: str) -> list[str]:
    """Classes of the page's stylesheet that paint a dark or saturated background (bands, dark cards)."""
    head = html[: html.find("</style>")] if "</style>" in html else ""
    out = []
    for name, color in _BACKGROUND_RULE.findall(head):
        if _luminance(color) < 0.55 and not name.startswith(("btn", "button", "badge", "icon", "img", "image", "avatar")):
            out.append(name)
    return sorted(set(out))


def skin_html(html: str, skin: Skin) -> str:
    """The page restyled by the skin: a stylesheet appended, the markup untouched."""
    if skin.name == "screenshot":
        return html
    if "</head>" not in html or "</body>" not in html:
        raise InputError("skins need a whole HTML document with <head> and <body> (emit_html makes one)")
    dark = _dark_classes(html)
    if skin.name == "wireframe":
        css = _wireframe_css(skin.params, dark)
    elif skin.name == "sketch":
        css = _sketch_css(skin.params, dark)
    else:
        raise ConfigError(f"unknown skin {skin.name!r}")
    head, _, rest = html.rpartition("</head>")
    return f'{head}<style id="napkin-skin">\n{css}\n</style>\n</head>{rest}'


# -- image-space effects --------------------------------------------------------------------------


def _matmul(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(sum(a[3 * i + k] * b[3 * k + j] for k in range(3)) for i in range(3) for j in range(3))


def map_point(x: float, y: float, transform: tuple[float, ...] | list[float]) -> tuple[float, float]:
    """A point in CSS px page coordinates, in final image pixels."""
    t = transform
    w = t[6] * x + t[7] * y + t[8]
    return (t[0] * x + t[1] * y + t[2]) / w, (t[3] * x + t[4] * y + t[5]) / w


def map_box(box: tuple[float, float, float, float] | list[float], transform: tuple[float, ...] | list[float]) -> tuple[float, float, float, float]:
    """The axis-aligned box (x, y, w, h) around a CSS px box after the transform, in image pixels."""
    x, y, w, h = box
    pts = [map_point(px, py, transform) for px, py in ((x, y), (x + w, y), (x + w, y + h), (x, y + h))]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _homography(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> tuple[float, ...]:
    """The 3x3 matrix (row-major) taking four source points to four destination points."""
    import numpy as np

    a, b = [], []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    h = np.linalg.solve(np.array(a, dtype=np.float64), np.array(b, dtype=np.float64))
    return (*(float(v) for v in h), 1.0)


def _hex_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _cv2() -> Any:
    """OpenCV (the render extra): one implementation of every effect, so a seed gives the same pixels everywhere."""
    return require("cv2", "render")


def _smooth_noise(rng: np.random.Generator, h: int, w: int, cell: float | tuple[float, float]) -> np.ndarray:
    """Low-frequency noise in [-1, 1] of shape (h, w): a coarse random grid, upsampled smoothly.

    `cell` is the feature size in pixels, or (down, across) for noise stretched along one axis;
    it may be fractional (fields computed on a coarse grid).
    """
    import numpy as np
    from PIL import Image

    cy, cx = cell if isinstance(cell, tuple) else (cell, cell)
    gh, gw = max(2, int(h / cy) + 2), max(2, int(w / cx) + 2)
    coarse = rng.uniform(-1.0, 1.0, size=(gh, gw)).astype(np.float32)
    # Through an intermediate grid a few pixels per cell: the full-size resize is then one cheap pass.
    step = max(1, int(min(cy, cx)) // 8)
    if step > 1:
        mid = Image.fromarray(coarse, mode="F").resize((max(2, -(-w // step)), max(2, -(-h // step))), Image.Resampling.BILINEAR)
        coarse = np.asarray(mid, dtype=np.float32)
    cv2 = _cv2()
    return cv2.resize(coarse, (w, h), interpolation=cv2.INTER_LINEAR)


def _tiled(tile: np.ndarray, h: int, w: int) -> np.ndarray:
    """`tile` repeated to cover (h, w). Grain and sensor noise have no structure to give away the period."""
    th, tw = tile.shape[:2]
    return _cv2().repeat(tile, -(-h // th), -(-w // tw))[:h, :w]


def _paper(arr: np.ndarray, p: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """Multiply the sheet (uint8 RGB) by paper texture and ruling (under the ink, like real paper)."""
    import numpy as np

    h, w = arr.shape[:2]
    texture = p["texture"]
    if texture == "plain":
        return arr
    shade = 1.0 - 0.0125 * (_smooth_noise(rng, h, w, 48) + 1.0)
    shade -= _tiled(rng.uniform(0.0, 0.018, size=(256, 256)).astype(np.float32), h, w)
    tint = np.array((0.80, 0.88, 0.97), dtype=np.float32)  # faint blue-gray printed lines
    step = int(rng.integers(18, 30))
    cv2 = _cv2()
    planes = []
    # One contiguous plane per channel: elementwise float work runs several times faster on it
    # than on the channels of an interleaved picture.
    for c, plane in enumerate(cv2.split(arr)):
        out = plane.astype(np.float32)
        out *= shade
        if texture == "grid":
            out[::step, :] *= tint[c]
            out[:, ::step] *= tint[c]
        elif texture == "ruled":
            out[step::step, :] *= tint[c]
        elif texture == "dots":
            out[::step, ::step] *= (tint * 0.9)[c]
        planes.append(out.astype(np.uint8))  # every factor is at most 1: nothing to clip
    return cv2.merge(planes)


def _warp(w: int, h: int, p: dict[str, Any], rng: np.random.Generator,
          max_width: int | None = None) -> tuple[tuple[float, ...], tuple[float, ...], tuple[int, int]]:
    """Rotate and tilt a w x h sheet onto a scanner bed.

    Returns the warp, the matrix applied (the warp, then a shrink when the bed is wider than
    `max_width`: one resampling, not two) and the size of the picture.
    """
    angle = math.radians(float(p["rotation"]))
    jitter = float(p["perspective"]) * w
    cx, cy = w / 2, h / 2
    src = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    dst = []
    for x, y in src:
        dx, dy = x - cx, y - cy
        rx = cx + dx * math.cos(angle) - dy * math.sin(angle) + float(rng.uniform(-jitter, jitter))
        ry = cy + dx * math.sin(angle) + dy * math.cos(angle) + float(rng.uniform(-jitter, jitter))
        dst.append((rx, ry))
    margin = float(p["margin"])
    min_x, min_y = min(d[0] for d in dst), min(d[1] for d in dst)
    dst = [(x - min_x + margin, y - min_y + margin) for x, y in dst]
    out_w = int(math.ceil(max(d[0] for d in dst) + margin))
    out_h = int(math.ceil(max(d[1] for d in dst) + margin))
    forward = _homography(src, dst)
    applied = forward
    if max_width is not None and out_w > max_width:
        # The scanner bed and the tilt widen the picture; bring it back within max_width.
        shrink = max_width / out_w
        applied = _matmul((shrink, 0.0, 0.0, 0.0, shrink, 0.0, 0.0, 0.0, 1.0), forward)
        out_w, out_h = max_width, max(1, round(out_h * shrink))
    return forward, applied, (out_w, out_h)


_MAP_STEP = 4  # pixels between the points where the sheet map is computed exactly


def _sheet_map(applied: tuple[float, ...], size: tuple[int, int], sheet: tuple[int, int], p: dict[str, Any],
               scale: float) -> np.ndarray:
    """Where each pixel of the picture reads the sheet: the inverse warp plus the wobble.

    The wobble bends every stroke a little: a smooth random displacement, the effect of an SVG
    feTurbulence + feDisplacementMap filter on the page, done here because Chromium computes
    turbulence per pixel on the CPU (it doubled the cost of a sketch render). Warp and wobble
    are one map, so the picture is resampled once. The map is computed on a grid every few
    pixels and interpolated: exact for the warp's affine part, within a few thousandths of a
    pixel for its perspective, and the wobble is smooth at that scale. Boxes are unaffected by
    the wobble, as with the filter (the shift is a few pixels). The wobble moves nothing across
    the sheet's edge (`sheet` is its width and height), so the paper's outline stays straight
    (to within the grid's interpolation, a pixel at most).
    Returns an (h, w, 2) float32 map for cv2.remap.
    """
    import numpy as np

    cv2 = _cv2()
    out_w, out_h = size
    step = _MAP_STEP
    # Grid point i sits at pixel (i - 1) * step + (step - 1) / 2: with one point of padding on
    # each side, cv2.resize by `step` then lands every pixel exactly where it belongs.
    gw, gh = -(-out_w // step) + 2, -(-out_h // step) + 2
    u = (np.arange(gw, dtype=np.float64) - 1) * step + (step - 1) / 2
    v = (np.arange(gh, dtype=np.float64) - 1) * step + (step - 1) / 2
    uu, vv = np.meshgrid(u, v)
    inv = np.linalg.inv(np.array(applied, dtype=np.float64).reshape(3, 3))
    den = inv[2, 0] * uu + inv[2, 1] * vv + inv[2, 2]
    grid = np.empty((gh, gw, 2), dtype=np.float32)
    grid[..., 0] = (inv[0, 0] * uu + inv[0, 1] * vv + inv[0, 2]) / den
    grid[..., 1] = (inv[1, 0] * uu + inv[1, 1] * vv + inv[1, 2]) / den
    amp = float(p["wobble"]) * scale / 2  # feDisplacementMap's scale spans -scale/2..scale/2
    if amp > 0:
        rng = np.random.default_rng(int(p["filter_seed"]) + 7919)
        cell = max(4.0, scale / max(float(p["wobble_freq"]), 1e-4)) / step  # noise feature size, grid points
        limits = (sheet[0] - 1, sheet[1] - 1)
        on_sheet = (grid[..., 0] >= 0) & (grid[..., 0] <= limits[0]) & (grid[..., 1] >= 0) & (grid[..., 1] <= limits[1])
        for axis in (0, 1):  # two octaves each, as the filter had
            shift = amp * (0.67 * _smooth_noise(rng, gh, gw, cell) + 0.33 * _smooth_noise(rng, gh, gw, max(0.5, cell / 2)))
            # On the sheet the strokes move but stay on it; off it the bed stays still.
            grid[..., axis] = np.where(on_sheet, np.clip(grid[..., axis] + shift, 0, limits[axis]), grid[..., axis])
    full = cv2.resize(grid, (gw * step, gh * step), interpolation=cv2.INTER_LINEAR)
    return full[step : step + out_h, step : step + out_w]


def _squiggle(sheet: np.ndarray, render: Render, p: dict[str, Any], scale: float) -> np.ndarray:
    """Bend the underlines that stand for text into squiggles, as a hand draws them.

    The box of every element whose text colour carries a squiggle mark (`_SQUIGGLE_MARKS`) is
    shifted up and down by smooth noise that varies fast along the line and slowly across it
    (features of about 1/0.06 by 1/0.008 CSS px, as the SVG feTurbulence that fed a
    feDisplacementMap here before), by up to `squiggle` / 2 CSS px. Headings move 1.6 times more (the
    filters also gave them broader waves; here they share the body's noise). The shift is
    vertical only. The marks come from the DOM facts: a render without them (`dom=False`, or
    past `RenderLimits.max_elements`) keeps straight underlines. `scale` is image pixels per CSS px.
    """
    import numpy as np

    h, w = sheet.shape[:2]
    amp = float(p["squiggle"]) * scale / 2
    # How far each pixel may move: the element's amplitude, tapering to nothing towards its top
    # and bottom edges, so no pixel is fetched from outside its box (a table's borders, the line
    # above) and a button's outline stays put. Boxed children (buttons, cells) overwrite their
    # parents; inline ones (a link in a paragraph) only add to them, so the line does not kink.
    edge = math.ceil(float(p["pen"]) * scale) + 1
    reach = np.zeros((h, w), dtype=np.float32)
    for e in render.elements:
        kind = _SQUIGGLE_MARKS.get(e.color[:3]) if e.color[3] == 0 else None
        if kind is None:
            continue
        x0, y0 = max(0, math.floor(e.x * scale)), max(0, math.floor(e.y * scale))
        x1, y1 = min(w, math.ceil((e.x + e.w) * scale)), min(h, math.ceil((e.y + e.h) * scale))
        if x1 <= x0 or y1 <= y0:
            continue
        a = amp * (1.6 if kind == "heavy" else 1.0)
        rows = np.arange(y0, y1, dtype=np.float32)
        taper = np.clip((np.minimum(rows - y0, y1 - 1 - rows) - edge) * 0.9, 0.0, a)[:, None]
        if e.display == "inline":  # a link within a line: the line's own squiggle runs through it
            np.maximum(reach[y0:y1, x0:x1], taper, out=reach[y0:y1, x0:x1])
        else:
            reach[y0:y1, x0:x1] = taper
    rows, cols = np.flatnonzero(reach.any(axis=1)), np.flatnonzero(reach.any(axis=0))
    if not len(rows):
        return sheet
    rng = np.random.default_rng(int(p["filter_seed"]) + 104729)
    cell = (max(2.0, scale / 0.008), max(1.5, scale / 0.06))  # (down, along the line), image px
    # Only the band where something moves is resampled (and gets noise); the map keeps
    # whole-picture coordinates.
    band = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    bh, bw = int(rows[-1] + 1 - rows[0]), int(cols[-1] + 1 - cols[0])
    # At least two features tall, or a band of a line or two would vary fast across the line.
    tall = max(bh, math.ceil(2 * cell[0]))
    noise = 0.6 * _smooth_noise(rng, tall, bw, cell)[:bh]
    noise += 0.4 * _smooth_noise(rng, tall, bw, (cell[0] / 3, cell[1] / 3))[:bh]
    noise *= reach[band]
    noise += np.arange(rows[0], rows[-1] + 1, dtype=np.float32)[:, None]
    xs = np.tile(np.arange(cols[0], cols[-1] + 1, dtype=np.float32), (noise.shape[0], 1))
    cv2 = _cv2()
    out = sheet.copy()
    out[band] = cv2.remap(sheet, xs, noise, interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return out


def _scan(arr: np.ndarray, p: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """Optics blur, uneven lighting, sensor noise and dust, on a uint8 RGB picture."""
    import numpy as np

    cv2 = _cv2()
    blur = float(p["blur"])
    if blur > 0.05:
        arr = cv2.GaussianBlur(arr, (0, 0), blur)
    h, w = arr.shape[:2]
    # Lighting and noise are gray: one (h, w) gain and one offset for all three channels.
    gain = offset = None
    strength = float(p["lighting"])
    if strength > 0:
        # A linear ramp across the sheet in a random direction, from 1 down to 1 - strength:
        # the sum of a row term and a column term.
        angle = float(rng.uniform(0, 2 * math.pi))
        across = np.linspace(0.0, math.cos(angle), w, dtype=np.float32)
        down = np.linspace(0.0, math.sin(angle), h, dtype=np.float32)
        low = float(across.min() + down.min())
        k = np.float32(strength / max(float(across.max() + down.max()) - low, 1e-6))
        gain = np.add.outer(np.float32(1.0 + k * low) - k * down, -k * across)
    sigma = float(p["noise"])
    if sigma > 0:
        offset = _tiled(rng.standard_normal((317, 293), dtype=np.float32) * np.float32(sigma), h, w)
    # Plane by plane in OpenCV: contiguous, vectorised, and the last step rounds and clips to uint8.
    if gain is None and offset is None:
        out = arr.copy()
    else:
        planes = []
        for plane in cv2.split(arr):
            if offset is None:
                planes.append(cv2.multiply(plane, gain, dtype=cv2.CV_8U))
                continue
            lit = cv2.multiply(plane, gain, dtype=cv2.CV_32F) if gain is not None else plane.astype(np.float32)
            planes.append(cv2.add(lit, offset, dtype=cv2.CV_8U))
        out = cv2.merge(planes)
    for _ in range(int(p["dust"])):
        y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
        r = int(rng.integers(1, 3))
        speck = out[max(0, y - r) : y + r, max(0, x - r) : x + r]
        speck[...] = speck * float(rng.uniform(0.3, 0.8))
    return out


class SkinnedImage:
    """The final picture of a skinned render and the map from page coordinates into it.

    A picture no effect touched keeps the browser's encoded bytes: it is decoded only when
    `image` is read, and `encode` in the browser's format returns those bytes as they are
    (decoding and re-encoding a full-page PNG costs more than rendering it).
    """

    __slots__ = ("_image", "_source", "_source_format", "_size", "transform", "skin", "effects")

    def __init__(self, image: Image.Image | None, transform: tuple[float, ...], skin: Skin,
                 effects: dict[str, Any] | None = None, source: bytes | None = None, source_format: str = "png",
                 size: tuple[int, int] | None = None) -> None:
        if image is None and (source is None or size is None):
            raise ValueError("a SkinnedImage needs an image, or encoded bytes and their size")
        self._image = image
        self._source, self._source_format = source, source_format
        self._size: tuple[int, int] = image.size if image is not None else size  # type: ignore[assignment]
        # Row-major 3x3 matrix: CSS px page coordinates -> image pixels (device scale included).
        self.transform = transform
        self.skin = skin
        self.effects: dict[str, Any] = effects or {}  # JSON-ready record of the image-space effects

    @property
    def image(self) -> Image.Image:
        """The picture, decoded on first use. Replace it (`si.image = new`) rather than drawing on it:
        `encode` returns the browser's bytes while no new picture has been set."""
        if self._image is None:
            from PIL import Image

            self._image = Image.open(io.BytesIO(self._source)).convert("RGB")  # type: ignore[arg-type]
        return self._image

    @image.setter
    def image(self, value: Image.Image) -> None:
        if value is not self._image:
            self._image, self._source, self._size = value, None, value.size

    @property
    def width(self) -> int:
        return self._size[0]

    @property
    def height(self) -> int:
        return self._size[1]

    def map_box(self, box: tuple[float, float, float, float] | list[float]) -> tuple[float, float, float, float]:
        return map_box(box, self.transform)

    def encode(self, image_format: str = "png", quality: int = 90) -> bytes:
        """The picture as PNG or JPEG bytes."""
        fmt = "jpeg" if image_format == "jpg" else image_format
        if self._source is not None and fmt == self._source_format:
            return self._source
        buf = io.BytesIO()
        if image_format == "png":
            self.image.save(buf, "PNG", optimize=False, compress_level=3)
        elif image_format in ("jpeg", "jpg"):
            self.image.save(buf, "JPEG", quality=quality)
        else:
            raise ConfigError(f"image format must be png or jpeg, not {image_format!r}")
        return buf.getvalue()

    def to_json(self) -> dict[str, Any]:
        """Everything but the pixels."""
        return {"skin": self.skin.to_json(), "width": self.width, "height": self.height,
                "transform": list(self.transform), "effects": dict(self.effects)}


def finish_skin(render: Render, skin: Skin, max_width: int | None = None) -> SkinnedImage:
    """The final picture of a render of `skin_html(html, skin)`: image-space effects applied, transform recorded.

    `max_width` keeps the final picture at most that many pixels across (the page is shrunk
    before the effects, which then cost less); the transform includes every shrink.
    """
    import numpy as np
    from PIL import Image

    if render.image is None:
        raise InputError(f"the render has no image ({render.failure or 'screenshot off'}): {render.message}")
    scale = float(render.pixel_scale)
    if skin.name != "sketch" and (max_width is None or render.width <= max_width):
        return SkinnedImage(None, (scale, 0.0, 0.0, 0.0, scale, 0.0, 0.0, 0.0, 1.0), skin, {},
                            source=render.image, source_format=render.image_format, size=(render.width, render.height))
    cv2 = _cv2()
    # OpenCV decodes a third faster than Pillow (the same libjpeg underneath, less conversion).
    pixels = cv2.imdecode(np.frombuffer(render.image, dtype=np.uint8), cv2.IMREAD_COLOR) if render.image else None
    if pixels is None:
        raise InputError("the render's picture could not be decoded")
    pixels = cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB)
    if max_width is not None and pixels.shape[1] > max_width:
        shrink = max_width / pixels.shape[1]
        pixels = cv2.resize(pixels, (max_width, max(1, round(pixels.shape[0] * shrink))), interpolation=cv2.INTER_AREA)
        scale *= shrink
    transform: tuple[float, ...] = (scale, 0.0, 0.0, 0.0, scale, 0.0, 0.0, 0.0, 1.0)
    if skin.name != "sketch":
        return SkinnedImage(Image.fromarray(pixels, mode="RGB"), transform, skin, {})
    p = skin.params
    rng = np.random.default_rng(int(p["effects_seed"]))
    sheet = _paper(_squiggle(pixels, render, p, scale), p, rng)
    sheet_h, sheet_w = pixels.shape[:2]
    warp, applied, size = _warp(sheet_w, sheet_h, p, rng, max_width)
    arr = cv2.remap(sheet, _sheet_map(applied, size, (sheet_w, sheet_h), p, scale), None, interpolation=cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_CONSTANT, borderValue=_hex_rgb(p["bed"]))
    transform = _matmul(applied, transform)
    img = Image.fromarray(_scan(arr, p, rng), mode="RGB")
    effects = {"warp": list(warp), "texture": p["texture"], "noise": p["noise"], "blur": p["blur"], "lighting": p["lighting"]}
    return SkinnedImage(img, transform, skin, effects)
