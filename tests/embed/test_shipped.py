"""The shipped UI embedding, as a user meets it: the README's commands on pictures the data engine made.

The pages come from seed 11, which neither the training (seed 1) nor the held-out evaluation
(seeds 9001, 9002) uses. Runs without torch: onnxruntime for the image tower, numpy for the text tower.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from napkin.cli import main
from napkin.embed import load_default

pytestmark = [pytest.mark.browser]

PAGES = 16


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    root = tmp_path_factory.mktemp("shipped")
    synth = CliRunner().invoke(main, ["data", "synth", "--n", str(PAGES), "--seed", "11", "--viewports", "desktop",
                                      "--variants", "screenshot,sketch", "--out", str(root / "ds"), "--quiet"])
    assert synth.exit_code == 0, synth.output
    unpack = CliRunner().invoke(main, ["data", "unpack", str(root / "ds"), "-o", str(root / "bench")])
    assert unpack.exit_code == 0, unpack.output
    return root / "bench"


def _pictures(folder):
    return sorted(p for p in folder.iterdir() if p.suffix in (".png", ".jpg"))


def test_embed_score_and_search_with_the_shipped_model(bench):
    shot = _pictures(bench / "screenshots")[0]
    scored = CliRunner().invoke(main, ["embed", "score", str(shot), "a signup form", "a pricing page", "--json"])
    assert scored.exit_code == 0, scored.output
    rows = json.loads(scored.output)
    assert [r["text"] for r in rows] == ["a signup form", "a pricing page"]
    assert all(0.0 <= r["score"] <= 100.0 and -1.0 <= r["cosine"] <= 1.0 for r in rows)
    found = CliRunner().invoke(main, ["embed", "search", str(bench / "sketches"), "a page with a navigation bar", "--top", "5"])
    assert found.exit_code == 0, found.output
    listed = [line for line in found.stdout.splitlines() if ".jpg" in line or ".png" in line]
    assert len(listed) == 5


def test_shipped_model_finds_each_sketchs_screenshot(bench):
    """Sketch-to-screenshot retrieval among 16 unseen pages: the held-out R@1 is 0.84 among 1,000 (seed 9002), chance 1/16."""
    emb = load_default()
    shots, sketches = _pictures(bench / "screenshots"), _pictures(bench / "sketches")
    assert [p.stem for p in shots] == [p.stem for p in sketches] and len(shots) == PAGES
    a, b = emb.images(sketches), emb.images(shots)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    hits = int((np.argmax(a @ b.T, axis=1) == np.arange(PAGES)).sum())
    assert hits >= PAGES // 2, f"{hits} of {PAGES} sketches found their screenshot first"
