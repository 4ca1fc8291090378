"""Do two ways of rendering give the same pages? Another binary, or another commit's engine.

    python benchmarks/browser_parity.py [--other /usr/lib/chromium/chromium]
    python benchmarks/browser_parity.py --ref 9cc2549

Renders the 100 Design2Code pages and 40 synthetic ones (20 samples: the page and its sketch
restyling) twice and compares the DOM facts (tag and box of every element, rounded to 0.01 px)
and the pixels:
- `--other BINARY`: the engine's binary (`find_chromium`, the headless shell when installed)
  against another binary, both with the working tree's code;
- `--ref COMMIT`: the working tree's engine against the engine of a commit (checked out in a
  temporary git worktree; it needs whatever that commit's engine imported, e.g. Playwright
  before the engine spoke CDP itself), both with the engine's binary.

Each side renders in its own Python process. Results: benchmarks/results/browser_parity.json
(or browser_parity_ref.json).
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, bench_data, save, table, worktree  # noqa: E402

from napkin.render import find_chromium  # noqa: E402
from napkin.score._blocks import decode_image  # noqa: E402
from napkin.synth import Sampler, derive_seed, make_skin, skin_html  # noqa: E402

# One side, in a child process whose `napkin` is the code under test (PYTHONPATH).
RENDER = """
import pickle, sys
from napkin.render import ChromiumRenderer
pages = pickle.load(open({pages!r}, "rb"))
with ChromiumRenderer(executable={exe!r}) as r:
    out = [([(e.tag, round(e.x, 2), round(e.y, 2), round(e.w, 2), round(e.h, 2), e.text) for e in x.elements],
             x.width, x.height, x.image, x.failure) for x in r.render_many(pages)]
pickle.dump(out, open({out!r}, "wb"))
"""


def pages() -> list[tuple[str, bytes]]:
    real = [(p.stem, p.read_bytes()) for p in sorted((bench_data("design2code-dev")).glob("*.html"))]
    synth = []
    sampler = Sampler(0)
    for i in range(20):
        s = sampler.sample(i)
        synth.append((f"synth-{i}", s.html().encode()))
        synth.append((f"synth-{i}-sketch", skin_html(s.html(), make_skin("sketch", derive_seed(s.seed, "sketch/0"))).encode()))
    return real + synth


def render_side(src: Path, exe: str, html: list[bytes], work: Path, name: str) -> list[Any]:
    pages_file, out_file = work / "pages.pkl", work / f"{name}.pkl"
    pages_file.write_bytes(pickle.dumps(html))
    code = RENDER.format(pages=str(pages_file), exe=exe, out=str(out_file))
    run = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"rendering with the code in {src} failed:\n{run.stderr[-2000:]}")
    return pickle.loads(out_file.read_bytes())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--other", default="/usr/lib/chromium/chromium", help="the binary to compare with")
    ap.add_argument("--ref", help="compare the working tree's engine with this commit's instead")
    args = ap.parse_args()
    named = pages()
    engine = find_chromium()
    html = [h for _, h in named]
    with tempfile.TemporaryDirectory(prefix="napkin-parity-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        if args.ref:
            ref, ref_src = stack.enter_context(worktree(args.ref))
            sides = {"working tree": (ROOT / "src", engine), f"commit {ref}": (ref_src, engine)}
        else:
            sides = {engine: (ROOT / "src", engine), args.other: (ROOT / "src", args.other)}
        (a_name, (a_src, a_exe)), (b_name, (b_src, b_exe)) = sides.items()
        side_a = render_side(a_src, a_exe, html, work, "a")
        side_b = render_side(b_src, b_exe, html, work, "b")
    rows = []
    for (name, _), a, b in zip(named, side_a, side_b, strict=True):
        row: dict[str, Any] = {"page": name, "failed": [a[4], b[4]] if a[4] or b[4] else None,
                               "same_facts": a[0] == b[0], "same_size": a[1:3] == b[1:3]}
        if row["same_size"] and a[3] and b[3]:
            pa, pb = decode_image(a[3]), decode_image(b[3])
            diff = np.abs(pa.astype(np.int16) - pb).max(axis=2)
            row.update(pixels_differing=float((diff > 0).mean()), max_difference=int(diff.max()))
        rows.append(row)
    differing = [r for r in rows if r.get("pixels_differing")]
    summary = {
        "a": a_name, "b": b_name, "pages": len(rows),
        "same_facts": sum(r["same_facts"] for r in rows), "same_size": sum(r["same_size"] for r in rows),
        "identical_pixels": sum(r.get("pixels_differing") == 0.0 for r in rows),
        "largest_share_of_pixels_differing": max((r["pixels_differing"] for r in differing), default=0.0),
    }
    print(table([summary], list(summary)))
    for r in rows:
        if not r["same_facts"] or r.get("pixels_differing") or not r["same_size"]:
            print(f"  {r['page']}: facts {'same' if r['same_facts'] else 'differ'}, size {'same' if r['same_size'] else 'differs'}, "
                  f"pixels differing {r.get('pixels_differing', '-')}, largest difference {r.get('max_difference', '-')}")
    name = "browser_parity_ref" if args.ref else "browser_parity"
    print(f"\nsaved {save(name, {'summary': summary, 'pages': rows})}")


if __name__ == "__main__":
    main()
