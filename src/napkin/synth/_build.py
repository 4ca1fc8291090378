"""The building context: one page's random stream, content, theme, tone, and node constructors.

Section builders ask the context for nodes (`ctx.heading`, `ctx.button`, `ctx.card`...) rather
than making `Node`s themselves, so that colors stay readable on every section background
(the current `Tone`) and page-wide choices (content width, container style) stay consistent.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from napkin.layout import Node, Style, Theme
from napkin.synth._content import Writer
from napkin.synth._themes import contrast, mix, on_color, readable

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Tone:
    """Colors for content on one section background. None means "the theme's defaults apply"."""

    name: str
    background: str | None = None
    text: str | None = None
    muted: str | None = None
    link: str | None = None
    card: str | None = None  # card background
    button_bg: str | None = None  # primary buttons
    button_fg: str | None = None
    badge_bg: str | None = None
    badge_fg: str | None = None

    @property
    def plain(self) -> bool:
        return self.background is None


PLAIN = Tone("plain")


def make_tone(name: str, theme: Theme) -> Tone:
    """A section background and the colors that read on it."""
    t = theme
    if name == "plain":
        return PLAIN
    if name == "tinted":
        bg = t.surface if not t.dark else mix(t.background, t.text, 0.06)
        return Tone("tinted", background=bg, card=t.background, muted=readable(t.muted, bg, 4.5))
    if name == "brand":
        bg = t.primary
        fg = on_color(bg)
        return Tone(
            "brand", background=bg, text=fg, muted=readable(mix(fg, bg, 0.22), bg, 4.5), link=fg,
            card=mix(bg, fg, 0.1), button_bg=fg, button_fg=readable(bg, fg, 4.5), badge_bg=fg, badge_fg=readable(bg, fg, 4.5),
        )
    if name == "inverse":
        bg, fg = t.text, t.background  # the theme's text and background, swapped
        link = readable(t.primary, bg, 4.5)
        return Tone(
            "inverse", background=bg, text=fg, muted=readable(mix(fg, bg, 0.3), bg, 4.5), link=link,
            card=mix(bg, fg, 0.08), button_bg=link, button_fg=on_color(link), badge_bg=link, badge_fg=on_color(link),
        )
    raise ValueError(f"unknown tone {name!r}")


class Ctx:
    """Everything a section builder needs for one page."""

    def __init__(self, rng: random.Random, writer: Writer, theme: Theme, page_type: str) -> None:
        self.rng = rng
        self.w = writer
        self.theme = theme
        self.page_type = page_type
        self.tone = PLAIN
        # Content column width of the page's sections, and how sections hold their content:
        # wrapped (full-width band, centred column inside), boxed (the whole page is a centred
        # column) or fluid (content spans the window, as in app layouts).
        self.width = float(rng.choice((960, 1040, 1100, 1140, 1200, 1240)))
        self.layout = self.choose({"wrapped": 6, "boxed": 2, "fluid": 2})
        self.nav_color = rng.random() < 0.5  # nav links in text color rather than brand color
        self.heading_weight = rng.choice((None, None, 600, 800))
        self.button_radius = rng.choice((None, None, None, 999.0, 0.0))
        # Placeholder pictures: the stylesheet's gray mountain, or a flat brand tint on a quarter of pages.
        self.image_tint = mix(theme.primary, "#ffffff", rng.uniform(0.55, 0.8)) if rng.random() < 0.25 else None
        self.log: list[str] = []  # builders used, in page order

    # -- random helpers -----------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def between(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.rng.randrange(len(seq))]

    def choose(self, options: Mapping[str, float]) -> str:
        keys = list(options)
        return self.rng.choices(keys, weights=[options[k] for k in keys])[0]

    @contextmanager
    def toned(self, name: str) -> Iterator[Tone]:
        """Build the children of a section with this background."""
        old = self.tone
        self.tone = make_tone(name, self.theme)
        try:
            yield self.tone
        finally:
            self.tone = old

    # -- text ---------------------------------------------------------------------------------

    def heading(self, text: str, level: int = 2, size: float | None = None, weight: int | None = None,
                align: str | None = None, color: str | None = None) -> Node:
        if weight is None and level <= 2:
            weight = self.heading_weight
        style = Style(font_size=size, font_weight=weight, align=align, color=color)
        return Node("heading", text, style=style, attrs={"level": str(level)})

    def para(self, text: str, muted: bool = False, size: float | None = None, max_width: float | None = None,
             align: str | None = None, weight: int | None = None, color: str | None = None) -> Node:
        attrs: dict[str, str] = {}
        if muted and color is None:
            if self.tone.muted is not None:
                color = self.tone.muted
            else:
                attrs["muted"] = "1"
        return Node("paragraph", text, style=Style(font_size=size, max_width=max_width, align=align, font_weight=weight, color=color), attrs=attrs)

    def text(self, text: str, muted: bool = False, size: float | None = None, weight: int | None = None,
             color: str | None = None) -> Node:
        attrs: dict[str, str] = {}
        if muted and color is None:
            if self.tone.muted is not None:
                color = self.tone.muted
            else:
                attrs["muted"] = "1"
        return Node("text", text, style=Style(font_size=size, font_weight=weight, color=color), attrs=attrs)

    def label(self, text: str) -> Node:
        return Node("label", text, style=Style(font_weight=self.pick((None, 500, 600)), font_size=self.pick((None, 14.0))))

    def link(self, text: str, nav: bool = False, muted: bool = False, size: float | None = None) -> Node:
        color = self.tone.link
        if color is None and (muted or (nav and self.nav_color)):
            color = self.theme.muted if muted else self.theme.text
        elif color is not None and muted:
            color = self.tone.muted
        return Node("link", text, style=Style(color=color, font_size=size))

    def badge(self, text: str, soft: bool | None = None) -> Node:
        if soft is None:
            soft = self.chance(0.5)
        if self.tone.badge_bg is not None:
            return Node("badge", text, style=Style(background=self.tone.badge_bg, color=self.tone.badge_fg))
        if soft:
            bg = mix(self.theme.primary, self.theme.background, 0.85)
            return Node("badge", text, style=Style(background=bg, color=readable(self.theme.primary, bg, 4.5)))
        return Node("badge", text)

    # -- controls -----------------------------------------------------------------------------

    def button(self, text: str = "", variant: str | None = "primary", full: bool = False, icon: bool = False,
               size: float | None = None) -> Node:
        attrs = {"variant": variant} if variant in ("primary", "ghost") else {}
        style = Style(width="100%" if full else None, radius=self.button_radius, font_size=size)
        if not self.tone.plain:
            if variant == "primary":
                style.background, style.color, style.border_color = self.tone.button_bg, self.tone.button_fg, self.tone.button_bg
            elif variant == "ghost":
                style.color = self.tone.link
            else:
                style.background, style.color, style.border_color = self.tone.background, self.tone.text, self.tone.muted
        children = [Node("icon")] if icon or not text else []
        return Node("button", text, style=style, attrs=attrs, children=children)

    def input(self, placeholder: str, type_: str = "text", filled: bool = False, width: str | None = None) -> Node:
        """A text field; inside a row give it a `width`, or it takes the whole row."""
        attrs = {"type": type_}
        if filled:
            attrs["filled"] = "1"
        return Node("input", placeholder, attrs=attrs, style=Style(width=width))

    def select(self, options: Sequence[str], width: str | None = None) -> Node:
        return Node("select", options[0], attrs={"options": "|".join(options)}, style=Style(width=width))

    def field(self, label: str, control: Node) -> Node:
        """A label above its control."""
        return Node("column", style=Style(gap=6.0, width="100%"), children=[self.label(label), control])

    # -- pictures -----------------------------------------------------------------------------

    def image(self, alt: str, w: int, h: int, full: bool = True, radius: float | None = None) -> Node:
        style = Style(width="100%" if full else None, radius=radius)
        if self.image_tint:
            style.background = self.image_tint
        return Node("image", alt, style=style, attrs={"width": str(w), "height": str(h)})

    def avatar(self, name: str, size: int = 40) -> Node:
        return Node("avatar", name, attrs={"width": str(size), "height": str(size)})

    def icon(self, boxed: bool = False) -> Node:
        if boxed:
            bg = mix(self.theme.primary, self.tone.background or self.theme.background, 0.75)
            return Node("icon", style=Style(background=bg, radius=self.pick((8.0, 12.0, 999.0)), width="40px", height=40.0))
        return Node("icon")

    # -- containers ---------------------------------------------------------------------------

    def row(self, children: list[Node], justify: str | None = None, gap: float | None = None, inline: bool = False,
            wrap_style: Style | None = None) -> Node:
        style = wrap_style or Style()
        style.justify, style.gap = justify, gap
        return Node("row", style=style, attrs={"inline": "1"} if inline else {}, children=children)

    def col(self, children: list[Node], gap: float | None = None, align: str | None = None, width: str | None = None,
            max_width: float | None = None) -> Node:
        return Node("column", style=Style(gap=gap, align=align, width=width, max_width=max_width), children=children)

    def grid(self, children: list[Node], cols: int, gap: float | None = None, keep: bool = False) -> Node:
        """`keep`: the columns stay on phones (otherwise a grid becomes one column there)."""
        attrs = {"cols": str(cols), "keep": "1"} if keep else {"cols": str(cols)}
        return Node("grid", style=Style(gap=gap), attrs=attrs, children=children)

    def card(self, children: list[Node], kind: str = "card", pad: float | None = None, align: str | None = None,
             flat: bool = False, highlight: bool = False) -> Node:
        style = Style(align=align)
        if pad is not None:
            style.padding = (pad, pad, pad, pad)
        if self.tone.card is not None:
            style.background = self.tone.card
            style.border_color = self.tone.card
            if self.tone.text is not None and contrast(self.tone.text, self.tone.card) < 4.5:
                style.color = on_color(self.tone.card)
        if flat:
            style.background = self.tone.background or self.theme.background
            style.border_color = self.theme.border
        if highlight:
            style.border_width, style.border_color = 2.0, self.theme.primary
        return Node(kind, style=style, children=children)

    def section(self, children: list[Node], kind: str = "section", align: str | None = None,
                pad: tuple[float, float] | None = None, width: float | None = None, gap: float | None = None) -> Node:
        """A full-width band with the current tone; its content sits in the page's content column."""
        tone = self.tone
        style = Style(background=tone.background, color=tone.text)
        if pad is not None:
            style.padding = (pad[0], pad[1], pad[0], pad[1])
        content_width = width or self.width
        if self.layout == "wrapped" or (width is not None and self.layout != "boxed"):
            inner = Node("column", style=Style(max_width=content_width, align=align, gap=gap or self.theme.spacing * 1.25), children=children)
            style.align = align
            return Node(kind, style=style, children=[inner])
        style.align, style.gap = align, gap
        return Node(kind, style=style, children=children)
