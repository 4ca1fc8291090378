"""Read a rendered page back into a layout tree.

Pages compiled by `emit_html` come back exactly (same kinds, nesting and text): every element
names its kind by its tag or first class. Other pages come back approximately: tags and
computed styles decide kinds, wrappers with no visual role are dissolved, and inline
formatting is folded into the text of the block that holds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from napkin.layout._tree import Node, Style

if TYPE_CHECKING:  # types only: `import napkin.layout` must not load the render engine
    from napkin.render import Element, Render

_BY_CLASS = {
    "section": "section", "header": "header", "footer": "footer", "navbar": "navbar", "sidebar": "sidebar",
    "main": "main", "row": "row", "col": "column", "grid": "grid", "card": "card", "form": "form", "list": "list",
    "table": "table", "btn": "button", "logo": "logo", "check": "checkbox", "img": "image", "icon": "icon",
    "avatar": "avatar", "badge": "badge", "video": "video",
}
_BY_TAG = {
    "section": "section", "header": "header", "footer": "footer", "nav": "navbar", "aside": "sidebar",
    "main": "main", "form": "form", "ul": "list", "ol": "list", "li": "list_item", "table": "table",
    "tr": "table_row", "td": "table_cell", "th": "table_cell", "p": "paragraph", "label": "label", "a": "link",
    "button": "button", "input": "input", "textarea": "textarea", "select": "select", "img": "image",
    "hr": "divider", "video": "video", "iframe": "video", "svg": "icon", "canvas": "image",
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
    "blockquote": "paragraph", "pre": "paragraph", "dd": "paragraph", "dt": "paragraph", "figcaption": "paragraph",
    "caption": "paragraph", "article": "card",
}
# Inline formatting: its text belongs to the enclosing block.
_INLINE = {"b", "strong", "i", "em", "u", "small", "mark", "sup", "sub", "code", "abbr", "cite", "q", "s", "time", "font", "br", "wbr", "kbd", "var", "tt", "big", "del", "ins"}
# Kinds whose whole subtree is one node (their descendants' text is their text).
_ATOMIC = {"heading", "paragraph", "label", "link", "button", "list_item", "table_cell", "text", "badge", "logo", "checkbox", "radio", "select", "textarea"}
# Kinds that keep element children (list items, buttons with icons) when they have any.
_KEEP_CHILDREN = {"list_item", "table_cell", "link", "button", "logo"}
_INPUT_TYPES_AS_BUTTON = {"submit", "button", "reset"}


def _hex(rgba: tuple[int, int, int, float]) -> str | None:
    r, g, b, a = rgba
    if a < 0.5:
        return None
    return f"#{r:02x}{g:02x}{b:02x}"


def classify(el: Element) -> str | None:
    """The kind of one element, or None when it is only a wrapper."""
    classes = el.attrs.get("class")
    first = classes.split(" ", 1)[0] if classes else ""
    tag = el.tag
    if first in _BY_CLASS:
        kind: str | None = _BY_CLASS[first]
        if kind == "image" and tag != "img":
            kind = "image" if not el.text else None  # a div called "img" with text is not a picture
        if first == "input":
            kind = {"textarea": "textarea", "select": "select"}.get(tag, "input")
        if kind is not None:
            return kind
    if tag == "body":
        return "page"
    if tag == "input":
        t = el.attrs.get("type", "text")
        if t in _INPUT_TYPES_AS_BUTTON:
            return "button"
        if t in ("checkbox", "radio"):
            return t
        if t == "hidden":
            return None
        return "input"
    if tag in _BY_TAG:
        return _BY_TAG[tag]
    if tag in _INLINE:
        return None
    if tag == "span" and el.text:
        return "text"
    if tag in ("div", "span", "center", "figure", "dl", "fieldset", "details", "summary", "tbody", "thead", "tfoot", "colgroup", "picture"):
        if el.display in ("flex", "inline-flex") or el.display == "grid":
            return "grid" if el.display == "grid" else "row"
        if el.text:
            return "paragraph"
        return None
    return "text" if el.text else None


class _Builder:
    def __init__(self, render: Render) -> None:
        self.els = render.elements
        self.children: dict[int, list[int]] = {}
        for e in self.els:
            self.children.setdefault(e.parent, []).append(e.index)

    def all_text(self, idx: int) -> str:
        """Text of an element and its descendants in reading order (line by line, left to right)."""
        boxes = []
        stack = [idx]
        while stack:
            i = stack.pop()
            boxes += self.els[i].text_boxes
            stack += self.children.get(i, ())
        if len(boxes) > 1:  # most atomic elements hold one text node: nothing to order
            boxes.sort(key=lambda b: (round(b.y + b.h / 2) // 4, b.x))
        return " ".join([b.text for b in boxes]).strip()

    def build(self, idx: int, parent_bg: str | None) -> list[Node]:
        el = self.els[idx]
        kind = classify(el)
        own_bg = _hex(el.background)  # once: `style` needs it too
        bg = own_bg or parent_bg
        kids = self.children.get(idx, ())
        if kind is None:
            # A wrapper: its children take its place; its own loose text becomes a text node.
            out = [Node("text", el.text, box=el.box)] if el.text else []
            for c in kids:
                out += self.build(c, bg)
            return out
        node = Node(kind, box=el.box, style=self.style(el, kind, own_bg, parent_bg), attrs=self.attrs(el, kind))
        element_kids = [c for c in kids if classify(self.els[c]) not in (None, "text")] if kind in _KEEP_CHILDREN else []
        if kind == "checkbox":
            box = next((self.els[c] for c in kids if self.els[c].tag == "input"), None)
            if box is not None:
                node.kind = "radio" if box.attrs.get("type") == "radio" else "checkbox"
                if box.attrs.get("checked"):
                    node.attrs["checked"] = "1"
        if kind in ("select", "textarea", "input"):
            node.text = el.attrs.get("value") or el.attrs.get("placeholder", "")
            return [node]
        if kind in ("image", "avatar"):
            node.text = el.attrs.get("alt", "")
            return [node]
        if kind == "video":
            node.text = el.attrs.get("aria-label", "")
            return [node]
        if kind in ("icon", "divider"):
            return [node]
        if kind in _ATOMIC and not element_kids:
            node.text = self.all_text(idx)
            return [node]
        node.text = el.text
        children = node.children
        for c in kids:
            children += self.build(c, bg)
        if kind == "grid" and node.children:
            top = node.children[0].box[1] if node.children[0].box else 0.0
            node.attrs["cols"] = str(sum(1 for c in node.children if c.box and abs(c.box[1] - top) < 2) or 1)
        if kind == "page" and node.children == [] and el.text:
            node.children.append(Node("paragraph", el.text, box=el.box))
        return [node]

    def style(self, el: Element, kind: str, bg: str | None, parent_bg: str | None) -> Style:
        """`bg` is the element's own background (`_hex(el.background)`)."""
        return Style(
            color=_hex(el.color) if el.text or kind in ("heading", "paragraph", "link", "button") else None,
            background=bg if bg != parent_bg else None,
            font_size=el.font_size if el.text else None,
            font_weight=el.font_weight if el.text else None,
        )

    def attrs(self, el: Element, kind: str) -> dict[str, str]:
        a: dict[str, str] = {}
        if kind == "heading":
            a["level"] = el.tag[1]
        elif kind == "input":
            a["type"] = el.attrs.get("type", "text")
        elif kind in ("image", "avatar"):
            a["width"], a["height"] = str(round(el.w)), str(round(el.h))
        elif kind == "button":
            classes = el.attrs.get("class", "").split()
            for v in ("primary", "ghost"):
                if f"btn-{v}" in classes:
                    a["variant"] = v
        elif kind == "table_cell" and el.tag == "th":
            a["header"] = "1"
        elif kind == "list" and el.tag == "ol":
            a["ordered"] = "1"
        return a


def from_dom(render: Render) -> Node:
    """The layout tree of a rendered page (needs the render's DOM facts)."""
    if not render.elements:
        return Node("page", box=(0.0, 0.0, float(render.viewport.width), render.page_height))
    b = _Builder(render)
    body = next((e.index for e in render.elements if e.tag == "body"), None)
    if body is None:
        nodes = b.build(0, None)
        page = Node("page", box=render.elements[0].box, children=[n for n in nodes if n.kind != "page"])
    else:
        page = b.build(body, _hex(render.elements[0].background))[0]
    page.attrs = {"title": render.title} if render.title else {}
    return page
