"""Training the embedding for real on data the engine made: loss falls, runs resume, checkpoints reload."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from click.testing import CliRunner

from napkin.cli import main
from napkin.errors import ConfigError
from napkin.train import TrainConfig, train

torch = pytest.importorskip("torch", reason="the train extra is not installed")
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _task(cfg, data):
    from napkin.train import ContrastiveTask

    return ContrastiveTask(cfg, data, progress=False)


def test_tiny_training_loss_falls_and_checkpoint_reloads_in_torch_and_onnx(synth_dataset, tmp_path):
    from napkin.embed import load_embedder
    from napkin.model import OnnxEmbedding, load

    cfg = TrainConfig.from_file("embedding-tiny", ["steps=40", "log_every=5"])
    task = _task(cfg, synth_dataset)
    report = train(task, cfg, tmp_path / "run", progress=False)
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    losses = [r["loss"] for r in history["train"]]
    assert len(losses) == 8 and np.mean(losses[-2:]) < np.mean(losses[:2]) - 0.1, losses
    assert history["eval"] and (tmp_path / "run" / "curves.png").stat().st_size > 5000

    trained = task.build().eval()
    pixels = task.pages.pixels[:6, 0]
    feats = task.features[:6, 0]
    with torch.no_grad():
        want_img = trained.image(torch.from_numpy(pixels)).numpy()
        want_txt = trained.text(torch.from_numpy(feats)).numpy()
    reloaded, prep = load(report["model"])
    assert (prep.width, prep.height) == (48, 64)
    with torch.no_grad():
        np.testing.assert_array_equal(reloaded.image(torch.from_numpy(pixels)).numpy(), want_img)
    onnx = OnnxEmbedding(tmp_path / "run" / "ui-embed-tiny")
    np.testing.assert_allclose(onnx.images(pixels), want_img, atol=1e-5)
    np.testing.assert_allclose(onnx.texts(feats), want_txt, atol=1e-5)
    emb = load_embedder(tmp_path / "run" / "ui-embed-tiny.json")
    v = emb.texts(["a login page", "a pricing page with three plans"])
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert 0.0 <= emb.score(pixels[0], "a login page") <= 100.0


def test_resumed_run_ends_where_an_uninterrupted_one_does(synth_dataset, tmp_path):
    cfg = TrainConfig.from_file("embedding-tiny", ["steps=12", "checkpoint_every=100", "eval_every=6"])
    whole = _task(cfg, synth_dataset)
    train(whole, cfg, tmp_path / "whole", progress=False)

    def interrupt(step, _metrics):
        raise KeyboardInterrupt  # as Ctrl-C would, right after the evaluation at step 6

    stopped = train(_task(cfg, synth_dataset), cfg, tmp_path / "split", progress=False, on_eval=interrupt)
    assert stopped == {"step": 6, "stopped": True, "out": str(tmp_path / "split")}
    resumed = _task(cfg, synth_dataset)
    train(resumed, cfg, tmp_path / "split", progress=False)
    a, b = whole.build().state_dict(), resumed.build().state_dict()
    for key in a:
        torch.testing.assert_close(a[key], b[key], msg=key)


def test_a_killed_training_process_resumes_from_its_checkpoint(synth_dataset, tmp_path):
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "napkin.cli", "train", "embedding", "--config", "embedding-tiny", "--data", str(synth_dataset),
           "-o", str(out), "--set", "steps=400", "--set", "checkpoint_every=5", "--set", "eval_every=1000", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 240
    while not (out / "checkpoint.pt").exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate()
    assert (out / "checkpoint.pt").exists(), err.decode()
    step_at_kill = torch.load(out / "checkpoint.pt", weights_only=False)["step"]
    assert 0 < step_at_kill < 400
    result = CliRunner().invoke(main, ["train", "embedding", "--config", "embedding-tiny", "--data", str(synth_dataset),
                                                         "-o", str(out), "--set", "steps=40", "--set", "checkpoint_every=5",
                                                         "--set", "eval_every=1000", "--quiet"])
    # fewer steps than already done is fine: the run is complete and only finishes (exports)
    assert result.exit_code == 0, result.output
    assert torch.load(out / "checkpoint.pt", weights_only=False)["step"] == max(40, step_at_kill)
    assert (out / "model.pt").exists() and (out / "ui-embed-tiny.image.onnx").exists()


def test_a_run_folder_refuses_other_settings(synth_dataset, tmp_path):
    cfg = TrainConfig.from_file("embedding-tiny", ["steps=2", "eval_every=100"])
    train(_task(cfg, synth_dataset), cfg, tmp_path / "run", progress=False)
    other = TrainConfig.from_file("embedding-tiny", ["steps=4", "lr=0.01"])
    with pytest.raises(ConfigError, match="lr"):
        train(_task(other, synth_dataset), other, tmp_path / "run", progress=False)
    report = train(_task(other, synth_dataset), other, tmp_path / "run", restart=True, progress=False)
    assert report["step"] == 4


def test_config_from_file_and_set():
    cfg = TrainConfig.from_file("embedding-tiny", ["lr=0.01", "model_overrides.embed_dim=16", "model=ui-embed-s"])
    assert cfg.lr == 0.01 and cfg.model_overrides == {"embed_dim": 16} and cfg.model == "ui-embed-s" and cfg.steps == 30
    with pytest.raises(ConfigError, match="unknown setting 'lrate'"):
        TrainConfig.from_file(None, ["lrate=1"])
    with pytest.raises(ConfigError, match="expects int"):
        TrainConfig.from_file(None, ["steps=many"])
    with pytest.raises(ConfigError, match="no config file"):
        TrainConfig.from_file("no-such-config")
    with pytest.raises(ConfigError, match="batch_size"):
        TrainConfig.from_file(None, ["batch_size=1"])


def test_train_and_embed_commands_end_to_end(synth_dataset, tmp_path):
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["train", "embedding", "--config", "embedding-tiny", "--data", str(synth_dataset), "-o", str(out),
                                       "--set", "steps=10", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "sketch_to_screenshot_r1" in result.output and (out / "ui-embed-tiny.json").exists()
    # pictures out of the dataset, as files: what a user would point the commands at
    import pyarrow.parquet as pq

    folder = tmp_path / "pictures"
    folder.mkdir()
    rows = pq.read_table(next((synth_dataset / "data").glob("*.parquet")), columns=["id", "variant", "image"]).to_pylist()
    for row in rows[:6]:
        (folder / f"{row['id']}.png").write_bytes(row["image"]["bytes"])
    (folder / "broken.png").write_bytes(b"not a picture")
    picture = sorted(folder.glob("*screenshot*.png"))[0]
    scored = CliRunner().invoke(main, ["embed", "score", str(picture), "a login page", "--model", str(out / "ui-embed-tiny")])
    assert scored.exit_code == 0, scored.output
    assert 0.0 <= float(scored.output.strip()) <= 100.0
    many = CliRunner().invoke(main, ["embed", "score", str(picture), "a login page", "a blog", "--json", "--model", str(out / "ui-embed-tiny")])
    assert [r["text"] for r in json.loads(many.output)] == ["a login page", "a blog"]
    found = CliRunner().invoke(main, ["embed", "search", str(folder), "a pricing page", "--top", "3", "--json",
                                      "--model", str(out / "ui-embed-tiny")])
    assert found.exit_code == 0, found.output
    lines = [json.loads(x) for x in found.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 3 and lines[0]["cosine"] >= lines[1]["cosine"] >= lines[2]["cosine"]
    assert "skipped" in found.stderr and "broken.png" in found.stderr
