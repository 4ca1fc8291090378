"""Page pairs scored per second on the 100 real Design2Code pages, renders included and excluded.

    python benchmarks/score_throughput.py [--repeats 3] [--sanity] [--out DIR]

Every workload runs `napkin.score.evaluate` end to end, as `napkin eval` does: render, score,
write one JSON per page, thumbnails, the CSV, the summary and the HTML report. The prediction of
each pair is a copy of the reference HTML, rendered separately (nothing is shared between the two
renders of a pair).

- cold: no render cache; both pages of every pair are rendered.
- cold, responsive: the same plus the prediction at 390 px for code quality (three renders a pair).
- warm references: the references come from the render cache (one benchmark evaluated again and
  again); the predictions are rendered.
- renders excluded: both renders come from the cache; everything after the browser is measured.

--sanity also scores the reference HTML against itself, against its published screenshots and
against degraded versions (no styles, text only, blank), and prints the table of docs/score.md.
Results: benchmarks/results/score_throughput.json.
"""

from __future__ import annotations

import argparse
import html as html_lib
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _common import bench_data, cpu_by_process, cpu_seconds, save, table  # noqa: E402

from napkin.render import ChromiumRenderer  # noqa: E402
from napkin.score import EvalConfig, evaluate, text_blocks  # noqa: E402
from napkin.score._cache import RenderCache  # noqa: E402

D2C = bench_data("design2code-dev")
METRICS = ["overall", "block_match", "text", "position", "color", "visual", "layout"]


