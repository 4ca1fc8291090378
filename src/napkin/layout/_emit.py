"""Compile a layout tree to clean HTML and CSS.

The output is code a person would want to edit: semantic tags, flow layout (flex and grid,
never absolute positioning), one class per kind with its rules in a stylesheet, theme values
as CSS custom properties, a shared class for each look (colour, type, background, border) that
two or more elements have, and what is one element's own (its offset, width and spacing, or a
look nobody else has) in that element's style attribute. The stylesheet stays short whatever
the page: no rule per element. Every element's first class (or its tag) names its kind, which
is what lets `from_dom` read the page back into the same tree.
"""

from __future__ import annotations

import html as html_lib
from urllib.parse import quote

from napkin.errors import InputError
from napkin.layout._theme import DEFAULT_THEME, FONT_STACKS, Theme
from napkin.layout._tree import Node, Style, validate

# Pictures are placeholders: an empty SVG without an intrinsic size as the <img> source (so the
# image keeps the aspect ratio of its width and height attributes), and the picture itself,
# a mountain and a sun, drawn once by the stylesheet behind every image. Both are inline
# (data: URLs), so the page works in any browser, offline; replace the src to use a real image.
PLACEHOLDER_SRC = "data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E"
_PLACEHOLDER_ART = "data:image/svg+xml," + quote(
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 60 40'>"
    "<path d='M4 36 22 12 34 28 42 20 56 36Z' fill='#aab1bb'/><circle cx='44' cy='9' r='5' fill='#aab1bb'/></svg>",
    safe="/:= ",
)

# Tag and class of each kind. The class is the element's first class; from_dom relies on it.
_TAGS: dict[str, tuple[str, str]] = {
    "section": ("section", "section"),
    "header": ("header", "header"),
    "footer": ("footer", "footer"),
    "navbar": ("nav", "navbar"),
    "sidebar": ("aside", "sidebar"),
    "main": ("main", "main"),
    "row": ("div", "row"),
    "column": ("div", "col"),
    "grid": ("div", "grid"),
    "card": ("div", "card"),
    "form": ("form", "form"),
    "list": ("ul", "list"),
    "list_item": ("li", ""),
    "table": ("table", "table"),
    "table_row": ("tr", ""),
    "table_cell": ("td", ""),
    "heading": ("h2", ""),
    "paragraph": ("p", ""),
    "text": ("span", ""),
    "label": ("label", ""),
    "link": ("a", ""),
    "button": ("button", "btn"),
    "logo": ("a", "logo"),
    "input": ("input", "input"),
    "textarea": ("textarea", "input"),
    "select": ("select", "input"),
    "checkbox": ("label", "check"),
    "radio": ("label", "check"),
    "image": ("img", "img"),
    "icon": ("span", "icon"),
    "avatar": ("img", "avatar"),
    "badge": ("span", "badge"),
    "divider": ("hr", ""),
    "video": ("div", "video"),
}
_HEADING_EM = {1: 2.25, 2: 1.75, 3: 1.375, 4: 1.125, 5: 1.0, 6: 0.875}
_JUSTIFY = {"start": "flex-start", "center": "center", "end": "flex-end", "between": "space-between"}
_CONTAINERS_ALIGNABLE = {"page", "section", "header", "footer", "main", "column", "card", "form", "sidebar"}


def _px(v: float) -> str:
    return f"{int(v)}px" if float(v).is_integer() else f"{round(v, 1)}px"


