"""Sketches on a scanner bed: the sheet is found, straightened, and read as the page."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from napkin.synth import finish_skin, make_skin, map_point, sample_page, skin_html
from napkin.vision import analyze
from napkin.vision._sheet import find_sheet, rectify

pytestmark = pytest.mark.browser

# The scanner's effects that blur nothing about where the sheet is; noise and lighting vary.
PLAIN = {"dust": 0, "texture": "plain", "images": "cross"}


def sketch(renderer, seed: int, **params):
    s = sample_page(60 + seed, "landing")
    skin = make_skin("sketch", seed, **{**PLAIN, **params})
    r = renderer.render(skin_html(s.html(), skin))
    out = finish_skin(r, skin)
    sw, sh = r.width / r.pixel_scale, r.height / r.pixel_scale
    corners = [map_point(x, y, out.transform) for x, y in ((0, 0), (sw, 0), (sw, sh), (0, sh))]
    return np.asarray(out.image), np.array(corners)


@pytest.mark.parametrize("bed, paper, margin, rotation, lighting", [
    ("#3a3a3a", "#ffffff", 24, 1.5, 0.0),
    ("#d9d9d4", "#fbfaf5", 40, -1.0, 0.1),
    # As bright as the bed where the light falls off, but warmer: found by its warmth.
    ("#e9e9e6", "#f8f5ec", 12, 0.6, 0.12),
    # No margin: the rotation leaves a sliver of bed along each side.
    ("#3a3a3a", "#f4f4f0", 0, -1.2, 0.05),
])
def test_the_sheet_is_found_on_its_bed(renderer, bed, paper, margin, rotation, lighting):
    rgb, truth = sketch(renderer, 1, bed=bed, paper=paper, margin=margin, rotation=rotation,
                        perspective=0.02, lighting=lighting, noise=5.0)
    found = find_sheet(rgb)
    assert found is not None
    assert np.abs(np.array(found) - truth).max() < 3.0, (np.array(found) - truth).round(1).tolist()
    # Straightened: an upright rectangle as big as the sheet.
    straight = rectify(rgb, found)
    sw = (np.linalg.norm(truth[1] - truth[0]) + np.linalg.norm(truth[2] - truth[3])) / 2
    sh = (np.linalg.norm(truth[3] - truth[0]) + np.linalg.norm(truth[2] - truth[1])) / 2
    assert abs(straight.shape[1] - sw) < 4 and abs(straight.shape[0] - sh) < 4


def test_no_sheet_where_there_is_none(renderer):
    # White paper on a white bed shows no edge: the picture is used as it is.
    rgb, _ = sketch(renderer, 2, bed="#ffffff", paper="#ffffff", margin=24, rotation=1.0, noise=3.0, lighting=0.0)
    assert find_sheet(rgb) is None
    # Nor is a gray band across a page a sheet, nor a flat picture, nor a tiny one.
    page = np.full((900, 1280, 3), 250, dtype=np.uint8)
    page[:120] = 200
    page[700:] = 180
    assert find_sheet(page) is None
    assert find_sheet(np.full((600, 800, 3), 255, dtype=np.uint8)) is None
    assert find_sheet(np.zeros((40, 40, 3), dtype=np.uint8)) is None


def test_a_sketch_on_a_bed_reads_like_the_sheet_alone(renderer):
    # The same page drawn straight on the whole picture, and rotated on a dark bed with a
    # wide margin: the sheet is straightened first, so the page comes back in the same place.
    flat, _ = sketch(renderer, 3, bed="#ffffff", paper="#ffffff", margin=0, rotation=0.0, perspective=0.0, noise=2.0, lighting=0.0)
    bedded, _ = sketch(renderer, 3, bed="#3a3a3a", paper="#ffffff", margin=40, rotation=1.2, perspective=0.015, noise=2.0, lighting=0.0)
    a = analyze(Image.fromarray(flat), kind="sketch")
    b = analyze(Image.fromarray(bedded), kind="sketch")
    assert a.sheet is None and b.sheet is not None and "sheet" in b.timings
    # The tilt (perspective) stretches the sheet's sides by up to a few percent: no more.
    assert abs(b.image_size[0] / a.image_size[0] - 1) < 0.015 and abs(b.image_size[1] / a.image_size[1] - 1) < 0.015
    # Every image found in both: the same place on the page, to a few CSS px (and the tilt's
    # stretch further down). Unstraightened, the bed alone moves everything by about 40 px.
    pairs = [(d, min(b.detections, key=lambda e: abs(e.box[0] - d.box[0]) + abs(e.box[1] - d.box[1])))
             for d in a.detections if d.cls == "image" and d.box[2] > 60]
    assert len(pairs) >= 2
    for d, e in pairs:
        assert e.cls == "image"
        assert max(abs(p - q) for p, q in zip(d.box, e.box, strict=True)) < 8 + 0.015 * d.box[1], (d.box, e.box)
    # Read with kind "auto", a sketch on a bed is straightened too.
    c = analyze(Image.fromarray(bedded))
    assert c.kind == "sketch" and c.sheet is not None
