"""Webpage-understanding questions grounded in a page's layout tree, each with a checker.

A template asks a question about a page and answers it from the tree; the tree nodes it used
are its evidence. `check` recomputes the answer from the evidence by a separate path, and an
export keeps only questions whose answer it reproduces, so no answer is made up.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from napkin.layout import Node

# Named colors for answers people would give ("a blue button"), with the hex kept alongside.
_NAMED = {
    "white": (255, 255, 255), "black": (0, 0, 0), "gray": (128, 128, 128), "light gray": (211, 211, 211),
    "dark gray": (64, 64, 64), "red": (220, 38, 38), "dark red": (139, 0, 0), "orange": (249, 115, 22),
    "yellow": (234, 179, 8), "green": (22, 163, 74), "dark green": (0, 100, 0), "teal": (13, 148, 136),
    "light blue": (147, 197, 253), "blue": (37, 99, 235), "navy": (30, 41, 90), "purple": (126, 34, 206),
    "pink": (236, 72, 153), "brown": (120, 72, 30), "beige": (245, 235, 215),
}
_KIND_WORDS = {
    "button": "button", "link": "link", "heading": "heading", "paragraph": "paragraph of text", "input": "text input field",
    "textarea": "multi-line text area", "select": "drop-down menu", "checkbox": "checkbox", "radio": "radio button",
    "image": "image", "badge": "badge", "logo": "logo", "label": "label", "list_item": "list item", "table_cell": "table cell",
}
_COUNTABLE = {"button": "buttons", "image": "images", "link": "links", "input": "text input fields", "card": "cards",
              "list_item": "list items", "checkbox": "checkboxes", "heading": "headings"}
_ORDINALS = ["first", "second", "third", "fourth", "fifth"]
_INPUT_PURPOSE = {"email": "an email address", "password": "a password", "search": "a search query", "tel": "a phone number",
                  "number": "a number", "date": "a date", "url": "a web address"}


def color_name(hex_color: str) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return min(_NAMED, key=lambda n: sum((a - c) ** 2 for a, c in zip(_NAMED[n], (r, g, b), strict=True)))


@dataclass(slots=True)
class QA:
    question: str
    answer: str
    template: str
    evidence: dict[str, Any] = field(default_factory=dict)


def nodes_in_order(tree: Node, max_y: float | None = None) -> list[Node]:
    """Nodes in reading order (top to bottom, left to right) that lie inside the image."""
    out = [n for n in tree.walk() if n.box is not None and n.kind != "page" and (max_y is None or n.box[1] + n.box[3] <= max_y)]
    return sorted(out, key=lambda n: (round(n.box[1] / 8), n.box[0]))  # type: ignore[index]


def _index(tree: Node) -> list[Node]:
    return list(tree.walk())


def _ref(tree: Node, node: Node) -> int:
    return next(i for i, n in enumerate(tree.walk()) if n is node)


def _label(n: Node) -> str:
    return n.text.strip()


def _unique_text(nodes: list[Node], node: Node) -> bool:
    t = _label(node)
    return bool(t) and 2 <= len(t) <= 60 and sum(1 for m in nodes if _label(m) == t) == 1


# -- templates: ask(tree, nodes, rng) -> QA | None and check(tree, evidence) -> answer --------------

def ask_heading(tree: Node, nodes: list[Node], rng: random.Random) -> QA | None:
    heads = [n for n in nodes if n.kind == "heading" and _label(n)]
    if not heads:
        return None
    top = min(heads, key=lambda n: (int(n.attrs.get("level", "2")), nodes.index(n)))
    return QA("What does the main heading of the page say?", _label(top), "read_heading", {"node": _ref(tree, top)})


def check_heading(tree: Node, ev: dict[str, Any]) -> str:
    return _label(_index(tree)[ev["node"]])


def ask_ordinal(tree: Node, nodes: list[Node], rng: random.Random) -> QA | None:
    kind = rng.choice(["button", "link", "input"])
    items = [n for n in nodes if n.kind == kind and _label(n)]
    if not items:
        return None
    k = rng.randrange(min(len(items), len(_ORDINALS)))
    word = {"button": "button", "link": "link", "input": "input field"}[kind]
    what = "placeholder text is shown in" if kind == "input" else "text is on"
    return QA(f"Reading from the top, what {what} the {_ORDINALS[k]} {word}?", _label(items[k]), "read_ordinal",
              {"kind": kind, "k": k})


def check_ordinal(tree: Node, ev: dict[str, Any]) -> str:
    items = [n for n in nodes_in_order(tree) if n.kind == ev["kind"] and _label(n)]
    return _label(items[ev["k"]])


def ask_count(tree: Node, nodes: list[Node], rng: random.Random) -> QA | None:
    kinds = [k for k in _COUNTABLE if 1 <= sum(1 for n in nodes if n.kind == k) <= 20]
    if not kinds:
        return None
    kind = rng.choice(kinds)
    count = sum(1 for n in nodes if n.kind == kind)
    return QA(f"How many {_COUNTABLE[kind]} are there on this page?", str(count), "count", {"kind": kind})


def check_count(tree: Node, ev: dict[str, Any]) -> str:
    return str(sum(1 for n in tree.walk() if n.kind == ev["kind"] and n.box is not None))


def ask_nav(tree: Node, nodes: list[Node], rng: random.Random) -> QA | None:
    nav = next((n for n in nodes if n.kind == "navbar"), None)
    if nav is None:
        return None
    links = [_label(n) for n in nodes_in_order(nav) if n.kind in ("link", "button") and _label(n)]
    if not 1 <= len(links) <= 12:
        return None
    return QA("Which items does the navigation bar offer?", ", ".join(links), "nav_items", {"node": _ref(tree, nav)})


def check_nav(tree: Node, ev: dict[str, Any]) -> str:
    nav = _index(tree)[ev["node"]]
    return ", ".join(_label(n) for n in nodes_in_order(nav) if n.kind in ("link", "button") and _label(n))


def ask_text_color(tree: Node, nodes: list[Node], rng: random.Random) -> QA | None:
    cands = [n for n in nodes if n.kind in ("heading", "button", "link", "badge") and n.style.color and _unique_text(nodes, n)]
    if not cands:
        return None
    n = rng.choice(cands)
    assert n.style.color is not None
    return QA(f'What color is the text "{_label(n)}"?', f"{color_name(n.style.color)} ({n.style.color})", "text_color",
              {"node": _ref(tree, n)})


def check_text_color(tree: Node, ev: dict[str, Any]) -> str:
    c = _index(tree)[ev["node"]].style.color or ""
    return f"{color_name(c)} ({c})"


def ask_background(tree: Node, nodes: list[Node], rng: random.Random) -> QA | None:
    cands = [n for n in nodes if n.kind in ("button", "badge") and n.style.background and _unique_text(nodes, n)]
    if not cands:
        return None
    n = rng.choice(cands)
    assert n.style.background is not None
    return QA(f'What is the background color of the {_KIND_WORDS[n.kind]} "{_label(n)}"?',
              f"{color_name(n.style.background)} ({n.style.background})", "background_color", {"node": _ref(tree, n)})


def check_background(tree: Node, ev: dict[str, Any]) -> str:
    c = _index(tree)[ev["node"]].style.background or ""
    return f"{color_name(c)} ({c})"


def ask_relative(tree: Node, nodes: list[Node], rng: random.Random) -> QA | None:
    named = [n for n in nodes if n.kind in _KIND_WORDS and _unique_text(nodes, n)]
    for _ in range(8):
        if len(named) < 2:
            return None
        a, b = rng.sample(named, 2)
        assert a.box is not None and b.box is not None
        dy = (a.box[1] + a.box[3] / 2) - (b.box[1] + b.box[3] / 2)
        if abs(dy) > max(a.box[3], b.box[3]):
            return QA(f'Is "{_label(a)}" above or below "{_label(b)}"?', "above" if dy < 0 else "below", "relative_position",
                      {"a": _ref(tree, a), "b": _ref(tree, b)})
    return None


def check_relative(tree: Node, ev: dict[str, Any]) -> str:
    idx = _index(tree)
    a, b = idx[ev["a"]].box, idx[ev["b"]].box
    assert a is not None and b is not None
    return "above" if a[1] + a[3] / 2 < b[1] + b[3] / 2 else "below"


def ask_kind(tree: Node, nodes: list[Node], rng: random.Random) -> QA | None:
    cands = [n for n in nodes if n.kind in ("button", "link", "heading", "input", "badge", "logo") and _unique_text(nodes, n)]
    if not cands:
        return None
    n = rng.choice(cands)
    word = _KIND_WORDS[n.kind]
    return QA(f'What kind of element shows "{_label(n)}"?', f"{'an' if word[0] in 'aeiou' else 'a'} {word}", "element_kind",
              {"node": _ref(tree, n)})


def check_kind(tree: Node, ev: dict[str, Any]) -> str:
    word = _KIND_WORDS[_index(tree)[ev["node"]].kind]
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _purpose(n: Node) -> str:
    if n.kind == "input":
        what = _INPUT_PURPOSE.get(n.attrs.get("type", "text"), f'text ("{_label(n)}")' if _label(n) else "text")
        return f"It is a text input field for entering {what}."
    if n.kind == "button":
        return f'It is a button labelled "{_label(n)}"; clicking it performs that action.'
    if n.kind == "link":
        return f'It is a link labelled "{_label(n)}" that leads to another page or section.'
    if n.kind == "checkbox":
        return f'It is a checkbox to turn "{_label(n)}" on or off.'
    return f'It is a drop-down menu to choose from options starting with "{_label(n)}".'


def ask_purpose(tree: Node, nodes: list[Node], rng: random.Random) -> QA | None:
    cands = [n for n in nodes if n.kind in ("input", "button", "link", "checkbox", "select") and _unique_text(nodes, n)]
    if not cands:
        return None
    n = rng.choice(cands)
    return QA(f'What is the "{_label(n)}" control for?', _purpose(n), "control_purpose", {"node": _ref(tree, n)})


def check_purpose(tree: Node, ev: dict[str, Any]) -> str:
    return _purpose(_index(tree)[ev["node"]])


TEMPLATES: dict[str, tuple[Callable[[Node, list[Node], random.Random], QA | None], Callable[[Node, dict[str, Any]], str]]] = {
    "read_heading": (ask_heading, check_heading),
    "read_ordinal": (ask_ordinal, check_ordinal),
    "count": (ask_count, check_count),
    "nav_items": (ask_nav, check_nav),
    "text_color": (ask_text_color, check_text_color),
    "background_color": (ask_background, check_background),
    "relative_position": (ask_relative, check_relative),
    "element_kind": (ask_kind, check_kind),
    "control_purpose": (ask_purpose, check_purpose),
}


def make_questions(tree: Node, rng: random.Random, n: int, max_y: float | None = None,
                   rejected: list[QA] | None = None) -> list[QA]:
    """Up to `n` verified questions from different templates, in random template order.

    Questions whose answer the checker does not reproduce are left out (and added to `rejected`).
    """
    nodes = nodes_in_order(tree, max_y)
    names = list(TEMPLATES)
    rng.shuffle(names)
    out: list[QA] = []
    for name in names:
        if len(out) >= n:
            break
        qa = TEMPLATES[name][0](tree, nodes, rng)
        if qa is None:
            continue
        if verify(tree, qa):
            out.append(qa)
        elif rejected is not None:
            rejected.append(qa)
    return out


def verify(tree: Node, qa: QA) -> bool:
    """Recompute the answer from the evidence; True when it matches."""
    try:
        return TEMPLATES[qa.template][1](tree, qa.evidence) == qa.answer
    except (KeyError, IndexError, ValueError, AssertionError):
        return False
