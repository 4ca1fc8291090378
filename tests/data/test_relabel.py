"""Hindsight relabeling: renders become pairs with provenance; bad predictions are filtered."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from napkin.data import RunOptions, iter_rows, run_job
from napkin.data._relabel import RelabelJob, read_predictions
from napkin.errors import InputError
from napkin.render import RenderOptions

pytestmark = pytest.mark.browser

GOOD = "<html><body style='margin:0;font-family:DejaVu Sans'><h1>Shop</h1><p>Fresh bread daily</p><button>Order</button></body></html>"
GOOD2 = "<html><body style='margin:0;font-family:DejaVu Sans;background:#eef'><h2>About us</h2><p>Since 1990</p><a href='#'>More</a></body></html>"


def write_preds(path, preds):
    path.write_text("".join(json.dumps(p) + "\n" for p in preds))


def test_relabel_filters_and_keeps_provenance(tmp_path, renderer):
    targets = tmp_path / "targets"
    targets.mkdir()
    target_render = renderer.render(GOOD)
    (targets / "t1.png").write_bytes(target_render.image)
    preds = [
        {"image_id": "t1", "code": GOOD, "model": "m-a"},
        {"image_id": "t1", "code": GOOD.replace("<button>Order</button>", "<button>Order</button> "), "model": "m-b"},  # same picture
        {"image_id": "t2", "code": GOOD2, "model": "m-a"},
        {"image_id": "t3", "code": "<p>x</p><script>nope()</script>", "model": "m-a"},
        {"image_id": "t4", "code": "<html><body></body></html>", "model": "m-a"},
        {"image_id": "t5", "code": "just prose, no markup", "model": "m-a"},
        {"image_id": "t6", "code": "<div style='width:5000px'><h1>Far too wide</h1><p>to be a page</p></div>", "model": "m-a"},
        {"image_id": "t7", "code": "<p>one lonely line</p>", "model": "m-a"},
    ]
    write_preds(tmp_path / "preds.jsonl", preds)
    scored = []

    def scorer(a, b):
        scored.append((a.size, b.size))
        return 1.0 if a.tobytes() == b.tobytes() else 0.5

    summary = run_job(RelabelJob(tmp_path / "preds.jsonl", targets, scorer), tmp_path / "ds", RunOptions(shard_size=4, progress=False))
    assert summary.rows == 2
    assert summary.drops == {"duplicate": 1, "script_errors": 1, "blank": 1, "not_html": 1, "implausible": 2}
    rows = list(iter_rows(tmp_path / "ds"))
    meta = [json.loads(r["metadata"]) for r in rows]
    assert [(m["model"], m["image_id"], m["target_score"]) for m in meta] == [("m-a", "t1", 1.0), ("m-a", "t2", None)]
    assert all(r["source"] == "relabel" and r["html"] for r in rows)
    repairs = [json.loads(line) for line in (tmp_path / "ds" / "repairs" / "shard-00000.jsonl").read_text().splitlines()]
    assert repairs[0]["image_id"] == "t3" and "nope" in repairs[0]["page_errors"][0]


def test_relabeled_pairs_re_render_to_the_same_image(tmp_path, renderer):
    write_preds(tmp_path / "p.jsonl", [{"image_id": "a", "code": GOOD}, {"image_id": "b", "code": GOOD2}])
    run_job(RelabelJob(tmp_path / "p.jsonl", scorer=lambda a, b: 0.0), tmp_path / "ds", RunOptions(progress=False))
    for row in iter_rows(tmp_path / "ds"):
        again = renderer.render(row["html"], RenderOptions())
        a = Image.open(io.BytesIO(row["image"]["bytes"])).convert("RGB")
        b = Image.open(io.BytesIO(again.image)).convert("RGB")
        assert a.tobytes() == b.tobytes()


def test_malformed_prediction_files_name_the_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"image_id": "a", "code": "<p>x</p>"}\n{"image_id": "b"}\n')
    with pytest.raises(InputError, match="bad.jsonl:2"):
        read_predictions(tmp_path / "bad.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(InputError, match="no predictions"):
        read_predictions(tmp_path / "empty.jsonl")
