"""The layout parser's training data: every picture of a synth dataset, scaled, with its class masks.

Each row of a `napkin data synth` dataset holds a picture (screenshot, wireframe or sketch) and
the page's layout tree with boxes in that picture's pixels (a sketch's boxes went through the
same paper warp as its pixels). A picture is scaled to the parser's width (its aspect kept, at
most `MAX_ROWS` rows) and its tree drawn into a grid at half that resolution: one bit per class
(`PARSER_CLASSES`) per cell, set where an element of that class covers the cell.

Shards are cached one by one and atomically beside the dataset (`.napkin-cache/parser-W/`), as
flat arrays of rows with an index, so pictures of every height pack without padding; a killed
build resumes at the next shard, and a changed shard or width is never read from a stale cache.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from napkin._extras import require
from napkin.errors import InputError
from napkin.layout import METRIC_CLASS
from napkin.model._parser import PARSER_CLASSES
from napkin.model._tiles import MAX_ROWS, scale_to_width
from napkin.train._cache import VARIANTS, _decode, _shards, run_shard_jobs, shard_key

CACHE_VERSION = 1
STRIDE = 2  # input pixels per mask cell, as ParserConfig.stride


def draw_masks(tree: dict[str, Any], scale: float, rows: int, width: int, classes: tuple[str, ...] = PARSER_CLASSES) -> np.ndarray:
    """(rows // STRIDE, width // STRIDE) uint8: bit c set where an element of classes[c] covers the cell.

    `tree` is a layout tree's JSON with boxes in the picture's pixels; `scale` maps them to the
    scaled picture. An element thinner than a cell (a divider) still marks one.
    """
    h, w = rows // STRIDE, width // STRIDE
    out = np.zeros((h, w), np.uint8)
    bit = {c: np.uint8(1 << i) for i, c in enumerate(classes)}
    stack = [tree]
    k = scale / STRIDE
    while stack:
        node = stack.pop()
        stack.extend(node.get("children") or [])
        cls = METRIC_CLASS.get(node.get("kind", ""))
        box = node.get("box")
        if cls not in bit or not box or box[2] <= 0 or box[3] <= 0:
            continue
        x0, y0 = int(round(box[0] * k)), int(round(box[1] * k))
        x1 = max(int(round((box[0] + box[2]) * k)), x0 + 1)
        y1 = max(int(round((box[1] + box[3]) * k)), y0 + 1)
        x0, y0 = max(0, x0), max(0, y0)
        if x0 < w and y0 < h:
            out[y0 : min(y1, h), x0 : min(x1, w)] |= bit[cls]
    return out


def unpack(bits: np.ndarray, n: int = len(PARSER_CLASSES)) -> np.ndarray:
    """(..., H, W) uint8 bits to (..., n, H, W) booleans."""
    return ((bits[..., None, :, :] >> np.arange(n, dtype=np.uint8)[:, None, None]) & 1).astype(bool)


@dataclass(slots=True)
class Picture:
    sample_id: str
    variant: str
    viewport: str
    page_type: str
    offset: int  # first row in the shard's pixel array
    rows: int  # rows of the scaled picture (the mask has rows // STRIDE)


def _shard_pictures(path: Path, width: int) -> tuple[list[Picture], np.ndarray, np.ndarray]:
    pq = require("pyarrow.parquet", "data")
    table = pq.read_table(path, columns=["sample_id", "page_type", "variant", "viewport", "image", "layout"])
    pictures: list[Picture] = []
    pixels: list[np.ndarray] = []
    masks: list[np.ndarray] = []
    offset = 0
    for row in table.to_pylist():
        if row["variant"] not in VARIANTS or not row["layout"] or not row["image"]:
            continue
        image = _decode(row["image"]["bytes"])
        arr = scale_to_width(image, width, multiple=STRIDE, max_rows=MAX_ROWS)
        rows = arr.shape[0]
        masks.append(draw_masks(json.loads(row["layout"]), width / image.width, rows, width))
        pixels.append(arr)
        pictures.append(Picture(row["sample_id"], row["variant"], row["viewport"], row["page_type"], offset, rows))
        offset += rows
    empty = np.zeros((0, width, 3), np.uint8)
    return (pictures, np.concatenate(pixels) if pixels else empty,
            np.concatenate(masks) if masks else np.zeros((0, width // STRIDE), np.uint8))


def _key(shard: Path, width: int) -> str:
    return shard_key(shard, CACHE_VERSION, width, MAX_ROWS, ",".join(PARSER_CLASSES))


def _build_one(job: tuple[Path, Path, int]) -> int:
    shard, target, width = job
    pictures, pixels, masks = _shard_pictures(shard, width)
    for suffix, data in ((".masks.npy", masks), (".npy", pixels)):
        tmp = target.with_name(target.name.removesuffix(".npy") + suffix + ".tmp")
        with tmp.open("wb") as f:
            np.save(f, data)
        os.replace(tmp, target.with_name(target.name.removesuffix(".npy") + suffix))
    index = target.with_name(target.name.removesuffix(".npy") + ".json")
    tmp = index.with_suffix(".json.tmp")
    tmp.write_text(json.dumps([{k: getattr(p, k) for k in p.__slots__} for p in pictures]))
    os.replace(tmp, index)  # last: the index's presence marks the shard done
    return len(pictures)


class ParserData:
    """Every picture of a dataset with its masks, memory-mapped from the cache (built on first use)."""

    def __init__(self, dataset: str | Path, width: int, progress: bool = True, workers: int | None = None) -> None:
        self.dataset = Path(dataset)
        self.width = width
        folder = self.dataset / ".napkin-cache" / f"parser-{width}"
        folder.mkdir(parents=True, exist_ok=True)
        targets = [(shard, folder / f"{shard.stem}-{_key(shard, width)}.npy") for shard in _shards(self.dataset)]
        jobs = [(s, t, width) for s, t in targets if not t.with_suffix(".json").exists()]
        run_shard_jobs(_build_one, jobs, "decode pictures", progress, workers, unit="pictures")
        self.pictures: list[Picture] = []
        self.shard_of: list[int] = []
        self._pixels: list[np.ndarray] = []
        self._masks: list[np.ndarray] = []
        for i, (_, target) in enumerate(targets):
            index = json.loads(target.with_suffix(".json").read_text())
            self.pictures.extend(Picture(**p) for p in index)
            self.shard_of.extend([i] * len(index))
            self._pixels.append(np.load(target, mmap_mode="r"))
            self._masks.append(np.load(target.with_name(target.name.removesuffix(".npy") + ".masks.npy"), mmap_mode="r"))
        if not self.pictures:
            raise InputError(f"{self.dataset} holds no pictures with layout trees ({', '.join(VARIANTS)})")

    def __len__(self) -> int:
        return len(self.pictures)

    def picture(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, width, 3) uint8 pixels and (rows // 2, width // 2) mask bits of picture i."""
        p = self.pictures[i]
        s = self.shard_of[i]
        return (np.asarray(self._pixels[s][p.offset : p.offset + p.rows]),
                np.asarray(self._masks[s][p.offset // STRIDE : (p.offset + p.rows) // STRIDE]))

    def window(self, i: int, top: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows [top, top + rows) of picture i and its mask, past the bottom edge-padded (the mask with empty cells)."""
        pixels, bits = self.picture(i)
        win = pixels[top : top + rows]
        mask = bits[top // STRIDE : (top + rows) // STRIDE]
        if win.shape[0] < rows:
            win = np.pad(win, [(0, rows - win.shape[0]), (0, 0), (0, 0)], mode="edge")
            mask = np.pad(mask, [(0, rows // STRIDE - mask.shape[0]), (0, 0)])
        return win, mask

    def by_variant(self, indices: Iterator[int] | list[int]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i in indices:
            out.setdefault(self.pictures[i].variant, []).append(i)
        return out