def copy_pages(src: Path, dst: Path, transform: Any = None) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for page in sorted(src.glob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        (dst / page.name).write_text(transform(page.stem, text) if transform else text, encoding="utf-8")
    return dst


_STYLE = re.compile(r"<style\b.*?</style\s*>", re.I | re.S)
_LINK = re.compile(r"<link\b[^>]*rel\s*=\s*[\"']?stylesheet[^>]*>", re.I)
_STYLE_ATTR = re.compile(r"\sstyle\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)


def no_styles(_: str, text: str) -> str:
    """The page without its CSS: no <style>, no stylesheet links, no style attributes."""
    return _STYLE_ATTR.sub("", _LINK.sub("", _STYLE.sub("", text)))


def text_only_pages(renderer: ChromiumRenderer, src: Path, dst: Path) -> Path:
    """Each page's text blocks, in document order, one plain paragraph each: the words without the design."""
    dst.mkdir(parents=True, exist_ok=True)
    pages = sorted(src.glob("*.html"))
    for page, result in zip(pages, renderer.render_many(p.read_bytes() for p in pages), strict=True):
        paragraphs = "".join(f"<p>{html_lib.escape(b.text)}</p>" for b in text_blocks(result))
        (dst / page.name).write_text(f"<!doctype html><html><body>{paragraphs}</body></html>")
    return dst


def blank_pages(src: Path, dst: Path) -> Path:
    return copy_pages(src, dst, lambda _, __: "<!doctype html><html><head></head><body></body></html>")


def run(pred: Path, ref: Path, out: Path, renderer: ChromiumRenderer, config: EvalConfig,
        cache: RenderCache | None) -> tuple[Any, float, float]:
    shutil.rmtree(out, ignore_errors=True)
    cpu0, t = cpu_seconds(), time.perf_counter()
    summary = evaluate(pred, ref, out, config, renderer=renderer, cache=cache, progress=False)
    return summary, time.perf_counter() - t, cpu_seconds() - cpu0


def throughput(renderer: ChromiumRenderer, work: Path, repeats: int) -> list[dict[str, Any]]:
    pred = copy_pages(D2C, work / "pred")
    # Predictions that differ from their references by a trailing comment: the same pages to
    # render, but other cache entries, so that the references alone can be cached.
    distinct = copy_pages(D2C, work / "pred-distinct", lambda _, t: t + "\n<!-- prediction -->\n")
    cache_dir, refs_dir = work / "cache", work / "cache-refs"
    plain, responsive = EvalConfig(responsive=False), EvalConfig(responsive=True)
    # Fill the caches once (this also warms the browser up): every render, and references alone.
    run(pred, D2C, work / "fill", renderer, plain, RenderCache(cache_dir))
    shutil.copytree(cache_dir, refs_dir)
    workloads = [
        ("cold: both pages rendered", pred, plain, None, 2),
        ("cold, responsive check: 3 renders a pair", pred, responsive, None, 3),
        ("warm references: predictions rendered", distinct, plain, refs_dir, 1),
        ("renders excluded: both from the cache", pred, plain, cache_dir, 0),
    ]
    rows = []
    for name, preds, config, cached, renders in workloads:
        runs = []
        for _ in range(repeats):
            cache = None
            if cached is not None:
                # A fresh copy each run: a run caches the predictions it renders.
                shutil.rmtree(work / "cache-run", ignore_errors=True)
                shutil.copytree(cached, work / "cache-run")
                cache = RenderCache(work / "cache-run")
            summary, dt, cpu = run(preds, D2C, work / "out", renderer, config, cache)
            runs.append((len(summary.rows) / dt, dt, cpu, len(summary.rows)))
        n = runs[0][3]
        rows.append({
            "workload": name, "renders_per_pair": renders, "pairs": n,
            "seconds": round(statistics.median(r[1] for r in runs), 2),
            "pairs_per_s": round(statistics.median(r[0] for r in runs), 2),
            "runs_pairs_per_s": [round(r[0], 2) for r in runs],
            "cpu_ms_per_pair": round(1000 * statistics.median(r[2] for r in runs) / n, 1),
            "workers": renderer.core.concurrency,
        })
        print(table(rows[-1:], list(rows[-1])), flush=True)
    return rows


def cpu_split(work: Path) -> dict[str, float]:
    """CPU ms a pair by process kind, for one cold run on a fresh renderer that recycles nothing
    (ended processes would be missing from the count)."""
    pred = copy_pages(D2C, work / "pred")
    with ChromiumRenderer(recycle_after=10**6) as renderer:
        list(renderer.render_many([p.read_bytes() for p in sorted(D2C.glob("*.html"))[:8]]))  # start the browser
        before, machine0 = cpu_by_process(), cpu_seconds()
        summary, _, _ = run(pred, D2C, work / "split", renderer, EvalConfig(responsive=False), None)
        after, machine = cpu_by_process(), cpu_seconds() - machine0
    n = len(summary.rows)
    split = {k: round(1000 * (after[k] - before[k]) / n, 1) for k in after}
    split["machine"] = round(1000 * machine / n, 1)
    return split


def sanity(renderer: ChromiumRenderer, work: Path) -> list[dict[str, Any]]:
    variants = {
        "reference HTML vs itself": (D2C, D2C, "html"),
        "reference HTML vs published screenshot": (D2C, D2C, "screenshot"),
        "no styles": (copy_pages(D2C, work / "no-styles", no_styles), D2C, "html"),
        "text only": (text_only_pages(renderer, D2C, work / "text-only"), D2C, "html"),
        "blank page": (blank_pages(D2C, work / "blank"), D2C, "html"),
    }
    rows = []
    for name, (pred, ref, kind) in variants.items():
        summary, dt, _ = run(pred, ref, work / "sanity" / name.replace(" ", "-"), renderer,
                             EvalConfig(responsive=True, ref_kind=kind), None)
        row: dict[str, Any] = {"variant": name, "pages": len(summary.rows), "failed": summary.failures}
        for key in METRICS + ["parse_errors", "absolute_share", "semantic_share", "mobile_overflow_px"]:
            a = summary.aggregates.get(key)
            row[key] = round(a["mean"], 3) if a else None
        row["visual_metric"] = summary.visual_metric
        rows.append(row)
        print(table(rows[-1:], list(rows[-1])), flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3, help="Runs per workload; the median is reported.")
    ap.add_argument("--sanity", action="store_true", help="Also run the sanity and degraded-page evaluations.")
    ap.add_argument("--out", type=Path, default=None, help="Keep the work folder (reports) here.")
    args = ap.parse_args()
    if not D2C.is_dir():
        sys.exit(f"{D2C} not found: set NAPKIN_BENCH to the folder holding design2code-dev")
    work = args.out or Path(tempfile.mkdtemp(prefix="napkin-score-bench-"))
    payload: dict[str, Any] = {"data": str(D2C)}
    with ChromiumRenderer() as renderer:
        payload["throughput"] = throughput(renderer, work, args.repeats)
        if args.sanity:
            payload["sanity"] = sanity(renderer, work)
    payload["cold_cpu_ms_per_pair_by_process"] = cpu_split(work)
    print()
    print("cold run, CPU ms a pair by process:", payload["cold_cpu_ms_per_pair_by_process"])
    print(table(payload["throughput"], ["workload", "pairs", "pairs_per_s", "cpu_ms_per_pair", "seconds"]))
    if args.sanity:
        print()
        print(table(payload["sanity"], ["variant", "pages", *METRICS]))
    print(f"\nsaved {save('score_throughput', payload)}")
    if args.out is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
