"""Layout inference: structure from rendered pages of known trees, and the round trip back to a page."""

from __future__ import annotations

from difflib import SequenceMatcher

import pytest

from napkin.layout import Node, Style, emit_html
from napkin.vision import Detection, Line, Word, analyze
from napkin.vision._layout import build_tree
from tests.conftest import image_of
from tests.layout.sample import page as sample_page

pytestmark = pytest.mark.browser


def t(kind: str, text: str = "", **kw) -> Node:
    return Node(kind, text, **kw)


LANDING = Node("page", children=[
    Node("navbar", children=[t("logo", "Acme"), Node("row", children=[
        t("link", "Product"), t("link", "Pricing"), t("link", "Docs"), t("button", "Sign in", attrs={"variant": "primary"}),
    ])]),
    Node("section", style=Style(align="center", background="#f0f4ff"), children=[
        t("heading", "Ship pages from a napkin sketch", attrs={"level": "1"}),
        t("paragraph", "Draw it, snap it, and get clean HTML and CSS you would want to edit."),
        Node("row", children=[t("button", "Get started", attrs={"variant": "primary"}), t("button", "Live demo")]),
    ]),
    Node("section", children=[
        t("heading", "Features", attrs={"level": "2"}),
        Node("grid", attrs={"cols": "3"}, children=[
            Node("card", children=[t("heading", "Fast", attrs={"level": "3"}), t("paragraph", "Renders thirty pages a second.")]),
            Node("card", children=[t("heading", "Offline", attrs={"level": "3"}), t("paragraph", "No network and no GPU needed.")]),
            Node("card", children=[t("heading", "Editable", attrs={"level": "3"}), t("paragraph", "Flex and grid with semantic tags.")]),
        ]),
    ]),
])


def test_navbar_hero_and_card_grid_come_back_in_order(renderer):
    shot = renderer.render(emit_html(LANDING))
    result = analyze(image_of(shot))
    assert result.kind == "screenshot"
    top = [c.kind for c in result.tree.children]
    assert top[:3] == ["navbar", "section", "section"], result.tree.signature()
    navbar, hero, features = result.tree.children[:3]
    assert [n.text for n in navbar.walk() if n.kind == "button"] == ["Sign in"]
    assert hero.style.background == "#f0f4ff"
    assert [n.text for n in hero.walk() if n.kind == "button"] == ["Get started", "Live demo"]
    grid = next(n for n in features.walk() if n.kind == "grid")
    assert grid.attrs["cols"] == "3" and [c.kind for c in grid.children] == ["card", "card", "card"]
    assert [c.texts()[0] for c in grid.children] == ["Fast", "Offline", "Editable"]


def text_centers(render) -> dict[str, tuple[float, float]]:
    out = {}
    for e in render.elements:
        for tb in e.text_boxes:
            out.setdefault(tb.text, (tb.x + tb.w / 2, tb.y + tb.h / 2))
    return out


def test_round_trip_keeps_texts_and_positions(renderer):
    first = renderer.render(emit_html(sample_page))
    result = analyze(image_of(first), kind="screenshot")
    second = renderer.render(emit_html(result.tree, result.theme))
    assert second.ok
    before, after = text_centers(first), text_centers(second)
    found, close = 0, 0
    for text, (x, y) in before.items():
        match = max(after, key=lambda a: SequenceMatcher(None, a, text).ratio())
        if SequenceMatcher(None, match, text).ratio() < 0.8:
            continue
        found += 1
        ax, ay = after[match]
        close += abs(ax - x) <= 40 and abs(ay - y) <= 40
    assert found >= 0.8 * len(before), (found, len(before))
    assert close >= 0.8 * found, (close, found)
    assert abs(second.page_height - first.page_height) <= 0.05 * first.page_height


def test_layout_from_known_lines_without_ocr():
    def line(text: str, x: float, y: float, size: float = 16) -> Line:
        w = 0.6 * size * len(text)
        return Line([Word(text, (x, y, w, size * 0.95), 95)], (x, y, w, size * 0.95), font_size=size, baseline=y + size * 0.76, color="#111111")

    lines = [line("Left column", 100, 100), line("Right column", 700, 100), line("Footer note", 100, 600)]
    dets = [Detection("image", (100, 200, 300, 200), color="#0000ff")]
    from napkin.layout import DEFAULT_THEME

    tree = build_tree(lines, dets, 1280, 720, "#ffffff", "screenshot", DEFAULT_THEME)
    sig = tree.signature()
    assert "row(paragraph,paragraph)" in sig and "image" in sig, sig
    assert tree.texts() == ["Left column", "Right column", "Footer note"]
    html = emit_html(tree, DEFAULT_THEME)
    assert "position: absolute" not in html and "Footer note" in html


def test_a_word_boxed_taller_than_its_glyphs_takes_its_rows_size():
    from napkin.vision._text import plausible_sizes

    def line(text, box, size, baseline):
        return Line([Word(text, box, 90.0)], box, font_size=size, baseline=baseline)

    row = [line("FacebookCovers 2023", (176, 1215, 130, 13), 13.1, 1225.0), line("Sitemap", (835, 1215, 47, 13), 13.4, 1225.0)]
    tall = line("Terms", (726, 1206, 30, 29), 38.1, 1235.0)  # 5 letters in 30 px cannot be 38 px type
    alone = line("Conditions", (100, 2000, 60, 40), 40.0, 2035.0)
    heading = line("Quarterly report", (40, 80, 330, 40), 34.0, 112.0)  # wide enough for its size
    plausible_sizes([*row, tall, alone, heading])
    assert tall.font_size == pytest.approx(13.25) and tall.baseline == 1225.0
    assert alone.font_size == pytest.approx(60 / (0.38 * 10))  # no row: capped by its width
    assert heading.font_size == 34.0 and row[0].font_size == 13.1