def style_css(kind: str, style: Style) -> list[str]:
    """CSS declarations for a node's own style facts."""
    out = []
    for name, v in style.items():
        if name == "color":
            out.append(f"color: {v}")
        elif name == "background":
            out.append(f"background: {v}")
        elif name == "font_size":
            out.append(f"font-size: {_px(v)}")
        elif name == "font_weight":
            out.append(f"font-weight: {v}")
        elif name == "font_family":
            out.append(f"font-family: var(--font-{v})")
        elif name == "align":
            out.append(f"text-align: {v}")
            if kind in _CONTAINERS_ALIGNABLE:
                out.append(f"align-items: {_JUSTIFY[{'left': 'start', 'center': 'center', 'right': 'end'}[v]]}")
        elif name == "justify":
            out.append(f"justify-content: {_JUSTIFY[v]}")
        elif name == "gap":
            out.append(f"gap: {_px(v)}")
        elif name == "padding":
            out.append("padding: " + " ".join(_px(p) for p in v))
        elif name == "margin_top":
            out.append(f"margin-top: {_px(v)}")
        elif name == "width":
            out.append(f"width: {v}")
            out.append("flex: 0 1 auto")
        elif name == "height":
            out.append(f"{'height' if kind in ('image', 'video', 'avatar', 'divider', 'icon') else 'min-height'}: {_px(v)}")
        elif name == "max_width":
            out.append(f"max-width: {_px(v)}")
            out.append("margin-left: auto")
            out.append("margin-right: auto")
            out.append("width: 100%")
        elif name == "radius":
            out.append(f"border-radius: {_px(v)}")
        elif name == "border_width":
            out.append(f"border: {_px(v)} solid {style.border_color or 'var(--border)'}")
        elif name == "border_color" and style.border_width is None:
            out.append(f"border-color: {v}")
    return out


def base_css(theme: Theme) -> str:
    t = theme
    headings = "\n".join(
        f"h{level} {{ font-size: {_px(round(t.base_size * em * (t.heading_scale if level <= 3 else 1), 1))}; }}"
        for level, em in _HEADING_EM.items()
    )
    return f""":root {{
  --bg: {t.background};
  --surface: {t.surface};
  --text: {t.text};
  --muted: {t.muted};
  --primary: {t.primary};
  --on-primary: {t.on_primary};
  --border: {t.border};
  --radius: {_px(t.radius)};
  --gap: {_px(t.spacing)};
  --font-sans: {FONT_STACKS["sans"]};
  --font-serif: {FONT_STACKS["serif"]};
  --font-mono: {FONT_STACKS["mono"]};
  --font-hand: {FONT_STACKS["hand"]};
}}
* {{ box-sizing: border-box; }}
body {{
  margin: 0;
  display: flex;
  flex-direction: column;
  min-height: 100vh;
  background: var(--bg);
  color: var(--text);
  font-family: var(--font-{t.font});
  font-size: {_px(t.base_size)};
  line-height: {t.line_height};
}}
h1, h2, h3, h4, h5, h6 {{ margin: 0; font-family: var(--font-{t.heading_font}); line-height: 1.2; }}
{headings}
p, ul, ol, table, form, hr {{ margin: 0; }}
h1, h2, h3, h4, h5, h6, p, li, td, th {{ overflow-wrap: break-word; }}
a {{ color: var(--primary); text-decoration: none; }}
.section, .header, .footer, .main, .sidebar {{ display: flex; flex-direction: column; align-items: flex-start; gap: var(--gap); padding: {_px(t.section_padding)} {_px(t.section_padding * 0.75)}; }}
.main {{ flex: 1; }}
.footer {{ color: var(--muted); }}
.navbar {{ display: flex; align-items: center; justify-content: space-between; gap: {_px(t.spacing * 1.5)}; padding: {_px(t.spacing)} {_px(t.section_padding * 0.75)}; border-bottom: 1px solid var(--border); }}
.row {{ display: flex; align-items: center; gap: var(--gap); flex-wrap: wrap; }}
.row > :where(.col, .card, .form) {{ flex: 1 1 0; min-width: 0; }}
.row.inline > :where(.col, .card, .form) {{ flex: 0 1 auto; }}
.col, .card, .form {{ display: flex; flex-direction: column; align-items: flex-start; gap: calc(var(--gap) * 0.75); }}
.section > *, .header > *, .footer > *, .main > *, .sidebar > *, .col > *, .card > *, .form > * {{ max-width: 100%; }}
.section > .row, .header > .row, .footer > .row, .main > .row, .col > .row, .card > .row, .form > .row,
.section > .grid, .main > .grid, .col > .grid, .section > .table, .col > .table, .card > .table,
.section > .card, .main > .card, .col > .card, .section > .form, .col > .form, .card > .form,
h1, h2, h3, h4, h5, h6, p {{ align-self: stretch; }}
.grid {{ display: grid; grid-template-columns: repeat(var(--cols, 3), minmax(0, 1fr)); gap: var(--gap); align-self: stretch; }}
.card {{ padding: {_px(t.spacing * 1.25)}; background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); }}
.list {{ padding-left: 1.25em; }}
.list.bare {{ display: flex; flex-direction: column; gap: calc(var(--gap) * 0.5); padding-left: 0; list-style: none; }}
.row > .sidebar, .row > .main {{ align-self: stretch; }}
.table {{ border-collapse: collapse; }}
.table td, .table th {{ padding: 8px 12px; border-bottom: 1px solid var(--border); text-align: left; }}
.btn {{ display: inline-block; padding: 10px 18px; font: inherit; font-weight: 600; color: var(--text); background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); }}
.btn-primary {{ color: var(--on-primary); background: var(--primary); border-color: var(--primary); }}
.btn-ghost {{ background: transparent; border-color: transparent; color: var(--primary); }}
.logo {{ font-weight: 700; font-size: {_px(t.base_size * 1.25)}; color: var(--text); }}
.input {{ width: 100%; max-width: 420px; padding: 10px 12px; font: inherit; color: var(--text); background: var(--bg); border: 1px solid var(--border); border-radius: var(--radius); }}
.check {{ display: inline-flex; align-items: center; gap: 8px; }}
.img, .avatar {{ display: block; background: #d8dce2 url("{_PLACEHOLDER_ART}") center / 40% auto no-repeat; }}
.img {{ max-width: 100%; height: auto; border-radius: var(--radius); }}
.avatar {{ border-radius: 50%; flex: none; }}
.icon {{ display: inline-block; width: 24px; height: 24px; border-radius: 6px; background: var(--muted); opacity: 0.6; flex: none; }}
.badge {{ display: inline-block; padding: 2px 10px; font-size: 0.8em; font-weight: 600; color: var(--on-primary); background: var(--primary); border-radius: 999px; }}
hr {{ align-self: stretch; border: 0; border-top: 1px solid var(--border); }}
.video {{ position: relative; display: grid; place-items: center; aspect-ratio: 16 / 9; width: 100%; max-width: 640px; background: #1f2328; border-radius: var(--radius); }}
.video::after {{ content: ""; border-style: solid; border-width: 18px 0 18px 30px; border-color: transparent transparent transparent #ffffff; }}
.muted {{ color: var(--muted); }}"""


