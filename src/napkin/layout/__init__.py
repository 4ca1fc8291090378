"""The layout tree at the centre of Napkin: types, JSON and token forms, HTML emission, reading back.

    >>> from napkin.layout import Node, emit_html, to_tokens
    >>> page = Node("page", children=[Node("section", children=[Node("heading", "Hello", attrs={"level": "1"})])])
    >>> to_tokens(page)
    ['[page', '[section', '[heading', '@level=1', '"Hello"', ']', ']', ']']
    >>> "<h1>Hello</h1>" in emit_html(page)
    True
"""

from __future__ import annotations

from napkin.layout._emit import PLACEHOLDER_SRC, emit_html
from napkin.layout._from_dom import classify, from_dom
from napkin.layout._theme import DEFAULT_THEME, FONT_STACKS, Theme
from napkin.layout._tokens import from_tokens, text_to_tokens, to_tokens, tokens_to_text
from napkin.layout._tree import CONTAINERS, KINDS, LEAVES, METRIC_CLASS, Node, Style, validate

__all__ = [
    "CONTAINERS",
    "DEFAULT_THEME",
    "FONT_STACKS",
    "KINDS",
    "LEAVES",
    "METRIC_CLASS",
    "PLACEHOLDER_SRC",
    "Node",
    "Style",
    "Theme",
    "classify",
    "emit_html",
    "from_dom",
    "from_tokens",
    "text_to_tokens",
    "to_tokens",
    "tokens_to_text",
    "validate",
]
