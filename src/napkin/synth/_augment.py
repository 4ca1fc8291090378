"""Augmentations: change fonts, move and reorder elements, swap backgrounds and colors, degrade pictures.

Tree augmentations (`augment`) return a new `Sample` whose tree and theme are the changed
page, so the label stays exact: the picture is always rendered from the augmented code.
Image augmentations (`augment_image`) change pixels only; boxes are unaffected. Both append
one JSON-ready record per operation to `metadata["augmentations"]` (or return them), with
enough detail to redo it: node paths are lists of child indices from the root.
"""

from __future__ import annotations

import colorsys
import copy
import io
import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from napkin.errors import ConfigError
from napkin.layout import FONT_STACKS, Node, Style, Theme
from napkin.synth._sampler import Sample
from napkin.synth._themes import contrast, hex_to_rgb, hls, on_color, readable, rgb_to_hex

if TYPE_CHECKING:
    from PIL import Image

TREE_AUGMENTATIONS = ("font_swap", "reorder", "move", "background_swap", "palette", "spacing")
IMAGE_AUGMENTATIONS = ("color_jitter", "noise", "blur", "jpeg")

# Containers that stack their children vertically: safe places to move a block into.
_STACKS = {"section", "header", "footer", "main", "column", "card", "form", "sidebar"}
_MOVABLE = {"heading", "paragraph", "button", "image", "badge", "card", "row", "list", "link", "divider", "video", "grid", "table", "form"}
# Containers whose children are peers: their order can change without breaking the page.
_PEERS = {"grid", "row", "list", "table", "column", "card", "form", "sidebar"}

Record = dict[str, Any]


def _nodes_with_paths(tree: Node) -> list[tuple[list[int], Node]]:
    out: list[tuple[list[int], Node]] = []

    def visit(node: Node, path: list[int]) -> None:
        out.append((path, node))
        for i, c in enumerate(node.children):
            visit(c, [*path, i])

    visit(tree, [])
    return out


def _at(tree: Node, path: Sequence[int]) -> Node:
    node = tree
    for i in path:
        node = node.children[i]
    return node


# -- tree operations ------------------------------------------------------------------------------


def _font_swap(tree: Node, theme: Theme, rng: random.Random) -> tuple[Theme, Record | None]:
    families = [f for f in FONT_STACKS if f != "hand"]
    body = rng.choice([f for f in families if f != theme.font] + (["hand"] if rng.random() < 0.1 else []))
    heading = body if rng.random() < 0.6 else rng.choice(families)
    size = rng.choice((theme.base_size, 14.0, 15.0, 16.0, 17.0, 18.0))
    new = theme.with_(font=body, heading_font=heading, base_size=size)
    return new, {"op": "font_swap", "font": body, "heading_font": heading, "base_size": size}


def _reorder(tree: Node, theme: Theme, rng: random.Random) -> tuple[Theme, Record | None]:
    candidates = [(p, n) for p, n in _nodes_with_paths(tree) if n.kind in _PEERS and len(n.children) >= 2]
    page_middle = [i for i, c in enumerate(tree.children) if c.kind not in ("navbar", "footer")]
    options: list[tuple[list[int], list[int]]] = [(p, list(range(len(n.children)))) for p, n in candidates]
    if len(page_middle) >= 2:
        options.append(([], page_middle))
    if not options:
        return theme, None
    path, positions = rng.choice(options)
    parent = _at(tree, path)
    if parent.kind == "table":
        positions = positions[1:]  # the header row stays on top
        if len(positions) < 2:
            return theme, None
    order = positions[:]
    rng.shuffle(order)
    if order == positions:
        order = positions[1:] + positions[:1]
    moved = [parent.children[i] for i in order]
    for slot, child in zip(positions, moved, strict=True):
        parent.children[slot] = child
    return theme, {"op": "reorder", "path": path, "positions": positions, "order": order}


