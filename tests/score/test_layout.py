"""Sketch2Code's layout similarity: classes, exact region IoU, area weighting."""

from __future__ import annotations

import pytest

from napkin.render import Element
from napkin.score import element_classes, layout_similarity
from napkin.score._layout import region_iou

pytestmark = pytest.mark.browser


def el(tag: str, text: str = "", **attrs: str) -> Element:
    black = (0, 0, 0, 1.0)
    return Element(0, -1, "/x", tag, 0, 0, 10, 10, text, [], black, black, 16, 400, "", "", 0, black, 0, "block", "static", 1, attrs)


def test_element_classes():
    assert element_classes(el("p", "Hello")) == ["text"]
    assert element_classes(el("img")) == ["image"]
    assert element_classes(el("button", "Go")) == ["button"]
    assert element_classes(el("input", type="submit")) == ["button"]
    assert element_classes(el("a", "Buy", role="button")) == ["button"]
    assert element_classes(el("nav")) == ["navigation"]
    assert element_classes(el("ul", **{"class": "menu main"})) == ["navigation"]
    assert element_classes(el("table")) == ["form_table"]
    assert element_classes(el("hr")) == ["divider"]
    assert element_classes(el("div", **{"class": "section-divider"})) == ["divider"]
    assert element_classes(el("video")) == ["video"]
    assert element_classes(el("div")) == []


def test_region_iou_is_exact_for_unions_of_boxes():
    # Two overlapping boxes count once: union 0.5 x 0.5 minus nothing.
    a = [(0.0, 0.0, 0.5, 0.5), (0.25, 0.25, 0.5, 0.5)]
    b = [(0.0, 0.0, 0.5, 0.25)]
    iou, union = region_iou(a, b)
    assert union == pytest.approx(0.25) and iou == pytest.approx(0.125 / 0.25)
    assert region_iou([], []) == (0.0, 0.0)
    assert region_iou(a, []) == (0.0, pytest.approx(0.25))


PAGE = """<!doctype html><html><head><style>body{margin:0;height:1000px;position:relative;font:16px 'DejaVu Sans'}
*{position:absolute;margin:0} nav{left:0;top:0;width:1280px;height:50px;background:#eee}
</style></head><body><nav><a style="left:10px;top:10px">Home</a></nav>
<img src="x.png" width=400 height=300 style="left:IMGLEFT;top:100px">
<p style="left:600px;top:150px;width:500px">Words words words</p></body></html>"""


def test_layout_of_a_page_against_itself_and_with_a_moved_image(renderer):
    base = renderer.render(PAGE.replace("IMGLEFT", "100px"))
    assert layout_similarity(base, base).similarity == 1.0
    moved = renderer.render(PAGE.replace("IMGLEFT", "300px"))
    s = layout_similarity(moved, base)
    # The image slid 200 px of its 400 px width: its two boxes overlap by half, IoU 1/3.
    assert s.classes["image"][0] == pytest.approx(1 / 3, abs=1e-3)
    assert s.classes["text"][0] == 1.0 and s.classes["navigation"][0] == 1.0
    weights = {k: w for k, (_, w) in s.classes.items()}
    assert sum(weights.values()) == pytest.approx(1.0)
    assert s.similarity == pytest.approx(sum(iou * w for iou, w in s.classes.values()))


def test_what_lies_past_the_page_does_not_count(renderer):
    # A closed dropdown's picture parked far below the page inside a clipping box (as on
    # Design2Code page 1071): the page is the same to a reader with or without it, so the
    # similarity is too.
    parked = '<img style="position:absolute;left:-300px;top:5000px;width:1920px;height:1080px" src="data:,">'
    page = "<body style='margin:0'><div style='position:relative;height:600px;overflow:hidden'><p style='margin:40px'>Stories worth reading</p>{}</div></body>"
    base = renderer.render(page.format(""))
    with_parked = renderer.render(page.format(parked))
    assert with_parked.page_height == base.page_height
    assert any(e.tag == "img" and e.y >= 5000 for e in with_parked.elements)
    assert layout_similarity(with_parked, base).similarity == pytest.approx(1.0)
