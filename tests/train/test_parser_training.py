"""The layout parser on data the engine made: masks drawn from trees, loss falls, checkpoints reload in torch and ONNX."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from napkin.cli import main
from napkin.data import iter_rows
from napkin.model._tiles import layout_similarity_of_masks, predict_tiled, scale_to_width, window_starts
from napkin.train import TrainConfig, train
from napkin.train._parse_data import draw_masks, unpack

torch = pytest.importorskip("torch", reason="the train extra is not installed")
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_masks_follow_the_tree_and_its_classes():
    tree = {"kind": "page", "box": [0, 0, 100, 60], "children": [
        {"kind": "navbar", "box": [0, 0, 100, 10], "children": [{"kind": "link", "text": "Home", "box": [4, 2, 20, 6]}]},
        {"kind": "button", "text": "Go", "box": [10, 20, 20, 8]},
        {"kind": "divider", "box": [0, 40, 100, 0.5]},
        {"kind": "section", "box": [0, 10, 100, 50]},  # no class of its own
    ]}
    bits = unpack(draw_masks(tree, scale=1.0, rows=60, width=100))  # (6, 30, 50) at 2 px a cell
    text, image, button, nav, form, divider = bits
    assert nav[:5].all() and not nav[5:].any()
    assert text[1:4, 2:12].all() and text.sum() == 3 * 10  # the link: x 4-24, y 2-8 -> cells 2-12, 1-4
    assert button[10:14, 5:15].all() and button.sum() == 40
    assert divider[20].all() and divider.sum() == 50  # half a pixel tall: still one row of cells
    assert not image.any() and not form.any()


def test_windows_cover_a_tall_picture_and_stitch_back():
    assert window_starts(100, 96, 16) == [0, 4]
    assert window_starts(500, 96, 16) == [0, 80, 160, 240, 320, 400, 404]
    pixels = scale_to_width(np.full((1000, 200, 3), 200, np.uint8), 64)
    assert pixels.shape == (320, 64, 3)
    rows_seen = []

    def fake(windows):  # the same logit everywhere: stitching must neither lose nor double a row
        rows_seen.append(len(windows))
        return np.full((len(windows), 2, 48, 32), 3.0, np.float32)

    probs = predict_tiled(fake, pixels, window=96, stride=2, overlap=16)
    assert probs.shape == (2, 160, 32) and np.allclose(probs, 1 / (1 + np.exp(-3.0)))
    assert sum(rows_seen) == len(window_starts(320, 96, 16))
    same = np.zeros((2, 4, 4), bool)
    same[0, :2] = True
    assert layout_similarity_of_masks(same, same)[0] == 1.0
    assert layout_similarity_of_masks(np.zeros_like(same), np.zeros_like(same))[0] == 0.0
    half = same.copy()
    half[0, 1] = False
    assert layout_similarity_of_masks(half, same)[0] == 0.5


def test_tiny_parser_loss_falls_and_reloads_in_torch_and_onnx(synth_dataset, tmp_path):
    from napkin.model import load
    from napkin.model._onnx import OnnxParser
    from napkin.train._parser import ParserTask

    cfg = TrainConfig.from_file("parser-tiny", ["steps=40", "log_every=5"])
    task = ParserTask(cfg, synth_dataset, progress=False)
    assert {p.variant for p in task.data.pictures} == {"screenshot", "wireframe", "sketch"}
    val_pages = {task.data.pictures[i].sample_id for i in task.val_idx}
    assert val_pages and not val_pages & {task.data.pictures[i].sample_id for i in task.train_idx}
    report = train(task, cfg, tmp_path / "run", progress=False)
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    losses = [r["loss"] for r in history["train"]]
    assert len(losses) == 8 and np.mean(losses[-2:]) < np.mean(losses[:2]) - 0.1, losses
    last = history["eval"][-1]
    assert {"layout_screenshot", "layout_wireframe", "layout_sketch"} <= set(last) and 0 <= last["layout_screenshot"] <= 1

    pixels, _ = task.data.picture(int(task.val_idx[0]))
    model = task.build().eval()
    want = task.predict(model, pixels)
    reloaded, tiling = load(report["model"])
    assert (tiling.width, tiling.window) == (64, 96)
    np.testing.assert_allclose(task.predict(reloaded, pixels), want, atol=1e-5)
    onnx = OnnxParser(tmp_path / "run" / "ui-parse-tiny")
    assert onnx.classes == ["text", "image", "button", "navigation", "form_table", "divider"]
    np.testing.assert_allclose(predict_tiled(onnx.logits, pixels, 96, 2), want, atol=1e-4)


def test_cli_trains_the_parser_and_refuses_an_embedding_config(synth_dataset, tmp_path):
    run = CliRunner().invoke(main, ["train", "parser", "--config", "parser-tiny", "--data", str(synth_dataset),
                                    "-o", str(tmp_path / "p"), "--set", "steps=4", "--set", "eval_every=4", "--quiet"])
    assert run.exit_code == 0, run.output
    assert "layout_sketch" in run.output and (tmp_path / "p" / "ui-parse-tiny.parser.onnx").is_file()

    # The run's export drives `napkin generate --backend learned` on a picture of the dataset.
    row = next(r for r in iter_rows(synth_dataset) if r["variant"] == "sketch")
    picture = tmp_path / "sketch.png"
    picture.write_bytes(row["image"]["bytes"])
    stem = str(tmp_path / "p" / "ui-parse-tiny")
    made = CliRunner().invoke(main, ["generate", str(picture), "-o", str(tmp_path / "page.html"), "--backend", "learned",
                                     "--parser", stem, "--tree", str(tmp_path / "tree.json")])
    assert made.exit_code == 0, made.output
    assert "(learned, sketch," in made.output and "</html>" in (tmp_path / "page.html").read_text()
    assert json.loads((tmp_path / "tree.json").read_text())["kind"] == "page"
    missing = CliRunner().invoke(main, ["generate", str(picture), "--backend", "learned", "--parser", str(tmp_path / "nothing")])
    assert missing.exit_code != 0 and "no layout parser at" in missing.output and "napkin train parser" in missing.output
    mixed = CliRunner().invoke(main, ["generate", str(picture), "--parser", stem])
    assert mixed.exit_code != 0 and "--backend learned" in mixed.output
    wrong = CliRunner().invoke(main, ["train", "parser", "--config", "embedding-tiny", "--data", str(synth_dataset),
                                      "-o", str(tmp_path / "q")])
    assert wrong.exit_code != 0 and "napkin train embedding" in wrong.output
