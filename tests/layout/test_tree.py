"""The layout tree: validation, JSON and token forms."""

from __future__ import annotations

import json

import pytest

from napkin.errors import InputError
from napkin.layout import KINDS, Node, Style, from_tokens, text_to_tokens, to_tokens, tokens_to_text
from tests.layout.sample import page


def test_json_round_trip_is_exact():
    data = page.to_json()
    again = Node.from_json(json.loads(json.dumps(data)))
    assert again == page
    assert again.to_json() == data


def test_json_keeps_boxes_and_every_style_fact():
    node = Node(
        "page",
        box=(0, 0, 1280, 2000.5),
        style=Style(color="#112233", background="#ffffff", font_size=15.5, font_weight=600, font_family="serif",
                    align="center", justify="between", gap=12, padding=(1, 2, 3, 4.5), margin_top=8, width="33.3%",
                    height=120, max_width=1100, radius=4, border_width=1, border_color="#cccccc"),
        children=[Node("paragraph", "x", box=(1.25, 2, 3, 4))],
    )
    assert Node.from_json(node.to_json()) == node


def test_tokens_round_trip_exactly_without_boxes():
    tokens = to_tokens(page)
    assert from_tokens(tokens) == page.without_boxes()
    assert from_tokens(tokens_to_text(tokens)) == page.without_boxes()


def test_tokens_with_integer_boxes_round_trip():
    tree = Node("page", box=(0, 0, 1280, 900), children=[Node("heading", 'Say "hi" [now]', box=(10, 20, 300, 40), attrs={"level": "1"})])
    assert from_tokens(to_tokens(tree, boxes=True)) == tree


def test_tokens_quote_what_needs_quoting():
    tree = Node("page", children=[Node("input", "Your e-mail", attrs={"type": "email", "note": 'a "b" [c]', "empty": ""}, style=Style(width="50%"))])
    text = tokens_to_text(to_tokens(tree))
    assert '@note="a \\"b\\" [c]"' in text and "w=50%" in text
    assert from_tokens(text) == tree
    assert text_to_tokens(text) == to_tokens(tree)


def test_tokens_are_compact():
    # One token per node open and close, plus text and facts: short enough for a small model.
    tokens = to_tokens(page)
    assert len(tokens) < 4 * page.size()


@pytest.mark.parametrize(
    "bad",
    ["[page", "[page ]]", "page ]", '[page [heading "x" ]', "[page zzz=1 ]", "[page [nonsense ] ]", '[page "unterminated ]', "[page size=big ]"],
)
def test_malformed_tokens_raise_input_error(bad):
    with pytest.raises(InputError):
        from_tokens(bad)


def test_bad_nodes_are_refused():
    with pytest.raises(InputError, match="unknown node kind"):
        Node("blink")
    with pytest.raises(InputError, match="#rrggbb"):
        Style(color="red")
    with pytest.raises(InputError):
        Node.from_json({"kind": "page", "colour": "x"})


def test_traversal_helpers():
    assert page.size() == sum(1 for _ in page.walk())
    assert page.depth() == 5
    assert page.signature().startswith("page(navbar(logo,row(link,link,link,button))")
    assert set(n.kind for n in page.walk()) <= set(KINDS)
