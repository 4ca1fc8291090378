"""The shipped layout parser and `--backend learned`, on pages the data engine made with a seed
the parser never trained on (it trained on seed 1; these are seed 12)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from napkin.cli import main
from napkin.data import RunOptions, iter_rows, run_job
from napkin.data._synth_job import SynthJob
from napkin.model._onnx import OnnxParser
from napkin.model._tiles import layout_similarity_of_masks
from napkin.train._parse_data import draw_masks, unpack
from napkin.vision import DEFAULT_PARSER

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("learned") / "ds"
    summary = run_job(SynthJob(6, seed=12, variants=["screenshot", "sketch"]), out, RunOptions(shard_size=12, progress=False))
    assert summary.rows == 12
    return [r for r in iter_rows(out) if r["viewport"] == "desktop"]


def test_the_shipped_parser_finds_the_regions_of_unseen_pages(pages):
    parser = OnnxParser(DEFAULT_PARSER)
    assert parser.classes == ["text", "image", "button", "navigation", "form_table", "divider"]
    scores = {"screenshot": [], "sketch": []}
    for row in pages:
        image = Image.open(io.BytesIO(row["image"]["bytes"])).convert("RGB")
        scaled = parser.tiling(image)
        truth = unpack(draw_masks(json.loads(row["layout"]), parser.tiling.width / image.width, scaled.shape[0], parser.tiling.width))
        scores[row["variant"]].append(layout_similarity_of_masks(parser.probabilities(image) > 0.5, truth)[0])
    # On 60 held-out pages (benchmarks/parser_eval.py) it scores about 0.8; the classical reader about 0.4.
    assert np.mean(scores["screenshot"]) > 0.6 and np.mean(scores["sketch"]) > 0.5, scores


def test_generate_learned_writes_the_regions_the_page_has(pages, tmp_path):
    shots = [r for r in pages if r["variant"] == "screenshot"]
    with_nav = 0
    for i, row in enumerate(shots):
        picture = tmp_path / f"{i}.png"
        picture.write_bytes(row["image"]["bytes"])
        run = CliRunner().invoke(main, ["generate", str(picture), "-o", str(tmp_path / f"{i}.html"), "--backend", "learned"])
        assert run.exit_code == 0, run.output
        assert "(learned, screenshot," in run.output
        html = (tmp_path / f"{i}.html").read_text()
        kinds = {n["kind"] for n in _walk(json.loads(row["layout"]))}
        if "navbar" in kinds:
            with_nav += 1
            assert 'role="navigation"' in html or "<nav" in html, i
    assert with_nav, "no page of the sample had a navigation bar: pick another seed"


def _walk(node):
    yield node
    for child in node.get("children") or []:
        yield from _walk(child)
