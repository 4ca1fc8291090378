"""Which frozen text encoder the UI embedding should stand on: wordllama or all-MiniLM-L6-v2.

Both ship inside registry packages and load offline. The embedding trains a projection on top of
a frozen text tower, so the tower must already (a) put two phrasings of the same page close
together and (b) understand free text a player types, not only the generator's templates. This
script measures both, on synthetic pages the data engine described (their layout trees give the
facts), plus load time and encoding speed, in one run:

- paraphrase R@1: for each page, its plain description retrieves another phrasing of the same
  page among all pages' phrasings;
- free-text page type: hand-written prompts (below) matched to the pages' plain descriptions by
  cosine; correct when the nearest page has the prompt's page type (accuracy over prompts).

    python benchmarks/embedding_text_tower.py --data datasets/emb-heldout --pages 500
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from napkin.model._text import TEXT_TOWERS, load_text_tower

# Prompts a person might type, with the page type they mean (written here, not by the generator).
FREE_TEXT = [
    ("sign in screen with email and password fields", "login"),
    ("log into your account", "login"),
    ("create a new account form with name, email and password", "signup"),
    ("register here", "signup"),
    ("three subscription tiers with monthly prices", "pricing"),
    ("how much does it cost: basic, pro and enterprise plans", "pricing"),
    ("an online shop page selling one pair of shoes with a buy button", "product"),
    ("grid of items for sale with filters on the left", "listing"),
    ("enter your card details and shipping address", "checkout"),
    ("admin panel with charts and a table of recent orders", "dashboard"),
    ("analytics overview with KPIs", "dashboard"),
    ("change your password and notification preferences", "settings"),
    ("send us a message: name, email, message box", "contact"),
    ("a news article with a big title and long text", "blog_article"),
    ("list of recent posts from our blog", "blog_index"),
    ("API reference with a table of contents on the side", "docs"),
    ("a designer showing off her work", "portfolio"),
    ("meet our team and our story", "about"),
    ("oops, page not found", "error"),
    ("a startup homepage with a hero, features and testimonials", "landing"),
    ("an iphone app feed screen", "mobile_app"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="a `napkin data synth` dataset")
    ap.add_argument("--pages", type=int, default=500)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "embedding_text_tower.json")
    args = ap.parse_args()

    from napkin.train._cache import read_pages

    pages = read_pages(args.data, limit=args.pages)
    plain = [p.descriptions[0] for p in pages]
    other = [p.descriptions[1 + i % (len(p.descriptions) - 1)] for i, p in enumerate(pages)]
    types = [p.page_type for p in pages]
    rows = []
    for name in TEXT_TOWERS:
        t0 = time.perf_counter()
        tower = load_text_tower(name)
        tower.encode(["warm up"])
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        a = tower.encode(plain)
        b = tower.encode(other)
        rate = (len(plain) + len(other)) / (time.perf_counter() - t0)
        sim = b @ a.T
        r1 = float(np.mean(sim.argmax(1) == np.arange(len(pages))))
        q = tower.encode([t for t, _ in FREE_TEXT])
        nearest = (q @ a.T).argmax(1)
        acc = float(np.mean([types[j] == want for j, (_, want) in zip(nearest, FREE_TEXT, strict=True)]))
        rows.append({"tower": name, "dim": int(a.shape[1]), "paraphrase_r1": r1, "free_text_type_acc": acc,
                     "sentences_per_s": rate, "load_s": load_s, "needs_torch": tower.needs_torch})
    print(f"{len(pages)} pages from {args.data}")
    print(f"{'tower':12} {'dim':>4} {'paraphrase R@1':>15} {'free-text type acc':>19} {'sent/s':>8} {'load s':>7} torch")
    for r in rows:
        print(f"{r['tower']:12} {r['dim']:4d} {r['paraphrase_r1']:15.3f} {r['free_text_type_acc']:19.3f} {r['sentences_per_s']:8.0f} {r['load_s']:7.1f} {r['needs_torch']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"pages": len(pages), "data": str(args.data), "machine": platform.platform(),
                                    "cpus": __import__("os").cpu_count(), "rows": rows}, indent=2) + "\n")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
