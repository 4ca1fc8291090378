"""What is wrong with a generated page, in words a model can act on.

Problems come from the rendering (failures, uncaught errors, console errors, a blank page,
blocked external resources) and from the markup itself (elements left open, end tags that close
nothing). Each list is short: a model fixes the first few problems better than a wall of them.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from PIL import Image

from napkin.generate._image import is_blank

if TYPE_CHECKING:
    from napkin.render import Render

_MAX_PER_SOURCE = 5
BLANK = "the page renders blank"
_MAX_CHARS = 300

# Elements without an end tag, and elements whose end tag HTML lets you leave out: neither is a
# mistake when it is left open.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
_OPTIONAL_END = frozenset("html head body p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rb rt rtc rp".split())
_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp", ".ico")


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []
        self.problems: list[str] = []
        self.foreign = 0  # depth inside <svg>/<math>, where any tag may self-close

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if tag in ("svg", "math"):
            self.foreign += 1
        self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # <br/>, <path/>: complete as written

    def handle_endtag(self, tag: str) -> None:
        line = self.getpos()[0]
        if tag in _VOID:
            return
        open_tags = [t for t, _ in self.stack]
        if tag not in open_tags:
            if tag not in _OPTIONAL_END:
                self.problems.append(f"line {line}: </{tag}> closes an element that is not open")
            return
        while self.stack:
            top, opened = self.stack.pop()
            if top in ("svg", "math"):
                self.foreign -= 1
            if top == tag:
                break
            if top not in _OPTIONAL_END and not self.foreign:
                self.problems.append(f"line {line}: </{tag}> closes <{tag}> while <{top}> (line {opened}) is still open")


def markup_problems(html: str) -> list[str]:
    """Unbalanced markup: elements never closed (a cut-off answer, usually) and stray end tags."""
    parser = _Balance()
    parser.feed(html)
    parser.close()
    problems = parser.problems[:_MAX_PER_SOURCE]
    left_open = [f"<{tag}> (line {line})" for tag, line in parser.stack if tag not in _OPTIONAL_END]
    if left_open:
        shown = ", ".join(left_open[-_MAX_PER_SOURCE:])
        problems.append(f"the document ends with elements never closed: {shown}; was the answer cut off? Write the whole file")
    return problems


def render_problems(render: Render, input_blank: bool = False) -> list[str]:
    """What the sandbox saw go wrong. `input_blank`: the picture itself is blank, so a blank page is right."""
    if not render.ok:
        return [f"the page did not render ({render.failure}): {render.message}"]
    problems = [f"uncaught JavaScript error: {_short(e)}" for e in render.page_errors[:_MAX_PER_SOURCE]]
    problems += [f"console error: {_short(e)}" for e in render.console_errors[:_MAX_PER_SOURCE]]
    external = [u for u in render.blocked_requests if not u.split("?")[0].lower().endswith(_IMAGE_EXTENSIONS)]
    if external:
        shown = ", ".join(_short(u, 100) for u in external[:3])
        problems.append(
            f"the page loads external resources, which are not allowed and did not load: {shown}; "
            "put all CSS in the <style> element and all JavaScript inline"
        )
    if not input_blank and _renders_blank(render):
        problems.append(f"{BLANK}: nothing is visible (is the content hidden, transparent or missing?)")
    return problems


def _renders_blank(render: Render) -> bool:
    if render.image is None:
        return False
    with Image.open(io.BytesIO(render.image)) as img:
        return is_blank(img.convert("RGB"))


def _short(text: str, limit: int = _MAX_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