def _move(tree: Node, theme: Theme, rng: random.Random) -> tuple[Theme, Record | None]:
    nodes = _nodes_with_paths(tree)
    sources = [(p, n) for p, n in nodes if n.kind in _MOVABLE and len(p) >= 2 and len(_at(tree, p[:-1]).children) >= 2]
    targets = [p for p, n in nodes if n.kind in _STACKS]
    rng.shuffle(sources)
    for src_path, node in sources[:12]:
        parent_path = src_path[:-1]
        ok = [t for t in targets if t != parent_path and t[: len(src_path)] != src_path]
        if not ok:
            continue
        dst_path = rng.choice(ok)
        index = rng.randint(0, len(_at(tree, dst_path).children))
        _at(tree, parent_path).children.pop(src_path[-1])
        # Popping shifts later siblings; fix the target path if it ran through them.
        fixed = list(dst_path)
        if fixed[: len(parent_path)] == parent_path and len(fixed) > len(parent_path) and fixed[len(parent_path)] > src_path[-1]:
            fixed[len(parent_path)] -= 1
        _at(tree, fixed).children.insert(index, node)
        return theme, {"op": "move", "from": src_path, "to": fixed, "index": index, "kind": node.kind}
    return theme, None


def _background_swap(tree: Node, theme: Theme, rng: random.Random) -> tuple[Theme, Record | None]:
    hue = rng.random()
    if theme.dark:
        page_bg = hls(hue, rng.uniform(0.05, 0.13), rng.uniform(0.0, 0.3))
    else:
        page_bg = rng.choice(("#ffffff", hls(hue, rng.uniform(0.95, 0.99), rng.uniform(0.2, 0.7))))
    new = theme.with_(background=page_bg, muted=readable(theme.muted, page_bg, 4.5), text=readable(theme.text, page_bg, 7.0))
    swapped: list[list[int]] = []
    for path, node in _nodes_with_paths(tree):
        if node.kind in ("section", "header", "footer") and node.style.background is not None and node.style.color is None and rng.random() < 0.7:
            bg = hls(rng.random(), rng.uniform(0.9, 0.97) if not theme.dark else rng.uniform(0.12, 0.2), rng.uniform(0.2, 0.6))
            if contrast(new.text, bg) >= 4.5:
                node.style = _with(node.style, background=bg)
                swapped.append(path)
    return new, {"op": "background_swap", "background": page_bg, "sections": swapped}


def _rotate(color: str, shift: float) -> str:
    h, lightness, s = colorsys.rgb_to_hls(*hex_to_rgb(color))
    return rgb_to_hex(*colorsys.hls_to_rgb((h + shift) % 1.0, lightness, s))


def _palette(tree: Node, theme: Theme, rng: random.Random) -> tuple[Theme, Record | None]:
    """Rotate every hue of the page (theme and node colors) by one angle: lightness, hence contrast, is kept."""
    shift = rng.uniform(0.08, 0.92)
    fields = ("background", "surface", "text", "muted", "primary", "border")
    new = theme.with_(**{f: _rotate(getattr(theme, f), shift) for f in fields})
    new = new.with_(on_primary=on_color(new.primary))
    for node in tree.walk():
        changes = {f: _rotate(v, shift) for f in ("color", "background", "border_color") if (v := getattr(node.style, f)) is not None}
        if changes:
            node.style = _with(node.style, **changes)
    return new, {"op": "palette", "hue_shift": round(shift, 4)}


def _spacing(tree: Node, theme: Theme, rng: random.Random) -> tuple[Theme, Record | None]:
    spacing = rng.choice((8.0, 12.0, 16.0, 20.0, 24.0, 32.0))
    padding = rng.choice((24.0, 32.0, 48.0, 64.0, 96.0))
    radius = rng.choice((0.0, 4.0, 8.0, 12.0, 20.0))
    new = theme.with_(spacing=spacing, section_padding=padding, radius=radius, line_height=round(rng.uniform(1.3, 1.8), 2))
    return new, {"op": "spacing", "spacing": spacing, "section_padding": padding, "radius": radius, "line_height": new.line_height}


