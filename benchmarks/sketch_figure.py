"""Real sketches beside what each embedded backend makes of them: a picture for the docs.

    python benchmarks/sketch_figure.py [--model src/napkin/vision/weights/ui-parse-s] [--out docs/img/parser/real-sketches.png]

Each row: a sketch from `NAPKIN_BENCH/sketches/` (drawn by people, never used in training), the
page `napkin generate --backend embedded` makes of it and the page `--backend learned` makes,
both rendered by Chromium at 1280 px (the page width the pipeline lays out for). Also prints, per sketch and backend, the element kinds of the page.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections import Counter
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, bench_data  # noqa: E402

from napkin.generate import generate, make_generator  # noqa: E402
from napkin.render import ChromiumRenderer  # noqa: E402

COL = 360  # px of each picture in the figure


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=None, help="the learned backend's parser (default: the shipped one)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "parser" / "real-sketches.png")
    args = ap.parse_args()
    sketches = sorted(bench_data("sketches").glob("*.png"))
    learned = make_generator("learned", model=args.model) if args.model else make_generator("learned")
    backends = {"embedded": make_generator("embedded"), "learned": learned}
    rows: list[list[Image.Image]] = []
    with ChromiumRenderer() as renderer:
        for path in sketches:
            sketch = Image.open(path).convert("RGB")
            row = [sketch]
            for name, gen in backends.items():
                result = generate(path, backend=gen, kind="sketch")
                kinds = Counter(n.kind for n in result.tree.walk()) if result.tree is not None else Counter()
                print(path.stem, name, dict(kinds.most_common(8)))
                shot = renderer.render(result.html)
                if shot.image is None:
                    raise SystemExit(f"{path.stem} ({name}) did not render: {shot.message}")
                row.append(Image.open(io.BytesIO(shot.image)).convert("RGB"))
            rows.append(row)
    scaled = [[im.resize((COL, max(1, round(im.height * COL / im.width)))) for im in row] for row in rows]
    heights = [min(900, max(im.height for im in row)) for row in scaled]
    head = 28
    fig = Image.new("RGB", (3 * COL + 40, head + sum(heights) + 10 * len(rows)), "white")
    draw = ImageDraw.Draw(fig)
    for i, title in enumerate(("sketch", "--backend embedded", "--backend learned")):
        draw.text((10 + i * (COL + 10), 8), title, fill=(40, 40, 40))
    y = head
    for row, h in zip(scaled, heights, strict=True):
        for i, im in enumerate(row):
            fig.paste(im.crop((0, 0, COL, min(h, im.height))), (10 + i * (COL + 10), y))
            draw.rectangle((10 + i * (COL + 10), y, 10 + i * (COL + 10) + COL - 1, y + min(h, im.height) - 1), outline=(200, 200, 200))
        y += h + 10
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.save(args.out, optimize=True)
    print(f"figure: {args.out}")


if __name__ == "__main__":
    main()