_OFFSET_PX = 24.0  # side padding above this is an offset (see _Emitter.style)
_INSET_KINDS = {"button", "badge", "input", "textarea", "select", "checkbox", "radio", "icon", "avatar", "image", "video", "divider"}
_ROLES = {"navigation", "search", "banner", "contentinfo"}
_CONTAINER_KINDS = {"section", "header", "footer", "main", "sidebar", "navbar", "row", "column", "grid", "card", "form", "list", "table"}

# On narrow screens these win over the desktop placement each element carries in its style
# attribute (hence !important): rows stack, offsets shrink, pulled-up text goes back in flow.
RESPONSIVE_CSS = """@media (max-width: 640px) {
  .row:not(.inline) { flex-direction: column; flex-wrap: nowrap; align-items: stretch; }
  .row:not(.inline) > * { width: auto !important; flex: none !important; margin-left: 0 !important; margin-right: 0 !important; }
  .grid:not(.keep) { grid-template-columns: minmax(0, 1fr); }
  .navbar { flex-wrap: wrap; }
  .table { display: block; overflow-x: auto; }
  .section, .header, .footer, .main, .navbar, .offset { padding-left: 16px !important; padding-right: 16px !important; }
  .indent { padding-left: 0 !important; padding-right: 0 !important; }
  .pull-up { margin-top: 0 !important; }
}"""


# Declarations that place one element (its offset, width, spacing) rather than give it a look:
# they stay on the element, in its style attribute; looks that elements share become classes.
_PLACEMENT = ("padding", "margin-", "width", "flex:", "height", "min-height", "max-width", "gap")


def _split(n: Node) -> tuple[str, str]:
    """A node's style as (its look, its placement): two declaration lists, each joined by "; "."""
    decls = style_css(n.kind, n.style)
    return "; ".join(d for d in decls if not d.startswith(_PLACEMENT)), "; ".join(d for d in decls if d.startswith(_PLACEMENT))


