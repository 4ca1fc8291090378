"""How well `napkin.vision` finds a sketch's sheet on its scanner bed, against the exact truth.

    python benchmarks/sheet_eval.py --synth /out/parser-heldout-9003

Every sketch of a synth dataset records the page-to-picture transform (metadata "transform"),
so the sheet's true corners are known. For each sketch: the largest corner error (px) of the
sheet found, or of the whole picture where none is found, against the same error had the
picture been taken as the page (what Napkin did before). Grouped by the bed's color, because
a white bed under white paper shows no edge at all. Also whether a sheet is found on the real
sketches in NAPKIN_BENCH/sketches (none of them lies on a bed; a sheet found there is a false
one unless the picture shows a frame around the page). Results: benchmarks/results/sheet_eval.json.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from _common import bench_data, save, table  # noqa: E402

from napkin.vision._sheet import find_sheet  # noqa: E402


def truth_corners(meta: dict) -> np.ndarray:
    t = np.array(meta["transform"], dtype=np.float64).reshape(3, 3)
    w, h = meta["render"]["page_width"], meta["render"]["page_height"]
    pts = np.array([(0, 0, 1), (w, 0, 1), (w, h, 1), (0, h, 1)], dtype=np.float64) @ t.T
    return pts[:, :2] / pts[:, 2:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synth", type=Path, required=True, help="a synth dataset with sketches")
    ap.add_argument("--name", default="sheet_eval")
    ap.add_argument("--figure", type=Path, default=None, help="also draw a few sketches with their sheet (JPEG)")
    args = ap.parse_args()

    groups: dict[str, list[dict]] = defaultdict(list)
    shown: dict[str, tuple[np.ndarray, list | None]] = {}
    for shard in sorted((args.synth / "data").glob("*.parquet")):
        for r in pq.read_table(shard, columns=["id", "variant", "image", "metadata"]).to_pylist():
            if r["variant"] != "sketch":
                continue
            meta = json.loads(r["metadata"])
            truth = truth_corners(meta)
            rgb = np.asarray(Image.open(io.BytesIO(r["image"]["bytes"])).convert("RGB"))
            h, w = rgb.shape[:2]
            t = time.perf_counter()
            found = find_sheet(rgb)
            secs = time.perf_counter() - t
            whole = np.array([(0, 0), (w, 0), (w, h), (0, h)], dtype=np.float64)
            before = float(np.abs(truth - whole).max())
            after = float(np.abs(truth - (whole if found is None else np.array(found))).max())
            bed = meta["skin"]["params"]["bed"]
            if bed not in shown and found is not None and meta["skin"]["params"]["margin"] > 0 and h < 1.6 * w:
                shown[bed] = (rgb, found)
            groups[bed].append(
                {"id": r["id"], "found": found is not None, "before": before, "after": after, "seconds": secs})
    rows = []
    result: dict = {"synth": str(args.synth), "beds": {}}
    everything = [s for g in groups.values() for s in g]
    for bed, items in [*sorted(groups.items()), ("all", everything)]:
        agg = {
            "sketches": len(items),
            "found": sum(s["found"] for s in items) / len(items),
            "before_median_px": statistics.median(s["before"] for s in items),
            "after_median_px": statistics.median(s["after"] for s in items),
            "after_p90_px": float(np.percentile([s["after"] for s in items], 90)),
            "within_5px": sum(s["after"] <= 5 for s in items) / len(items),
            "worse_than_before": sum(s["after"] > s["before"] + 1 for s in items),
            "median_ms": 1000 * statistics.median(s["seconds"] for s in items),
        }
        result["beds"][bed] = agg
        rows.append({"bed": bed, **agg})
    real = {}
    for png in sorted(bench_data("sketches").glob("*.png")):
        found = find_sheet(np.asarray(Image.open(png).convert("RGB")))
        real[png.name] = None if found is None else [[round(v, 1) for v in c] for c in found]
    result["real_sketches"] = real
    print(table(rows, ["bed", "sketches", "found", "before_median_px", "after_median_px", "after_p90_px",
                       "within_5px", "worse_than_before", "median_ms"]))
    print("real sketches, sheet found:", {k: v is not None for k, v in real.items()})
    save(args.name, result)
    if args.figure:
        figure(shown, args.figure)


def figure(shown: dict[str, tuple[np.ndarray, list | None]], path: Path) -> None:
    """Each bed's first sketch with the sheet found outlined, above the straightened sheet."""
    from PIL import ImageDraw

    from napkin.vision._sheet import rectify

    tiles = []
    for rgb, found in shown.values():
        img = Image.fromarray(rgb)
        draw = ImageDraw.Draw(img)
        if found:
            draw.line([*map(tuple, found), tuple(found[0])], fill=(230, 30, 30), width=5)
        straight = Image.fromarray(rectify(rgb, found)) if found else img
        w = 420
        a = img.resize((w, round(img.height * w / img.width)))
        b = straight.resize((w, round(straight.height * w / straight.width)))
        tile = Image.new("RGB", (w, a.height + b.height + 10), "white")
        tile.paste(a, (0, 0))
        tile.paste(b, (0, a.height + 10))
        tiles.append(tile)
    out = Image.new("RGB", (sum(t.width for t in tiles) + 10 * (len(tiles) - 1), max(t.height for t in tiles)), "white")
    x = 0
    for t in tiles:
        out.paste(t, (x, 0))
        x += t.width + 10
    path.parent.mkdir(parents=True, exist_ok=True)
    out.save(path, quality=85)


if __name__ == "__main__":
    main()
