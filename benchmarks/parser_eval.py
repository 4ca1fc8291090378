"""Where each kind of element is: the learned layout parser against the classical pipeline, in one run.

    python benchmarks/parser_eval.py --data /out/parser-heldout-9003 --model /out/parser-run/ui-parse-s [--pages 100]

The data: a synth dataset of a seed never used in training or tuning (9003 by the commands in
docs/train.md), at full resolution, each page as a screenshot, a wireframe and a sketch. For each
picture both readers mark, cell by cell at the parser's grid (the picture scaled to 256 px
wide, 2 px cells), where Sketch2Code's classes of element are (text, image, button, navigation,
form and table, divider):
- classical: `napkin.vision.analyze` (what `napkin generate` runs today), its layout tree drawn
  into the grid;
- learned: the parser's regions (probability over 0.5), read in windows as at inference.
Both are scored against the page's true tree with Sketch2Code's layout similarity (per class the
IoU of the two regions, weighted by the area of their union) and per-class IoU. This is the
similarity of the regions each reader found, before any code is written: the full metric on
rendered pages comes when the parser drives `napkin generate` (its next step). Also: time per
picture of each reader. A figure shows one page of each variant with the three maps.
Results: benchmarks/results/parser_eval.json.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, save, table  # noqa: E402

from napkin.data import iter_rows  # noqa: E402
from napkin.model._onnx import OnnxParser  # noqa: E402
from napkin.model._parser import PARSER_CLASSES  # noqa: E402
from napkin.model._tiles import layout_similarity_of_masks  # noqa: E402
from napkin.train._parse_data import STRIDE, draw_masks, unpack  # noqa: E402
from napkin.vision import analyze  # noqa: E402

COLORS = np.array([(230, 60, 60), (60, 140, 230), (250, 170, 20), (40, 170, 90), (160, 80, 200), (90, 90, 90)], np.uint8)


def class_map(masks: np.ndarray) -> np.ndarray:
    """(classes, H, W) booleans to an RGB picture, each cell in the colour of one of its classes (white when none):
    containers first (navigation, form and table), so the text and buttons inside them show."""
    out = np.full((*masks.shape[1:], 3), 255, np.uint8)
    order = [PARSER_CLASSES.index(c) for c in ("navigation", "form_table", "image", "button", "text", "divider")]
    for c in order:
        out[masks[c]] = COLORS[c]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="held-out synth dataset (a seed never used in training)")
    ap.add_argument("--model", type=Path, required=True, help="the parser's ONNX export (STEM)")
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--figure", type=Path, default=ROOT / "docs" / "img" / "parser" / "maps.png")
    args = ap.parse_args()

    parser = OnnxParser(args.model)
    width = parser.tiling.width
    n = len(PARSER_CLASSES)
    rows = [r for r in iter_rows(args.data, ["sample_id", "variant", "image", "layout"]) if r["layout"] and r["image"]]
    pages = sorted({r["sample_id"] for r in rows})[: args.pages]
    keep = set(pages)
    rows = [r for r in rows if r["sample_id"] in keep]
    print(f"{len(rows)} pictures of {len(pages)} pages from {args.data}")

    results: dict[str, dict[str, list[float]]] = {}
    inter = {k: np.zeros((2, n)) for k in ("screenshot", "wireframe", "sketch")}
    union = {k: np.zeros((2, n)) for k in ("screenshot", "wireframe", "sketch")}
    examples: dict[str, list[np.ndarray]] = {}
    for i, row in enumerate(rows):
        variant = row["variant"]
        with Image.open(io.BytesIO(row["image"]["bytes"])) as im:
            image = im.convert("RGB")
        scaled = parser.tiling(image)
        truth = unpack(draw_masks(json.loads(row["layout"]), width / image.width, scaled.shape[0], width), n)

        t = time.perf_counter()
        analysis = analyze(image, "sketch" if variant == "sketch" else "auto")
        t_classical = time.perf_counter() - t
        # The tree's boxes are CSS px of the picture scaled to 1280 px wide (analysis.scale per image px).
        classical = unpack(draw_masks(analysis.tree.to_json(), width / (image.width * analysis.scale), scaled.shape[0], width), n)

        t = time.perf_counter()
        learned = parser.probabilities(image) > 0.5
        t_learned = time.perf_counter() - t

        r = results.setdefault(variant, {"classical": [], "learned": [], "classical_s": [], "learned_s": []})
        for j, (name, masks) in enumerate((("classical", classical), ("learned", learned))):
            r[name].append(layout_similarity_of_masks(masks, truth)[0])
            inter[variant][j] += (masks & truth).reshape(n, -1).sum(axis=1)
            union[variant][j] += (masks | truth).reshape(n, -1).sum(axis=1)
        r["classical_s"].append(t_classical)
        r["learned_s"].append(t_learned)
        if variant not in examples and 300 < image.height < 2400:
            cells = scaled[::STRIDE, ::STRIDE]
            examples[variant] = [cells, class_map(truth), class_map(classical), class_map(learned)]
        if (i + 1) % 30 == 0:
            print(f"  {i + 1}/{len(rows)}")

    table_rows = []
    for variant in ("screenshot", "wireframe", "sketch"):
        if variant not in results:
            continue
        r = results[variant]
        for j, name in enumerate(("classical", "learned")):
            iou = inter[variant][j] / np.maximum(union[variant][j], 1)
            table_rows.append({
                "variant": variant, "reader": name, "pictures": len(r[name]),
                "layout_similarity": round(float(np.mean(r[name])), 3),
                **{f"iou_{c}": round(float(iou[k]), 3) for k, c in enumerate(PARSER_CLASSES)},
                "ms_per_picture_median": round(1000 * float(np.median(r[f"{name}_s"])), 1),
            })
    print(table(table_rows, list(table_rows[0])))

    if examples:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(len(examples), 4, figsize=(12, 4.2 * len(examples)), squeeze=False)
        for ax_row, (variant, panels) in zip(axes, sorted(examples.items()), strict=True):
            for ax, img, title in zip(ax_row, panels, ("picture", "true regions", "classical", "learned"), strict=True):
                ax.imshow(img[:300], interpolation="nearest")
                ax.set_title(f"{variant}: {title}", fontsize=9)
                ax.axis("off")
        handles = [plt.Rectangle((0, 0), 1, 1, color=COLORS[k] / 255) for k in range(n)]
        fig.legend(handles, PARSER_CLASSES, loc="lower center", ncol=n, fontsize=9)
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        args.figure.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(args.figure, dpi=80)
        print(f"figure {args.figure}")

    save("parser_eval", {
        "data": str(args.data), "model": str(args.model), "pages": len(pages), "pictures": len(rows),
        "grid": f"{width} px wide, {STRIDE} px cells", "rows": table_rows,
        "model_meta": {k: parser.meta.get(k) for k in ("train_config", "data", "eval")},
    })


if __name__ == "__main__":
    main()
