"""Seconds per picture for the embedded generator: real screenshots and real sketches.

    python benchmarks/generate_latency.py [--limit 100] [--sketch-repeat 3]

Workloads: the 100 real Design2Code screenshots (../shared/benchmarks/design2code-dev/*.png)
and the 4 real Sketch2Code sketches (../shared/benchmarks/sketches/), each picture generated
one after another in this process, from the file on disk to the HTML string (load, vision,
emit), the way `napkin generate` does it. One untimed picture first warms up imports and OCR.
Target: median at most 2 s per real page on the 2-core machine.
Results: benchmarks/results/generate_latency.json (per-picture seconds included).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import BENCH_DATA, bench_data, save, table  # noqa: E402

from napkin.errors import NapkinError  # noqa: E402
from napkin.generate import EmbeddedGenerator, generate  # noqa: E402

TARGET_MEDIAN_S = 2.0


def run(gen: EmbeddedGenerator, paths: list[Path], kind: str, repeat: int = 1) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    times: list[float] = []
    per_image: list[dict[str, Any]] = []
    failed = 0
    for path in paths:
        for _ in range(repeat):
            t0 = time.perf_counter()
            try:
                result = generate(path, backend=gen, kind=kind)
            except NapkinError as exc:
                failed += 1
                per_image.append({"name": path.name, "ok": False, "error": str(exc)})
                break
            seconds = time.perf_counter() - t0
            times.append(seconds)
            per_image.append({
                "name": path.name,
                "ok": True,
                "seconds": round(seconds, 4),
                "kind": result.kind,
                "nodes": result.tree.size() if result.tree is not None else 0,
                "stages": {k: round(v, 4) for k, v in result.timings.items()},
            })
    arr = np.array(times) if times else np.array([np.nan])
    row = {
        "images": len(paths),
        "timed": len(times),
        "failed": failed,
        "median_s": float(np.median(arr)),
        "p95_s": float(np.percentile(arr, 95)),
        "mean_s": float(arr.mean()),
        "max_s": float(arr.max()),
    }
    return row, per_image


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=100, help="real screenshots to time (the first N by name)")
    ap.add_argument("--sketch-repeat", type=int, default=3, help="times each of the few sketches is generated")
    args = ap.parse_args()

    screenshots = sorted((bench_data("design2code-dev")).glob("*.png"))[: args.limit]
    sketches = sorted((bench_data("sketches")).glob("*.png"))
    if not screenshots:
        sys.exit(f"no screenshots in {BENCH_DATA / 'design2code-dev'} (set NAPKIN_BENCH)")

    gen = EmbeddedGenerator()
    generate(screenshots[0], backend=gen)  # warm-up: imports, OCR engine start
    # The machine is shared: the load during the run says how much to trust the numbers.
    load_before = os.getloadavg()

    rows: list[dict[str, Any]] = []
    details: dict[str, list[dict[str, Any]]] = {}
    for workload, paths, kind, repeat in (
        ("design2code-dev screenshots", screenshots, "auto", 1),
        ("real sketches", sketches, "auto", args.sketch_repeat),
    ):
        if not paths:
            continue
        row, per_image = run(gen, paths, kind, repeat)
        rows.append({"workload": workload, **row})
        details[workload] = per_image
        print(f"{workload}: median {row['median_s']:.2f} s, p95 {row['p95_s']:.2f} s", file=sys.stderr)

    print(table(rows, ["workload", "images", "timed", "failed", "median_s", "p95_s", "mean_s", "max_s"]))
    load = {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]}
    path = save("generate_latency", {"backend": "embedded", "rows": rows, "targets": {"median_s_real_page": TARGET_MEDIAN_S},
                                     "load_average": load, "per_image": details})
    print(f"saved {path}")


if __name__ == "__main__":
    main()
