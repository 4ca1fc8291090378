"""Is a change to the data engine faster? Old and new code, alternating, on the same host.

    python benchmarks/synth_ab.py --ref 3de456a [--n 200] [--pairs 3] [--max-width 640]

The shared machine's speed swings by a third within an hour (benchmarks/synth_throughput.py
records it), more than most changes move the figures, so comparing today's run with last
week's JSON says little. This runs the same `napkin data synth` job (screenshot + sketch per
sample) with the code of a reference commit (checked out in a temporary git worktree) and with
the working tree, one after the other, `--pairs` times (A-B, then B-A), each in its own Python
process with a fresh browser, and reports the whole machine's CPU a sample and the throughput
of each. Results: benchmarks/results/synth_ab.json (synth_ab_full.json with --max-width 0).

    python benchmarks/synth_ab.py --ref 3de456a --pages ../shared/benchmarks/design2code-dev

renders the HTML pages of a directory instead (full page, full size, the engine's defaults, as
scoring and ingest do), so a change to the render engine is measured on real pages too.
Results: benchmarks/results/render_ab.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, host_check_ms, save, table, worktree  # noqa: E402

# One run, in a child process whose `napkin` is the code under test (PYTHONPATH).
RUN = """
import json, os, shutil, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {bench!r})
from _common import cpu_seconds
from napkin.data import RunOptions, run_job
from napkin.data._pipeline import LocalExecutor
from napkin.data._synth_job import SynthJob
from napkin.render import ChromiumRenderer
n, max_width = {n}, {max_width}
work = Path(tempfile.mkdtemp(prefix="napkin-ab-"))
try:
    with ChromiumRenderer() as r:
        run_job(SynthJob(8, 1, ["screenshot", "sketch"], max_width=max_width), work / "warm", RunOptions(progress=False),
                LocalExecutor(lambda: r))
        machine, t = cpu_seconds(), time.perf_counter()
        run_job(SynthJob(n, 0, ["screenshot", "sketch"], max_width=max_width), work / "ds",
                RunOptions(shard_size=100, progress=False), LocalExecutor(lambda: r))
        dt = time.perf_counter() - t
        print(json.dumps({{"samples_per_s": n / dt, "cpu_ms_per_sample": 1000 * (cpu_seconds() - machine) / n}}))
finally:
    shutil.rmtree(work, ignore_errors=True)
"""


# The same, rendering a directory's pages: a warm-up page, then all of them in order.
RUN_PAGES = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {bench!r})
from _common import cpu_seconds
from napkin.render import ChromiumRenderer
pages = sorted(Path({pages!r}).glob("*.html"))[:{n}]
htmls = [p.read_bytes() for p in pages]
with ChromiumRenderer() as r:
    r.render(htmls[0])
    machine, t = cpu_seconds(), time.perf_counter()
    failed = sum(not x.ok for x in r.render_many(htmls))
    dt = time.perf_counter() - t
    print(json.dumps({{"samples_per_s": len(htmls) / dt, "cpu_ms_per_sample": 1000 * (cpu_seconds() - machine) / len(htmls),
                      "failed": failed}}))
"""


def run_once(src: Path, n: int, max_width: int | None, pages: str | None = None) -> dict[str, float]:
    if pages:
        code = RUN_PAGES.format(bench=str(ROOT / "benchmarks"), n=n, pages=str(Path(pages).resolve()))
    else:
        code = RUN.format(bench=str(ROOT / "benchmarks"), n=n, max_width=max_width)
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        raise SystemExit(f"a run with the code in {src} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ref", required=True, help="the commit to compare the working tree with")
    ap.add_argument("--n", type=int, default=200, help="samples a run")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--max-width", type=int, default=640, help="0 for full-size pictures")
    ap.add_argument("--pages", help="render this directory's *.html pages instead of the synthetic job")
    args = ap.parse_args()
    max_width = None if args.pages else args.max_width or None
    unit = "page" if args.pages else "sample"
    with worktree(args.ref) as (ref, ref_src):
        sides = {f"reference {ref}": ref_src, "working tree": ROOT / "src"}
        runs: dict[str, list[dict[str, float]]] = {k: [] for k in sides}
        before = host_check_ms()
        for i in range(args.pairs):
            order = list(sides.items()) if i % 2 == 0 else list(sides.items())[::-1]
            for name, src in order:
                runs[name].append(run_once(src, args.n, max_width, args.pages))
                print(f"{name}: {runs[name][-1]['samples_per_s']:.2f} {unit}s/s, {runs[name][-1]['cpu_ms_per_sample']:.0f} CPU-ms a {unit}",
                      file=sys.stderr)
    after = host_check_ms()
    rows: list[dict[str, Any]] = []
    for name, rs in runs.items():
        rows.append({"code": name, "samples": args.n, "max_width": max_width,
                     "cpu_ms_per_sample": statistics.median(r["cpu_ms_per_sample"] for r in rs),
                     "samples_per_s": statistics.median(r["samples_per_s"] for r in rs),
                     "all_cpu_ms_per_sample": [round(r["cpu_ms_per_sample"]) for r in rs],
                     "all_samples_per_s": [round(r["samples_per_s"], 2) for r in rs],
                     "failed": sum(int(r.get("failed", 0)) for r in rs)})
    print(table(rows, ["code", "samples", "max_width", "cpu_ms_per_sample", "samples_per_s", "all_cpu_ms_per_sample"]))
    change = rows[1]["cpu_ms_per_sample"] / rows[0]["cpu_ms_per_sample"] - 1
    print(f"\nthe working tree uses {100 * change:+.0f} % CPU a {unit} against {ref}")
    print(f"host check (ms, lower is faster): {before} before, {after} after")
    result = {"reference": ref, "unit": unit, "pages": args.pages, "rows": rows, "cpu_change": round(change, 3),
              "host_check_ms": [before, after], "load_average": os.getloadavg()}
    stem = "render_ab" if args.pages else "synth_ab" if max_width == 640 else f"synth_ab_{max_width or 'full'}"
    print(f"saved {save(stem, result)}")


if __name__ == "__main__":
    main()
