"""Instruction and QA export: valid formats, verified answers, loadable with datasets."""

from __future__ import annotations

import json
import random

import pytest

from napkin.data import RunOptions, iter_rows, run_job
from napkin.data._export import IMAGE_TOKEN, export
from napkin.data._ingest import IngestJob
from napkin.data._qa import QA, TEMPLATES, color_name, make_questions, verify
from napkin.layout import Node, Style

PAGE = """<html><body style="margin:0;font-family:'DejaVu Sans'">
<nav style="display:flex;gap:20px;padding:10px"><a href="#">Home</a><a href="#">Pricing</a><a href="#">Contact</a></nav>
<h1 style="color:#1d4ed8">Welcome to Acme</h1><p>We build things.</p>
<input type="email" placeholder="Your email"><button style="background:#dc2626;color:#ffffff">Subscribe</button>
<h2>Features</h2><ul><li>Fast</li><li>Cheap</li></ul><img src="x.png" width="200" height="100"><button>Learn more</button>
</body></html>"""


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    (root / "pages").mkdir()
    for i in range(6):
        (root / "pages" / f"p{i}.html").write_text(PAGE.replace("Acme", f"Acme {i}"))
    run_job(IngestJob([root / "pages"]), root / "ds", RunOptions(shard_size=3, progress=False))
    return root / "ds"


def test_every_template_answers_and_verifies_on_a_known_tree():
    tree = Node("page", box=(0, 0, 1280, 800), children=[
        Node("navbar", box=(0, 0, 1280, 50), children=[Node("link", "Home", box=(10, 10, 50, 20)), Node("link", "Docs", box=(80, 10, 50, 20))]),
        Node("heading", "Big title", box=(10, 80, 400, 40), attrs={"level": "1"}, style=Style(color="#1d4ed8")),
        Node("input", "Your email", box=(10, 150, 300, 36), attrs={"type": "email"}),
        Node("button", "Send", box=(10, 200, 80, 36), style=Style(background="#dc2626", color="#ffffff")),
    ])
    seen = set()
    for seed in range(200):
        for qa in make_questions(tree, random.Random(seed), 9):
            assert verify(tree, qa)
            seen.add(qa.template)
    assert seen == set(TEMPLATES)
    assert make_questions(tree, random.Random(0), 9)  # deterministic for a seed
    assert color_name("#1d4ed8") == "blue" and color_name("#dc2626") == "red"


def test_a_wrong_answer_is_rejected():
    tree = Node("page", children=[Node("heading", "Real", box=(0, 0, 100, 30), attrs={"level": "1"})])
    assert not verify(tree, QA("What does the main heading of the page say?", "Fake", "read_heading", {"node": 1}))
    assert not verify(tree, QA("q", "a", "no_such_template", {}))


