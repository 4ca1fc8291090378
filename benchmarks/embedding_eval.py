"""The UI embedding on pages it never saw, on real sketches, and what it costs, in one run.

    python benchmarks/embedding_eval.py --data datasets/emb-heldout-9002 --model src/napkin/embed/weights/ui-embed-s \
        --checkpoint runs/embedding/model.pt

1. Held-out synthetic pages (`napkin data synth --seed 9002`, a seed never used in training or
   tuning; its first --pages pages): text-to-image recall@1 and @5 (each page's plain
   description against all pages' screenshots, then all their sketches), sketch-to-screenshot
   and wireframe-to-screenshot recall@1. Beside it, the same with an untrained model of the same
   architecture (what the training bought) and chance.
2. Real sketches nobody here drew (../shared/benchmarks/sketches/): one plain description each,
   written below by looking at the sketch; the rank of each sketch for its description among
   all of them, and the similarity matrix (docs/img/embedding/real_sketches.png).
3. Cost: training throughput (pictures per second, forward and backward, the shipped config's
   batch) and inference latency per picture in torch and in onnxruntime, measured here one after
   the other, with their ratio.
Results: benchmarks/results/embedding_eval.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, bench_data, host_check_ms, save, table  # noqa: E402

from napkin.embed import load_embedder  # noqa: E402
from napkin.train._cache import VARIANTS, CachedPages  # noqa: E402

# Written by looking at each picture in ../shared/benchmarks/sketches/ (not by the data engine).
REAL_SKETCHES = {
    "sketch_example1.png": "a mobile product page with a search bar, a photo carousel, a short description, a colour dropdown, a quantity picker and an add-to-cart button",
    "sketch_example2.png": "a phone app screen with a back arrow in the top bar, a big image, a paragraph, a list of two items and a tab bar with five tabs at the bottom",
    "sketch_example4.png": "a desktop page with a big headline, a sidebar box with images and text, two articles with pictures beside their text, and a footer",
    "sketch_example7.png": "a desktop shop page with a logo, a navigation bar, a sidebar list of categories, a big banner image, text, a row of four product pictures and a footer",
}


def recall(q: np.ndarray, k: np.ndarray, ks: tuple[int, ...] = (1, 5)) -> dict[str, float]:
    sims = q @ k.T
    ranks = (sims > np.diag(sims)[:, None]).sum(1)
    return {f"r{n}": float(np.mean(ranks < n)) for n in ks}


def retrieval(images, texts, pages: CachedPages, idx: np.ndarray) -> dict[str, float]:
    shot, wire, sketch = (VARIANTS.index(v) for v in ("screenshot", "wireframe", "sketch"))
    e = {v: images(pages.pixels[idx, i]) for v, i in (("screenshot", shot), ("wireframe", wire), ("sketch", sketch))}
    t = texts([pages.records[i].descriptions[0] for i in idx])
    out: dict[str, float] = {}
    for name, (a, b) in {"text_to_screenshot": (t, e["screenshot"]), "text_to_sketch": (t, e["sketch"]),
                         "sketch_to_screenshot": (e["sketch"], e["screenshot"]), "wireframe_to_screenshot": (e["wireframe"], e["screenshot"])}.items():
        for k, v in recall(a, b).items():
            out[f"{name}_{k}"] = v
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="held-out synth dataset (seed never used in training)")
    ap.add_argument("--model", type=Path, default=ROOT / "src/napkin/embed/weights/ui-embed-s", help="ONNX export (STEM)")
    ap.add_argument("--checkpoint", type=Path, default=None, help="the same model's model.pt, for the torch timings")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--figure", type=Path, default=ROOT / "docs/img/embedding/real_sketches.png")
    args = ap.parse_args()
    host_before = host_check_ms()

    emb = load_embedder(args.model)
    pages = CachedPages(args.data, emb.preprocess)
    ok = np.flatnonzero(pages.has.all(1))[: args.pages]
    print(f"{len(ok)} held-out pages with all three variants from {args.data}")
    ours = retrieval(lambda px: emb._towers.images(px), emb.texts, pages, ok)

    rows = [{"model": "ui-embed (trained)", **ours}]
    try:
        import torch

        from napkin.model import create_model

        torch.manual_seed(0)
        untrained, _ = create_model(emb._towers.config)
        untrained.eval()

        def img(px: np.ndarray) -> np.ndarray:
            with torch.no_grad():
                return np.concatenate([untrained.image(torch.from_numpy(px[i : i + 64])).numpy() for i in range(0, len(px), 64)])

        def txt(ts: list[str]) -> np.ndarray:
            with torch.no_grad():
                return untrained.text(torch.from_numpy(emb._text_tower.encode(ts))).numpy()

        rows.append({"model": "untrained, same architecture", **retrieval(img, txt, pages, ok)})
    except ImportError:
        torch = None  # type: ignore[assignment]
    rows.append({"model": "chance", **{k: (1 if k.endswith("r1") else 5) / len(ok) for k in ours}})
    cols = ["model", "text_to_screenshot_r1", "text_to_screenshot_r5", "text_to_sketch_r1", "text_to_sketch_r5",
            "sketch_to_screenshot_r1", "wireframe_to_screenshot_r1"]
    print(table(rows, cols))

    # Real sketches
    names = sorted(REAL_SKETCHES)
    real = emb.images([bench_data("sketches") / n for n in names])
    texts = emb.texts([REAL_SKETCHES[n] for n in names])
    sims = texts @ real.T  # (description, sketch)
    ranks = {n: int((sims[i] > sims[i, i]).sum()) + 1 for i, n in enumerate(names)}
    print("\nreal sketches: rank of each sketch for its own description (1 = best of", len(names), ")")
    for n in names:
        print(f"  {ranks[n]}  {n}: {REAL_SKETCHES[n]}")
    print("similarity matrix (rows: descriptions, columns: sketches):")
    print("\n".join("  " + " ".join(f"{v:6.3f}" for v in row) for row in sims))
    _figure(args.figure, names, sims, emb)

    # Cost
    cost: dict[str, Any] = {}
    pixels = pages.pixels[ok[:64], 0]
    one = pixels[:1]
    emb._towers.images(one)
    t_ort = _median_time(lambda: emb._towers.images(one), 30)
    t_ort_batch = _median_time(lambda: emb._towers.images(pixels), 3) / len(pixels)
    t_text = _median_time(lambda: emb.texts(["a pricing page with three plans"]), 20)
    cost.update(onnx_ms_per_picture=1000 * t_ort, onnx_ms_per_picture_batch64=1000 * t_ort_batch, text_ms_per_query=1000 * t_text)
    if torch is not None and args.checkpoint is not None and args.checkpoint.exists():
        from napkin.model import load

        model, _ = load(args.checkpoint)
        torch.set_num_threads(2)
        with torch.no_grad():
            model.image(torch.from_numpy(one))
            t_torch = _median_time(lambda: model.image(torch.from_numpy(one)), 30)
            t_torch_batch = _median_time(lambda: model.image(torch.from_numpy(pixels)), 3) / len(pixels)
        cost.update(torch_ms_per_picture=1000 * t_torch, torch_ms_per_picture_batch64=1000 * t_torch_batch,
                    torch_over_onnx_single=t_torch / t_ort, torch_over_onnx_batch64=t_torch_batch / t_ort_batch)
        model.train()
        opt = torch.optim.AdamW(model.parameters())
        from napkin.train import TrainConfig

        b = TrainConfig.from_file("embedding").batch_size  # the shipped config's step: b pages, two pictures each
        batch = torch.from_numpy(pages.pixels[np.resize(ok, 2 * b), 0])
        feats = torch.from_numpy(emb._text_tower.encode([pages.records[i].descriptions[0] for i in np.resize(ok, b)]))

        def step() -> None:
            e = model.image(batch)
            t = model.text(feats)
            loss = -(e[:b] * t).sum() - (e[b:] * t).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()

        step()
        cost["train_pictures_per_s"] = len(batch) / _median_time(step, 3)
    print("\ncost on this machine (2 cores):")
    for k, v in cost.items():
        print(f"  {k:32} {v:8.2f}")
    out = save("embedding_eval", {"data": str(args.data), "model": str(args.model), "pages": len(ok), "retrieval": rows,
                                  "real_sketches": {"descriptions": REAL_SKETCHES, "ranks": ranks, "similarity": sims.round(4).tolist(),
                                                    "rows": "descriptions", "columns": names},
                                  "cost": cost, "host_check_ms": [host_before, host_check_ms()]})
    print(f"saved {out}")


def _median_time(fn, n: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _figure(path: Path, names: list[str], sims: np.ndarray, emb: Any) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from PIL import Image
    except ImportError:
        return
    n = len(names)
    fig = plt.figure(figsize=(2.2 * n + 3, 2.2 * n + 2.6))
    grid = fig.add_gridspec(n + 1, n + 1, width_ratios=[2.2] + [1] * n, height_ratios=[1.4] + [1] * n)
    for j, name in enumerate(names):
        ax = fig.add_subplot(grid[0, j + 1])
        ax.imshow(Image.open(bench_data("sketches") / name).convert("RGB"))
        ax.set_title(name.removesuffix(".png"), fontsize=8)
        ax.axis("off")
    for i, name in enumerate(names):
        ax = fig.add_subplot(grid[i + 1, 0])
        ax.text(0, 0.5, "\n".join(_wrap(REAL_SKETCHES[name], 38)), fontsize=7, va="center")
        ax.axis("off")
        for j in range(n):
            ax = fig.add_subplot(grid[i + 1, j + 1])
            v = sims[i, j]
            ax.imshow([[v]], vmin=sims.min(), vmax=sims.max(), cmap="viridis")
            ax.text(0, 0, f"{v:.3f}\n{float(emb.rescale(v)):.0f}/100", ha="center", va="center", fontsize=9,
                    color="white" if v < sims.mean() else "black", weight="bold" if i == j else "normal")
            ax.set_xticks([])
            ax.set_yticks([])
    fig.suptitle("Real sketches against their descriptions: cosine and game score (diagonal: the right pairs)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80, bbox_inches="tight")
    plt.close(fig)
    print(f"figure {path}")


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


if __name__ == "__main__":
    main()
