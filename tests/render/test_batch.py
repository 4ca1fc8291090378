"""`napkin render` on one page and on a folder: outputs, facts, resume."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from napkin.cli import main
from napkin.render import FakeRenderer, RenderLimits
from napkin.render._batch import FACTS_FILE, render_dir
from tests.conftest import image_size

pytestmark = pytest.mark.browser


def make_pages(folder, n=5):
    folder.mkdir(exist_ok=True)
    for i in range(n):
        (folder / f"p{i}.html").write_text(f"<h1>Page {i}</h1><p>body {i}</p>")
    (folder / "sub").mkdir(exist_ok=True)
    (folder / "sub" / "deep.html").write_text("<h2>deep</h2>")


def records(out):
    return [json.loads(line) for line in (out / FACTS_FILE).read_text().splitlines()]


def test_folder_renders_images_and_facts(renderer, tmp_path):
    make_pages(tmp_path / "in")
    summary = render_dir(renderer, tmp_path / "in", tmp_path / "out", progress=False)
    assert (summary.total, summary.done, summary.skipped) == (6, 6, 0)
    recs = {r["name"]: r for r in records(tmp_path / "out")}
    assert set(recs) == {"p0.html", "p1.html", "p2.html", "p3.html", "p4.html", "sub/deep.html"}
    assert image_size(tmp_path / "out" / "sub" / "deep.png") == (1280, 720)
    h1 = next(e for e in recs["p3.html"]["elements"] if e["tag"] == "h1")
    assert h1["text"] == "Page 3" and recs["p3.html"]["ok"]


def test_rerun_skips_done_pages_and_redoes_changed_or_lost_ones(renderer, tmp_path):
    make_pages(tmp_path / "in")
    render_dir(renderer, tmp_path / "in", tmp_path / "out", progress=False)
    again = render_dir(renderer, tmp_path / "in", tmp_path / "out", progress=False)
    assert (again.done, again.skipped) == (0, 6)
    (tmp_path / "in" / "p1.html").write_text("<h1>changed</h1>")
    (tmp_path / "out" / "p2.png").unlink()
    third = render_dir(renderer, tmp_path / "in", tmp_path / "out", progress=False)
    assert (third.done, third.skipped) == (2, 4)
    latest = {r["name"]: r for r in records(tmp_path / "out")}
    assert next(e["text"] for e in latest["p1.html"]["elements"] if e["tag"] == "h1") == "changed"


def test_a_run_killed_mid_line_resumes_without_holes(renderer, tmp_path):
    make_pages(tmp_path / "in")
    render_dir(renderer, tmp_path / "in", tmp_path / "out", progress=False)
    facts = tmp_path / "out" / FACTS_FILE
    lines = facts.read_bytes().splitlines(keepends=True)
    # As if killed while writing the fourth record: three whole lines and half of one.
    facts.write_bytes(b"".join(lines[:3]) + lines[3][: len(lines[3]) // 2])
    resumed = render_dir(renderer, tmp_path / "in", tmp_path / "out", progress=False)
    assert (resumed.done, resumed.skipped) == (3, 3)
    recs = records(tmp_path / "out")  # every line parses again
    assert len(recs) == 6 and len({r["name"] for r in recs}) == 6


def test_bad_input_is_recorded_and_not_retried(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.html").write_text("<p>" + "z" * 5000)
    (tmp_path / "in" / "ok.html").write_text("<p>fine</p>")
    fake = FakeRenderer(limits=RenderLimits(max_html_bytes=1000))
    first = render_dir(fake, tmp_path / "in", tmp_path / "out", progress=False)
    assert first.failures == {"too_large": 1}
    rec = next(r for r in records(tmp_path / "out") if r["name"] == "big.html")
    assert rec["failure"] == "too_large" and "over the" in rec["message"]
    second = render_dir(fake, tmp_path / "in", tmp_path / "out", progress=False)
    assert second.skipped == 2 and len(fake.calls) == 1  # the big page never reached the renderer


def test_cli_one_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<h1>cli</h1><img src='https://example.com/x.png'>")
    result = CliRunner().invoke(main, ["render", str(page), "-o", str(tmp_path / "page.png"), "--facts", str(tmp_path / "f.json")])
    assert result.exit_code == 0, result.output
    assert "1 network requests blocked" in result.output
    assert image_size(tmp_path / "page.png")[0] == 1280
    assert json.loads((tmp_path / "f.json").read_text())["blocked_requests"] == ["https://example.com/x.png"]


def test_cli_folder_and_mobile(tmp_path):
    make_pages(tmp_path / "in", 2)
    result = CliRunner().invoke(main, ["render", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--viewport", "mobile", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "rendered now           3" in result.output
    assert image_size(tmp_path / "out" / "p0.png") == (390, 844)


def test_cli_failure_is_a_clean_message(tmp_path):
    page = tmp_path / "loop.html"
    page.write_text("<script>while(true){}</script>")
    result = CliRunner().invoke(main, ["render", str(page), "--timeout", "1"])
    assert result.exit_code == 1
    assert "timeout" in result.output and "Traceback" not in result.output
    bad = CliRunner().invoke(main, ["render", str(page), "--viewport", "giant"])
    assert bad.exit_code == 1 and "unknown viewport 'giant'" in bad.output


def test_summary_counts_failures_apart_and_a_rerun_retries_timeouts_not_bad_input(tmp_path):
    make_pages(tmp_path / "in", 2)
    (tmp_path / "in" / "loop.html").write_text("<script>while(true){}</script>")
    (tmp_path / "in" / "big.html").write_text("<p>" + "z" * 1_200_000)  # over --max-html-mb 1
    args = ["render", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--timeout", "1", "--max-html-mb", "1", "--quiet"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "rendered now           3\n" in first.output  # p0, p1, sub/deep: not the two failures
    assert "failed, bad input      too_large: 1 (skipped by later runs)" in first.output
    assert "failed, retried        timeout: 1 (tried again by the next run)" in first.output
    second = CliRunner().invoke(main, args)
    assert "skipped (done before)  4" in second.output and "timeout: 1" in second.output  # the loop ran again
    third = CliRunner().invoke(main, [*args, "--restart"])
    assert "rendered now           3\n" in third.output and "skipped (done before)  0" in third.output


def test_cli_one_page_follows_the_extension_or_refuses(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<h1>format</h1>")
    ok = CliRunner().invoke(main, ["render", str(page), "-o", str(tmp_path / "a.jpg")])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "a.jpg").read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG, as the name says
    gif = CliRunner().invoke(main, ["render", str(page), "-o", str(tmp_path / "x.gif")])
    assert gif.exit_code == 2 and ".gif" in gif.output and not (tmp_path / "x.gif").exists()
    clash = CliRunner().invoke(main, ["render", str(page), "--format", "jpeg", "-o", str(tmp_path / "y.png")])
    assert clash.exit_code == 2 and "--format jpeg" in clash.output and not (tmp_path / "y.png").exists()
