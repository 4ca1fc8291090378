"""Code quality: parse errors, positioning, semantics, requests and the responsive check."""

from __future__ import annotations

import re

import pytest

from napkin.score import code_quality, parse_errors, repetition_cut
from napkin.score._pair import MOBILE

pytestmark = pytest.mark.browser


def test_clean_markup_has_no_parse_errors():
    html = """<!doctype html><html><head><title>x</title></head><body>
    <ul><li>one<li>two</ul><p>para<p>another<table><tr><td>a<td>b</table><br><img src=x></body></html>"""
    assert parse_errors(html) == (0, [])


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<html><body><p>x</p></body></html>", "no <!DOCTYPE html>"),
        ("<!doctype html><div><span>x</div>", "<span> is not closed before </div>"),
        ("<!doctype html><div>x</div></section>", "</section> closes nothing"),
        ("<!doctype html><div>x", "not closed at the end: <div>"),
        ("<!doctype html><div/><p>x</p>", "<div/> is not self-closing"),
        ('<!doctype html><a href="a" href="b">x</a>', "repeats attribute href"),
        ("<!doctype html><p>x</p></img>", "</img>: <img> has no end tag"),
    ],
)
def test_parse_errors_are_found_and_located(html, message):
    n, messages = parse_errors(html)
    assert n >= 1 and any(message in m for m in messages), messages
    assert messages[0].startswith("line 1:")


GOOD = """<!doctype html><html><head><meta name=viewport content="width=device-width"></head><body>
<header><nav><a href="#">Home</a></nav></header><main><h1>Title</h1><p>Some text that wraps on a phone.</p></main>
<footer><p>Footer</p></footer></body></html>"""

BAD = """<!doctype html><html><head><link rel=stylesheet href="https://cdn.example.com/x.css"></head><body style="margin:0">
<div style="width:1000px;height:60px"><div style="position:absolute;left:10px;top:10px">Overlapping words here</div>
<div style="position:absolute;left:14px;top:12px">Other words on top</div></div>
<img src="https://images.example.com/a.png" width=100 height=50></body></html>"""


def test_a_clean_page_and_a_messy_one(renderer):
    good = code_quality(GOOD, renderer.render(GOOD), renderer.render(GOOD, MOBILE))
    assert good.parse_errors == 0 and good.render_errors == 0 and good.external_requests == 0
    assert good.absolute_share == 0 and good.semantic_share == 1.0
    assert good.mobile_overflow_px == 0 and good.mobile_overlaps == 0
    assert good.dom_depth >= 4 and good.dom_size >= 10

    bad = code_quality(BAD, renderer.render(BAD), renderer.render(BAD, MOBILE))
    assert bad.external_requests == 2  # the stylesheet and the image, both blocked by the sandbox
    assert bad.absolute_share == pytest.approx(2 / 4)  # of div, div, div, img
    assert bad.semantic_share == pytest.approx(1 / 4)
    assert bad.mobile_overflow_px == pytest.approx(1000 - 390, abs=1)
    assert bad.mobile_overlaps == 1
    assert any("network request blocked" in m for m in bad.messages)


def test_script_errors_count_as_render_errors(renderer):
    html = "<!doctype html><p>x</p><script>undefinedFunction()</script>"
    q = code_quality(html, renderer.render(html))
    assert q.render_errors == 1 and q.mobile_overflow_px is None


def test_repetition_cut_finds_where_a_loop_starts():
    # The Design2Code benchmark cuts a page whose tag-free text has five alike 100-character
    # pieces; a page of distinct prose stays whole, a model that loops is cut where it began.
    prose = " ".join(f"Sentence {i} tells of {w} things." for i, w in enumerate("red green blue old new big small far near odd".split()))
    page = f"<html><body><p>{prose}</p>" + "<p>Same line again and again, the model is looping here. </p>" * 40 + "</body></html>"
    cut = repetition_cut(page)
    intro = len(re.sub("<.*?>", "", page.split("<p>Same")[0]))
    assert cut is not None and intro - 100 < cut <= intro + 100
    assert repetition_cut(f"<html><body><p>{prose}</p></body></html>") is None
    # Tags are not text: the same markup with different words inside is not a loop.
    rows = "".join(f'<div class="row"><a href="/{w}">{w.title()} {i * 7919 % 1000}</a></div>' for i, w in enumerate(prose.split()))
    assert repetition_cut(rows) is None
