"""Detection finds the controls and pictures of a rendered page where the DOM says they are."""

from __future__ import annotations

import pytest

from napkin.vision import analyze
from napkin.vision._detect import iou
from tests.conftest import image_of

pytestmark = pytest.mark.browser

PAGE = """<body style="margin:0;font:16px 'DejaVu Sans';background:#fff;color:#222">
<div style="padding:40px 60px">
  <h2 style="margin:0 0 20px">Sign up for the newsletter</h2>
  <input id="email" placeholder="Your email" style="display:block;width:360px;height:40px;padding:0 12px;font:15px 'DejaVu Sans';border:1px solid #999;border-radius:4px">
  <button id="go" style="margin-top:20px;width:140px;height:44px;font:16px 'DejaVu Sans';color:#fff;background:#1769e0;border:0;border-radius:6px">Subscribe</button>
  <div id="pic" style="margin-top:30px;width:420px;height:240px;background:#0000ff"></div>
  <hr style="margin:30px 0 0;border:0;border-top:1px solid #888;width:900px">
</div></body>"""


@pytest.fixture(scope="module")
def found(renderer):
    result = renderer.render(PAGE)
    assert result.ok
    boxes = {e.attrs.get("id"): e.box for e in result.elements if e.attrs.get("id")}
    boxes["hr"] = next(e.box for e in result.elements if e.tag == "hr")
    return analyze(image_of(result), kind="screenshot"), boxes


def best(analysis, cls, box):
    return max((iou(d.box, box) for d in analysis.detections if d.cls == cls), default=0.0)


def test_button_input_and_picture_are_found_at_their_boxes(found):
    analysis, boxes = found
    assert best(analysis, "button", boxes["go"]) > 0.85
    assert best(analysis, "input", boxes["email"]) > 0.8
    assert best(analysis, "image", boxes["pic"]) > 0.95


def test_divider_is_found(found):
    analysis, boxes = found
    x, y, w, _h = boxes["hr"]
    dividers = [d for d in analysis.detections if d.cls == "divider"]
    assert any(abs(d.box[1] - y) <= 3 and abs(d.box[2] - w) <= 0.05 * w for d in dividers), dividers


def test_tree_holds_the_controls_with_their_text(found):
    analysis, _ = found
    kinds = {n.kind: n for n in analysis.tree.walk()}
    assert kinds["button"].text == "Subscribe"
    assert kinds["input"].text == "Your email"
    assert kinds["image"].style.background == "#0000ff"
    assert kinds["button"].style.background == "#1769e0"
