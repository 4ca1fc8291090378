"""Does a page render the same every time? The 100 real Design2Code pages, rendered in batches.

    python benchmarks/render_stability.py [--runs 3]

Each run renders every reference page at 1280 px in one batch with a 390 px page between them
(as `napkin eval` interleaves predictions, phone renders and references), in a new browser.
A page is unstable when its page height, element count or any image's box or natural size
differs between runs. Scores are only as reproducible as this. Target: 0 unstable pages.
Results: benchmarks/results/render_stability.json.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _common import BENCH_DATA, bench_data, save, table  # noqa: E402

from napkin.render import ChromiumRenderer, RenderJob, RenderOptions, parse_viewport  # noqa: E402

DESKTOP = RenderOptions(viewport=parse_viewport("desktop"))
MOBILE = RenderOptions(viewport=parse_viewport("mobile"))
FILLER = b"<p>a phone page between two references</p><img src='missing.png'>"


def signature(render: Any) -> tuple[Any, ...]:
    images = tuple((e.box, e.attrs.get("natural")) for e in render.elements if e.tag == "img")
    return (render.failure, render.page_height, len(render.elements), images)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    pages = sorted((bench_data("design2code-dev")).glob("*.html"))
    if not pages:
        sys.exit(f"no pages in {BENCH_DATA / 'design2code-dev'}: set NAPKIN_BENCH")
    seen: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    broken_images = [0] * args.runs
    for run in range(args.runs):
        jobs = []
        for page in pages:
            jobs += [RenderJob(FILLER, MOBILE), RenderJob(page.read_bytes(), DESKTOP)]
        with ChromiumRenderer() as renderer:
            for k, render in enumerate(renderer.render_many(jobs)):
                if k % 2 == 1:
                    seen[pages[k // 2].name].add(signature(render))
                    broken_images[run] += sum(1 for e in render.elements if e.tag == "img" and not e.attrs.get("natural"))
        print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
    unstable = sorted(name for name, sigs in seen.items() if len(sigs) > 1)
    rows = [{"pages": len(pages), "runs": args.runs, "unstable_pages": len(unstable),
             "images_without_picture_per_run": broken_images}]
    print(table(rows, ["pages", "runs", "unstable_pages", "images_without_picture_per_run"]))
    if unstable:
        print("unstable:", ", ".join(unstable))
    print(f"\nsaved {save('render_stability', {'rows': rows, 'unstable': unstable})}")


if __name__ == "__main__":
    main()
