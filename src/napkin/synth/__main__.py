"""Reports on the generator: `python -m napkin.synth diversity` and `python -m napkin.synth contact-sheet`.

    python -m napkin.synth diversity --n 10000 --seed 0 --json diversity.json
    python -m napkin.synth contact-sheet --out docs/synth_contact_sheet.png --seed 0
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from napkin.synth._report import contact_sheet, diversity

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage


def _save_sheet(image: PILImage, out: Path) -> None:
    from PIL import Image

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() in (".jpg", ".jpeg"):
        image.save(out, "JPEG", quality=82, optimize=True)
    else:
        # A 128-color palette keeps the sheet near half a megabyte (scanner noise defeats PNG's
        # compression) while the screenshots stay crisp.
        image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m napkin.synth", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("diversity", help="distinct layout signatures and the component histogram of N samples")
    d.add_argument("--n", type=int, default=10_000)
    d.add_argument("--seed", type=int, default=0)
    d.add_argument("--json", type=Path, help="also write the report here")
    c = sub.add_parser("contact-sheet", help="N samples, screenshot beside sketch, as one picture")
    c.add_argument("--out", type=Path, default=Path("docs/synth_contact_sheet.png"))
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--n", type=int, default=16)
    args = parser.parse_args(argv)
    if args.command == "diversity":
        report = diversity(args.n, args.seed)
        text = json.dumps(report, indent=2)
        if args.json:
            args.json.write_text(text + "\n")
        sys.stdout.write(text + "\n")
        return 0
    from napkin.render import ChromiumRenderer

    with ChromiumRenderer(concurrency=2) as renderer:
        sheet = contact_sheet(renderer, seed=args.seed, n=args.n)
    _save_sheet(sheet, args.out)
    sys.stdout.write(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB, {sheet.width}x{sheet.height})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
