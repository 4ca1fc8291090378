"""Plain records the render engine returns: viewports, limits, DOM facts and results."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from napkin.errors import ConfigError

ImageFormat = Literal["png", "jpeg"]

# Why a render has no (or only part of a) result. A failed render is a value, never an exception:
# batch runs go on with the next page.
FAILURES = ("too_large", "timeout", "crashed", "navigation", "internal")


@dataclass(frozen=True, slots=True)
class Viewport:
    """The browser window a page is laid out in."""

    width: int = 1280
    # 720 is the height Design2Code rendered its reference screenshots at (1280x720, full page).
    height: int = 720
    device_scale_factor: float = 1.0
    is_mobile: bool = False
    name: str = "desktop"

    def __post_init__(self) -> None:
        if not (16 <= self.width <= 8192 and 16 <= self.height <= 8192):
            raise ConfigError(f"viewport {self.width}x{self.height} is out of range (16..8192 px each side)")
        if not 0.25 <= self.device_scale_factor <= 4:
            raise ConfigError(f"device scale factor {self.device_scale_factor} is out of range (0.25..4)")

    def scaled(self, device_scale_factor: float) -> Viewport:
        return Viewport(self.width, self.height, device_scale_factor, self.is_mobile, self.name)


VIEWPORTS: dict[str, Viewport] = {
    "desktop": Viewport(1280, 720, 1.0, False, "desktop"),
    # An iPhone 12-15 sized CSS viewport; scale factor 1 keeps datasets small, raise it for crisp
    # images. Narrow windows, not phone emulation: a page without <meta name=viewport> would
    # otherwise be laid out 980 px wide and zoomed out, which hides exactly the overflow a
    # responsive check looks for. Set is_mobile=True for full emulation.
    "mobile": Viewport(390, 844, 1.0, False, "mobile"),
    "tablet": Viewport(820, 1180, 1.0, False, "tablet"),
}

_SIZE = re.compile(r"^(\d+)x(\d+)$")


def parse_viewport(spec: str | Viewport, device_scale_factor: float | None = None) -> Viewport:
    """`desktop`, `mobile`, `tablet` or `WIDTHxHEIGHT` (desktop-like) to a Viewport."""
    if isinstance(spec, Viewport):
        vp = spec
    elif spec in VIEWPORTS:
        vp = VIEWPORTS[spec]
    elif m := _SIZE.match(spec.strip()):
        vp = Viewport(int(m.group(1)), int(m.group(2)), 1.0, False, spec.strip())
    else:
        raise ConfigError(f"unknown viewport {spec!r}: use one of {', '.join(VIEWPORTS)} or WIDTHxHEIGHT (e.g. 1024x768)")
    return vp.scaled(device_scale_factor) if device_scale_factor is not None else vp


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What to render one page as."""

    viewport: Viewport = VIEWPORTS["desktop"]
    full_page: bool = True
    image_format: ImageFormat = "png"
    jpeg_quality: int = 85
    screenshot: bool = True
    dom: bool = True
    # The screenshot at this fraction of the viewport's device pixels: the browser draws the
    # picture smaller, which costs less to make, encode, decode and store than shrinking it
    # afterwards. Layout and DOM facts do not change (CSS px); `Render.pixel_scale` maps them.
    image_scale: float = 1.0

    def __post_init__(self) -> None:
        if not 0.05 <= self.image_scale <= 1.0:
            raise ConfigError(f"image scale must be between 0.05 and 1, not {self.image_scale}")
        if self.image_format not in ("png", "jpeg"):
            raise ConfigError(f"image format must be png or jpeg, not {self.image_format!r}")
        if not 1 <= self.jpeg_quality <= 100:
            raise ConfigError("jpeg quality must be between 1 and 100")

    @property
    def key(self) -> str:
        """Everything that changes the render, as a short string (for caches and resumable runs)."""
        vp = self.viewport
        fmt = f"jpeg{self.jpeg_quality}" if self.image_format == "jpeg" else "png"
        return (f"{vp.width}x{vp.height}@{vp.device_scale_factor:g}{'m' if vp.is_mobile else ''}/"
                f"{'full' if self.full_page else 'window'}/{fmt}/"
                f"{'shot' if self.screenshot else 'noshot'}/{'dom' if self.dom else 'nodom'}"
                + (f"/x{self.image_scale:g}" if self.image_scale != 1.0 else ""))


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """Sandbox limits. Defaults suit real web pages; tighten them for hostile input at scale."""

    # Whole render (navigation, DOM facts, screenshot). Real pages take well under a second.
    timeout_s: float = 15.0
    # HTML larger than this is refused before it reaches the browser. The largest real page in
    # the Design2Code set is under 1 MB.
    max_html_bytes: int = 8 * 1024 * 1024
    # Full-page screenshots are cut at this CSS height (Chromium's own limit is 16384 device px).
    max_height: int = 12000
    # DOM facts stop after this many visible elements.
    max_elements: int = 20000
    # Run page scripts. Without them a page renders as its static markup: a content security
    # policy (script-src 'none') blocks every page script, so <noscript> content stays hidden.
    javascript: bool = True
    # Images are never fetched from the network; with this on, <img> elements left broken get a
    # local placeholder so the layout keeps its image boxes. Remote requests are always recorded.
    image_placeholders: bool = True
    # Wait this long after the load event before reading the page (lets transitions settle).
    settle_ms: int = 0
    # Render pages as they look once still: transitions off, animations at their end state. A
    # full-page capture resizes the window, which can start transitions and restart animations,
    # and the capture then catches them halfway: the same page gave different pixels each time.
    freeze_motion: bool = True

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.max_html_bytes <= 0 or self.max_height <= 0 or self.max_elements <= 0:
            raise ConfigError("render limits must be positive")


