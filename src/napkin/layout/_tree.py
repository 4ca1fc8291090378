"""The layout tree: the one representation every part of Napkin meets in.

A node has a kind, optional text, a box, a few style facts, attributes and children. The
synthetic generator samples trees, `emit_html` compiles them to code, `from_dom` reads a
rendered page back into one, and the vision pipeline infers one from an image.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any

from napkin.errors import InputError

# Every kind a tree may hold, grouped by role. Containers hold other nodes; leaves hold text or
# stand for a control or a picture.
CONTAINERS = (
    "page", "section", "header", "footer", "navbar", "sidebar", "main",
    "row", "column", "grid", "card", "form", "list", "list_item", "table", "table_row",
)
LEAVES = (
    "heading", "paragraph", "text", "label", "link", "button", "logo",
    "input", "textarea", "select", "checkbox", "radio",
    "image", "icon", "avatar", "badge", "divider", "video", "table_cell",
)
KINDS = CONTAINERS + LEAVES
_KIND_SET = frozenset(KINDS)

# Classes of the Sketch2Code layout metric, for every kind that is visible on its own.
METRIC_CLASS = {
    "heading": "text", "paragraph": "text", "text": "text", "label": "text", "logo": "text", "list_item": "text",
    "link": "text", "badge": "text",
    "image": "image", "icon": "image", "avatar": "image",
    "button": "button",
    "navbar": "navigation",
    "input": "form_table", "textarea": "form_table", "select": "form_table", "checkbox": "form_table",
    "radio": "form_table", "table": "form_table", "form": "form_table",
    "divider": "divider",
    "video": "video",
}

_HEX = re.compile(r"^#[0-9a-f]{6}$")
ALIGNS = ("left", "center", "right")
JUSTIFY = ("start", "center", "end", "between")
FONTS = ("sans", "serif", "mono", "hand")


@dataclass(slots=True)
class Style:
    """Style facts of one node. None means "inherit from the theme". Lengths are CSS px."""

    color: str | None = None  # text color, "#rrggbb"
    background: str | None = None
    font_size: float | None = None
    font_weight: int | None = None
    font_family: str | None = None  # one of FONTS; the theme maps it to a font stack
    align: str | None = None  # text alignment: left, center, right
    justify: str | None = None  # main-axis distribution of a row: start, center, end, between
    gap: float | None = None  # between children
    padding: tuple[float, float, float, float] | None = None  # top, right, bottom, left
    margin_top: float | None = None  # extra space above this node, beyond the parent's gap
    width: str | None = None  # "240px", "33.3%"
    height: float | None = None
    max_width: float | None = None  # centred content column
    radius: float | None = None
    border_width: float | None = None
    border_color: str | None = None

    def __post_init__(self) -> None:
        # The fields are read directly, not by name with getattr: a Style is made for every node
        # sampled or read back from a render, so this check is hot.
        for name, v in (("color", self.color), ("background", self.background), ("border_color", self.border_color)):
            if v is not None and not _HEX.match(v):
                raise InputError(f"style.{name} must be a lowercase #rrggbb color, not {v!r}")
        if self.align is not None and self.align not in ALIGNS:
            raise InputError(f"style.align must be one of {ALIGNS}, not {self.align!r}")
        if self.justify is not None and self.justify not in JUSTIFY:
            raise InputError(f"style.justify must be one of {JUSTIFY}, not {self.justify!r}")
        if self.font_family is not None and self.font_family not in FONTS:
            raise InputError(f"style.font_family must be one of {FONTS}, not {self.font_family!r}")
        if self.padding is not None:
            values = tuple(float(p) for p in self.padding)
            if len(values) != 4:
                raise InputError("style.padding must have four values: top, right, bottom, left")
            self.padding = (values[0], values[1], values[2], values[3])

    def items(self) -> Iterator[tuple[str, Any]]:
        """The facts that are set, in field order."""
        for name in _STYLE_FIELDS:
            v = getattr(self, name)
            if v is not None:
                yield name, v

    def is_empty(self) -> bool:
        return next(self.items(), None) is None


# `dataclasses.fields` builds a fresh tuple on every call; `Style.items` runs for every node of
# every tree written out (JSON, tokens, HTML), so the names are looked up once.
_STYLE_FIELDS = tuple(f.name for f in fields(Style))


@dataclass(slots=True)
class Node:
    """One node of a layout tree."""

    kind: str
    text: str = ""
    box: tuple[float, float, float, float] | None = None  # x, y, w, h in CSS px, page coordinates
    style: Style = field(default_factory=Style)
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in _KIND_SET:
            raise InputError(f"unknown node kind {self.kind!r}; known kinds: {', '.join(KINDS)}")
        if self.box is not None:
            # map, not a generator expression: this runs for every node ever made, and it is faster.
            self.box = tuple(map(float, self.box))  # type: ignore[assignment]

    # -- traversal -----------------------------------------------------------------------------

    def walk(self) -> Iterator[Node]:
        """This node and every descendant, depth first, in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def walk_with_depth(self, depth: int = 0) -> Iterator[tuple[int, Node]]:
        yield depth, self
        for c in self.children:
            yield from c.walk_with_depth(depth + 1)

    def size(self) -> int:
        return sum(1 for _ in self.walk())

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)

    def texts(self) -> list[str]:
        return [n.text for n in self.walk() if n.text]

    def signature(self) -> str:
        """The tree's structure without text, style or boxes: `section(heading,row(card,card))`."""
        if not self.children:
            return self.kind
        return f"{self.kind}({','.join(c.signature() for c in self.children)})"

    def without_boxes(self) -> Node:
        return replace(self, box=None, children=[c.without_boxes() for c in self.children])

    # -- JSON ----------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; unset fields are left out. `Node.from_json` inverts it exactly."""
        d: dict[str, Any] = {"kind": self.kind}
        if self.text:
            d["text"] = self.text
        if self.box is not None:
            d["box"] = list(self.box)
        style = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.style.items()}
        if style:
            d["style"] = style
        if self.attrs:
            d["attrs"] = dict(self.attrs)
        if self.children:
            d["children"] = [c.to_json() for c in self.children]
        return d

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Node:
        if not isinstance(data, dict) or "kind" not in data:
            raise InputError("a layout node must be a JSON object with a 'kind'")
        unknown = set(data) - {"kind", "text", "box", "style", "attrs", "children"}
        if unknown:
            raise InputError(f"unknown layout node fields: {sorted(unknown)}")
        style_data = dict(data.get("style", {}))
        if "padding" in style_data:
            style_data["padding"] = tuple(style_data["padding"])
        try:
            style = Style(**style_data)
        except TypeError as exc:
            raise InputError(f"bad style in layout node: {exc}") from exc
        box = data.get("box")
        return cls(
            kind=data["kind"],
            text=data.get("text", ""),
            box=(float(box[0]), float(box[1]), float(box[2]), float(box[3])) if box is not None else None,
            style=style,
            attrs={str(k): str(v) for k, v in data.get("attrs", {}).items()},
            children=[cls.from_json(c) for c in data.get("children", [])],
        )


def validate(tree: Node) -> list[str]:
    """Problems that make a tree unusable for `emit_html` (empty when fine)."""
    problems = []
    if tree.kind != "page":
        problems.append(f"the root must be a page, not {tree.kind}")
    for node in tree.walk():
        if node.kind in LEAVES and node.children and node.kind not in ("button", "link", "table_cell", "logo"):
            problems.append(f"a {node.kind} cannot have children")
        if node.kind == "heading" and node.attrs.get("level", "2") not in {"1", "2", "3", "4", "5", "6"}:
            problems.append(f"heading level must be 1-6, not {node.attrs.get('level')}")
    return problems
