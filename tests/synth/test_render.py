"""Synthetic pages in the real browser: clean renders that read back into the exact tree, with boxes."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from napkin.errors import InputError
from napkin.layout import from_dom
from napkin.render import RenderJob, RenderOptions, parse_viewport
from napkin.synth import PAGE_TYPES, augment, element_boxes, render_sample, render_samples, sample_page

pytestmark = pytest.mark.browser


def _clean(r) -> None:
    assert r.ok, r.message
    assert not r.console_errors and not r.page_errors and not r.blocked_requests
    assert not [e for e in r.elements if e.position in ("absolute", "fixed")]


def test_every_page_type_renders_and_reads_back_exactly(renderer):
    samples = [sample_page(seed, page_type) for page_type in PAGE_TYPES for seed in (0, 1)]
    for s, r in zip(samples, renderer.render_many([s.html() for s in samples]), strict=True):
        _clean(r)
        back = from_dom(r)
        assert back.signature() == s.tree.signature(), (s.page_type, s.seed)
        assert back.texts() == s.tree.texts(), (s.page_type, s.seed)
        assert r.page_width <= 1280  # nothing overflows sideways


def test_pages_read_back_on_a_phone_too(renderer):
    samples = [sample_page(seed, page_type) for seed, page_type in enumerate(("mobile_app", "landing", "dashboard", "product", "docs", "pricing"))]
    jobs = [RenderJob(s.html(), RenderOptions(viewport=parse_viewport("mobile"))) for s in samples]
    for s, r in zip(samples, renderer.render_many(jobs), strict=True):
        _clean(r)
        back = from_dom(r)
        assert back.signature() == s.tree.signature() and back.texts() == s.tree.texts(), s.page_type
        assert r.page_width <= 390, s.page_type


def test_augmented_pages_still_read_back(renderer):
    samples = [augment(sample_page(seed, page_type), seed=seed, p=0.8) for seed, page_type in enumerate(("landing", "pricing", "listing", "blog_article"))]
    assert all(s.metadata["augmentations"] for s in samples)
    for s, r in zip(samples, renderer.render_many([s.html() for s in samples]), strict=True):
        _clean(r)
        assert from_dom(r).signature() == s.tree.signature() and from_dom(r).texts() == s.tree.texts()


def test_element_boxes_label_every_node(renderer):
    s = sample_page(21, "landing")
    r = renderer.render(s.html())
    boxes = element_boxes(r, s.tree)
    nodes = list(s.tree.walk())
    assert [b["kind"] for b in boxes] == [n.kind for n in nodes]
    assert [b["text"] for b in boxes] == [n.text for n in nodes]
    assert boxes[0]["kind"] == "page" and boxes[0]["parent"] == -1
    for b in boxes[1:]:
        parent = boxes[b["parent"]]
        assert parent["depth"] == b["depth"] - 1
        x, y, w, h = b["box"]
        assert w >= 0 and h >= 0 and x >= -1 and x + w <= 1281
    headings = [b for b in boxes if b["kind"] == "heading"]
    assert headings and all(b["metric_class"] == "text" and b["attrs"]["level"] for b in headings)
    json.dumps(boxes)
    other = sample_page(22, "login")
    with pytest.raises(InputError, match="does not read back"):
        element_boxes(r, other.tree)


def test_render_samples_gives_pictures_boxes_and_a_full_record(renderer):
    samples = [sample_page(31, "landing"), sample_page(32, "mobile_app")]
    results = list(render_samples(samples, renderer, variants=("screenshot", "wireframe", "sketch"), image_augment=0.9, image_format="jpeg", max_width=800))
    assert [len(r) for r in results] == [3, 3]
    for s, pictures in zip(samples, results, strict=True):
        assert [p.variant for p in pictures] == ["screenshot", "wireframe", "sketch"]
        for p in pictures:
            assert p.ok, p.error
            img = Image.open(io.BytesIO(p.image))
            assert img.format == "JPEG" and img.size == (p.width, p.height) and p.width <= 800
            assert p.viewport == s.viewport and p.metadata["viewport"] == s.viewport
            meta = json.loads(json.dumps(p.metadata))
            assert meta["page_type"] == s.page_type and meta["skin"]["name"] == p.variant and len(meta["transform"]) == 9
            assert "image_augmentations" in meta and "augmentations" in meta
            assert [b["kind"] for b in p.boxes] == [n.kind for n in s.tree.walk()]
            x, y, w, h = p.boxes[0]["box"]
            assert -2 <= x and x + w <= p.width + 2 and y + h <= p.height + 2
    assert any(p.metadata["image_augmentations"] for pictures in results for p in pictures)
    # The browser drew the desktop pictures at 800 px (image_scale), not the whole page shrunk
    # afterwards: the transform is that scale, and the phone screen (390 px) kept its size.
    landing_shot = results[0][0]
    assert landing_shot.width == 800 and landing_shot.metadata["transform"][0] == pytest.approx(800 / 1280)
    assert results[1][0].width == 390 and results[1][0].metadata["transform"][0] == 1.0
    one = render_sample(samples[0], renderer, variants=("screenshot",), viewports=("mobile",))
    assert [(p.variant, p.viewport, p.ok) for p in one] == [("screenshot", "mobile", True)]
