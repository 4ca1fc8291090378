"""The dataset card (README.md with statistics) and a contact sheet of examples."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from napkin.data._shards import read_parquet

THUMB_W, THUMB_H = 320, 220
_VARIANT_ORDER = ("screenshot", "wireframe", "sketch")


def contact_sheet(out: Path, n: int = 16, seed: int = 0, variants: tuple[str, ...] = ("screenshot", "sketch"),
                  columns: int = 4) -> Image.Image | None:
    """A grid of `n` random samples, each shown as its variants side by side (top of the page)."""
    shards = sorted((out / "data").glob("*.parquet"))
    if not shards:
        return None
    index: dict[str, dict[str, tuple[Path, int]]] = {}
    for shard in shards:
        t = read_parquet(shard, ["sample_id", "variant", "viewport"])
        for i, (sid, var, vp) in enumerate(zip(t.column("sample_id").to_pylist(), t.column("variant").to_pylist(),
                                               t.column("viewport").to_pylist(), strict=True)):
            if vp == "desktop" and var in variants:
                index.setdefault(sid, {})[var] = (shard, i)
    ids = sorted(index)
    random.Random(seed).shuffle(ids)
    chosen = ids[:n]
    if not chosen:
        return None
    per = max(len(index[s]) for s in chosen)
    cell_w = per * THUMB_W + (per - 1) * 6
    rows = -(-len(chosen) // columns)
    sheet = Image.new("RGB", (columns * cell_w + (columns + 1) * 16, rows * (THUMB_H + 16) + 16), (235, 236, 240))
    draw = ImageDraw.Draw(sheet)
    tables: dict[Path, Any] = {}
    for k, sid in enumerate(chosen):
        x0 = 16 + (k % columns) * (cell_w + 16)
        y0 = 16 + (k // columns) * (THUMB_H + 16)
        for j, var in enumerate(v for v in _VARIANT_ORDER if v in index[sid]):
            shard, row = index[sid][var]
            if shard not in tables:
                tables[shard] = read_parquet(shard, ["image"])
            data = tables[shard].column("image")[row].as_py()["bytes"]
            img = Image.open(io.BytesIO(data)).convert("RGB")
            img = img.crop((0, 0, img.width, min(img.height, int(img.width * THUMB_H / THUMB_W))))
            img.thumbnail((THUMB_W, THUMB_H))
            x = x0 + j * (THUMB_W + 6)
            sheet.paste(img, (x, y0))
            draw.rectangle((x - 1, y0 - 1, x + img.width, y0 + img.height), outline=(180, 182, 190))
    return sheet


def write_card(out: Path) -> Path:
    """Write README.md (and contact_sheet.jpg) for a finished dataset folder."""
    manifest = json.loads((out / "manifest.json").read_text())
    sheet = contact_sheet(out)
    if sheet is not None:
        sheet.save(out / "contact_sheet.jpg", quality=85)
    cfg = manifest.get("config", {})
    lines = [
        "---",
        "configs:",
        "- config_name: default",
        "  data_files: data/*.parquet",
        "---",
        f"# Napkin dataset: {cfg.get('job', 'unknown')}",
        "",
        "Made by Napkin's data engine (`napkin data`, the napkin-code package). Each row is one rendered page:",
        "the image (PNG or JPEG), the HTML that renders to it, the layout tree (JSON and tokens), the",
        "boxes of its elements with their kinds, and metadata (how it was made, what was changed).",
        "",
        "```python",
        "import datasets",
        'ds = datasets.load_dataset("parquet", data_files="data/*.parquet", split="train")',
        "```",
        "",
        "## Statistics",
        "",
        f"- rows: {manifest.get('rows', 0)}",
        f"- shards: {manifest.get('shards', 0)}",
    ]
    for name, counts in manifest.get("counts", {}).items():
        lines.append(f"- {name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    drops = manifest.get("drops", {})
    lines.append("- dropped: " + (", ".join(f"{k} {v}" for k, v in sorted(drops.items())) if drops else "none") + " (see drops/)")
    lines += ["", "## Configuration", "", "```json", json.dumps(cfg, indent=2), "```", "",
              "## Versions", "", "```json", json.dumps(manifest.get("versions", {}), indent=2), "```", ""]
    if sheet is not None:
        lines += ["## Examples", "", "![contact sheet](contact_sheet.jpg)", ""]
    path = out / "README.md"
    path.write_text("\n".join(lines))
    return path
