"""Dataset workflows: ingest and relabel throughput, and the local executor against Ray.

    python benchmarks/data_throughput.py [--repeat-ray]

Ingest: the 100 real Design2Code pages (clean, render, read back the layout tree, write shards).
Relabel: the same 100 pages' HTML as "predictions" of a model, scored against their screenshots.
Ray: the ingest job again on a local Ray cluster (one worker per core, each with its own browser).
Results: benchmarks/results/data_throughput.json.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import BENCH_DATA, save, table  # noqa: E402

from napkin.data import RunOptions, run_job  # noqa: E402
from napkin.data._ingest import IngestJob  # noqa: E402
from napkin.data._relabel import RelabelJob  # noqa: E402


def timed(job, out: Path, executor=None) -> dict:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    summary = run_job(job, out, RunOptions(shard_size=25, progress=False), executor)
    dt = time.perf_counter() - t
    n = len(job.items())
    return {"items": n, "rows": summary.rows, "dropped": sum(summary.drops.values()), "seconds": dt, "items_per_s": n / dt}


def main() -> None:
    pages = BENCH_DATA / "design2code-dev"
    if not any(pages.glob("*.html")):
        sys.exit(f"no pages in {pages}: set NAPKIN_BENCH")
    tmp = Path(tempfile.mkdtemp(prefix="napkin-bench-"))
    rows = []
    try:
        rows.append({"workload": "ingest 100 real pages", "executor": "local", **timed(IngestJob([pages]), tmp / "ingest")})
        preds = tmp / "preds.jsonl"
        preds.write_text("".join(json.dumps({"image_id": p.stem, "code": p.read_text(errors="replace"), "model": "reference"}) + "\n"
                                 for p in sorted(pages.glob("*.html"))))
        rows.append({"workload": "relabel 100 predictions", "executor": "local",
                     **timed(RelabelJob(preds, pages), tmp / "relabel")})
        try:
            from napkin.data._ray import RayExecutor

            t = time.perf_counter()
            rows.append({"workload": "ingest 100 real pages", "executor": "ray (local cluster, 2 workers)",
                         **timed(IngestJob([pages]), tmp / "ingest-ray", RayExecutor())})
            rows[-1]["note"] = f"includes Ray start-up; wall {time.perf_counter() - t:.1f} s"
        except ImportError:
            print("ray is not installed: pip install 'napkin-code[ray]'")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(table(rows, ["workload", "executor", "items", "rows", "dropped", "seconds", "items_per_s"]))
    print(f"\nsaved {save('data_throughput', {'rows': rows})}")


if __name__ == "__main__":
    main()
