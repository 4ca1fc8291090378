"""Theme sampling: palettes with readable contrast, font pairings, spacing and radius, light and dark."""

from __future__ import annotations

import colorsys
import random

from napkin.layout import Theme

# Primary colors that real brands use, as hue families; each sample jitters one of them.
_PRIMARIES = (
    "#2563eb", "#4f46e5", "#7c3aed", "#9333ea", "#db2777", "#e11d48", "#dc2626", "#ea580c",
    "#d97706", "#ca8a04", "#16a34a", "#059669", "#0d9488", "#0891b2", "#0284c7", "#1e3a8a",
    "#334155", "#111827", "#92400e", "#166534", "#f97360", "#0f766e", "#be123c", "#6d28d9",
)
# Body and heading font pairs, weighted by how often pages use them.
_FONT_PAIRS = {("sans", "sans"): 10, ("serif", "serif"): 2.5, ("sans", "serif"): 2.5, ("serif", "sans"): 1, ("mono", "mono"): 0.6, ("sans", "mono"): 0.6, ("mono", "sans"): 0.4}


def hex_to_rgb(color: str) -> tuple[float, float, float]:
    return int(color[1:3], 16) / 255, int(color[3:5], 16) / 255, int(color[5:7], 16) / 255


def rgb_to_hex(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(v * 255))):02x}" for v in (r, g, b))


def hls(h: float, lightness: float, s: float) -> str:
    return rgb_to_hex(*colorsys.hls_to_rgb(h % 1.0, max(0.0, min(1.0, lightness)), max(0.0, min(1.0, s))))


def luminance(color: str) -> float:
    """WCAG relative luminance."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = hex_to_rgb(color)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def mix(a: str, b: str, t: float) -> str:
    """`a` moved `t` of the way towards `b`."""
    ra, rb = hex_to_rgb(a), hex_to_rgb(b)
    return rgb_to_hex(*(x + (y - x) * t for x, y in zip(ra, rb, strict=True)))


def readable(color: str, background: str, ratio: float) -> str:
    """`color`, pushed towards black or white until it reaches `ratio` against `background`."""
    target = "#000000" if luminance(background) > 0.18 else "#ffffff"
    out = color
    for step in range(1, 21):
        if contrast(out, background) >= ratio:
            return out
        out = mix(color, target, step / 20)
    return out


def on_color(background: str) -> str:
    """White or near-black text, whichever reads better on `background`."""
    return "#ffffff" if contrast("#ffffff", background) >= contrast("#111111", background) else "#111111"


def sample_theme(rng: random.Random, dark: bool | None = None, dark_p: float = 0.18) -> Theme:
    """A coherent theme: jittered brand primary, tinted neutrals, font pair, rhythm and radius."""
    if dark is None:
        dark = rng.random() < dark_p
    base = _PRIMARIES[rng.randrange(len(_PRIMARIES))]
    h, lightness, s = colorsys.rgb_to_hls(*hex_to_rgb(base))
    h = (h + rng.uniform(-0.03, 0.03)) % 1.0
    s = max(0.0, min(1.0, s * rng.uniform(0.8, 1.1)))
    lightness = max(0.15, min(0.6, lightness + rng.uniform(-0.06, 0.06)))
    tint = rng.uniform(0.0, 0.25)  # how much the neutrals lean towards the brand hue
    if not dark:
        background = rng.choice(("#ffffff", "#ffffff", "#ffffff", hls(h, 0.985, tint), "#fafaf9", "#fcfbf8", "#f9fafb"))
        surface = hls(h, rng.uniform(0.94, 0.975), tint * 1.5 + 0.05)
        text = hls(h, rng.uniform(0.08, 0.18), tint * 0.8)
        muted = readable(hls(h, rng.uniform(0.38, 0.48), tint * 0.6), background, 4.6)
        border = hls(h, rng.uniform(0.84, 0.9), tint)
        primary = readable(hls(h, lightness, s), background, 3.2)
    else:
        background = hls(h, rng.uniform(0.05, 0.11), tint * 1.2 + 0.05)
        surface = hls(h, rng.uniform(0.13, 0.19), tint * 1.2 + 0.05)
        text = hls(h, rng.uniform(0.9, 0.96), tint * 0.4)
        muted = readable(hls(h, rng.uniform(0.62, 0.7), tint * 0.5), background, 4.6)
        border = hls(h, rng.uniform(0.22, 0.3), tint + 0.05)
        primary = readable(hls(h, max(lightness, 0.55), s), background, 4.0)
    fonts = list(_FONT_PAIRS)
    body_font, heading_font = rng.choices(fonts, weights=[_FONT_PAIRS[f] for f in fonts])[0]
    spacing = rng.choice((12.0, 14.0, 16.0, 16.0, 18.0, 20.0, 24.0))
    return Theme(
        name=f"{'dark' if dark else 'light'}-{base[1:]}",
        background=background,
        surface=surface,
        text=text,
        muted=muted,
        primary=primary,
        on_primary=on_color(primary),
        border=border,
        font=body_font,
        heading_font=heading_font,
        base_size=rng.choice((14.0, 15.0, 16.0, 16.0, 16.0, 17.0, 18.0)),
        heading_scale=round(rng.uniform(0.85, 1.3), 2),
        line_height=round(rng.uniform(1.4, 1.75), 2),
        spacing=spacing,
        section_padding=rng.choice((32.0, 40.0, 48.0, 56.0, 64.0, 80.0, 96.0)),
        radius=rng.choice((0.0, 2.0, 4.0, 6.0, 8.0, 8.0, 12.0, 16.0)),
        dark=dark,
    )
