"""Decoded, resized pictures and descriptions of a synth dataset, cached so the CPU trains instead of decoding.

`napkin data synth` writes Parquet shards of rows (one per page and variant, PNG or JPEG bytes).
Training reads each picture many times, so each shard is decoded once into a uint8 array of
(pages, variants, H, W, 3) at the model's input size, beside a JSON list of the pages' facts
and descriptions. Shards are cached independently and atomically, so a killed cache build
resumes at the next shard; a cache is keyed by the preprocessing and the shard's size and
modification time, so a changed dataset or input size is never read from a stale cache.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from napkin._extras import require
from napkin.errors import InputError
from napkin.model._preprocess import Preprocess
from napkin.synth._describe import describe, page_facts

VARIANTS = ("screenshot", "wireframe", "sketch")
DESCRIPTIONS_PER_PAGE = 8
CACHE_VERSION = 1


@dataclass(slots=True)
class PageRecord:
    sample_id: str
    page_type: str
    viewport: str
    descriptions: list[str]
    has: list[bool]  # which of VARIANTS the dataset holds for this page


def _shards(dataset: Path) -> list[Path]:
    folder = dataset / "data"
    shards = sorted(folder.glob("shard-*.parquet")) if folder.is_dir() else []
    if not shards:
        raise InputError(f"{dataset} holds no Parquet shards (expected {folder}/shard-*.parquet from `napkin data synth`)")
    return shards


def _decode(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGB")


def _seed(sample_id: str) -> int:
    return int.from_bytes(hashlib.sha1(sample_id.encode()).digest()[:4], "big")


def _pages_of_shard(path: Path, prep: Preprocess | None) -> tuple[list[PageRecord], np.ndarray | None]:
    pq = require("pyarrow.parquet", "data")
    table = pq.read_table(path, columns=["sample_id", "page_type", "variant", "viewport", "image", "layout", "metadata"])
    by_page: dict[str, dict[str, dict[str, Any]]] = {}
    for row in table.to_pylist():
        if row["variant"] in VARIANTS:
            by_page.setdefault(row["sample_id"], {})[row["variant"]] = row
    records: list[PageRecord] = []
    arrays = []
    for sample_id, variants in by_page.items():
        ref = variants.get("screenshot") or next(iter(variants.values()))
        shot = _decode(ref["image"]["bytes"]) if "screenshot" in variants else None
        meta = json.loads(ref["metadata"] or "{}")
        facts = page_facts(json.loads(ref["layout"]), ref["page_type"], ref["viewport"], list(meta.get("sections", [])),
                           None if shot is None else np.asarray(shot))
        records.append(PageRecord(sample_id, ref["page_type"], ref["viewport"], describe(facts, seed=_seed(sample_id), n=DESCRIPTIONS_PER_PAGE),
                                  [v in variants for v in VARIANTS]))
        if prep is not None:
            stack = np.zeros((len(VARIANTS), prep.height, prep.width, 3), np.uint8)
            for i, variant in enumerate(VARIANTS):
                if variant == "screenshot" and shot is not None:
                    stack[i] = prep(shot)
                elif variant in variants:
                    stack[i] = prep(_decode(variants[variant]["image"]["bytes"]))
            arrays.append(stack)
    return records, (np.stack(arrays) if prep is not None and arrays else None)


def read_pages(dataset: str | Path, limit: int | None = None) -> list[PageRecord]:
    """The pages of a synth dataset with their descriptions (no pictures)."""
    out: list[PageRecord] = []
    for shard in _shards(Path(dataset)):
        out.extend(_pages_of_shard(shard, None)[0])
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def shard_key(shard: Path, version: int, *settings: object) -> str:
    """A cache entry's key: the cache format, the shard (name, size, modification time) and the settings it was made with."""
    st = shard.stat()
    text = "|".join(map(str, (version, shard.name, st.st_size, int(st.st_mtime), *settings)))
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _key(shard: Path, prep: Preprocess) -> str:
    return shard_key(shard, CACHE_VERSION, f"{prep.width}x{prep.height}", prep.max_aspect, DESCRIPTIONS_PER_PAGE)


