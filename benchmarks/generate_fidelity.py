"""Fidelity of the embedded generator, scored with `napkin.score` (the Design2Code metrics and
Sketch2Code's layout similarity).

    python benchmarks/generate_fidelity.py [--synthetic 40] [--seed 1000] [--design2code]

Synthetic: pages sampled by the data engine with a seed nobody tuned on (1000 by default),
rendered as hand-drawn sketches and as wireframes; the generator sees the picture, the score
compares its page with the page the picture was made from. Design2Code (optional, slow): the
100 real screenshots against their reference HTML. Results: benchmarks/results/generate_fidelity.json.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import bench_data, save, table  # noqa: E402

from napkin.data import RunOptions, iter_rows, run_job  # noqa: E402
from napkin.data._synth_job import SynthJob  # noqa: E402
from napkin.generate import EmbeddedGenerator, generate_dir  # noqa: E402
from napkin.score import EvalConfig, evaluate  # noqa: E402
from napkin.score._results import aggregate  # noqa: E402

METRICS = ["block_match", "text", "position", "color", "visual", "overall", "layout",
           "absolute_share", "mobile_overflow_px", "mobile_overlaps"]


def _means(name: str, pages: list[dict]) -> dict:  # type: ignore[type-arg]
    agg = aggregate(pages)
    row = {"set": name, "pages": len(pages), **{m: round(agg[m]["mean"], 3) for m in METRICS if m in agg}}
    row["mean4"] = round(sum(row[m] for m in ("block_match", "text", "position", "color")) / 4, 3)
    return row


def run_set(name: str, inputs: Path, refs: Path, work: Path, kind: str, halves: bool = False) -> list[dict]:  # type: ignore[type-arg]
    """The set's row (and with `halves`, rows for the first and last half of its ids in numeric order)."""
    t = time.perf_counter()
    gen = generate_dir(EmbeddedGenerator(), inputs, work / f"{name}-pages", kind=kind, progress=False)  # type: ignore[arg-type]
    dt = time.perf_counter() - t
    summary = evaluate(work / f"{name}-pages", refs, work / f"{name}-report", EvalConfig(), progress=False)
    row = _means(name, summary.rows)
    row.update(kind=kind, failed=sum(gen.failures.values()), gen_s_per_page=round(dt / max(1, len(summary.rows)), 2),
               visual_metric=summary.visual_metric)
    rows = [row]
    if halves:
        # The vision rules were tuned on the first 50 ids (numeric order); the rest are held out.
        pages = sorted(summary.rows, key=lambda r: int(Path(r["name"]).stem))
        half = len(pages) // 2
        rows += [_means(f"{name}: first {half} ids (tuned on)", pages[:half]),
                 _means(f"{name}: last {len(pages) - half} ids (held out)", pages[half:])]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synthetic", type=int, default=40, help="synthetic pages (each as a sketch and a wireframe)")
    ap.add_argument("--seed", type=int, default=1000, help="held-out synth seed")
    ap.add_argument("--design2code", action="store_true", help="also the 100 real screenshots (about 10 minutes)")
    ap.add_argument("--keep", type=Path, help="keep the work folder here instead of a temporary one")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="napkin-fidelity-"))
    rows = []
    try:
        ds = work / "synth"
        run_job(SynthJob(args.synthetic, args.seed, ["sketch", "wireframe"], ["desktop"]), ds, RunOptions(progress=False))
        for variant in ("sketch", "wireframe"):
            inputs, refs = work / f"{variant}-inputs", work / f"{variant}-refs"
            inputs.mkdir(parents=True, exist_ok=True)
            refs.mkdir(parents=True, exist_ok=True)
            for row in iter_rows(ds):
                if row["variant"] == variant:
                    ext = "jpg" if row["image"]["bytes"][:3] == b"\xff\xd8\xff" else "png"
                    (inputs / f"{row['sample_id']}.{ext}").write_bytes(row["image"]["bytes"])
                    (refs / f"{row['sample_id']}.html").write_text(row["html"])
            # As a user would run it: sketches as sketches, wireframes left to the automatic choice.
            rows += run_set(f"synthetic {variant} (seed {args.seed})", inputs, refs, work, "sketch" if variant == "sketch" else "auto")
        if args.design2code:
            d2c = bench_data("design2code-dev")
            shots = work / "d2c-inputs"
            shots.mkdir(exist_ok=True)
            for png in sorted(d2c.glob("*.png")):
                (shots / png.name).symlink_to(png.resolve())
            rows += run_set("design2code-dev screenshots", shots, d2c, work, "screenshot", halves=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(table(rows, ["set", "pages", "block_match", "text", "position", "color", "mean4", "visual", "layout",
                       "mobile_overflow_px", "gen_s_per_page"]))
    print(f"\nsaved {save('generate_fidelity', {'rows': rows, 'published': {'GPT-4V (Design2Code, 484 pages)': {'block_match': 0.624, 'text': 0.977, 'position': 0.779, 'color': 0.707, 'clip': 0.892}}})}")


if __name__ == "__main__":
    main()
