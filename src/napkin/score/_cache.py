"""A cache of renders on disk, so a reference set is rendered once, not once per evaluation.

Entries are keyed by the HTML's hash, the render options and the renderer's signature (Napkin's
render code, the Chromium binary, fonts and sandbox limits: `RenderCache.use(renderer)`), so a
new browser, a changed engine or other limits never read old renders. Each entry is the screenshot as the browser encoded it plus the DOM facts as JSON, written atomically:
a killed run leaves no half entries.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from napkin._files import write_atomic
from napkin.render import Element, Render, RenderOptions, TextBox, Viewport


def default_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "napkin" / "renders"


class RenderCache:
    """Renders on disk under `root`. Failed renders are not cached: they may be bad luck."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.engine: str | None = None  # the signature of the renderer the entries belong to (see use)
        self.hits = 0  # renders read back
        self.misses = 0  # entries that were expected but unreadable
        self.stored = 0

    def use(self, renderer: Any) -> None:
        """Read and write the entries of `renderer`: its code, browser, fonts and limits are in every key."""
        self.engine = getattr(renderer, "signature", None) or f"{type(renderer).__name__}|{renderer.limits!r}"

    def key(self, html: bytes, options: RenderOptions) -> str:
        if self.engine is None:
            raise RuntimeError("RenderCache.use(renderer) must be called before the cache is read or written")
        h = hashlib.sha256()
        for part in (self.engine, options.key):
            h.update(part.encode())
            h.update(b"\0")
        h.update(html)
        return h.hexdigest()

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / key[:2]
        return folder / f"{key}.json", folder / f"{key}.img"

    def contains(self, html: bytes, options: RenderOptions) -> bool:
        return self._paths(self.key(html, options))[0].exists()

    def get(self, html: bytes, options: RenderOptions) -> Render | None:
        facts_path, image_path = self._paths(self.key(html, options))
        try:
            facts = json.loads(facts_path.read_text(encoding="utf-8"))
            image = image_path.read_bytes() if facts.get("has_image") else None
            result = render_from_facts(facts, image)
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, html: bytes, options: RenderOptions, result: Render) -> None:
        if not result.ok:
            return
        facts_path, image_path = self._paths(self.key(html, options))
        facts_path.parent.mkdir(parents=True, exist_ok=True)
        facts = result.facts()
        facts["has_image"] = result.image is not None
        if result.image is not None:
            write_atomic(image_path, result.image)
        # The facts go last: an entry exists once its facts do.
        write_atomic(facts_path, json.dumps(facts, ensure_ascii=False, separators=(",", ":")).encode())
        self.stored += 1


def _rgba(v: Any) -> tuple[int, int, int, float]:
    return (int(v[0]), int(v[1]), int(v[2]), float(v[3]))


def render_from_facts(facts: dict[str, Any], image: bytes | None) -> Render:
    """A `Render` back from `Render.facts()` (as JSON) and its image."""
    elements = [
        Element(
            **{
                **e,
                "text_boxes": [TextBox(**t) for t in e["text_boxes"]],
                "color": _rgba(e["color"]),
                "background": _rgba(e["background"]),
                "border_color": _rgba(e["border_color"]),
            }
        )
        for e in facts["elements"]
    ]
    fields = {k: v for k, v in facts.items() if k not in ("elements", "viewport", "ok", "has_image")}
    return Render(image=image, viewport=Viewport(**facts["viewport"]), elements=elements, **fields)
