"""Diversity statistics over many samples, and the contact sheet of screenshots beside sketches."""

from __future__ import annotations

import io
import statistics
from collections import Counter
from typing import TYPE_CHECKING, Any

from napkin.layout import Node
from napkin.synth._sampler import Sampler

if TYPE_CHECKING:
    from PIL import Image

    from napkin.render import Renderer


def skeleton(node: Node, depth: int) -> str:
    """`Node.signature()` cut at `depth` levels: the page's coarse structure."""
    if not node.children or depth <= 0:
        return node.kind
    return f"{node.kind}({','.join(skeleton(c, depth - 1) for c in node.children)})"


def diversity(n: int = 10_000, seed: int = 0) -> dict[str, Any]:
    """How varied `n` samples of a run are: distinct layout signatures, the kind histogram, page types, topics."""
    sampler = Sampler(seed)
    signatures: set[str] = set()
    skeletons: set[str] = set()
    sequences: set[tuple[str, ...]] = set()
    kinds: Counter[str] = Counter()
    pages_with: Counter[str] = Counter()
    page_types: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    sizes: list[int] = []
    dark = 0
    for _ in range(n):
        s = sampler.page()
        signatures.add(s.tree.signature())
        skeletons.add(skeleton(s.tree, 3))
        sequences.add(tuple(s.metadata["sections"]))
        counts = Counter(node.kind for node in s.tree.walk())
        kinds.update(counts)
        pages_with.update(counts.keys())
        page_types[s.page_type] += 1
        topics[s.metadata["topic"]] += 1
        sizes.append(s.tree.size())
        dark += s.theme.dark
    return {
        "samples": n,
        "seed": seed,
        "distinct_signatures": len(signatures),
        "distinct_skeletons_depth3": len(skeletons),
        "distinct_section_sequences": len(sequences),
        "nodes_per_page": {"mean": round(statistics.fmean(sizes), 1), "median": statistics.median(sizes), "min": min(sizes), "max": max(sizes)},
        "dark_fraction": round(dark / n, 3),
        "page_types": dict(page_types.most_common()),
        "topics": dict(topics.most_common()),
        "kinds": dict(kinds.most_common()),
        "pages_with_kind": {k: round(v / n, 3) for k, v in pages_with.most_common()},
    }


def contact_sheet(renderer: Renderer, seed: int = 0, n: int = 16, tile: tuple[int, int] = (230, 330), columns: int = 4) -> Image.Image:
    """`n` samples of a run, each as its screenshot beside its sketch (the top of each page)."""
    from PIL import Image, ImageDraw

    from napkin.synth._pipeline import render_samples

    tw, th = tile
    gap, label = 10, 16
    rows = -(-n // columns)
    sheet = Image.new("RGB", (columns * (2 * tw + 3 * gap), rows * (th + label + gap) + gap), (64, 66, 70))
    draw = ImageDraw.Draw(sheet)
    samples = [Sampler(seed).sample(i) for i in range(n)]
    for i, pictures in enumerate(render_samples(samples, renderer, variants=("screenshot", "sketch"))):
        x0 = (i % columns) * (2 * tw + 3 * gap) + gap
        y0 = (i // columns) * (th + label + gap) + gap
        for j, picture in enumerate(pictures):
            if picture.image is None:
                continue
            img = Image.open(io.BytesIO(picture.image)).convert("RGB")
            scale = tw / img.width
            img = img.resize((tw, max(1, round(img.height * scale))), Image.Resampling.LANCZOS)
            img = img.crop((0, 0, tw, min(th, img.height)))
            sheet.paste(img, (x0 + j * (tw + gap), y0))
        s = samples[i]
        draw.text((x0, y0 + th + 2), f"{s.page_type} · {s.metadata['topic']} · {s.viewport}", fill=(225, 225, 225))
    return sheet
