"""Skins restyle the same HTML: the code stays exact, and every box maps into the final picture."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from napkin.errors import ConfigError
from napkin.layout import from_dom
from napkin.render import RenderOptions, Viewport
from napkin.synth import element_boxes, finish_skin, make_skin, map_box, sample_page, skin_html

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
    # Body text as squiggles, drawn at half size: the paragraphs' underlines leave their row,
    # while the paragraphs' own top and bottom borders, the rule between them and every pixel
    # outside them stay put; bars are never bent.
    html = ("<html><head><style>p { width: 600px; margin: 30px; padding: 4px 0; border-top: 2px solid #000; "
            "border-bottom: 2px solid #000; } hr { width: 600px; margin: 30px; }</style></head>"
            "<body><p>" + "words " * 120 + "</p><hr><p>" + "more words " * 40 + "</p></body></html>")
    flat = dict(rotation=0.0, perspective=0.0, margin=0, texture="plain", lighting=0.0, noise=0.0, dust=0, blur=0.0, wobble=0.0)
    half = RenderOptions(image_scale=0.5)

    def pictures(body: str) -> tuple[np.ndarray, np.ndarray, list]:
        r = renderer.render(skin_html(html, make_skin("sketch", 3, body=body, squiggle=12.0, **flat)), half)
        out = finish_skin(r, make_skin("sketch", 3, body=body, squiggle=12.0, **flat))
        still = finish_skin(r, make_skin("sketch", 3, body=body, squiggle=0.0, **flat))
        return (np.asarray(out.image.convert("L"), dtype=np.int16), np.asarray(still.image.convert("L"), dtype=np.int16),
                [e for e in r.elements if e.tag == "p"])

    bent, straight, marked = pictures("squiggle")
    assert len(marked) == 2 and all(e.color == (1, 0, 0, 0.0) for e in marked)  # the mark the skin reads back
    assert bent.shape == straight.shape and bent.shape[1] == 640
    changed = np.abs(bent - straight) > 40
    inside = np.zeros(bent.shape, dtype=bool)
    edges = np.zeros(bent.shape, dtype=bool)
    for e in marked:  # boxes in image pixels: half the CSS px
        x0, y0, x1, y1 = int(e.x / 2), int(e.y / 2), int((e.x + e.w) / 2), int((e.y + e.h) / 2)
        inside[y0:y1, x0:x1] = True
        edges[y0 : y0 + 3, x0:x1] = edges[y1 - 3 : y1, x0:x1] = True
    assert changed[inside].mean() > 0.01  # the lines moved, all through each paragraph...
    for e in marked:
        rows = np.flatnonzero(changed[int(e.y / 2) : int((e.y + e.h) / 2), int(e.x / 2) : int((e.x + e.w) / 2)].any(axis=1))
        assert rows.size and rows[-1] - rows[0] > 0.7 * e.h / 2
    assert not changed[~inside].any()  # ...nothing outside the paragraphs did (the <hr> between them)...
    assert not changed[edges].any()  # ...nor the paragraphs' own borders
    bars, bars_still, marked_bars = pictures("bar")
    assert all(e.color == (0, 0, 0, 0.0) for e in marked_bars) and np.array_equal(bars, bars_still)


def test_sheet_map_is_the_inverse_warp_and_keeps_the_sheet_edge_straight():
    from napkin.synth._skins import _homography, _sheet_map

    w, h = 300, 420
    src = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    dst = [(30.0, 12.0), (332.0, 20.0), (325.0, 447.0), (22.0, 440.0)]  # rotated and tilted, on a bed
    applied = _homography(src, dst)
    size = (360, 470)
    still = make_skin("sketch", 1, wobble=0.0).params
    m = _sheet_map(applied, size, (w, h), still, 1.0)
    assert m.shape == (470, 360, 2)
    inv = np.linalg.inv(np.array(applied).reshape(3, 3))
    for u, v in ((0, 0), (100, 200), (359, 469), (181, 33), (7, 401)):
        x, y, z = inv @ np.array([u, v, 1.0])
        assert m[v, u, 0] == pytest.approx(x / z, abs=1e-3) and m[v, u, 1] == pytest.approx(y / z, abs=1e-3)
    # With the wobble on, the strokes move but nothing crosses the sheet's edge (to within the
    # grid's interpolation): points well inside read the sheet, points well outside the bed.
    wobbly = _sheet_map(applied, size, (w, h), make_skin("sketch", 1, wobble=6.0).params, 1.0)

    def within(mp: np.ndarray, margin: float) -> np.ndarray:
        return (mp[..., 0] >= -margin) & (mp[..., 0] <= w - 1 + margin) & (mp[..., 1] >= -margin) & (mp[..., 1] <= h - 1 + margin)

    assert np.abs(wobbly - m)[within(m, -8)].max() > 1.0  # the strokes do move
    assert within(wobbly, 1.0)[within(m, 0)].all()  # the sheet keeps its pixels...
    assert not within(wobbly, 0)[~within(m, 1.5)].any()  # ...and the bed stays bed


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
