"""The dataset runner: shards, markers, drops, dedupe, resume after a kill, readers."""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from napkin.data import Context, Drop, LocalExecutor, RunOptions, iter_rows, run_job
from napkin.errors import ConfigError
from napkin.render import RenderOptions

pytestmark = pytest.mark.browser


class PagesJob:
    """Renders a tiny page per item; item 5 is dropped, items 7 and 8 render the same page."""

    name = "test-pages"

    def __init__(self, n: int = 10) -> None:
        self.n = n

    def config(self) -> dict[str, Any]:
        return {"n": self.n}

    def items(self) -> Sequence[int]:
        return list(range(self.n))

    def process(self, shard: int, items: Sequence[int], ctx: Context) -> Iterator[dict[str, Any] | Drop]:
        pages = {i: f"<h1>page {7 if i == 8 else i}</h1>" for i in items if i != 5}
        renders = ctx.renderer.render_many(list(pages.values()), RenderOptions(full_page=False))
        for i, r in zip(pages, renders, strict=True):
            yield {
                "id": f"p{i}", "sample_id": f"p{i}", "source": "test", "page_type": "t", "variant": "screenshot",
                "viewport": "desktop", "image": {"bytes": r.image, "path": None}, "width": r.width, "height": r.height,
                "html": pages[i], "layout": "{}", "tokens": "", "metadata": json.dumps({"shard": shard}),
                "boxes": [{"kind": e.tag, "x": e.x, "y": e.y, "w": e.w, "h": e.h, "text": e.text} for e in r.elements],
                "content_hash": hashlib.sha256(pages[i].encode()).hexdigest(),
            }
        if 5 in items:
            yield Drop("p5", "unlucky", "item five is always dropped")


class Interrupted(Exception):
    pass


class DiesAfter(LocalExecutor):
    """Runs `n` shards, then dies like a killed process, leaving a half-written file behind."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def map_shards(self, job, shards, out, options):  # type: ignore[no-untyped-def]
        for k, result in enumerate(super().map_shards(job, shards, out, options)):
            yield result
            if k + 1 == self.n:
                (out / "data" / "shard-00002.parquet.tmp").write_bytes(b"half a file")
                raise Interrupted


def contents(out: Path) -> list[tuple[Any, ...]]:
    return [(r["id"], r["image"]["bytes"], r["html"], r["content_hash"]) for r in iter_rows(out)]


def test_run_writes_shards_markers_drops_and_manifest(tmp_path):
    summary = run_job(PagesJob(), tmp_path / "ds", RunOptions(shard_size=3, progress=False, webdataset=True))
    assert (summary.shards, summary.rows) == (4, 8)
    assert summary.drops == {"unlucky": 1, "duplicate": 1}
    manifest = json.loads((tmp_path / "ds" / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["rows"] == 8 and manifest["config"]["n"] == 10
    assert len(list((tmp_path / "ds" / "markers").glob("*.done"))) == 4
    drops = [json.loads(line) for p in sorted((tmp_path / "ds" / "drops").glob("*.jsonl")) for line in p.read_text().splitlines()]
    assert {"id": "p8", "reason": "duplicate", "detail": "same content as p7"} in drops
    assert [r["id"] for r in iter_rows(tmp_path / "ds", ["id"])] == ["p0", "p1", "p2", "p3", "p4", "p6", "p7", "p9"]
    with tarfile.open(tmp_path / "ds" / "wds" / "shard-00000.tar") as tar:
        assert sorted(tar.getnames()) == sorted(f"p{i}.{ext}" for i in range(3) for ext in ("png", "html", "json"))
    from napkin.data._card import write_card

    card = write_card(tmp_path / "ds").read_text()
    assert "- rows: 8" in card
    assert ".invalid" not in card and "](http" not in card  # no links to addresses that do not exist


def test_killed_run_resumes_to_the_same_dataset(tmp_path):
    options = RunOptions(shard_size=3, progress=False)
    run_job(PagesJob(), tmp_path / "whole", options)
    with pytest.raises(Interrupted):
        run_job(PagesJob(), tmp_path / "killed", options, executor=DiesAfter(2))
    assert len(list((tmp_path / "killed" / "markers").glob("*.done"))) == 2
    resumed = run_job(PagesJob(), tmp_path / "killed", options)
    assert resumed.shards_run == 2
    assert contents(tmp_path / "killed") == contents(tmp_path / "whole")
    again = run_job(PagesJob(), tmp_path / "killed", options)
    assert again.shards_run == 0 and contents(tmp_path / "killed") == contents(tmp_path / "whole")


def test_a_different_config_in_the_same_folder_is_refused(tmp_path):
    run_job(PagesJob(4), tmp_path / "ds", RunOptions(shard_size=2, progress=False))
    with pytest.raises(ConfigError, match="different configuration"):
        run_job(PagesJob(6), tmp_path / "ds", RunOptions(shard_size=2, progress=False))


def test_loads_with_hugging_face_datasets(tmp_path):
    datasets = pytest.importorskip("datasets", reason="the data extra is not installed")
    run_job(PagesJob(4), tmp_path / "ds", RunOptions(shard_size=2, progress=False))
    ds = datasets.load_dataset("parquet", data_files=str(tmp_path / "ds" / "data" / "*.parquet"), split="train",
                               cache_dir=str(tmp_path / "cache"))
    assert ds.num_rows == 4
    row = ds[0]
    assert row["image"].size == (1280, 720)  # decoded to a PIL image by the declared feature
    assert row["boxes"][2]["kind"] == "h1" and row["boxes"][2]["text"] == "page 0"


@pytest.mark.browser
def test_progress_moves_page_by_page_within_a_shard_and_export_counts_rows(tmp_path, monkeypatch):
    """The bar once sat at 0 for a whole shard of 256 pages and jumped; export counted shards."""
    from napkin.data._export import ExportJob
    from napkin.data._pipeline import run_shard
    from napkin.data._synth_job import SynthJob

    calls: list[int] = []
    job = SynthJob(5, seed=3, variants=["screenshot"])
    ctx = Context()
    try:
        result = run_shard(job, 0, job.items(), tmp_path / "ds", RunOptions(progress=False), ctx, advance=calls.append)
    finally:
        ctx.close()
    assert result.items == 5 and calls == [1, 1, 1, 1, 1]

    export = ExportJob(tmp_path / "ds", tmp_path / "exp")
    assert export.items() == ["shard-00000.parquet"] and export.units(export.items()) == result.rows
    seen: list[int] = []
    run_shard(export, 0, export.items(), tmp_path / "exp", RunOptions(progress=False), Context(), advance=seen.append)
    assert sum(seen) == result.rows and len(seen) == result.rows

    totals = []
    import napkin.data._pipeline as pipeline

    real = pipeline.tqdm
    monkeypatch.setattr(pipeline, "tqdm", lambda **kw: totals.append((kw["total"], kw["unit"])) or real(**kw))
    run_job(SynthJob(3, seed=4, variants=["screenshot"]), tmp_path / "ds2", RunOptions(progress=False))
    assert totals == [(3, "page")]
