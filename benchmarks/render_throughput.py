"""Pages per second: Napkin's render engine against a browser-per-page baseline, side by side.

    python benchmarks/render_throughput.py [--small 400] [--baseline 20]

Workloads: the 100 real Design2Code pages (full page, DOM facts) and small generated pages
(one screen, DOM facts). The baseline launches a fresh Chromium for every page, takes a
full-page screenshot and quits: the approach of Web2Code's Selenium rendering scripts. It runs
with the engine's own binary (the speedup) and, when the engine uses the headless shell, with
the full browser too (what Selenium drives; `speedup_vs_full_browser`).
Results: benchmarks/results/render_throughput.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import bench_data, cpu_seconds, save, table  # noqa: E402

from napkin.render import ChromiumRenderer, RenderOptions, find_chromium  # noqa: E402
from napkin.render._cdp import Browser  # noqa: E402
from napkin.render._chromium import _LAUNCH_ARGS  # noqa: E402

WORDS = "design build ship render layout grid card button pricing team plan start free trial contact about blog".split()


def small_pages(n: int, seed: int = 0) -> list[str]:
    """One-screen pages: a nav, a hero, a row of cards, a form. No scripts."""
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        words = lambda k: " ".join(rng.choice(WORDS) for _ in range(k))  # noqa: E731
        cards = "".join(
            f"<div class=card><h3>{words(2).title()}</h3><p>{words(12)}</p><button>{words(1).title()}</button></div>"
            for _ in range(rng.randint(2, 4))
        )
        pages.append(
            f"""<!doctype html><html><head><meta charset=utf-8><title>p{i}</title><style>
body{{margin:0;font-family:'DejaVu Sans',sans-serif;color:#222}} nav{{display:flex;gap:24px;padding:16px 32px;background:#{rng.randrange(0x1000000):06x}}}
nav a{{color:#fff}} .hero{{padding:48px 32px}} .cards{{display:flex;gap:16px;padding:0 32px}}
.card{{flex:1;border:1px solid #ddd;border-radius:8px;padding:16px}} button{{padding:8px 16px}}
form{{padding:32px;display:flex;gap:8px}}</style></head><body>
<nav><a href=#>{words(1)}</a><a href=#>{words(1)}</a><a href=#>{words(1)}</a></nav>
<section class=hero><h1>{words(4).title()}</h1><p>{words(20)}</p></section>
<section class=cards>{cards}</section>
<form><input placeholder="{words(2)}"><button>{words(1)}</button></form></body></html>"""
        )
    return pages


def run_engine(pages: list[str], options: RenderOptions, repeats: int = 3) -> dict[str, float]:
    """Median of `repeats` runs: on a shared 2-core machine single runs vary by +-15%."""
    runs = []
    with ChromiumRenderer() as r:
        list(r.render_many(pages[:8], options))  # warm up: browser start, first contexts
        for _ in range(repeats):
            cpu0, t = cpu_seconds(), time.perf_counter()
            results = list(r.render_many(pages, options))
            dt, cpu = time.perf_counter() - t, cpu_seconds() - cpu0
            runs.append((len(pages) / dt, dt, cpu))
        workers = r.core.concurrency
    rate, dt, cpu = sorted(runs)[len(runs) // 2]
    failed = sum(not x.ok for x in results)
    elements = sum(len(x.elements) for x in results) / len(results)
    return {"pages": len(pages), "seconds": dt, "pages_per_s": rate, "runs_pages_per_s": [round(x[0], 2) for x in runs],
            "cpu_ms_per_page": 1000 * cpu / len(pages), "failed": failed, "mean_elements": elements, "workers": workers}


async def _naive_page(html: str, exe: str) -> None:
    """Launch, load, full-page screenshot, quit: what a Selenium or Playwright script per page does."""
    browser = await Browser.launch(exe, [*_LAUNCH_ARGS, "--no-sandbox"])
    try:
        target = next(t for t in (await browser.send("Target.getTargets"))["targetInfos"] if t["type"] == "page")
        session = (await browser.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}))["sessionId"]
        await browser.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False}, session)
        load = "new Promise(r => document.readyState === 'complete' ? r() : addEventListener('load', r))"
        script = f"document.open(); document.write({json.dumps(html)}); document.close(); {load}.then(() => document.documentElement.scrollHeight)"
        reply = await browser.send("Runtime.evaluate", {"expression": script, "awaitPromise": True, "returnByValue": True}, session)
        height = reply["result"]["value"]
        await browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                      "clip": {"x": 0, "y": 0, "width": 1280, "height": max(720, height), "scale": 1}}, session)
    finally:
        await browser.close()


async def _naive(pages: list[str], exe: str) -> tuple[float, float]:
    t, cpu0 = time.perf_counter(), cpu_seconds()  # the whole machine's: the browsers are gone by the end
    for html in pages:
        await _naive_page(html, exe)
    return time.perf_counter() - t, cpu_seconds() - cpu0


def run_naive(pages: list[str], exe: str) -> dict[str, float]:
    dt, cpu = asyncio.run(_naive(pages, exe))
    return {"pages": len(pages), "seconds": dt, "pages_per_s": len(pages) / dt, "cpu_ms_per_page": 1000 * cpu / len(pages),
            "failed": 0, "workers": 1}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", type=int, default=400, help="small generated pages for the engine")
    ap.add_argument("--baseline", type=int, default=20, help="pages per workload for the slow baseline")
    args = ap.parse_args()

    d2c_dir = bench_data("design2code-dev")
    real = [p.read_text(errors="replace") for p in sorted(d2c_dir.glob("*.html"))]
    if not real:
        sys.exit(f"no pages in {d2c_dir}: set NAPKIN_BENCH to the shared benchmarks folder")
    small = small_pages(args.small)
    # The baseline as Web2Code's Selenium scripts run it, with the full browser; and, for the
    # same binary as the engine, with whatever find_chromium picks (the headless shell when
    # installed, which also starts faster). The speedup is against the same binary.
    engine_exe = find_chromium()
    full = "/usr/lib/chromium/chromium"
    baselines = [(engine_exe, "same binary")]
    if Path(full).is_file() and full != engine_exe:
        baselines.append((full, "full browser"))
    rows = []
    for workload, pages in [("design2code-dev (100 real pages)", real), (f"small generated ({len(small)})", small)]:
        napkin = run_engine(pages, RenderOptions())
        row = {"workload": workload, "engine": f"napkin (pool, DOM facts; {Path(engine_exe).name})", **napkin}
        rows.append(row)
        for exe, label in baselines:
            naive = run_naive(pages[: args.baseline], exe)
            rows.append({"workload": workload, "engine": f"browser per page ({label}: {Path(exe).name})", **naive})
            key = "speedup" if label == "same binary" else "speedup_vs_full_browser"
            row[key] = napkin["pages_per_s"] / naive["pages_per_s"]
    jpeg = run_engine(small, RenderOptions(image_format="jpeg"))
    rows.append({"workload": f"small generated ({len(small)})", "engine": "napkin, JPEG", **jpeg})
    print(table(rows, ["workload", "engine", "pages", "workers", "pages_per_s", "cpu_ms_per_page", "speedup",
                       "speedup_vs_full_browser", "failed"]))
    path = save("render_throughput", {"rows": rows, "targets": {"small_pages_per_s": 30, "speedup_vs_naive": 20}})
    print(f"\nsaved {path}")


if __name__ == "__main__":
    main()
