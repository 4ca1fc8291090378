"""`evaluate` and the `napkin eval` / `napkin score` commands on small folders of real pages."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from napkin.cli import main
from napkin.errors import ConfigError, InputError
from napkin.render import RenderOptions
from napkin.score import EvalConfig, JudgeSettings, evaluate, find_pairs
from napkin.score._cache import RenderCache
from tests.score.test_design2code import BLOCKS, canvas, edited
from tests.score.test_judge import SCORES, ChatServer

pytestmark = pytest.mark.browser


@pytest.fixture
def folders(tmp_path: Path, renderer) -> tuple[Path, Path]:
    pred, ref = tmp_path / "pred", tmp_path / "ref"
    pred.mkdir()
    ref.mkdir()
    (ref / "same.html").write_text(canvas(BLOCKS))
    (pred / "same.html").write_text(canvas(BLOCKS))
    (ref / "moved.html").write_text(canvas(BLOCKS))
    (pred / "moved.html").write_text(edited(c={"x": "664px"}))
    (ref / "huge.html").write_text(canvas(BLOCKS))
    (pred / "huge.html").write_text("<p>x</p>" * 1_200_000)  # over the 8 MB limit: does not render
    shot = renderer.render(canvas(BLOCKS), RenderOptions(dom=False))
    (ref / "shot.png").write_bytes(shot.image)
    (pred / "shot.html").write_text(canvas(BLOCKS))
    (pred / "orphan.html").write_text("<p>no reference</p>")
    (ref / "unpredicted.html").write_text("<p>no prediction</p>")
    (pred / "asset.png").write_bytes(shot.image)  # an image beside HTML predictions is an asset, not a page
    (ref / "rick.jpg").write_bytes(shot.image)  # so is one beside HTML references (Design2Code's placeholder)
    return pred, ref


def test_pairs_by_name(folders):
    pred, ref = folders
    pairs, unpaired, unpredicted = find_pairs(pred, ref)
    assert [(p.name, p.ref.suffix) for p in pairs] == [("huge", ".html"), ("moved", ".html"), ("same", ".html"), ("shot", ".png")]
    assert unpaired == ["orphan"] and unpredicted == ["unpredicted"]
    (ref / "same.png").write_bytes((ref / "shot.png").read_bytes())
    assert {p.name: p.ref.suffix for p in find_pairs(pred, ref, "screenshot")[0]} == {"same": ".png", "shot": ".png"}
    with pytest.raises(InputError, match="matched by file name"):
        find_pairs(pred / "..", ref)


def test_evaluate_writes_every_output_and_resumes(folders, tmp_path, renderer):
    pred, ref = folders
    out = tmp_path / "report"
    cache = RenderCache(tmp_path / "cache")
    s = evaluate(pred, ref, out, renderer=renderer, cache=cache, progress=False)
    rows = {r["name"]: r for r in s.rows}
    assert s.scored_now == 4 and s.resumed == 0 and set(rows) == {"same", "moved", "huge", "shot"}
    assert rows["same"]["overall"] == 1.0 and rows["same"]["layout"] == 1.0
    assert rows["moved"]["position"] == pytest.approx(1 - 0.05 / 4, abs=1e-9)
    assert rows["huge"]["failure"].startswith("too_large") and rows["huge"]["overall"] == 0.0
    # A screenshot reference: the visual metric alone, with its text kept, and no overall score.
    assert rows["shot"]["mode"] == "screenshot" and rows["shot"]["overall"] is None
    assert rows["shot"]["visual"] > 0.99
    assert s.failures == 1 and s.unpaired_predictions == ["orphan"]

    page = json.loads((out / "pages" / "moved.json").read_text())
    assert page["visual_metric"] == "ms-ssim" and page["details"]["moved"][0]["shift"] == pytest.approx(0.05)
    with (out / "scores.csv").open() as f:
        assert len(list(csv.DictReader(f))) == 4
    summary = json.loads((out / "summary.json").read_text())
    assert summary["visual_metric"] == "ms-ssim, ms-ssim (text kept)" and summary["pages"] == 4
    report = (out / "report.html").read_text()
    assert "MS-SSIM on the inpainted pages, not CLIP" in report and report.count("<svg") >= 6
    assert report.count("data:image/jpeg;base64,") == 8 and "http" not in report.split("<body>")[1].split("data:")[0]
    assert report.index('id="p-huge"') < report.index('id="p-moved"') < report.index('id="p-same"')  # worst first
    table = s.table()
    assert "Block-Match" in table and "not CLIP" in table

    again = evaluate(pred, ref, out, renderer=renderer, cache=cache, progress=False)
    assert again.scored_now == 0 and again.resumed == 4 and again.rows == s.rows
    # A changed prediction is scored again; its reference comes from the cache.
    (pred / "moved.html").write_text(edited(c={"x": "728px"}))
    hits = cache.hits
    third = evaluate(pred, ref, out, renderer=renderer, cache=cache, progress=False)
    assert third.scored_now == 1 and cache.hits > hits
    assert {r["name"]: r for r in third.rows}["moved"]["position"] == pytest.approx(1 - 0.1 / 4, abs=1e-9)

    with pytest.raises(ConfigError, match="other settings"):
        evaluate(pred, ref, out, EvalConfig(responsive=False), renderer=renderer, progress=False)
    fresh = evaluate(pred, ref, out, EvalConfig(responsive=False), renderer=renderer, progress=False, restart=True)
    assert fresh.scored_now == 4 and {r["name"]: r for r in fresh.rows}["same"]["mobile_overflow_px"] is None


class Dies:
    """A renderer that stops the run after a few pages, as a kill would."""

    def __init__(self, inner, after: int) -> None:
        self.inner, self.after = inner, after

    @property
    def limits(self):
        return self.inner.limits

    def render(self, html, options=None):
        return self.inner.render(html, options)

    def render_many(self, items, options=None):
        for n, r in enumerate(self.inner.render_many(items, options)):
            if n == self.after:
                raise KeyboardInterrupt
            yield r

    def close(self) -> None:
        pass


def test_a_killed_run_continues_where_it_stopped(folders, tmp_path, renderer):
    pred, ref = folders
    out = tmp_path / "report"
    with pytest.raises(KeyboardInterrupt):
        evaluate(pred, ref, out, EvalConfig(responsive=False), renderer=Dies(renderer, after=4), progress=False)
    done = sorted(p.stem for p in (out / "pages").glob("*.json"))
    assert done == ["huge", "moved"]  # the first four renders: both pages of huge and of moved
    s = evaluate(pred, ref, out, EvalConfig(responsive=False), renderer=renderer, progress=False)
    assert s.resumed == 2 and s.scored_now == 2 and len(s.rows) == 4


def test_judge_and_qa_in_an_evaluation(folders, tmp_path, renderer):
    pred, ref = folders
    for name in ("huge", "shot"):
        (pred / f"{name}.html").unlink()
    server = ChatServer()
    try:
        server.reply(json.dumps(SCORES))
        server.reply("The pages look alike.")  # malformed: kept, reported, not a score
        questions = tmp_path / "q.jsonl"
        questions.write_text(json.dumps({"id": "1", "question": "Title?", "answer": "Napkin"}) + "\n")
        answers = tmp_path / "a.jsonl"
        answers.write_text(json.dumps({"id": "1", "answer": "napkin"}) + "\nnot json\n")
        config = EvalConfig(responsive=False, judge=JudgeSettings(server.url, "tiny-vlm"), judge_workers=1)
        s = evaluate(pred, ref, tmp_path / "report", config, renderer=renderer, progress=False, qa=(questions, answers))
    finally:
        server.close()
    judged = {r["name"]: r for r in s.rows}
    assert judged["moved"]["judge_overall"] == pytest.approx(sum(SCORES.values()) / 10)
    assert judged["same"]["judge_overall"] is None and "no JSON object" in judged["same"]["judge_error"]
    assert s.judge_errors == 1 and "judge replies that could not be used: 1" in s.table()
    page = json.loads((tmp_path / "report" / "pages" / "same.json").read_text())
    assert page["judge"]["raw"] == "The pages look alike."
    assert s.qa is not None and s.qa.accuracy == 1.0 and len(s.qa.problems) == 1
    assert "Judge reply not usable" in (tmp_path / "report" / "report.html").read_text()


def test_the_score_and_eval_commands(folders, tmp_path):
    pred, ref = folders
    result = CliRunner().invoke(main, ["score", str(pred / "moved.html"), str(ref / "moved.html"), "--no-responsive"])
    assert result.exit_code == 0, result.output
    assert "position 0.988" in result.output and "visual metric: ms-ssim" in result.output
    server = ChatServer()
    try:
        server.reply(json.dumps(SCORES))
        result = CliRunner().invoke(main, ["score", str(pred / "same.html"), str(ref / "shot.png"), "--json",
                                           "--judge-url", server.url, "--judge-model", "tiny-vlm"])
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["mode"] == "screenshot" and data["design2code"] is None
    assert data["quality"]["mobile_overflow_px"] > 600  # the canvas is 1280 px of fixed positions
    assert data["judge"]["overall"] == pytest.approx(sum(SCORES.values()) / 10)
    assert len(server.requests) == 1 and len(server.requests[0]["messages"][0]["content"]) == 3

    for name in ("huge", "shot"):
        (pred / f"{name}.html").unlink()
    out = tmp_path / "report"
    args = ["eval", "--pred", str(pred), "--ref", str(ref), "-o", str(out), "--no-cache", "--quiet", "--no-responsive"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "pages scored: 2 (2 now" in result.output and (out / "report.html").exists()
    result = CliRunner().invoke(main, [*args[:-1]])  # other settings: a clean one-line error
    assert result.exit_code == 1 and "other settings" in result.output and "Traceback" not in result.output


def test_render_cache_keys_belong_to_one_renderer(tmp_path):
    from napkin.render import FakeRenderer, RenderLimits, RenderOptions

    cache = RenderCache(tmp_path / "cache")
    with pytest.raises(RuntimeError, match="use"):
        cache.key(b"<p>x</p>", RenderOptions())
    cache.use(FakeRenderer())
    default = cache.key(b"<p>x</p>", RenderOptions())
    cache.use(FakeRenderer(limits=RenderLimits(javascript=False)))
    assert cache.key(b"<p>x</p>", RenderOptions()) != default  # other limits, other renders
    assert cache.key(b"<p>x</p>", RenderOptions(image_format="jpeg")) != cache.key(b"<p>x</p>", RenderOptions(image_format="jpeg", jpeg_quality=95))


def test_score_names_a_reference_that_is_no_picture_and_refuses_a_tiny_one(tmp_path):
    from PIL import Image

    (tmp_path / "pred.html").write_text("<p>x</p>")
    (tmp_path / "text.png").write_text("hello")
    Image.new("RGB", (1, 1)).save(tmp_path / "one.png")
    for name, message in (("text.png", "text.png is not an image Napkin can read"), ("one.png", "one.png is 1x1 px: too small")):
        result = CliRunner().invoke(main, ["score", str(tmp_path / "pred.html"), str(tmp_path / name)])
        assert result.exit_code == 1 and message in result.output and "BytesIO" not in result.output, result.output