def _with(style: Style, **changes: Any) -> Style:
    return Style(**{**dict(style.items()), **changes})


_TREE_OPS: dict[str, Callable[[Node, Theme, random.Random], tuple[Theme, Record | None]]] = {
    "font_swap": _font_swap,
    "reorder": _reorder,
    "move": _move,
    "background_swap": _background_swap,
    "palette": _palette,
    "spacing": _spacing,
}


def _choose_ops(names: Sequence[str] | None, known: Sequence[str], p: float, rng: random.Random) -> list[str]:
    if names is not None:
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ConfigError(f"unknown augmentations {unknown}; known: {', '.join(known)}")
        return list(names)
    return [n for n in known if rng.random() < p]


def augment(sample: Sample, seed: int = 0, ops: Sequence[str] | None = None, p: float = 0.35) -> Sample:
    """A changed copy of the sample: each tree augmentation applied with probability `p`, or exactly `ops`."""
    rng = random.Random(f"napkin.augment/{sample.seed}/{seed}")
    tree = copy.deepcopy(sample.tree)
    theme = sample.theme
    records: list[Record] = []
    for name in _choose_ops(ops, TREE_AUGMENTATIONS, p, rng):
        theme, record = _TREE_OPS[name](tree, theme, rng)
        if record is not None:
            records.append(record)
    metadata = copy.deepcopy(sample.metadata)
    metadata.setdefault("augmentations", []).extend(records)
    metadata["augment_seed"] = seed
    return Sample(tree=tree, theme=theme, page_type=sample.page_type, seed=sample.seed, metadata=metadata)


# -- image operations -----------------------------------------------------------------------------


def augment_image(image: Image.Image, seed: int = 0, ops: Sequence[str] | None = None, p: float = 0.35) -> tuple[Image.Image, list[Record]]:
    """The picture with color jitter, noise, blur or JPEG artifacts (each with probability `p`, or exactly `ops`)."""
    import numpy as np
    from PIL import Image, ImageEnhance, ImageFilter

    rng = random.Random(f"napkin.augment_image/{seed}")
    records: list[Record] = []
    img = image.convert("RGB")
    for name in _choose_ops(ops, IMAGE_AUGMENTATIONS, p, rng):
        if name == "color_jitter":
            b, c, s, h = rng.uniform(0.8, 1.2), rng.uniform(0.8, 1.2), rng.uniform(0.6, 1.4), rng.uniform(-0.08, 0.08)
            img = ImageEnhance.Color(ImageEnhance.Contrast(ImageEnhance.Brightness(img).enhance(b)).enhance(c)).enhance(s)
            if abs(h) > 0.005:
                hsv = np.asarray(img.convert("HSV"), dtype=np.int16)
                hsv[..., 0] = (hsv[..., 0] + int(h * 255)) % 256
                img = Image.fromarray(hsv.astype(np.uint8), mode="HSV").convert("RGB")
            records.append({"op": "color_jitter", "brightness": round(b, 3), "contrast": round(c, 3), "saturation": round(s, 3), "hue": round(h, 3)})
        elif name == "noise":
            sigma = rng.uniform(3.0, 14.0)
            noise = np.random.default_rng(rng.randrange(2**31)).normal(0.0, sigma, size=(img.height, img.width, 1))
            img = Image.fromarray(np.clip(np.asarray(img, dtype=np.float32) + noise, 0, 255).astype(np.uint8), mode="RGB")
            records.append({"op": "noise", "sigma": round(sigma, 2)})
        elif name == "blur":
            radius = rng.uniform(0.4, 1.6)
            img = img.filter(ImageFilter.GaussianBlur(radius))
            records.append({"op": "blur", "radius": round(radius, 2)})
        elif name == "jpeg":
            quality = rng.randint(15, 60)
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=quality)
            img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
            records.append({"op": "jpeg", "quality": quality})
    return img, records
