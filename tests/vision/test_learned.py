"""The learned detector's half that needs no weights: probability maps to regions, regions joined to
the classical detections, and what the layout stage makes of them, on a page Chromium rendered."""

from __future__ import annotations

import numpy as np
import pytest

from napkin.layout import emit_html
from napkin.score._layout import layout_boxes
from napkin.vision import ClassicalDetector, Detection, Line, Region, Word, analyze
from napkin.vision._learned import combine, regions_of
from tests.conftest import image_of

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html><body style="margin:0;font:20px DejaVu Sans,sans-serif;color:#1f2328;background:#fff">
<div id="nav" style="display:flex;gap:64px;padding:24px 48px"><span>Home</span><span>Pricing</span><span>Contact</span></div>
<div style="padding:48px"><span id="cta" style="display:inline-block;padding:12px 24px">Subscribe</span></div>
<div id="form" style="padding:24px 48px">
  <div style="width:360px;height:40px;border:1px solid #666;margin:0 0 16px"></div>
  <div style="width:360px;height:40px;border:1px solid #666"></div>
</div>
<div style="height:200px"></div>
</body></html>"""


def test_regions_are_connected_cells_of_one_class_in_picture_pixels():
    probs = np.zeros((6, 40, 64), np.float32)  # text, image, button, navigation, form_table, divider
    probs[2, 10:14, 4:12] = 0.9  # a button, 4 x 8 cells
    probs[2, 30, 30] = 0.9  # one cell: noise, too small to keep
    probs[1, 20:30, 40:60] = 0.3  # under the threshold
    classes = ["text", "image", "button", "navigation", "form_table", "divider"]
    regions = regions_of(probs, classes, cell=10.0)
    assert [(r.cls, r.box) for r in regions] == [("button", (40.0, 100.0, 80.0, 40.0))]
    assert regions[0].score == pytest.approx(0.9)
    assert regions_of(probs, classes, cell=10.0, thresholds={"image": 0.25})[0].cls == "image"


def test_a_panel_the_parser_calls_a_button_becomes_one():
    panel = Detection("panel", (100, 100, 300, 120), color="#eeeeee")
    out = combine([panel], [Region("button", (96, 104, 300, 116), 0.8)], [], "screenshot")
    assert out[0].hint == "button" and panel.hint is None  # the input is not changed
    assert len(out) == 1


def test_text_regions_split_into_lines_and_wordless_bars_become_placeholder_text():
    probs = np.zeros((6, 60, 64), np.float32)
    probs[0, 10:13, 4:40] = 0.9  # two lines of one paragraph, joined by a thin bridge
    probs[0, 13:15, 4:6] = 0.9
    probs[0, 15:18, 4:30] = 0.9
    classes = ["text", "image", "button", "navigation", "form_table", "divider"]
    lines = [(r.box) for r in regions_of(probs, classes, cell=10.0)]
    assert lines == [(40.0, 100.0, 360.0, 30.0), (40.0, 150.0, 260.0, 30.0)]

    # A sketch: a filled bar where a heading is, no words read in it; and a line nothing found.
    bar = Detection("panel", (40, 100, 350, 28), color="#777777")
    regions = [Region("text", (40, 100, 360, 30), 0.9), Region("text", (40, 300, 300, 20), 0.9)]
    out = [d for d in combine([bar], regions, [], "sketch") if d.cls != "text_region"]
    assert [(d.cls, d.box) for d in out] == [("squiggle", (40, 100, 350, 28)), ("squiggle", (40, 300, 300, 20))]
    # In a screenshot (or a wireframe's grey bars) no words are made up: placeholder words match
    # nothing on the page, and cost more Block-Match than they give layout.
    # Nor are text regions given to the layout there (OCR places a screenshot's words exactly).
    assert [d.cls for d in combine([bar], regions, [], "screenshot")] == ["panel"]
    # Where OCR read words, the bar is left alone and no placeholder is added.
    words = [Line([Word("Pricing", (45, 104, 90, 20), 95.0)], (45, 104, 90, 20))]
    kept = combine([bar], [Region("text", (40, 100, 360, 30), 0.9)], words, "sketch")
    assert [d.cls for d in kept] == ["panel", "text_region"]


class PerfectParser:
    """A Detector: the classical detections joined to regions taken from the page's own DOM."""

    takes_panels = True

    def __init__(self, regions: list[Region]) -> None:
        self.regions = regions

    def detect(self, rgb: np.ndarray, lines: list[Line], kind, panels=None) -> list[Detection]:
        return combine(ClassicalDetector().detect(rgb, lines, kind, panels), self.regions, lines, kind)


def test_navigation_forms_and_bare_buttons_reach_the_page(renderer):
    shot = renderer.render(PAGE)
    boxes = {el.attrs.get("id"): (el.x, el.y, el.w, el.h) for el in shot.elements if el.attrs.get("id")}
    regions = [Region("navigation", boxes["nav"], 0.9), Region("button", boxes["cta"], 0.9), Region("form_table", boxes["form"], 0.9)]

    plain = analyze(image_of(shot), kind="screenshot")
    plain_html = emit_html(plain.tree, plain.theme)
    assert 'role="navigation"' not in plain_html and "<form" not in plain_html and "<button" not in plain_html

    learned = analyze(image_of(shot), kind="screenshot", detectors=[PerfectParser(regions)])
    html = emit_html(learned.tree, learned.theme)
    assert "Subscribe</button>" in html
    form = html[html.index("<form"):html.index("</form>")]
    assert form.count("<input") == 2

    # Rendered, the page has the classes Sketch2Code's layout metric looks for, where they were,
    # and the navigation element holds the three links.
    page = renderer.render(html)
    found = layout_boxes(page)
    assert len(found["navigation"]) == 1 and found["form_table"] and found["button"]
    nav = next(el for el in page.elements if el.attrs.get("role") == "navigation")
    for word in ("Home", "Pricing", "Contact"):
        el = next(el for el in page.elements if el.text == word)
        assert nav.x <= el.x and el.x + el.w <= nav.x + nav.w and nav.y <= el.y and el.y + el.h <= nav.y + nav.h, word
    assert abs(nav.y - boxes["nav"][1]) <= 16 and abs(nav.y + nav.h - boxes["nav"][1] - boxes["nav"][3]) <= 16
