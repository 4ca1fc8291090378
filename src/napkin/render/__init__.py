"""Turn HTML into pixels and DOM facts in a real, sandboxed browser.

    >>> from napkin.render import render                          # doctest: +SKIP
    >>> page = render("<h1 style='color:red'>Hi</h1>")
    >>> page.ok, page.width, [e.tag for e in page.elements]
    (True, 1280, ['html', 'body', 'h1'])

`render` and `render_many` use one shared `ChromiumRenderer`, started on first use and closed at
exit. Make your own (`with ChromiumRenderer(limits=...) as r:`) for other limits or pool sizes.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterable, Iterator

from napkin.render._assets import ORIGIN, placeholder_url
from napkin.render._base import FakeRenderer, Renderer
from napkin.render._chromium import AsyncChromiumRenderer, ChromiumRenderer, RenderJob, decode_html, find_chromium
from napkin.render._types import (
    FAILURES,
    VIEWPORTS,
    Element,
    ImageFormat,
    Render,
    RenderLimits,
    RenderOptions,
    TextBox,
    Viewport,
    parse_viewport,
)

__all__ = [
    "FAILURES",
    "ORIGIN",
    "VIEWPORTS",
    "AsyncChromiumRenderer",
    "ChromiumRenderer",
    "Element",
    "FakeRenderer",
    "ImageFormat",
    "Render",
    "RenderJob",
    "RenderLimits",
    "RenderOptions",
    "Renderer",
    "TextBox",
    "Viewport",
    "decode_html",
    "default_renderer",
    "find_chromium",
    "parse_viewport",
    "placeholder_url",
    "render",
    "render_many",
]

_default: ChromiumRenderer | None = None
_default_lock = threading.Lock()


def default_renderer() -> ChromiumRenderer:
    """The shared renderer behind `render` and `render_many`, started on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ChromiumRenderer()
            atexit.register(_close_default)
        return _default


def _close_default() -> None:
    global _default
    if _default is not None:
        _default.close()
        _default = None


def _options(viewport: str | Viewport, full_page: bool, image_format: ImageFormat, device_scale_factor: float | None) -> RenderOptions:
    return RenderOptions(viewport=parse_viewport(viewport, device_scale_factor), full_page=full_page, image_format=image_format)


def render(
    html: str | bytes,
    viewport: str | Viewport = "desktop",
    full_page: bool = True,
    image_format: ImageFormat = "png",
    device_scale_factor: float | None = None,
) -> Render:
    """Render one page with the shared renderer. Failures come back as `Render.failure`, not exceptions."""
    return default_renderer().render(html, _options(viewport, full_page, image_format, device_scale_factor))


def render_many(
    items: Iterable[str | bytes | RenderJob],
    viewport: str | Viewport = "desktop",
    full_page: bool = True,
    image_format: ImageFormat = "png",
    device_scale_factor: float | None = None,
) -> Iterator[Render]:
    """Render many pages concurrently, yielding results in input order with bounded memory."""
    return default_renderer().render_many(items, _options(viewport, full_page, image_format, device_scale_factor))