def run_shard_jobs(build: Callable[[Any], int], jobs: list[Any], desc: str, progress: bool = True,
                   workers: int | None = None, unit: str = "pages") -> None:
    """`build(job)` for every job (one shard each), in a process per core, with a progress bar of shards."""
    if not jobs:
        return
    from tqdm import tqdm

    workers = workers or min(len(jobs), os.cpu_count() or 1)
    with tqdm(total=len(jobs), unit="shard", desc=desc, disable=not progress) as bar:
        if workers <= 1:
            for job in jobs:
                bar.set_postfix({unit: build(job)})
                bar.update()
        else:
            with ProcessPoolExecutor(workers) as pool:
                for n in pool.map(build, jobs):
                    bar.set_postfix({unit: n})
                    bar.update()


def _build_one(job: tuple[Path, Path, Preprocess]) -> int:
    shard, target, prep = job
    records, pixels = _pages_of_shard(shard, prep)
    if pixels is None:
        pixels = np.zeros((0, len(VARIANTS), prep.height, prep.width, 3), np.uint8)
    tmp = target.with_suffix(".tmp.npy")
    np.save(tmp, pixels)
    meta = target.with_suffix(".json")
    meta_tmp = target.with_suffix(".json.tmp")
    meta_tmp.write_text(json.dumps([r.__dict__ if not hasattr(r, "__slots__") else {k: getattr(r, k) for k in r.__slots__} for r in records]))
    os.replace(meta_tmp, meta)
    os.replace(tmp, target)  # last: the .npy's presence marks the shard done
    return len(records)


def cache_dir_for(dataset: Path, prep: Preprocess) -> Path:
    return dataset / ".napkin-cache" / f"images-{prep.width}x{prep.height}"


def build_cache(dataset: str | Path, prep: Preprocess, cache: str | Path | None = None, workers: int | None = None,
                progress: bool = True, shards: list[Path] | None = None) -> Path:
    """Decode every shard of `dataset` (or the `shards` given) once at `prep`'s size; resumes shard by shard.
    Returns the cache folder."""
    dataset = Path(dataset)
    folder = Path(cache) if cache else cache_dir_for(dataset, prep)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for shard in shards if shards is not None else _shards(dataset):
        target = folder / f"{shard.stem}-{_key(shard, prep)}.npy"
        if not target.exists():
            jobs.append((shard, target, prep))
    run_shard_jobs(_build_one, jobs, "cache", progress, workers)
    return folder


class CachedPages:
    """Every cached shard of a dataset in memory: `pixels` (N, V, H, W, 3) uint8 and `records`."""

    def __init__(self, dataset: str | Path, prep: Preprocess, cache: str | Path | None = None, progress: bool = True) -> None:
        dataset = Path(dataset)
        shards = _shards(dataset)  # listed once: a dataset still being written grows under us
        folder = build_cache(dataset, prep, cache, progress=progress, shards=shards)
        arrays, self.records = [], []
        for shard in shards:
            target = folder / f"{shard.stem}-{_key(shard, prep)}.npy"
            arrays.append(np.load(target))
            for r in json.loads(target.with_suffix(".json").read_text()):
                record = PageRecord(**r)
                # a page with few facts can have fewer distinct phrasings: repeat them, so every page has as many
                record.descriptions = [record.descriptions[i % len(record.descriptions)] for i in range(DESCRIPTIONS_PER_PAGE)]
                self.records.append(record)
        self.pixels = np.concatenate(arrays) if arrays else np.zeros((0, len(VARIANTS), prep.height, prep.width, 3), np.uint8)
        self.has = np.array([r.has for r in self.records], bool).reshape(-1, len(VARIANTS))
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.records)

    def split(self, val_fraction: float, min_val: int = 16) -> tuple[np.ndarray, np.ndarray]:
        """Train and validation page indices, by a hash of each page's id (stable as the dataset grows)."""
        hashed = np.array([_seed(r.sample_id) / 2**32 for r in self.records])
        val = np.flatnonzero(hashed < val_fraction)
        if len(val) < min(min_val, len(self) // 2):
            val = np.argsort(hashed)[: min(min_val, len(self) // 2)]
        train = np.setdiff1d(np.arange(len(self)), val)
        return train, np.sort(val)

    def iter_variant(self, variant: str) -> Iterator[int]:
        col = VARIANTS.index(variant)
        yield from (int(i) for i in np.flatnonzero(self.has[:, col]))
