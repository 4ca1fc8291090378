"""Sampling pages: deterministic for a seed, every page type, clean code, JSON-ready records."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from napkin.errors import ConfigError
from napkin.layout import LEAVES, Node, validate
from napkin.synth import (
    PAGE_TYPES,
    Sample,
    Sampler,
    contrast,
    derive_seed,
    diversity,
    sample_page,
    skeleton,
    vocabulary,
)

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Leaves whose element disappears from the rendered page when they have no text.
_NEEDS_TEXT = {"heading", "paragraph", "text", "label", "badge", "checkbox", "radio", "video"}


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else '-'}>")
        else:
            self.stack.pop()


def test_same_seed_same_page_and_different_seeds_differ():
    a, b = sample_page(123), sample_page(123)
    assert a.tree == b.tree and a.theme == b.theme and a.metadata == b.metadata and a.html() == b.html()
    others = {sample_page(s).tree.signature() for s in range(124, 134)}
    assert a.tree.signature() not in others and len(others) == 10


def test_sampler_stream_matches_random_access():
    stream = Sampler(seed=5)
    pages = [stream.page() for _ in range(3)]
    again = Sampler(seed=5)
    assert [p.tree for p in pages] == [again.sample(i).tree for i in range(3)]
    assert [p.metadata["index"] for p in pages] == [0, 1, 2]
    assert pages[1].seed == derive_seed(5, 1)
    assert Sampler(seed=6).sample(0).tree != pages[0].tree


def test_sampler_can_be_limited_to_page_types():
    sampler = Sampler(seed=1, page_types=["login", "pricing"])
    assert {sampler.page().page_type for _ in range(12)} == {"login", "pricing"}
    with pytest.raises(ConfigError, match="unknown page types"):
        Sampler(page_types=["nope"])
    with pytest.raises(ConfigError, match="unknown page type"):
        sample_page(0, "nope")


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_page_type_emits_clean_valid_html(page_type):
    for seed in range(4):
        s = sample_page(seed, page_type)
        assert s.page_type == page_type and s.tree.kind == "page" and validate(s.tree) == []
        html = s.html()
        checker = _Balance()
        checker.feed(html)
        assert checker.problems == [] and checker.stack == [], (seed, checker.problems[:3])
        assert "position: absolute" not in html and "position:absolute" not in html
        assert not re.search(r"(src|href)=\"(https?:)?//", html)  # nothing remote
        for node in s.tree.walk():
            if node.kind in _NEEDS_TEXT:
                assert node.text.strip() == node.text and node.text, (page_type, node.kind)
            if node.kind in LEAVES or node.kind == "page":
                continue
            assert node.children or node.text, f"an empty {node.kind} would vanish from the render"
            if node.kind == "select":
                assert node.attrs["options"].split("|")[0] == node.text


def test_samples_look_designed():
    pages = [sample_page(s) for s in range(60)]
    assert len({p.page_type for p in pages}) >= 10
    assert len({p.metadata["topic"] for p in pages}) >= 12
    assert any(p.theme.dark for p in pages) and not all(p.theme.dark for p in pages)
    for p in pages:
        t = p.theme
        assert contrast(t.text, t.background) >= 7 and contrast(t.muted, t.background) >= 4.5
        assert contrast(t.on_primary, t.primary) >= 3
        styles = [n.style for n in p.tree.walk()]
        assert any(s.max_width for s in styles) or p.metadata["layout"] == "fluid"
    centred = [p for p in pages if any(n.style.align == "center" for n in p.tree.walk())]
    assert len(centred) >= 0.6 * len(pages)
    backgrounds = [p for p in pages if sum(1 for n in p.tree.children if n.style.background) >= 1]
    assert len(backgrounds) >= 0.5 * len(pages)  # bands of color, not one flat sheet
    # Content reads like a business wrote it: no unfilled template slots.
    texts = [t for p in pages for t in p.tree.texts()]
    assert not [t for t in texts if re.search(r"\{[A-Za-z]+\}", t)]


def test_sample_round_trips_through_json():
    s = sample_page(77, "dashboard")
    data = json.loads(json.dumps(s.to_json()))
    back = Sample.from_json(data)
    assert back.tree == s.tree and back.theme == s.theme and back.metadata == s.metadata and back.html() == s.html()
    assert s.viewport == "desktop" and sample_page(77, "mobile_app").viewport == "mobile"


def test_vocabularies_ship_with_the_package():
    vocab = vocabulary()
    assert len(vocab.topics) >= 20 and {t.kind for t in vocab.topics} == {"software", "shop", "service"}
    for topic in vocab.topics:
        assert topic.features and topic.products and topic.headlines and topic.metrics


def test_diversity_report_counts_structures_and_kinds():
    report = diversity(200, seed=3)
    assert report["samples"] == 200
    assert report["distinct_signatures"] >= 180
    assert report["distinct_skeletons_depth3"] <= report["distinct_signatures"]
    assert sum(report["page_types"].values()) == 200
    assert report["kinds"]["page"] == 200 and report["pages_with_kind"]["page"] == 1.0
    assert {"navbar", "footer", "card", "grid", "table", "form", "image", "avatar", "sidebar"} <= set(report["kinds"])
    json.dumps(report)
    tree = Node("page", children=[Node("section", children=[Node("row", children=[Node("text", "a")])])])
    assert skeleton(tree, 2) == "page(section(row))"
