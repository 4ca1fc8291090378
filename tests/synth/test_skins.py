"""Skins restyle the same HTML: the code stays exact, and every box maps into the final picture."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from napkin.errors import ConfigError
from napkin.layout import from_dom
from napkin.render import RenderOptions, Viewport, finish_skin, make_skin, map_box, skin_html
from napkin.synth import element_boxes, sample_page

pytestmark = pytest.mark.browser


def test_skins_are_drawn_from_a_seed_and_recorded():
    assert make_skin("sketch", 3) == make_skin("sketch", 3)
    assert make_skin("sketch", 3).params != make_skin("sketch", 4).params
    assert make_skin("sketch", 3, font="DkgHandwriting").params["font"] == "DkgHandwriting"
    assert make_skin("screenshot").params == {}
    with pytest.raises(ConfigError, match="unknown skin"):
        make_skin("oil painting")
    with pytest.raises(ConfigError, match="unknown parameters"):
        make_skin("sketch", 1, crayon=True)


def test_skin_only_adds_a_stylesheet():
    html = sample_page(2).html()
    for name in ("wireframe", "sketch"):
        skinned = skin_html(html, make_skin(name, 1))
        head, _, rest = skinned.partition('<style id="napkin-skin">')
        style = rest[: rest.index("</style>\n")]
        rest = rest[rest.index("</style>\n") + len("</style>\n"):]
        assert "{" in style and "!important" in style  # the skin's own rules
        assert head + rest == html
        assert "position: absolute" not in style and "filter: url" not in style
    assert skin_html(html, make_skin("screenshot")) == html


def test_squiggles_bend_marked_text_lines_only(renderer):
    # Body text as squiggles, labels as handwriting: the paragraphs' underlines leave their row,
    # while a straight rule drawn by the page and every other pixel outside them stay put.
    html = ("<html><head><style>p { width: 600px; margin: 30px; } hr { width: 600px; margin: 30px; }</style></head>"
            "<body><p>" + "words " * 120 + "</p><hr><p>" + "more words " * 40 + "</p></body></html>")
    flat = dict(rotation=0.0, perspective=0.0, margin=0, texture="plain", lighting=0.0, noise=0.0, dust=0, blur=0.0, wobble=0.0)
    straight = make_skin("sketch", 3, body="bar", **flat)
    bent = make_skin("sketch", 3, body="squiggle", squiggle=12.0, **flat)
    r = renderer.render(skin_html(html, bent))
    marked = [e for e in r.elements if e.tag == "p"]
    assert marked and all(e.color == (1, 0, 0, 0.0) for e in marked)  # the mark the skin reads back
    out = np.asarray(finish_skin(r, bent).image.convert("L"), dtype=np.int16)
    unbent = np.asarray(finish_skin(r, make_skin("sketch", 3, body="squiggle", squiggle=0.0, **flat)).image.convert("L"), dtype=np.int16)
    assert out.shape == unbent.shape
    inside = np.zeros(out.shape, dtype=bool)
    for e in marked:
        inside[int(e.y) : int(e.y + e.h), int(e.x) : int(e.x + e.w)] = True
    changed = np.abs(out - unbent) > 40
    assert changed[inside].mean() > 0.01  # the lines moved...
    assert not changed[~inside].any()  # ...and nothing else did (the <hr> between the paragraphs)
    # Bars are not squiggled: the same page with bars is untouched by the squiggle pass.
    rb = renderer.render(skin_html(html, straight))
    assert all(e.color[3] == 0 and e.color[:3] == (0, 0, 0) for e in rb.elements if e.tag == "p")


@pytest.mark.parametrize("name", ["wireframe", "sketch"])
def test_skinned_pages_read_back_into_the_same_tree(renderer, name):
    samples = [sample_page(seed, page_type) for seed, page_type in enumerate(("landing", "dashboard", "product", "signup", "mobile_app"))]
    skins = [make_skin(name, seed) for seed in range(len(samples))]
    renders = renderer.render_many([skin_html(s.html(), k) for s, k in zip(samples, skins, strict=True)])
    for s, r in zip(samples, renders, strict=True):
        assert r.ok and not r.console_errors and not r.page_errors and not r.blocked_requests
        back = from_dom(r)
        assert back.signature() == s.tree.signature() and back.texts() == s.tree.texts(), s.page_type
        # The page's colors are gone: no pixel keeps the brand color (when it is a real color).
        pixels = np.asarray(Image.open(io.BytesIO(r.image)).convert("RGB"), dtype=np.int16)
        brand = np.array([int(s.theme.primary[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
        if brand.max() - brand.min() > 80:
            assert (np.abs(pixels - brand).sum(axis=-1) < 30).mean() < 0.001, (s.page_type, s.theme.primary)


def test_sketch_boxes_land_on_what_the_sketch_draws(renderer):
    # Crossed image boxes: the centre of every mapped image box is where its two strokes cross.
    hits = blank = checked = 0
    for seed in range(3):
        s = sample_page(40 + seed, "listing")
        skin = make_skin("sketch", seed, images="cross", rotation=1.5 - seed * 1.5, perspective=0.02, margin=24, noise=2.0, dust=0, texture="plain", lighting=0.0)
        r = renderer.render(skin_html(s.html(), skin))
        out = finish_skin(r, skin)
        ink = np.asarray(out.image.convert("L")) < 110
        boxes = element_boxes(r, s.tree, out.transform)
        for b in boxes:
            x, y, w, h = b["box"]
            if b["kind"] != "image" or w < 60 or h < 60:
                continue
            cx, cy = int(x + w / 2), int(y + h / 2)
            checked += 1
            hits += bool(ink[cy - 6 : cy + 7, cx - 6 : cx + 7].any())
            # ...while between the strokes, above the crossing, the paper is blank.
            ty = int(y + h * 0.22)
            blank += not ink[ty - 3 : ty + 4, cx - 3 : cx + 4].any()
    assert checked >= 6 and hits >= checked - 1 and blank >= checked - 1


def test_finish_skin_records_the_transform(renderer):
    html = sample_page(8, "login").html()
    shot = make_skin("screenshot")
    r = renderer.render(html, RenderOptions(viewport=Viewport(800, 600, 2.0)))
    out = finish_skin(r, shot)
    assert out.transform == (2.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 1.0)
    assert (out.width, out.height) == (r.width, r.height)
    assert map_box((10, 20, 30, 40), out.transform) == (20, 40, 60, 80)
    small = finish_skin(r, shot, max_width=400)
    assert small.width == 400 and small.map_box((800, 0, 0, 0))[0] == pytest.approx(400)

    sketch = make_skin("sketch", 5, rotation=2.0, perspective=0.02, margin=30)
    r1 = renderer.render(skin_html(html, sketch))
    a, b = finish_skin(r1, sketch), finish_skin(r1, sketch)
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image))  # effects are deterministic
    w, h = r1.width, r1.height
    corners = [map_box((x, y, 0, 0), a.transform)[:2] for x, y in ((0, 0), (w, 0), (w, h), (0, h))]
    assert all(0 <= cx <= a.width and 0 <= cy <= a.height for cx, cy in corners)
    assert a.width > w and a.to_json()["transform"] == list(a.transform)
    png = Image.open(io.BytesIO(a.encode("png")))
    assert png.size == (a.width, a.height)
    gray = np.asarray(a.image.convert("HSV"))[..., 1]
    assert np.median(gray) < 40  # paper and ink, no page colors
