"""The only things a rendered page may load: Napkin's own local assets, served by the renderer.

Pages are served from a made-up origin, `http://napkin.local/`. Requests to that origin are
answered here (placeholder images, system fonts, files of explicitly allowed folders); every
other request is blocked before it leaves the browser.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

ORIGIN = "http://napkin.local"
PAGE_PREFIX = ORIGIN + "/__napkin__/page/"
IMG_PREFIX = "/__napkin__/img/"
FONT_PREFIX = "/__napkin__/fonts/"
FONT_ROOTS = (Path("/usr/share/fonts"),)
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
_SIZE = re.compile(r"^(\d{1,4})x(\d{1,4})(?:\.svg)?$")


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    content_type: str


def placeholder_url(width: int, height: int) -> str:
    """The URL of a neutral placeholder image of this size; usable in any HTML Napkin renders."""
    return f"{ORIGIN}{IMG_PREFIX}{int(width)}x{int(height)}.svg"


# The picture: a light gray frame with a mountain and a sun, drawn in a centred square (the
# inner viewBox) so one markup serves every size; __W__ and __H__ stand for the size.
_SVG_TEMPLATE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="__W__" height="__H__" viewBox="0 0 __W__ __H__">'
    '<rect width="__W__" height="__H__" fill="#d8dce2"/>'
    '<svg width="__W__" height="__H__" viewBox="0 0 100 100" preserveAspectRatio="xMidYMid meet">'
    '<path d="M22 66.8 L44.4 41.6 L57 55.6 L64 48.6 L78 66.8 Z" fill="#aab1bb"/>'
    '<circle cx="62.6" cy="34.6" r="7" fill="#aab1bb"/></svg></svg>'
)


@lru_cache(maxsize=512)
def placeholder_svg(width: int, height: int) -> bytes:
    """A light gray picture frame with a mountain and a sun: reads as 'image' to people and models."""
    w, h = max(1, min(width, 4096)), max(1, min(height, 4096))
    return _SVG_TEMPLATE.replace("__W__", str(w)).replace("__H__", str(h)).encode()


def placeholder_data_template() -> str:
    """The placeholder as a data: URL with __W__ and __H__ left in, for the page-side code to fill."""
    return "data:image/svg+xml," + quote(_SVG_TEMPLATE, safe="/:=' _")


def placeholder_data_url(width: int, height: int) -> str:
    """The placeholder as a data: URL, for HTML that must work outside Napkin's renderer too."""
    w, h = max(1, min(width, 4096)), max(1, min(height, 4096))
    return placeholder_data_template().replace("__W__", str(w)).replace("__H__", str(h))


# Intrinsic size of the placeholder that stands in for images we do not have (remote images,
# Design2Code's `rick.jpg`). Design2Code's reference screenshots show their placeholder at 16:9
# wherever CSS leaves the aspect free and at up to 1232 px wide unconstrained; 1920x1080 gives
# the most reference pages their published height (66 of 100 within 2 px).
DEFAULT_IMAGE = (1920, 1080)


class AssetServer:
    """Answers requests to the local origin. Pure lookup: no network, no writes."""

    def __init__(self, asset_dirs: tuple[Path, ...] = ()) -> None:
        self.asset_dirs = tuple(Path(d).resolve() for d in asset_dirs)

    def resolve(self, url: str) -> Asset | None:
        """The asset for a URL on the local origin, or None when it is not ours to serve."""
        if not url.startswith(ORIGIN + "/"):
            return None
        path = unquote(urlsplit(url).path)
        if path.startswith(IMG_PREFIX):
            m = _SIZE.match(path[len(IMG_PREFIX):])
            if m:
                return Asset(placeholder_svg(int(m.group(1)), int(m.group(2))), "image/svg+xml")
            return None
        if path.startswith(FONT_PREFIX):
            return self._font(path[len(FONT_PREFIX):])
        return self._file(path.lstrip("/"))

    def _font(self, name: str) -> Asset | None:
        # Only font files under the system font folders, looked up by file name.
        if "/" in name or Path(name).suffix.lower() not in FONT_TYPES:
            return None
        found = _find_font(name)
        if found is None:
            return None
        return Asset(found.read_bytes(), FONT_TYPES[found.suffix.lower()])

    def _file(self, rel: str) -> Asset | None:
        for root in self.asset_dirs:
            target = (root / rel).resolve()
            if target.is_relative_to(root) and target.is_file():
                ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                return Asset(target.read_bytes(), ctype)
        return None


@lru_cache(maxsize=256)
def _find_font(name: str) -> Path | None:
    for root in FONT_ROOTS:
        if root.is_dir():
            for p in root.rglob(name):
                if p.is_file():
                    return p
    return None
