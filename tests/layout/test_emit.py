"""emit_html in the real browser: clean code that renders, and reads back into the same tree."""

from __future__ import annotations

import re

import pytest

from napkin.errors import InputError
from napkin.layout import Node, Style, Theme, emit_html, from_dom
from napkin.render import RenderOptions, parse_viewport
from napkin.score import repetition_cut
from tests.conftest import has_color, image_of
from tests.layout.sample import page

pytestmark = pytest.mark.browser


def test_emitted_page_reads_back_into_the_same_tree(renderer):
    r = renderer.render(emit_html(page))
    assert r.ok and not r.console_errors and not r.page_errors and not r.blocked_requests
    back = from_dom(r)
    assert back.signature() == page.signature()
    assert back.texts() == page.texts()
    assert [n.attrs.get("level") for n in back.walk() if n.kind == "heading"] == ["1", "2", "3", "3", "3", "3"]
    grid = next(n for n in back.walk() if n.kind == "grid")
    assert grid.attrs["cols"] == "3"
    assert next(n for n in back.walk() if n.kind == "checkbox").attrs.get("checked") == "1"


def test_emitted_code_is_clean():
    html = emit_html(page)
    assert "position: absolute" not in html and "position:absolute" not in html
    assert repetition_cut(html) is None  # the Design2Code benchmark's loop check leaves it whole
    for tag in ("<nav", "<section", "<footer", "<h1>", "<form", "<table", "<ul"):
        assert tag in html
    assert "http://" not in re.sub(r"xmlns=%27http://www.w3.org/2000/svg%27", "", html)  # nothing remote


def test_shared_looks_become_classes_and_placement_stays_on_its_element(renderer):
    tree = Node("page", children=[
        Node("section", style=Style(background="#cc0000", padding=(10, 10, 10, 10)), children=[Node("paragraph", "a")]),
        Node("section", style=Style(background="#cc0000", padding=(20, 10, 20, 10)), children=[Node("paragraph", "b")]),
        Node("section", style=Style(background="#00aa00"), children=[Node("paragraph", "c")])])
    html = emit_html(tree)
    assert html.count(".style-1 { background: #cc0000; }") == 1  # the shared look, once
    assert '<section class="section style-1" style="padding: 10px 10px 10px 10px">' in html
    assert '<section class="section style-1" style="padding: 20px 10px 20px 10px">' in html
    assert '<section class="section" style="background: #00aa00">' in html  # a look nobody shares
    assert ".style-2" not in html
    r = renderer.render(html)
    sections = [e for e in r.elements if e.tag == "section"]
    assert [e.background[:3] for e in sections] == [(0xCC, 0, 0), (0xCC, 0, 0), (0, 0xAA, 0)]
    assert has_color(image_of(r), (0xCC, 0, 0))


def test_a_busy_page_keeps_a_short_stylesheet():
    # 120 paragraphs, each placed on its own (as the vision pipeline writes real screenshots),
    # in four looks; and a strip of twelve picture tiles nested deep: once one rule per
    # element, now four shared rules, and nothing the Design2Code loop check would cut.
    looks = [Style(color=c, font_size=s) for c in ("#334155", "#64748b") for s in (14, 16)]
    paragraphs = [Node("paragraph", f"item {i}", style=Style(color=looks[i % 4].color, font_size=looks[i % 4].font_size,
                                                            padding=(i % 7, 0, 0, 3 * i), width=f"{20 + i % 30}%"))
                  for i in range(120)]
    tiles = Node("row", children=[Node("column", children=[Node("image", attrs={"width": "80", "height": "48"})])
                                  for _ in range(12)])
    deep = tiles
    for _ in range(8):
        deep = Node("column", children=[deep, Node("paragraph", "caption")])
    html = emit_html(Node("page", children=[Node("section", children=[*paragraphs, deep])]))
    assert len(re.findall(r"^ *\.style-\d+ \{", html, re.M)) == 4
    assert html.count('<div class="col"><img ') == 12  # a wrapper of one picture is one line
    assert repetition_cut(html) is None


def test_theme_drives_the_look(renderer):
    tree = Node("page", children=[Node("section", children=[Node("button", "Go", attrs={"variant": "primary"})])])
    dark = Theme(name="dark", background="#101418", text="#e6e6e6", primary="#ff8800", dark=True)
    r = renderer.render(emit_html(tree, dark))
    img = image_of(r)
    assert img.getpixel((1270, 700)) == (0x10, 0x14, 0x18)
    button = next(e for e in r.elements if e.tag == "button")
    assert button.background[:3] == (0xFF, 0x88, 0x00)


def test_rows_stack_on_a_phone(renderer):
    tree = Node("page", children=[Node("section", children=[
        Node("row", children=[Node("card", children=[Node("paragraph", f"card {i}")], style=Style(width="30%")) for i in range(3)])])])
    html = emit_html(tree)
    wide = renderer.render(html)
    narrow = renderer.render(html, RenderOptions(viewport=parse_viewport("mobile")))
    ys = lambda r: [e.y for e in r.elements if "card" in e.attrs.get("class", "")]  # noqa: E731
    assert len(set(ys(wide))) == 1  # side by side
    assert len(set(ys(narrow))) == 3  # stacked
    assert narrow.page_width <= 390  # nothing overflows sideways


def test_desktop_offsets_do_not_widen_a_phone_screen(renderer):
    # Side paddings that place text on the desktop page (as the vision pipeline writes them)
    # stay exact at 1280 px and give way on a phone; a button keeps its own inset.
    tree = Node("page", children=[Node("section", style=Style(padding=(0, 300, 0, 240)), children=[
        Node("paragraph", "Placed by its left offset", style=Style(padding=(0, 700, 0, 128))),
        Node("button", "Go", style=Style(padding=(10, 40, 10, 40)))])])
    html = emit_html(tree)
    wide = renderer.render(html)
    narrow = renderer.render(html, RenderOptions(viewport=parse_viewport("mobile")))
    text = lambda r: next(e for e in r.elements if e.tag == "p")  # noqa: E731
    assert text(wide).text_boxes[0].x == pytest.approx(240 + 128, abs=1)  # desktop placement unchanged
    assert narrow.page_width <= 390
    assert text(narrow).text_boxes[0].x == pytest.approx(16, abs=1)  # the section keeps a 16 px inset
    button = next(e for e in narrow.elements if e.tag == "button")
    assert button.box[2] > 80  # 40 px insets on both sides of "Go" survive


def test_only_page_roots_are_emitted():
    with pytest.raises(InputError, match="root must be a page"):
        emit_html(Node("section"))


def test_from_dom_on_a_real_page_is_approximate_but_sane(renderer):
    real = """<html><body><div class="wrap"><div style="display:flex"><a href="/">Home</a><a href="/b">Blog</a></div>
    <h1>Title <em>here</em></h1><div><p>Para <b>bold</b> text</p><img src="x.png" width="100" height="50"></div>
    <div>loose text</div><table><tr><td>1</td><td>2</td></tr></table></div></body></html>"""
    tree = from_dom(renderer.render(real))
    assert tree.kind == "page"
    kinds = [n.kind for n in tree.walk()]
    assert kinds == ["page", "row", "link", "link", "heading", "paragraph", "image", "paragraph", "table", "table_row", "table_cell", "table_cell"]
    assert next(n for n in tree.walk() if n.kind == "heading").text == "Title here"
    assert next(n for n in tree.walk() if n.kind == "paragraph").text == "Para bold text"
