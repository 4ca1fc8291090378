"""`napkin data unpack`: a synthetic dataset as a Design2Code-style benchmark folder that generate and eval read."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from napkin.cli import main
from napkin.data import RunOptions, iter_rows, run_job
from napkin.data._synth_job import SynthJob
from napkin.data._unpack import unpack
from napkin.errors import InputError

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "ds"
    job = SynthJob(3, seed=11, variants=["screenshot", "wireframe", "sketch"], viewports=["desktop", "mobile"])
    assert run_job(job, out, RunOptions(shard_size=2, progress=False)).rows == 18
    return out


def test_the_readme_pipeline_on_an_unpacked_dataset(dataset, tmp_path):
    # The command's own example: synth (above), unpack, generate, eval.
    bench = tmp_path / "bench"
    r = CliRunner().invoke(main, ["data", "unpack", str(dataset), "-o", str(bench)])
    assert r.exit_code == 0, r.output
    assert "unpacked 3 screenshots, 3 sketches" in r.output
    rows = {(row["sample_id"], row["variant"]): row for row in iter_rows(dataset) if row["viewport"] == "desktop"}
    for sid in {s for s, _ in rows}:
        assert (bench / "screenshots" / f"{sid}.png").read_bytes() == rows[sid, "screenshot"]["image"]["bytes"]
        assert (bench / "screenshots" / f"{sid}.html").read_text() == rows[sid, "screenshot"]["html"]
        assert (bench / "sketches" / f"{sid}.jpg").read_bytes() == rows[sid, "sketch"]["image"]["bytes"]
        assert (bench / "sketches" / f"{sid}.html").read_text() == rows[sid, "sketch"]["html"]
    assert not (bench / "wireframes").exists()
    assert sorted(p.suffix for p in (bench / "screenshots").iterdir()) == [".html"] * 3 + [".png"] * 3
    assert sorted(p.name for p in bench.iterdir()) == ["screenshots", "sketches"]

    pages, report = tmp_path / "pages", tmp_path / "report"
    r = CliRunner().invoke(main, ["generate", str(bench / "screenshots"), "-o", str(pages), "--kind", "screenshot"])
    assert r.exit_code == 0, r.output
    assert sorted(p.stem for p in pages.glob("*.html")) == sorted({s for s, _ in rows})
    r = CliRunner().invoke(main, ["eval", "--pred", str(pages), "--ref", str(bench / "screenshots"), "-o", str(report)])
    assert r.exit_code == 0, r.output
    assert "pages scored: 3" in r.output, r.output
    assert (report / "report.html").is_file()


def test_every_viewport_and_a_limit(dataset, tmp_path):
    s = unpack(dataset, tmp_path / "b", ["wireframe"], viewport=None, limit=2)
    assert s.written == {"wireframe": 2}
    names = sorted(p.name for p in (tmp_path / "b" / "wireframes").glob("*.png"))
    assert len(names) == 2 and all(n.endswith(("-desktop.png", "-mobile.png")) for n in names)


def test_bad_input_is_a_clear_error(dataset, tmp_path):
    with pytest.raises(InputError, match="unknown variant photo"):
        unpack(dataset, tmp_path / "b", ["photo"])
    (tmp_path / "empty").mkdir()
    r = CliRunner().invoke(main, ["data", "unpack", str(tmp_path / "empty"), "-o", str(tmp_path / "b")])
    assert r.exit_code != 0 and "no dataset shards" in r.output and "Traceback" not in r.output