def test_column_widths_of_a_row_never_add_up_to_more_than_the_row():
    # Seven columns at positions whose shares round up: 100.01 % would wrap the last one.
    from napkin.layout import DEFAULT_THEME

    lefts = [160.0, 410.3, 588.6, 768.2, 944.9, 1040.4, 1130.7]
    lines = [Line([Word(f"W{i}", (x, 200.0, 40.0, 16.0), 95.0)], (x, 200.0, 40.0, 16.0), font_size=16.0, baseline=212.0)
             for i, x in enumerate(lefts)]
    tree = build_tree(lines, [], 1280.0, 400.0, "#ffffff", "screenshot", DEFAULT_THEME)
    rows = [n for n in tree.walk() if n.kind == "row" and len(n.children) == len(lefts)]
    assert rows
    for row in rows:
        widths = [float(c.style.width.rstrip("%")) for c in row.children]
        assert sum(widths) <= 100.0 and sum(widths) > 99.9, widths


def test_the_words_of_a_navigation_are_its_logo_and_links():
    from napkin.layout import DEFAULT_THEME
    from napkin.vision._layout import name_links

    def line(text: str, x: float, y: float, size: float = 16) -> Line:
        w = 0.55 * size * len(text)
        return Line([Word(text, (x, y, w, size * 0.95), 95)], (x, y, w, size * 0.95), font_size=size, baseline=y + size * 0.76, color="#111111")

    bar = [line("Acme", 40, 24, 30), line("Pricing", 700, 30), line("Docs", 820, 30), line("About us", 920, 30)]
    body = [line("Build faster", 40, 200, 40), line("Ship it", 40, 300)]
    tree = build_tree(bar + body, [], 1280, 720, "#ffffff", "screenshot", DEFAULT_THEME)
    nav = tree.children[0]
    assert nav.kind == "navbar", tree.signature()
    kinds = {n.text: n.kind for n in tree.walk() if n.text}
    assert kinds == {"Acme": "logo", "Pricing": "link", "Docs": "link", "About us": "link",
                     "Build faster": "heading", "Ship it": "paragraph"}, kinds
    html = emit_html(tree, DEFAULT_THEME)
    assert '<a class="logo"' in html and html.count('href="#"') == 4

    # A region the parser calls navigation, holding a sentence: the sentence stays one.
    region = Node("column", attrs={"role": "navigation"}, children=[
        Node("paragraph", "Home"), Node("paragraph", "Read the whole story of how we began")])
    name_links(region)
    assert [c.kind for c in region.children] == ["link", "paragraph"]


def test_text_takes_the_extent_of_the_learned_region_it_sits_in():
    from napkin.layout import DEFAULT_THEME

    words = Line([Word("Short intro", (100, 200, 110, 15), 95)], (100, 200, 110, 15), font_size=16, baseline=212, color="#111111")
    region = Detection("text_region", (96, 190, 600, 40), source="learned")
    plain = build_tree([words], [], 1280, 400, "#ffffff", "screenshot", DEFAULT_THEME)
    reached = build_tree([words], [region], 1280, 400, "#ffffff", "screenshot", DEFAULT_THEME)
    p0 = next(n for n in plain.walk() if n.text == "Short intro")
    p1 = next(n for n in reached.walk() if n.text == "Short intro")
    assert p0.style.width in (None, "fit-content")
    # As wide as the region (within the page's 1280 - 96 px past the region's left edge) ...
    assert float(p1.style.width.rstrip("%")) == pytest.approx(100 * 600 / (1280 - 100), abs=0.5)
    # ... and as tall, its words where they were: padding above and below the line box.
    top, bottom = p1.style.padding[0], p1.style.padding[2]
    assert top > 0 and bottom > 0
    assert 16 * 1.5 + top + bottom == pytest.approx(40, abs=2)

    # A region that holds more than this text (the words sit in its middle-right) sizes nothing.
    elsewhere = Detection("text_region", (0, 190, 1000, 40), source="learned")
    tree = build_tree([words], [elsewhere], 1280, 400, "#ffffff", "screenshot", DEFAULT_THEME)
    node = next(n for n in tree.walk() if n.text == "Short intro")
    assert float(node.style.width.rstrip("%")) < 15


def test_scribbles_stacked_in_one_learned_region_are_one_paragraph_as_big_as_it():
    from napkin.layout import DEFAULT_THEME

    # Three scribbled lines of a paragraph (24 px apart) in one text region of 520 x 76 px.
    scribbles = [Detection("squiggle", (100, 204 + 24 * k, 480 - 60 * k, 12), source="learned") for k in range(3)]
    region = Detection("text_region", (96, 196, 520, 76), source="learned")
    tree = build_tree([], [*scribbles, region], 1280, 600, "#ffffff", "sketch", DEFAULT_THEME)
    texts = [n for n in tree.walk() if n.text]
    assert len(texts) == 1, tree.signature()
    p = texts[0]
    assert p.kind == "paragraph" and p.style.font_size == round(76 / 3 / 1.5)  # a line each third, at line height 1.5
    assert len(p.text.split()) >= 3 * 8  # three lines' worth of placeholder words
    assert 40 < float(p.style.width.rstrip("%")) < 50  # the region's 520 px of the page's 1280 - 96

    # Scribbles side by side in one region (a navigation's links) stay apart.
    links = [Detection("squiggle", (100 + 120 * k, 30, 80, 12), source="learned") for k in range(3)]
    bar = Detection("text_region", (96, 24, 340, 24), source="learned")
    tree = build_tree([], [*links, bar], 1280, 600, "#ffffff", "sketch", DEFAULT_THEME)
    assert len([n for n in tree.walk() if n.text]) == 3
