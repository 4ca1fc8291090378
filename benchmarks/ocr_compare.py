"""Tesseract against PP-OCR (rapidocr) as the text reader, on real Design2Code screenshots, in one run.

    python benchmarks/ocr_compare.py [--pages 20]

For each page both readers read the screenshot (`NAPKIN_BENCH/design2code-dev/ID.png`). The truth
is the text of the page's own HTML as Chromium lays it out (the words of its text boxes). Per
reader: word recall (share of the page's words read, as a multiset, case-insensitive), word
precision (share of words read that are on the page), recall of short labels (words of text
boxes of at most three words: navigation items, buttons, captions) and seconds per page.
Results: benchmarks/results/ocr_compare.json.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from _common import bench_data, save, table  # noqa: E402

from napkin.render import ChromiumRenderer  # noqa: E402
from napkin.vision._ocr import RapidReader, TesseractReader  # noqa: E402

_WORD = re.compile(r"[\w']+")


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def overlap(found: Counter[str], truth: Counter[str]) -> int:
    return sum((found & truth).values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=20)
    args = ap.parse_args()
    d2c = bench_data("design2code-dev")
    pngs = sorted(d2c.glob("*.png"), key=lambda p: int(p.stem) if p.stem.isdigit() else p.stem)[: args.pages]
    readers = {"tesseract": TesseractReader(), "rapidocr": RapidReader()}
    stats: dict[str, dict[str, list[float]]] = {n: {"recall": [], "precision": [], "label_recall": [], "seconds": []} for n in readers}
    with ChromiumRenderer() as renderer:
        for png in pngs:
            page = renderer.render(png.with_suffix(".html").read_text(encoding="utf-8", errors="replace"))
            truth: Counter[str] = Counter()
            labels: Counter[str] = Counter()
            for el in page.elements:
                ws = words(el.text)
                truth.update(ws)
                if 0 < len(ws) <= 3:
                    labels.update(ws)
            rgb = np.asarray(Image.open(png).convert("RGB"))
            for name, reader in readers.items():
                t = time.perf_counter()
                found = Counter(w for word in reader.read(rgb) for w in words(word.text))
                stats[name]["seconds"].append(time.perf_counter() - t)
                hit = overlap(found, truth)
                stats[name]["recall"].append(hit / max(1, sum(truth.values())))
                stats[name]["precision"].append(hit / max(1, sum(found.values())))
                stats[name]["label_recall"].append(overlap(found, labels) / max(1, sum(labels.values())))
            print(png.stem, {n: round(s["recall"][-1], 3) for n, s in stats.items()}, flush=True)
    rows = []
    results = {"pages": len(pngs), "readers": {}}
    for name, s in stats.items():
        agg = {"word_recall": statistics.mean(s["recall"]), "word_precision": statistics.mean(s["precision"]),
               "label_recall": statistics.mean(s["label_recall"]), "median_seconds": statistics.median(s["seconds"]),
               "mean_seconds": statistics.mean(s["seconds"])}
        results["readers"][name] = {**agg, "per_page": s}
        rows.append({"reader": name, **{k: f"{v:.3f}" for k, v in agg.items()}})
    print(table(rows, ["reader", "word_recall", "word_precision", "label_recall", "median_seconds", "mean_seconds"]))
    save("ocr_compare", results)


if __name__ == "__main__":
    main()
