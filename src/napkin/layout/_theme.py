"""Themes: the palette, fonts and spacing a tree is compiled with."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from napkin.errors import InputError

# Generic font names used in trees, mapped to stacks that start with the fonts the render
# engine ships (DejaVu; Humor Sans for hand-drawn looks) and fall back to what browsers have.
FONT_STACKS = {
    "sans": "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif",
    "serif": "'DejaVu Serif', Georgia, 'Times New Roman', serif",
    "mono": "'DejaVu Sans Mono', Menlo, Consolas, monospace",
    "hand": "'Humor Sans', 'Comic Neue', 'Comic Sans MS', cursive",
}


@dataclass(frozen=True, slots=True)
class Theme:
    """Design tokens. Node style facts override them node by node."""

    name: str = "default"
    background: str = "#ffffff"
    surface: str = "#f4f5f7"  # cards, inputs, secondary buttons
    text: str = "#1f2328"
    muted: str = "#59636e"
    primary: str = "#2563eb"
    on_primary: str = "#ffffff"
    border: str = "#d5d9df"
    font: str = "sans"
    heading_font: str = "sans"
    base_size: float = 16.0
    heading_scale: float = 1.0  # multiplies the heading sizes
    line_height: float = 1.5
    spacing: float = 16.0  # the gap between stacked blocks
    section_padding: float = 48.0
    radius: float = 6.0
    dark: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Theme:
        """The theme `to_json` wrote; anything else is an `InputError` naming what is wrong."""
        if not isinstance(data, dict):
            raise InputError(f"a theme must be a JSON object of design tokens, got {type(data).__name__} {str(data)[:60]!r}")
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(f"unknown theme field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        for key, value in data.items():
            want = type(getattr(DEFAULT_THEME, key))
            ok = isinstance(value, want) or (want is float and isinstance(value, int) and not isinstance(value, bool))
            if not ok:
                raise InputError(f"theme field {key!r} must be {want.__name__}, got {value!r}")
        values: dict[str, Any] = {k: float(v) if isinstance(getattr(DEFAULT_THEME, k), float) else v for k, v in data.items()}
        return cls(**values)

    def with_(self, **changes: Any) -> Theme:
        return replace(self, **changes)


DEFAULT_THEME = Theme()
