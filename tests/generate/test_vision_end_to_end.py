"""The embedded backend with the real napkin.vision: bad pictures through the CLI, a real screenshot."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from napkin.cli import main
from napkin.errors import InputError
from napkin.generate import LOG_FILE, generate
from tests.conftest import image_of
from tests.generate.pictures import EXPECTED, write_pictures


def test_folder_of_bad_pictures(tmp_path):
    src = write_pictures(tmp_path / "in")
    out = tmp_path / "pages"
    result = CliRunner().invoke(main, ["generate", str(src), "-o", str(out), "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    recs = {r["name"]: r for r in map(json.loads, (out / LOG_FILE).read_text().splitlines())}
    assert {name: rec["ok"] for name, rec in recs.items()} == EXPECTED
    assert any("blank" in w for w in recs["blank.png"]["warnings"])
    assert any("animated" in w for w in recs["animated.gif"]["warnings"])
    assert all(recs[n]["failure"] == "input" for n, ok in EXPECTED.items() if not ok)
    assert "20000x20000" in recs["bomb.png"]["message"] or "bomb" in recs["bomb.png"]["message"]


def test_single_bad_picture_through_the_api(tmp_path):
    (tmp_path / "x.png").write_bytes(b"GIF89a" + b"\x00" * 10)
    with pytest.raises(InputError):
        generate(tmp_path / "x.png")


@pytest.mark.browser
def test_a_rendered_screenshot_becomes_a_clean_page(renderer):
    page = """<!DOCTYPE html><html><body style="margin:0;font-family:'DejaVu Sans'">
    <header style="background:#1d2b53;color:#fff;padding:24px 40px"><h1 style="margin:0">Simple pricing</h1></header>
    <main style="padding:40px"><p style="font-size:20px">Choose the plan that fits your team.</p>
    <button style="font-size:18px;padding:12px 28px;background:#2563eb;color:#fff;border:0;border-radius:6px">Start free</button>
    </main></body></html>"""
    picture = image_of(renderer.render(page))
    result = generate(picture, kind="screenshot")
    assert result.backend == "embedded" and result.kind == "screenshot" and result.tree is not None
    text = " ".join(result.tree.texts())
    # OCR quality is napkin.vision's to test; here: the text of the page reaches the code.
    assert "choose the plan" in text.lower() and "Choose the plan" in result.html
    assert "position: absolute" not in result.html and "position:absolute" not in result.html
    again = renderer.render(result.html)
    assert again.ok and not again.page_errors