class _Emitter:
    def __init__(self, theme: Theme, tree: Node) -> None:
        self.theme = theme
        # A look (the declarations that are not placement) used by two or more elements gets a
        # class; a look used once stays inline with that element's placement.
        uses: dict[str, int] = {}
        for n in tree.walk():
            look, _ = _split(n)
            if look:
                uses[look] = uses.get(look, 0) + 1
        self.rules: dict[str, str] = {}  # shared look -> class name, in order of first use
        self.shared = {look for look, count in uses.items() if count > 1}

    def style(self, n: Node) -> tuple[list[str], str]:
        """(classes, inline declarations) for a node's own style facts."""
        look, placement = _split(n)
        inline = "; ".join(part for part in ((placement,) if look in self.shared else (look, placement)) if part)
        classes = []
        if look in self.shared:
            if look not in self.rules:
                self.rules[look] = f"style-{len(self.rules) + 1}"
            classes.append(self.rules[look])
        style = n.style
        # Side padding beyond _OFFSET_PX places content on the desktop page (an offset, not a
        # design inset): on narrow screens it is reduced, or it would push the page wider than
        # the screen. A negative top margin pulls text up; once text rewraps it would overlap.
        if style.padding is not None and max(style.padding[1], style.padding[3]) > _OFFSET_PX and n.kind not in _INSET_KINDS:
            classes.append("offset" if n.kind in _CONTAINER_KINDS else "indent")
        if style.margin_top is not None and style.margin_top < 0:
            classes.append("pull-up")
        return classes, inline

    def node(self, n: Node, indent: int) -> list[str]:
        pad = "  " * indent
        if n.kind == "page":
            raise InputError("a page can only be the root of a tree")
        tag, cls = _TAGS.get(n.kind, ("div", n.kind))
        attrs: list[tuple[str, str]] = []
        classes = [cls] if cls else []
        if n.kind == "heading":
            tag = f"h{int(n.attrs.get('level', '2'))}"
        elif n.kind == "button" and n.attrs.get("variant") in ("primary", "ghost"):
            classes.append(f"btn-{n.attrs['variant']}")
        elif n.kind == "list" and n.attrs.get("ordered") == "1":
            tag = "ol"
        elif n.kind == "table_cell" and n.attrs.get("header") == "1":
            tag = "th"
        elif n.kind in ("paragraph", "text", "label") and n.attrs.get("muted") == "1":
            classes.append("muted")
        if n.kind == "list" and n.attrs.get("bare") == "1":
            classes.append("bare")  # no markers, no indent: link lists in footers and sidebars
        if n.kind == "row" and n.attrs.get("inline") == "1":
            classes.append("inline")  # a small group (buttons, avatar and name) that stays a row on phones
        if n.kind == "grid" and n.attrs.get("keep") == "1":
            classes.append("keep")  # keeps its columns on phones (photo tiles, app screens)
        extra, inline = self.style(n)
        classes += extra
        if n.kind == "grid":
            inline = "; ".join(filter(None, [f"--cols: {int(n.attrs.get('cols', '3'))}", inline]))
        if classes:
            attrs.append(("class", " ".join(classes)))
        if inline:
            attrs.append(("style", inline))
        if n.attrs.get("role") in _ROLES and n.kind in _CONTAINER_KINDS:
            attrs.append(("role", n.attrs["role"]))  # a region that is navigation without being a <nav> bar
        text = html_lib.escape(n.text, quote=False)

        if n.kind in ("link", "logo"):
            attrs.append(("href", n.attrs.get("href", "#")))
        if n.kind in ("image", "avatar"):
            w, h = _size(n, 320 if n.kind == "image" else 48, 180 if n.kind == "image" else 48)
            attrs += [("src", PLACEHOLDER_SRC), ("width", str(w)), ("height", str(h)), ("alt", n.text)]
            return [f"{pad}<{tag}{_attrs(attrs)}>"]
        if n.kind == "input":
            attrs.insert(0, ("type", n.attrs.get("type", "text")))
            if n.attrs.get("filled") == "1":
                attrs.append(("value", n.text))
            elif n.text:
                attrs.append(("placeholder", n.text))
            return [f"{pad}<input{_attrs(attrs)}>"]
        if n.kind == "textarea":
            attrs += [("rows", n.attrs.get("rows", "4")), ("placeholder", n.text)]
            return [f"{pad}<textarea{_attrs(attrs)}></textarea>"]
        if n.kind == "select":
            options = [o for o in n.attrs.get("options", "").split("|") if o] or [n.text]
            opts = "".join(f"<option>{html_lib.escape(o, quote=False)}</option>" for o in options)
            return [f"{pad}<select{_attrs(attrs)}>{opts}</select>"]
        if n.kind in ("checkbox", "radio"):
            checked = " checked" if n.attrs.get("checked") == "1" else ""
            return [f'{pad}<label{_attrs(attrs)}><input type="{n.kind}"{checked}> {text}</label>']
        if n.kind == "divider":
            return [f"{pad}<hr{_attrs(attrs)}>"]
        if n.kind == "icon":
            attrs.append(("aria-hidden", "true"))
            return [f"{pad}<span{_attrs(attrs)}></span>"]
        if n.kind == "video":
            attrs += [("role", "img"), ("aria-label", n.text or "video")]
            return [f"{pad}<div{_attrs(attrs)}></div>"]

        open_tag = f"{pad}<{tag}{_attrs(attrs)}>"
        if not n.children:
            return [f"{open_tag}{text}</{tag}>"]
        phrasing = n.kind in ("button", "link", "logo", "table_cell", "list_item")
        if phrasing and all(c.kind in ("icon", "image", "avatar", "text", "badge") for c in n.children):
            inner = "".join(s.strip() for c in n.children for s in self.node(c, 0))
            return [f"{open_tag}{inner}{(' ' + text) if text else ''}</{tag}>"]
        if not text and len(n.children) == 1:
            # A wrapper of one line (a column holding a picture, a chain of such wrappers) reads
            # best on one line, and pages of tiles stay free of long runs of bare indentation.
            only = self.node(n.children[0], 0)
            if len(only) == 1:
                return [f"{open_tag}{only[0].strip()}</{tag}>"]
            return [open_tag, *(f"{pad}  {line}" for line in only), f"{pad}</{tag}>"]
        lines = [open_tag]
        if text:
            lines.append(f"{pad}  {text}")
        for c in n.children:
            lines += self.node(c, indent + 1)
        lines.append(f"{pad}</{tag}>")
        return lines


