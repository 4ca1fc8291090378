"""Hindsight relabeling: a model's miss is still the exact code of the page it renders.

Input: predictions of any model (JSONL lines with `image_id`, `code`, and optionally `model`
and `target`). Each prediction is rendered; the pair (its rendering, its code) is a correct
example whatever the model was aiming at. Provenance stays with it: which model, which target,
and its visual score against that target. Renders with script errors are not pairs, but
they teach repair: (code, errors) go to `repairs/`. Drops are recorded with their reason.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from napkin._files import PICTURE_SUFFIXES
from napkin.data._ingest import is_blank, page_row
from napkin.data._pipeline import Context, Drop, Extra
from napkin.errors import InputError
from napkin.layout import Node, from_dom
from napkin.render import Render, RenderOptions

MAX_CODE = 2_000_000
# (rendered prediction, target image) -> similarity in [0, 1]
Scorer = Callable[[Image.Image, Image.Image], float]


@dataclass(frozen=True, slots=True)
class Prediction:
    line: int
    image_id: str
    code: str
    model: str = ""
    target: str = ""

    @property
    def id(self) -> str:
        digest = hashlib.sha1(f"{self.model}|{self.image_id}|{self.code}".encode()).hexdigest()[:12]
        return f"h{self.line:06d}-{digest}"


def read_predictions(path: Path) -> list[Prediction]:
    """Predictions from JSONL. Malformed lines are an error naming the line (nothing is guessed)."""
    out = []
    for k, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            code = d["code"]
            if not isinstance(code, str):
                raise TypeError("code must be a string")
            out.append(Prediction(k, str(d.get("image_id", "")), code, str(d.get("model", "")), str(d.get("target", ""))))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{k}: not a prediction ({exc}); expected {{\"image_id\", \"code\", \"model\"?}}") from exc
    if not out:
        raise InputError(f"{path} has no predictions")
    return out


def dhash(img: Image.Image, size: int = 16) -> str:
    """A 256-bit difference hash: equal for renders a person would call the same picture."""
    import numpy as np

    px = np.asarray(img.convert("L").resize((size + 1, size), Image.Resampling.BILINEAR), dtype=np.int16).ravel().tolist()
    bits = "".join("1" if px[r * (size + 1) + c] > px[r * (size + 1) + c + 1] else "0" for r in range(size) for c in range(size))
    return f"{int(bits, 2):064x}"


def implausible(render: Render, tree: Node) -> str | None:
    """Why a rendered page is too far from any plausible web page to learn from (None if fine)."""
    leaves = [n for n in tree.walk() if not n.children and n.kind != "page" and (n.text or n.kind in ("image", "input", "button"))]
    if len(leaves) < 2:
        return "no content: fewer than two visible text or control elements"
    if render.page_width > 1.25 * render.viewport.width:
        return f"overflows sideways: {render.page_width:.0f} px wide in a {render.viewport.width} px window"
    if render.page_height > 15000:
        return f"{render.page_height:.0f} px tall"
    sizes = sorted(e.font_size for e in render.elements if e.text)
    if sizes and sizes[len(sizes) // 2] < 7:
        return "text too small to read"
    return None


def default_scorer() -> Scorer | None:
    """napkin.score's weights-free visual similarity of two pictures, when that extra is installed."""
    try:
        from napkin.score import image_similarity
    except ImportError:
        return None
    return image_similarity


class RelabelJob:
    """Render predictions into new (image, code) pairs with provenance."""

    name = "relabel"

    def __init__(self, predictions: Path, targets: Path | None = None, scorer: Scorer | None = None) -> None:
        self.predictions = Path(predictions)
        self.targets = Path(targets) if targets else None
        self.scorer = scorer if scorer is not None else default_scorer()
        self._items: list[Prediction] | None = None

    def config(self) -> dict[str, Any]:
        return {"predictions": str(self.predictions), "targets": str(self.targets) if self.targets else None,
                "predictions_sha1": hashlib.sha1(self.predictions.read_bytes()).hexdigest()}

    def items(self) -> Sequence[Prediction]:
        if self._items is None:
            self._items = read_predictions(self.predictions)
        return self._items

    def _target(self, p: Prediction) -> Path | None:
        if p.target:
            t = Path(p.target)
            return t if t.is_file() else None
        if self.targets is None or not p.image_id:
            return None
        for ext in PICTURE_SUFFIXES:
            cand = self.targets / f"{p.image_id}{ext}"
            if cand.is_file():
                return cand
        return None

    def process(self, shard: int, items: Sequence[Prediction], ctx: Context) -> Iterator[dict[str, Any] | Drop | Extra]:
        usable = []
        for p in items:
            if len(p.code.encode()) > MAX_CODE:
                yield Drop(p.id, "too_large", f"{len(p.code) / 1e6:.1f} MB of code")
            elif "<" not in p.code:
                yield Drop(p.id, "not_html", "the prediction contains no markup")
            else:
                usable.append(p)
        renders = ctx.renderer.render_many([p.code for p in usable], RenderOptions())
        for p, render in zip(usable, renders, strict=True):
            if not render.ok:
                yield Drop(p.id, f"render_{render.failure}", render.message)
                continue
            if render.page_errors or render.console_errors:
                # Not a clean pair, but exactly what a repair model learns from.
                yield Extra("repairs", {"id": p.id, "image_id": p.image_id, "model": p.model, "code": p.code,
                                        "page_errors": render.page_errors, "console_errors": render.console_errors})
                yield Drop(p.id, "script_errors", "; ".join((render.page_errors + render.console_errors)[:3])[:300])
                continue
            if is_blank(render):
                yield Drop(p.id, "blank", "renders (nearly) blank")
                continue
            tree = from_dom(render)
            why = implausible(render, tree)
            if why:
                yield Drop(p.id, "implausible", why)
                continue
            assert render.image is not None
            img = Image.open(io.BytesIO(render.image))
            target = self._target(p)
            score = None
            if target is not None and self.scorer is not None:
                with Image.open(target) as t:
                    score = round(float(self.scorer(img.convert("RGB"), t.convert("RGB"))), 4)
            meta = {"model": p.model, "image_id": p.image_id, "target": str(target) if target else None,
                    "target_score": score, "scorer": getattr(self.scorer, "__name__", None) if score is not None else None,
                    "blocked_requests": render.blocked_requests[:20], "line": p.line}
            row = page_row(p.id, p.id, "relabel", "relabeled", "screenshot", "desktop", p.code, render, meta)
            # Near-duplicates: the same visible text and the same coarse picture. The dataset's
            # dedupe then removes all but the first.
            text = "\x1f".join(n.text for n in tree.walk() if n.text)
            row["content_hash"] = "near:" + hashlib.sha1(text.encode()).hexdigest()[:16] + ":" + dhash(img)
            yield row