@pytest.mark.browser
def test_export_formats_are_valid_and_answers_hold(dataset, tmp_path):
    s = export(dataset, tmp_path / "x", val_fraction=0.34, progress=False)
    assert s.kinds["code"] == 6 and s.kinds["qa"] == 6 and s.rejected_questions == 0
    assert len(s.templates) >= 6
    convs = json.loads((tmp_path / "x" / "llava" / "train.json").read_text()) + json.loads((tmp_path / "x" / "llava" / "val.json").read_text())
    assert len(convs) == 12
    for c in convs:
        assert set(c) == {"id", "image", "conversations"} and (tmp_path / "x" / c["image"]).is_file()
        turns = c["conversations"]
        assert [t["from"] for t in turns] == ["human", "gpt"] * (len(turns) // 2)
        assert turns[0]["value"].startswith(IMAGE_TOKEN + "\n")
        assert all(IMAGE_TOKEN not in t["value"] for t in turns[1:])
    # Every answer checked again, here, against the DOM facts of the page it came from.
    rows = {r["id"]: r for r in iter_rows(dataset)}
    audit = [json.loads(line) for line in (tmp_path / "x" / "qa.jsonl").read_text().splitlines()]
    assert len(audit) >= 12
    for a in audit:
        row = rows[a["row"]]
        tree = Node.from_json(json.loads(row["layout"]))
        assert verify(tree, QA(a["question"], a["answer"], a["template"], a["evidence"]))
        texts = [b["text"] for b in row["boxes"]]
        if a["template"] == "read_heading":
            assert a["answer"] in texts
        if a["template"] == "nav_items":
            assert a["answer"] == "Home, Pricing, Contact"
        if a["template"] == "count":
            kind = a["evidence"]["kind"]
            assert int(a["answer"]) == sum(1 for b in row["boxes"] if b["kind"] == kind)


@pytest.mark.browser
def test_trl_export_loads_with_datasets(dataset, tmp_path):
    datasets = pytest.importorskip("datasets", reason="the data extra is not installed")
    export(dataset, tmp_path / "x", formats=("trl",), val_fraction=0.0, progress=False)
    ds = datasets.load_dataset("parquet", data_files=str(tmp_path / "x" / "trl" / "train.parquet"), split="train",
                               cache_dir=str(tmp_path / "cache"))
    assert ds.num_rows == 12
    row = ds[0]
    assert row["images"][0].size[0] == 1280
    first = row["messages"][0]
    assert first["role"] == "user" and first["content"][0]["type"] == "image"
    assert row["messages"][1]["role"] == "assistant"


def _export_files(folder):
    """Every exported file's bytes, Parquet compared by content (its writer metadata may differ)."""
    import pyarrow.parquet as pq

    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir() or rel.startswith("parts/"):
            continue
        files[rel] = pq.read_table(path).to_pylist() if path.suffix == ".parquet" else path.read_bytes()
    return files


@pytest.mark.browser
def test_an_interrupted_export_resumes_to_the_same_files(dataset, tmp_path, monkeypatch):
    from napkin.data._export import ExportJob

    whole = tmp_path / "whole"
    export(dataset, whole, val_fraction=0.34, progress=False)
    assert not list((whole / "parts").glob("trl-*/*"))  # the second copy of the images is gone once complete

    # A run that dies in its second shard, after the first shard's files are written.
    process = ExportJob.process

    def dies_in_shard_one(self, shard, items, ctx):
        if shard == 1:
            raise KeyboardInterrupt
        yield from process(self, shard, items, ctx)

    resumed = tmp_path / "resumed"
    monkeypatch.setattr(ExportJob, "process", dies_in_shard_one)
    with pytest.raises(KeyboardInterrupt):
        export(dataset, resumed, val_fraction=0.34, progress=False)
    assert not (resumed / "export.json").exists()
    # Shard 0's conversations go to train or val by their sample's hash, and the ids hash the
    # ingested files' paths, which differ between runs: one split or both may hold a file.
    written = sorted((resumed / "parts").glob("llava-*/shard-00000.jsonl"))
    assert written
    first = written[0]
    first_mtime = first.stat().st_mtime_ns
    monkeypatch.setattr(ExportJob, "process", process)
    export(dataset, resumed, val_fraction=0.34, progress=False)
    assert first.stat().st_mtime_ns == first_mtime  # shard 0 was not redone
    assert _export_files(resumed) == _export_files(whole)
    with pytest.raises(Exception, match="other settings|different configuration"):
        export(dataset, resumed, val_fraction=0.5, progress=False)


@pytest.mark.browser
@pytest.mark.slow
def test_export_on_ray_writes_the_same_files_as_local(dataset, tmp_path):
    pytest.importorskip("ray", reason="the ray extra is not installed (pip install 'napkin-code[ray]')")
    from napkin.data._ray import RayExecutor

    export(dataset, tmp_path / "local", val_fraction=0.34, progress=False)
    export(dataset, tmp_path / "ray", val_fraction=0.34, progress=False, executor=RayExecutor(workers=2))
    local, ray = _export_files(tmp_path / "local"), _export_files(tmp_path / "ray")
    assert local == ray and len(local) > 10


@pytest.mark.browser
def test_synth_then_export_writes_code_qa_and_region_conversations(tmp_path):
    """The README's data example on pages the engine made (it once crashed on the synth theme)."""
    from click.testing import CliRunner

    from napkin.cli import main

    synth = CliRunner().invoke(main, ["data", "synth", "--n", "20", "--out", str(tmp_path / "synth"), "--seed", "0", "--quiet"])
    assert synth.exit_code == 0, synth.output
    result = CliRunner().invoke(main, ["data", "export", str(tmp_path / "synth"), "-o", str(tmp_path / "exp"), "--quiet"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "exp" / "export.json").read_text())
    kinds = summary["kinds"]
    assert kinds["code"] >= 20 and kinds["qa"] >= 10 and kinds["region"] >= 1, kinds
    rows = json.loads((tmp_path / "exp" / "llava" / "train.json").read_text())
    answers = [turn["value"] for r in rows for turn in r["conversations"] if turn["from"] == "gpt"]
    assert any(a.startswith("<!doctype html>") for a in answers)


def test_theme_from_json_refuses_what_to_json_never_wrote():
    from napkin.errors import InputError
    from napkin.layout import Theme

    theme = Theme(name="x", primary="#ff0000", radius=3)
    assert Theme.from_json(json.loads(json.dumps(theme.to_json()))) == theme
    with pytest.raises(InputError, match="JSON object"):
        Theme.from_json("ocean")
    with pytest.raises(InputError, match="unknown theme field"):
        Theme.from_json({"colour": "#fff"})
    with pytest.raises(InputError, match="radius"):
        Theme.from_json({"radius": "big"})