def _size(n: Node, w: int, h: int) -> tuple[int, int]:
    try:
        return int(float(n.attrs.get("width", w))), int(float(n.attrs.get("height", h)))
    except ValueError:
        return w, h


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return "".join(f' {k}="{html_lib.escape(v, quote=True)}"' for k, v in pairs)


def emit_html(tree: Node, theme: Theme | None = None) -> str:
    """Compile a page tree to a standalone HTML document (UTF-8, CSS in one <style>)."""
    theme = theme or DEFAULT_THEME
    problems = validate(tree)
    if problems:
        raise InputError("cannot emit this tree: " + "; ".join(problems))
    em = _Emitter(theme, tree)
    body: list[str] = []
    for c in tree.children:
        body += em.node(c, 1)
    body_classes, body_inline = em.style(tree)
    title = html_lib.escape(tree.attrs.get("title") or next((t for t in tree.texts()), "Page"), quote=False)
    rules = "\n".join(f".{name} {{ {decls}; }}" for decls, name in em.rules.items())
    css = base_css(theme) + ("\n" + rules if rules else "") + "\n" + RESPONSIVE_CSS
    body_open = "<body" + _attrs([(k, v) for k, v in (("class", " ".join(body_classes)), ("style", body_inline)) if v]) + ">"
    return "\n".join(
        [
            "<!doctype html>",
            f'<html lang="{tree.attrs.get("lang", "en")}">',
            "<head>",
            '  <meta charset="utf-8">',
            '  <meta name="viewport" content="width=device-width, initial-scale=1">',
            f"  <title>{title}</title>",
            "  <style>",
            "\n".join("    " + line if line else "" for line in css.splitlines()),
            "  </style>",
            "</head>",
            body_open,
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )
