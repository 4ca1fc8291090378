"""`napkin data synth`: a dataset that loads with `datasets`, and survives a real kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from napkin.data import RunOptions, iter_rows, run_job
from napkin.data._synth_job import SynthJob
from napkin.errors import ConfigError
from napkin.layout import Node, from_tokens

pytestmark = pytest.mark.browser


def contents(out):
    return [(r["id"], r["image"]["bytes"], r["html"], r["layout"], r["metadata"]) for r in iter_rows(out)]


def test_synth_dataset_rows_and_datasets_loading(tmp_path):
    datasets = pytest.importorskip("datasets", reason="the data extra is not installed")
    job = SynthJob(4, seed=7, variants=["screenshot", "wireframe", "sketch"], viewports=["desktop"])
    summary = run_job(job, tmp_path / "ds", RunOptions(shard_size=2, progress=False, webdataset=True))
    assert summary.rows == 12 and not summary.drops
    ds = datasets.load_dataset("parquet", data_files=str(tmp_path / "ds" / "data" / "*.parquet"), split="train",
                               cache_dir=str(tmp_path / "cache"))
    assert sorted(set(ds["variant"])) == ["screenshot", "sketch", "wireframe"]
    row = ds[0]
    assert row["image"].size == (row["width"], row["height"])
    tree = Node.from_json(json.loads(row["layout"]))
    assert tree.kind == "page" and all(n.box is not None for n in tree.walk())
    assert from_tokens(row["tokens"]).signature() == tree.signature()  # tokens are the same tree without boxes
    meta = json.loads(row["metadata"])
    assert meta["variant"] == row["variant"] and "theme" in meta and "skin" in meta
    assert (tmp_path / "ds" / "wds" / "shard-00000.tar").is_file()
    manifest = json.loads((tmp_path / "ds" / "manifest.json").read_text())
    assert manifest["config"]["seed"] == 7 and manifest["counts"]["variant"] == {"screenshot": 4, "sketch": 4, "wireframe": 4}


def test_killed_synth_run_resumes_to_the_same_dataset(tmp_path):
    args = ["--n", "8", "--seed", "3", "--variants", "screenshot,sketch", "--viewports", "desktop", "--shard-size", "2", "--quiet"]
    whole = run_job(SynthJob(8, 3, ["screenshot", "sketch"], ["desktop"]), tmp_path / "whole", RunOptions(shard_size=2, progress=False))
    assert whole.rows == 16
    cmd = [sys.executable, "-m", "napkin.cli", "data", "synth", *args, "--out", str(tmp_path / "killed")]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    markers = tmp_path / "killed" / "markers"
    while time.time() < deadline and not (markers.exists() and any(markers.glob("*.done"))):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI, its driver and its browser, mid-run
    proc.wait()
    done = len(list(markers.glob("*.done")))
    assert 1 <= done < 4, "the run was not killed in the middle"
    resumed = run_job(SynthJob(8, 3, ["screenshot", "sketch"], ["desktop"]), tmp_path / "killed", RunOptions(shard_size=2, progress=False))
    assert resumed.shards_run == 4 - done
    assert contents(tmp_path / "killed") == contents(tmp_path / "whole")


def test_bad_settings_are_refused():
    with pytest.raises(ConfigError, match="unknown variants"):
        SynthJob(3, variants=["photo"])
    with pytest.raises(ConfigError):
        SynthJob(0)


def test_a_run_resumed_after_skins_changed_is_refused(tmp_path, monkeypatch):
    # Pictures drawn by two versions of the skins must not end up in one dataset.
    import napkin.synth

    run_job(SynthJob(2, 0, ["sketch"], ["desktop"]), tmp_path / "ds", RunOptions(shard_size=2, progress=False))
    monkeypatch.setattr(napkin.synth, "SKIN_VERSION", napkin.synth.SKIN_VERSION + 1)
    with pytest.raises(ConfigError, match="skin_version"):
        run_job(SynthJob(2, 0, ["sketch"], ["desktop"]), tmp_path / "ds", RunOptions(shard_size=2, progress=False))


def test_a_typo_in_viewports_fails_before_anything_is_written(tmp_path):
    from click.testing import CliRunner

    from napkin.cli import main

    out = tmp_path / "ds"
    bad = CliRunner().invoke(main, ["data", "synth", "--n", "2", "--viewports", "huge", "--out", str(out), "--quiet"])
    assert bad.exit_code != 0 and "unknown viewport 'huge'" in bad.output and "Traceback" not in bad.output
    assert not out.exists()  # no manifest to refuse the corrected command
    bad_ingest = CliRunner().invoke(main, ["data", "ingest", str(tmp_path), "--viewports", "desktop,hueg", "--out", str(out)])
    assert bad_ingest.exit_code != 0 and "unknown viewport 'hueg'" in bad_ingest.output and not out.exists()
    good = CliRunner().invoke(main, ["data", "synth", "--n", "2", "--viewports", "mobile", "--variants", "screenshot",
                                     "--out", str(out), "--quiet"])
    assert good.exit_code == 0, good.output
