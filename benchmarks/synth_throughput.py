"""Synthetic data engine, end to end: samples per second with a screenshot and a sketch each.

    python benchmarks/synth_throughput.py [--n 200] [--repeat 3] [--seed 0]

End to end is `napkin data synth` itself (`run_job(SynthJob(...))`): sample a page, compile it
to HTML, render it twice (the desktop or mobile screenshot as PNG, the hand-drawn sketch as
JPEG) in the shared Chromium pool, read every element's box back, apply the sketch's paper,
tilt and scanner effects, and write Parquet shards with a manifest. Three configurations:
the defaults; `--image-format jpeg`; and `--max-width 640` (the browser draws the pictures
640 px wide, the size small models train on). The configurations run in turn, round after
round, each run on a fresh browser. A
stage breakdown (sampling, rendering, finishing) runs on the defaults. The CPU columns are the
whole machine's; `host_check_ms` (a fixed workload timed before and after) tells a slow host
from a fast one. Target: at least 10 samples/s with two renders each.
Results: benchmarks/results/synth_throughput.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _common import cpu_seconds, host_check_ms, save, table  # noqa: E402

from napkin.data import RunOptions, run_job  # noqa: E402
from napkin.data._pipeline import LocalExecutor  # noqa: E402
from napkin.data._synth_job import SynthJob  # noqa: E402
from napkin.render import ChromiumRenderer, RenderJob, RenderOptions, parse_viewport  # noqa: E402
from napkin.synth import Sampler, derive_seed, finish_skin, make_skin, skin_html  # noqa: E402
from napkin.synth._boxes import element_boxes  # noqa: E402

TARGET = 10.0
VARIANTS = ["screenshot", "sketch"]
CONFIGS: list[tuple[str, dict[str, Any]]] = [
    ("defaults (png screenshot, jpeg sketch)", {}),
    ("--image-format jpeg", {"image_format": "jpeg"}),
    ("--max-width 640", {"max_width": 640}),
]


def end_to_end(n: int, seed: int, work: Path, options: dict[str, Any], renderer: ChromiumRenderer) -> dict[str, Any]:
    out = work / "ds"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    cpu, machine = os.times(), cpu_seconds()
    summary = run_job(SynthJob(n, seed, VARIANTS, **options), out, RunOptions(shard_size=100, progress=False),
                      LocalExecutor(lambda: renderer))
    dt = time.perf_counter() - t
    machine = cpu_seconds() - machine
    size = sum(p.stat().st_size for p in out.rglob("*.parquet"))
    return {"seconds": dt, "samples_per_s": n / dt, "rows": summary.rows, "dropped": sum(summary.drops.values()),
            "renders_per_s": summary.rows / dt, "mb_per_sample": size / 2**20 / n, "python_cpu_s": _cpu_since(cpu),
            # The whole machine: Python, the driver and every Chromium process.
            "cpu_ms_per_sample": 1000 * machine / n}


def _cpu_since(before: os.times_result) -> float:
    now = os.times()
    return (now.user - before.user) + (now.system - before.system)


def stages(n: int, seed: int, renderer: ChromiumRenderer) -> dict[str, float]:
    """Seconds per sample spent in each stage, run one stage after the other."""
    sampler = Sampler(seed)
    t = time.perf_counter()
    samples = [sampler.sample(i) for i in range(n)]
    htmls = [s.html() for s in samples]
    t_sample = time.perf_counter() - t
    plans = []
    for sample, html in zip(samples, htmls, strict=True):
        for variant in VARIANTS:
            skin = make_skin(variant, derive_seed(sample.seed, f"{variant}/{seed}"))
            fmt = "jpeg" if variant == "sketch" else "png"
            plans.append((sample, skin, RenderJob(skin_html(html, skin), RenderOptions(viewport=parse_viewport(sample.viewport), image_format=fmt))))
    t = time.perf_counter()
    renders = list(renderer.render_many([p[2] for p in plans]))
    t_render = time.perf_counter() - t
    t = time.perf_counter()
    for (sample, skin, _), render in zip(plans, renders, strict=True):
        if render.ok:
            finished = finish_skin(render, skin)
            element_boxes(render, sample.tree, finished.transform)
            finished.encode("png" if skin.name == "screenshot" else "jpeg")
    t_finish = time.perf_counter() - t
    heights = [r.page_height for r in renders if r.ok]
    return {"sample_ms": 1000 * t_sample / n, "render_ms": 1000 * t_render / n, "finish_ms": 1000 * t_finish / n,
            "median_page_height": statistics.median(heights) if heights else 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="samples per run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per configuration (the median is reported)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="napkin-synth-bench-"))
    rows: list[dict[str, Any]] = []
    host_before = host_check_ms()
    try:
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in CONFIGS}
        # Rounds of every configuration in turn, so a slow spell of the shared host hits all of
        # them; a fresh browser for each run, so none is measured on a browser another has worn.
        for _ in range(args.repeat):
            for name, options in CONFIGS:
                with ChromiumRenderer() as renderer:
                    run_job(SynthJob(8, args.seed + 1, VARIANTS, **options), work / "warm", RunOptions(progress=False),
                            LocalExecutor(lambda: renderer))
                    shutil.rmtree(work / "warm", ignore_errors=True)
                    runs[name].append(end_to_end(args.n, args.seed, work, options, renderer))
                print(f"{name}: {runs[name][-1]['samples_per_s']:.2f} samples/s", file=sys.stderr)
        for name, _ in CONFIGS:
            best = sorted(runs[name], key=lambda r: r["samples_per_s"])[len(runs[name]) // 2]
            rows.append({"config": name, "samples": args.n, **best,
                         "all_samples_per_s": [round(r["samples_per_s"], 2) for r in runs[name]]})
        with ChromiumRenderer() as renderer:
            breakdown = stages(min(args.n, 100), args.seed, renderer)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    host_after = host_check_ms()
    print(table(rows, ["config", "samples", "rows", "dropped", "samples_per_s", "renders_per_s", "mb_per_sample", "python_cpu_s",
                       "cpu_ms_per_sample"]))
    print("\nstage breakdown (ms per sample, one stage after the other): "
          + ", ".join(f"{k} {v:.0f}" for k, v in breakdown.items()))
    met = [r["config"] for r in rows if r["samples_per_s"] >= TARGET]
    print(f"target {TARGET} samples/s: {'met by ' + ', '.join(met) if met else 'NOT met'}")
    print(f"host check (ms, lower is faster): {host_before} before, {host_after} after")
    payload = {"target_samples_per_s": TARGET, "load_average": os.getloadavg(), "host_check_ms": [host_before, host_after],
               "rows": rows, "stages_ms_per_sample": breakdown}
    print(f"\nsaved {save('synth_throughput', payload)}")


if __name__ == "__main__":
    main()
