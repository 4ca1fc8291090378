"""Design2Code's metrics on real renders: identity, a blank page, and edits with known effects.

The edit tests use a page of absolutely positioned text blocks on a fixed 1280x720 canvas, so
that deleting, moving or recolouring one block changes nothing else, and each metric's new
value follows from its definition.
"""

from __future__ import annotations

import pytest

from napkin.score import Scorer, color_similarity, page_from_render, score_pair, text_blocks, text_similarity
from napkin.synth import sample_page

pytestmark = pytest.mark.browser

BLOCKS = {
    "a": ("40px", "40px", "#000000", "Napkin turns pictures into code"),
    "b": ("40px", "140px", "#000000", "Scores that people can read"),
    "c": ("600px", "300px", "#000000", "Design2Code metrics on real renders"),
    "d": ("100px", "500px", "#000000", "Layout, quality and judges"),
}


def canvas(blocks: dict[str, tuple[str, str, str, str]]) -> str:
    items = "".join(
        f'<p id={k} style="left:{x};top:{y};color:{c}">{t}</p>' for k, (x, y, c, t) in blocks.items()
    )
    return (
        "<!doctype html><html><head><style>body{margin:0;height:720px;position:relative;"
        "font:bold 24px 'DejaVu Sans';background:#fff} p{position:absolute;margin:0;white-space:nowrap}"
        f"</style></head><body>{items}</body></html>"
    )


def edited(**changes: dict[str, str] | None) -> str:
    blocks = dict(BLOCKS)
    for key, change in changes.items():
        if change is None:
            del blocks[key]
        else:
            x, y, c, t = blocks[key]
            blocks[key] = (change.get("x", x), change.get("y", y), change.get("color", c), change.get("text", t))
    return canvas(blocks)


@pytest.fixture(scope="module")
def scorer():
    return Scorer()


def five(s) -> tuple[float, ...]:
    d = s.design2code
    return (d.block_match, d.text, d.position, d.color, d.visual)


def test_a_page_scores_one_against_itself(renderer, scorer):
    s = score_pair(canvas(BLOCKS), canvas(BLOCKS), renderer=renderer, visual=scorer)
    assert five(s) == (1.0, 1.0, 1.0, 1.0, 1.0) and s.design2code.overall == 1.0
    assert s.layout.similarity == 1.0 and s.design2code.matched == 4


def test_a_whole_page_scores_one_against_itself_on_every_metric(renderer, scorer):
    html = sample_page(3, "landing").html()  # a full page from the data engine: navigation, hero, sections, footer
    s = score_pair(html, html, renderer=renderer, visual=scorer)
    assert five(s) == (1.0, 1.0, 1.0, 1.0, 1.0)
    assert s.design2code.overall == 1.0 and s.layout.similarity == 1.0
    assert s.design2code.matched == s.design2code.ref_blocks > 20


def test_a_blank_page_scores_near_zero(renderer, scorer):
    ref = sample_page(5, "landing").html()  # a page from the data engine with a coloured hero and pictures
    s = score_pair("<!doctype html><html><body></body></html>", ref, renderer=renderer, visual=scorer, responsive=False)
    d = s.design2code
    assert (d.block_match, d.text, d.position, d.color) == (0, 0, 0, 0) and d.pred_blocks == 0
    # With no text, Design2Code's overall score is the visual score over five: at most 0.2.
    assert d.overall == pytest.approx(d.visual / 5) and d.visual < 0.8
    assert s.layout.similarity == 0.0


def test_deleting_a_block_lowers_block_match_by_its_area(renderer, scorer):
    ref_render = renderer.render(canvas(BLOCKS))
    areas = {b.text: b.area for b in text_blocks(ref_render)}
    total, gone = sum(areas.values()), areas[BLOCKS["d"][3]]
    s = score_pair(edited(d=None), canvas(BLOCKS), renderer=renderer, visual=scorer, responsive=False)
    # Matched: both copies of a, b and c. All: those plus the reference's d.
    assert s.design2code.block_match == pytest.approx(2 * (total - gone) / (2 * total - gone), abs=1e-9)
    assert (s.design2code.text, s.design2code.position, s.design2code.color) == (1.0, 1.0, 1.0)
    assert s.details["missing_text"] == [BLOCKS["d"][3]]


def test_moving_a_block_lowers_position_by_the_shift(renderer, scorer):
    s = score_pair(edited(c={"x": "664px"}), canvas(BLOCKS), renderer=renderer, visual=scorer, responsive=False)
    # 64 px of a 1280 px page on one block of four: 1 - (64 / 1280) / 4.
    assert s.design2code.position == pytest.approx(1 - 0.05 / 4, abs=1e-9)
    assert (s.design2code.block_match, s.design2code.text, s.design2code.color) == (1.0, 1.0, 1.0)
    assert s.design2code.visual == 1.0  # the visual metric paints text out: moving text on white is invisible to it


def test_recolouring_a_block_lowers_color_by_its_ciede2000(renderer, scorer):
    s = score_pair(edited(b={"color": "#cc0000"}), canvas(BLOCKS), renderer=renderer, visual=scorer, responsive=False)
    expected = 1 - (1 - float(color_similarity([204, 0, 0], [0, 0, 0]))) / 4
    assert s.design2code.color == pytest.approx(expected, abs=1e-9)
    assert (s.design2code.block_match, s.design2code.text, s.design2code.position) == (1.0, 1.0, 1.0)


def test_rewording_a_block_lowers_text_by_its_similarity(renderer, scorer):
    new = "Napkin turns photos into code"
    s = score_pair(edited(a={"text": new}), canvas(BLOCKS), renderer=renderer, visual=scorer, responsive=False)
    assert s.design2code.text == pytest.approx((3 + text_similarity(new, BLOCKS["a"][3])) / 4, abs=1e-9)
    assert s.design2code.color == 1.0


def test_block_colours_are_read_from_the_pixels(renderer):
    html = canvas({"a": ("40px", "40px", "rgb(30, 120, 200)", "Blue words"),
                   "b": ("40px", "140px", "rgba(0, 0, 0, 0.5)", "Half black")})
    page = page_from_render(renderer.render(html))
    colors = {b.text: b.color for b in page.blocks}
    assert colors["Blue words"] == (30, 120, 200)
    # Half-transparent black on white is drawn as mid grey: the pixels, not the CSS value.
    assert colors["Half black"] in {(127, 127, 127), (128, 128, 128)}
