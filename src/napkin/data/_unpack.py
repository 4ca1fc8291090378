"""A dataset as benchmark folders: `screenshots/ID.png` beside `screenshots/ID.html`, and
`sketches/ID.jpg` beside `sketches/ID.html`.

Each folder has the Design2Code test set's layout (a picture and the HTML it was rendered from),
so `napkin generate`, `napkin eval` and `make run BENCH=OUT/screenshots SKETCHES=OUT/sketches`
read a synthetic dataset exactly as they read the real benchmarks. The folders are siblings,
not nested, because generate and eval read a folder and everything under it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from napkin.errors import InputError

# Which folder and picture suffix each variant goes to. Wireframes are a third layout of their own.
_PLACES = {"screenshot": "screenshots", "sketch": "sketches", "wireframe": "wireframes"}


@dataclass
class UnpackSummary:
    written: dict[str, int] = field(default_factory=dict)  # variant -> pairs written
    skipped: int = 0  # rows of other variants, or of a viewport not asked for

    def line(self) -> str:
        plural = {"screenshot": "screenshots", "sketch": "sketches", "wireframe": "wireframes"}
        parts = ", ".join(f"{n} {variant if n == 1 else plural[variant]}" for variant, n in sorted(self.written.items()))
        return f"unpacked {parts or 'nothing'}" + (f" ({self.skipped} rows of other variants or viewports left out)" if self.skipped else "")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def unpack(dataset: Path, out: Path, variants: Sequence[str] = ("screenshot", "sketch"), viewport: str | None = "desktop",
           limit: int | None = None) -> UnpackSummary:
    """Write the rows of `dataset` (a `napkin data synth` or `ingest` folder) as picture and HTML files.

    Files are named by the row's sample id, so a page's screenshot and its sketch share one name
    in their two folders. `viewport` keeps one viewport's rows (None: all, with the viewport in
    the name). `limit` stops after that many pages of each variant.
    """
    from napkin.data._shards import iter_rows

    unknown = sorted(set(variants) - set(_PLACES))
    if unknown:
        raise InputError(f"unknown variant {', '.join(unknown)}: choose from {', '.join(_PLACES)}")
    if not (dataset / "data").is_dir() or not any((dataset / "data").glob("*.parquet")):
        raise InputError(f"{dataset} holds no dataset shards (data/*.parquet): make one with `napkin data synth` first")
    summary = UnpackSummary()
    columns = ["id", "sample_id", "variant", "viewport", "image", "html"]
    for row in iter_rows(dataset, columns):
        variant = row["variant"]
        if variant not in variants or (viewport is not None and row["viewport"] != viewport):
            summary.skipped += 1
            continue
        if limit is not None and summary.written.get(variant, 0) >= limit:
            continue
        image = (row.get("image") or {}).get("bytes")
        if not image:
            summary.skipped += 1
            continue
        folder = out / _PLACES[variant]
        folder.mkdir(parents=True, exist_ok=True)
        name = row["sample_id"] or row["id"]
        if viewport is None:
            name = f"{name}-{row['viewport']}"
        suffix = ".jpg" if image[:3] == b"\xff\xd8\xff" else ".png"
        _write(folder / f"{name}{suffix}", image)
        _write(folder / f"{name}.html", (row.get("html") or "").encode())
        summary.written[variant] = summary.written.get(variant, 0) + 1
    return summary
