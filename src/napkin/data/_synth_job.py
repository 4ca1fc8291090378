"""`napkin data synth`: synthetic pages rendered as screenshots, wireframes and sketches."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator, Sequence
from typing import Any

from napkin.data._pipeline import Context, Drop
from napkin.errors import ConfigError
from napkin.layout import Node, to_tokens
from napkin.synth import RenderedSample, Sampler, augment, derive_seed, render_samples
from napkin.synth._pipeline import check_options


class SynthJob:
    """Sample page `i` of run `seed` for every i < n; render each in the asked variants and viewports."""

    name = "synth"
    unit = "page"

    def __init__(
        self,
        n: int,
        seed: int = 0,
        variants: Sequence[str] = ("screenshot", "sketch"),
        viewports: Sequence[str] | None = None,
        tree_augment: float = 0.0,
        image_augment: float = 0.0,
        image_format: str = "png",
        max_width: int | None = None,
        page_types: Sequence[str] | None = None,
    ) -> None:
        if n <= 0:
            raise ConfigError("--n must be positive")
        check_options(variants, image_format, viewports)
        if not (0 <= tree_augment <= 1 and 0 <= image_augment <= 1):
            raise ConfigError("augmentation probabilities must be between 0 and 1")
        self.n, self.seed = n, seed
        self.variants, self.viewports = list(variants), list(viewports) if viewports else None
        self.tree_augment, self.image_augment = tree_augment, image_augment
        self.image_format, self.max_width = image_format, max_width
        self.page_types = list(page_types) if page_types else None
        self.sampler = Sampler(seed, page_types=self.page_types)

    def config(self) -> dict[str, Any]:
        from napkin.synth import SKIN_VERSION, SYNTH_VERSION

        return {"n": self.n, "seed": self.seed, "variants": self.variants, "viewports": self.viewports,
                "tree_augment": self.tree_augment, "image_augment": self.image_augment, "image_format": self.image_format,
                "max_width": self.max_width, "page_types": self.page_types, "synth_version": SYNTH_VERSION,
                "skin_version": SKIN_VERSION}

    def items(self) -> Sequence[int]:
        return range(self.n)

    def _sample(self, index: int) -> Any:
        sample = self.sampler.sample(index)
        if self.tree_augment > 0:
            sample = augment(sample, derive_seed(sample.seed, f"tree/{self.seed}"), p=self.tree_augment)
        return sample

    def process(self, shard: int, items: Sequence[int], ctx: Context) -> Iterator[dict[str, Any] | Drop]:
        samples = [self._sample(i) for i in items]
        pictures = render_samples(samples, ctx.renderer, self.variants, self.viewports, seed=self.seed,
                                  image_augment=self.image_augment, image_format=self.image_format, max_width=self.max_width)
        for index, sample, group in zip(items, samples, pictures, strict=True):
            sample_id = f"synth-{self.seed}-{index:07d}"
            tokens = " ".join(to_tokens(sample.tree))
            for pic in group:
                row_id = f"{sample_id}-{pic.variant}-{pic.viewport}"
                if not pic.ok:
                    yield Drop(row_id, pic.reason, pic.error or "")
                    continue
                yield synth_row(row_id, sample_id, sample, pic, tokens)
            ctx.item_done()


def synth_row(row_id: str, sample_id: str, sample: Any, pic: RenderedSample, tokens: str) -> dict[str, Any]:
    # The layout column carries this picture's boxes (image pixels), so each row is a complete
    # detection example; the token column is the box-free target a model predicts.
    html = pic.html
    boxed = _with_boxes(sample.tree, {r["index"]: r["box"] for r in pic.boxes}, itertools.count())
    return {
        "id": row_id,
        "sample_id": sample_id,
        "source": "synth",
        "page_type": sample.page_type,
        "variant": pic.variant,
        "viewport": pic.viewport,
        "image": {"bytes": pic.image, "path": None},
        "width": pic.width,
        "height": pic.height,
        "html": html,
        "layout": json.dumps(boxed.to_json(), ensure_ascii=False),
        "tokens": tokens,
        "boxes": [{"kind": r["kind"], "x": r["box"][0], "y": r["box"][1], "w": r["box"][2], "h": r["box"][3], "text": r["text"]}
                  for r in pic.boxes if r["kind"] != "page"],
        "metadata": json.dumps(pic.metadata, ensure_ascii=False, sort_keys=True),
        "content_hash": hashlib.sha256(f"{pic.variant}|{pic.viewport}|{html}".encode()).hexdigest(),
    }


def _with_boxes(node: Node, boxes: dict[int, list[float]], counter: Iterator[int]) -> Node:
    i = next(counter)
    box = boxes.get(i)
    children = [_with_boxes(c, boxes, counter) for c in node.children]
    return Node(node.kind, node.text, (box[0], box[1], box[2], box[3]) if box else None, node.style, dict(node.attrs), children)
