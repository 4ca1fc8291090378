"""The seam every consumer of rendering depends on, and a fake for tests of code above it."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, runtime_checkable

from napkin.render._chromium import RenderJob, decode_html
from napkin.render._types import Element, Render, RenderLimits, RenderOptions, TextBox, failed


@runtime_checkable
class Renderer(Protocol):
    """Turns HTML into a `Render`. `ChromiumRenderer` is the real one; `FakeRenderer` is for tests."""

    @property
    def limits(self) -> RenderLimits: ...

    def render(self, html: str | bytes, options: RenderOptions | None = None) -> Render: ...

    def render_many(
        self, items: Iterable[str | bytes | RenderJob], options: RenderOptions | None = None
    ) -> Iterator[Render]: ...

    def close(self) -> None: ...


_BLOCK_TEXT = re.compile(r"<(h[1-6]|p|li|a|button|td|th|label|span|div)\b[^>]*>([^<]+)", re.I)


class FakeRenderer:
    """A renderer without a browser, for unit tests of code that consumes renders.

    By default every page renders to a white image of the viewport size whose elements are
    the text-bearing tags of the HTML stacked one under another, 40 px apart. Pass `respond`
    to return canned results instead. Every call is recorded in `calls`.
    """

    def __init__(self, respond: Callable[[str, RenderOptions], Render] | None = None, limits: RenderLimits | None = None):
        self.respond = respond or _stacked
        self._limits = limits or RenderLimits()
        self.calls: list[tuple[str, RenderOptions]] = []
        self.closed = False

    @property
    def limits(self) -> RenderLimits:
        return self._limits

    @property
    def signature(self) -> str:
        return f"fake|{self._limits!r}"

    def render(self, html: str | bytes, options: RenderOptions | None = None) -> Render:
        options = options or RenderOptions()
        raw = html if isinstance(html, bytes) else html.encode()
        if len(raw) > self.limits.max_html_bytes:
            return failed(options, "too_large", "HTML over the size limit")
        text, warnings = decode_html(html)
        self.calls.append((text, options))
        result = self.respond(text, options)
        result.warnings = warnings + result.warnings
        return result

    def render_many(
        self, items: Iterable[str | bytes | RenderJob], options: RenderOptions | None = None
    ) -> Iterator[Render]:
        for item in items:
            job = item if isinstance(item, RenderJob) else RenderJob(item)
            yield self.render(job.html, job.options or options)

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> FakeRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _white_png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, "PNG")
    return buf.getvalue()


def _stacked(html: str, options: RenderOptions) -> Render:
    vp = options.viewport
    elements: list[Element] = []
    white = (255, 255, 255, 1.0)
    black = (0, 0, 0, 1.0)
    for i, m in enumerate(_BLOCK_TEXT.finditer(html)):
        text = " ".join(html_lib.unescape(m.group(2)).split())
        if not text:
            continue
        y = 8 + 40 * len(elements)
        w = min(vp.width - 16, 8 * len(text))
        elements.append(
            Element(
                index=len(elements), parent=-1, path=f"/html/body/{m.group(1).lower()}[{i + 1}]",
                tag=m.group(1).lower(), x=8, y=y, w=w, h=24, text=text,
                text_boxes=[TextBox(text, 8, y + 4, w, 16)], color=black, background=white,
                font_size=16, font_weight=400, font_family="sans-serif", text_align="start",
                border_width=0, border_color=black, border_radius=0, display="block",
                position="static", depth=2,
            )
        )
    height = max(vp.height, 16 + 40 * len(elements)) if options.full_page else vp.height
    scale = options.image_scale  # device px = CSS px here: the fake ignores the scale factor
    w, h = max(1, round(vp.width * scale)), max(1, round(height * scale))
    image = _white_png(w, h) if options.screenshot and options.image_format == "png" else None
    return Render(
        image=image, image_format=options.image_format, width=w if image else 0,
        height=h if image else 0, page_width=vp.width, page_height=height, viewport=vp,
        elements=elements, dom_size=len(elements), image_scale=scale if image else 1.0,
    )