@dataclass(slots=True)
class TextBox:
    """One text node: its whitespace-normalised text and the box around its glyphs (CSS px, page coordinates)."""

    text: str
    x: float
    y: float
    w: float
    h: float


@dataclass(slots=True)
class Element:
    """The DOM facts of one visible element. Boxes are CSS px in page (not viewport) coordinates."""

    index: int
    parent: int  # index of the nearest visible ancestor, -1 for the root
    path: str  # stable XPath-like path: /html/body/div[2]/p[1]
    tag: str
    x: float
    y: float
    w: float
    h: float
    text: str  # text of the element's own text nodes, joined by a space
    text_boxes: list[TextBox]
    color: tuple[int, int, int, float]
    background: tuple[int, int, int, float]
    font_size: float
    font_weight: int
    font_family: str
    text_align: str
    border_width: float  # the widest of the four sides
    border_color: tuple[int, int, int, float]
    border_radius: float
    display: str
    position: str
    depth: int
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.w, self.h)


@dataclass(slots=True)
class Render:
    """The result of rendering one page. Check `ok` (or `failure`) before using the image."""

    image: bytes | None
    image_format: ImageFormat
    width: int  # image size in pixels (device pixels times RenderOptions.image_scale)
    height: int
    page_width: float  # the document's scroll size in CSS px (before any cut)
    page_height: float
    viewport: Viewport
    elements: list[Element]
    title: str = ""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failure: str | None = None  # one of FAILURES
    message: str = ""
    truncated: bool = False
    dom_size: int = 0  # every element in the document, visible or not
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    image_scale: float = 1.0  # RenderOptions.image_scale it was rendered with

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def pixel_scale(self) -> float:
        """Image pixels per CSS px: the device scale factor times the image scale."""
        return self.viewport.device_scale_factor * self.image_scale

    def facts(self) -> dict[str, Any]:
        """Everything but the image, as JSON-ready data."""
        d = asdict(self)
        d.pop("image")
        d["ok"] = self.ok
        return d

    def summary(self) -> dict[str, Any]:
        """A one-line record for batch logs: facts without the per-element lists."""
        d = self.facts()
        d["elements"] = len(self.elements)
        return d


def failed(options: RenderOptions, failure: str, message: str, **extra: Any) -> Render:
    """A Render that carries only its failure."""
    assert failure in FAILURES, failure
    return Render(
        image=None,
        image_format=options.image_format,
        width=0,
        height=0,
        page_width=0.0,
        page_height=0.0,
        viewport=options.viewport,
        elements=[],
        failure=failure,
        message=message,
        **extra,
    )
