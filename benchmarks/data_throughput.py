"""Dataset workflows: ingest and relabel throughput, and the local executor against Ray.

    python benchmarks/data_throughput.py

Ingest: the 100 real Design2Code pages (clean, render, read back the layout tree, write shards).
Relabel: the same 100 pages' HTML as "predictions" of a model, scored against their screenshots.
Ray: the ingest job again on a local Ray cluster (one worker per core, each with its own browser).
Cleaning fidelity: each cleaned page's screenshot against a render of its original HTML (remote
requests blocked either way): how many are the same picture to within a mean gray-level
difference of 1 and of 5.
Results: benchmarks/results/data_throughput.json.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import bench_data, save, table  # noqa: E402

from napkin.data import RunOptions, iter_rows, run_job  # noqa: E402
from napkin.data._ingest import IngestJob  # noqa: E402
from napkin.data._relabel import RelabelJob  # noqa: E402


def timed(job, out: Path, executor=None) -> dict:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    summary = run_job(job, out, RunOptions(shard_size=25, progress=False), executor)
    dt = time.perf_counter() - t
    n = len(job.items())
    return {"items": n, "rows": summary.rows, "dropped": sum(summary.drops.values()), "seconds": dt, "items_per_s": n / dt}


def cleaning_fidelity(dataset: Path) -> dict:  # type: ignore[type-arg]
    """Mean gray-level difference between each cleaned page's screenshot and its original's render."""
    import numpy as np
    from PIL import Image

    from napkin.render import ChromiumRenderer

    rows = [(json.loads(r["metadata"])["file"], r["image"]["bytes"]) for r in iter_rows(dataset, ["metadata", "image"])]
    diffs = []
    with ChromiumRenderer() as renderer:
        for (_, cleaned), original in zip(rows, renderer.render_many(Path(f).read_bytes() for f, _ in rows), strict=True):
            a = np.asarray(Image.open(io.BytesIO(cleaned)).convert("L"), dtype=np.int16)
            b = np.asarray(Image.open(io.BytesIO(original.image or b"")).convert("L"), dtype=np.int16) if original.ok else None
            diffs.append(float(np.abs(a - b).mean()) if b is not None and a.shape == b.shape else 255.0)
    return {"pages": len(diffs), "within_1_gray_level": sum(d <= 1 for d in diffs), "within_5_gray_levels": sum(d <= 5 for d in diffs),
            "different_size_or_failed": sum(d == 255.0 for d in diffs)}


def main() -> None:
    pages = bench_data("design2code-dev")
    if not any(pages.glob("*.html")):
        sys.exit(f"no pages in {pages}: set NAPKIN_BENCH")
    tmp = Path(tempfile.mkdtemp(prefix="napkin-bench-"))
    rows = []
    try:
        rows.append({"workload": "ingest 100 real pages", "executor": "local", **timed(IngestJob([pages]), tmp / "ingest")})
        fidelity = cleaning_fidelity(tmp / "ingest")
        preds = tmp / "preds.jsonl"
        preds.write_text("".join(json.dumps({"image_id": p.stem, "code": p.read_text(errors="replace"), "model": "reference"}) + "\n"
                                 for p in sorted(pages.glob("*.html"))))
        rows.append({"workload": "relabel 100 predictions", "executor": "local",
                     **timed(RelabelJob(preds, pages), tmp / "relabel")})
        try:
            from napkin.data._ray import RayExecutor

            rows.append({"workload": "ingest 100 real pages", "executor": "ray (local cluster, one worker per CPU)",
                         **timed(IngestJob([pages]), tmp / "ingest-ray", RayExecutor()), "note": "includes Ray start-up"})
        except ImportError:
            print("ray is not installed: pip install 'napkin-code[ray]'")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(table(rows, ["workload", "executor", "items", "rows", "dropped", "seconds", "items_per_s"]))
    print("\ncleaning fidelity:", fidelity)
    print(f"\nsaved {save('data_throughput', {'rows': rows, 'cleaning_fidelity': fidelity})}")


if __name__ == "__main__":
    main()
