"""Do Chromium's headless shell and the full browser render the 100 real pages the same?

    python benchmarks/browser_parity.py [--other /usr/lib/chromium/chromium]

Renders every Design2Code page with the engine's binary (`find_chromium`, the headless shell
when installed) and with the other binary, and compares the DOM facts (tag and box of every
element, rounded to 0.01 px) and the pixels. Results: benchmarks/results/browser_parity.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import BENCH_DATA, save, table  # noqa: E402

from napkin.render import ChromiumRenderer, Render, find_chromium  # noqa: E402
from napkin.score._blocks import decode_image  # noqa: E402


def facts(r: Render) -> list[tuple[Any, ...]]:
    return [(e.tag, round(e.x, 2), round(e.y, 2), round(e.w, 2), round(e.h, 2), e.text) for e in r.elements]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--other", default="/usr/lib/chromium/chromium", help="the binary to compare with")
    args = ap.parse_args()
    pages = sorted((BENCH_DATA / "design2code-dev").glob("*.html"))
    html = [p.read_bytes() for p in pages]
    engine = find_chromium()
    renders = {}
    for exe in (engine, args.other):
        with ChromiumRenderer(executable=exe) as r:
            renders[exe] = list(r.render_many(html))
    rows = []
    for page, a, b in zip(pages, renders[engine], renders[args.other], strict=True):
        row: dict[str, Any] = {"page": page.stem, "same_facts": facts(a) == facts(b), "same_size": (a.width, a.height) == (b.width, b.height)}
        if row["same_size"]:
            pa, pb = decode_image(a.image or b""), decode_image(b.image or b"")
            diff = np.abs(pa.astype(np.int16) - pb).max(axis=2)
            row.update(pixels_differing=float((diff > 0).mean()), max_difference=int(diff.max()))
        rows.append(row)
    differing = [r for r in rows if r.get("pixels_differing")]
    summary = {
        "engine": engine, "other": args.other, "pages": len(rows),
        "same_facts": sum(r["same_facts"] for r in rows), "same_size": sum(r["same_size"] for r in rows),
        "identical_pixels": sum(r.get("pixels_differing") == 0.0 for r in rows),
        "largest_share_of_pixels_differing": max((r["pixels_differing"] for r in differing), default=0.0),
    }
    print(table([summary], list(summary)))
    print(f"\nsaved {save('browser_parity', {'summary': summary, 'pages': rows})}")


if __name__ == "__main__":
    main()
