"""sRGB to CIELAB and the CIEDE2000 colour difference, vectorised with numpy.

CIEDE2000 follows G. Sharma, W. Wu and E. N. Dalal, "The CIEDE2000 color-difference formula:
implementation notes, supplementary test data, and mathematical observations", Color Research
& Application 30(1), 2005 (equations numbered as there), with kL = kC = kH = 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

# sRGB (IEC 61966-2-1) primaries to CIE XYZ under D65, and the D65 white point (Y = 1).
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_D65 = np.array([0.95047, 1.0, 1.08883])


def rgb_to_lab(rgb: ArrayLike) -> NDArray[np.float64]:
    """sRGB colours (0..255, shape (..., 3)) to CIELAB (D65), shape (..., 3)."""
    c = np.asarray(rgb, dtype=np.float64)[..., :3] / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = linear @ _RGB_TO_XYZ.T / _D65
    # CIE 1976 L*a*b*: the cube root, with its linear segment near black.
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def ciede2000(lab1: ArrayLike, lab2: ArrayLike) -> NDArray[np.float64]:
    """CIEDE2000 colour difference of CIELAB colours, broadcast over leading dimensions."""
    l1, a1, b1 = np.moveaxis(np.asarray(lab1, dtype=np.float64), -1, 0)
    l2, a2, b2 = np.moveaxis(np.asarray(lab2, dtype=np.float64), -1, 0)
    # (2)-(6): a* is stretched for near-neutral colours, then chroma and hue are recomputed.
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    c7 = c_bar**7
    g = 0.5 * (1 - np.sqrt(c7 / (c7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    # atan2(0, 0) is 0 in numpy, which is the convention of (7) for achromatic colours.
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360

    # (8)-(10)
    dlp = l2 - l1
    dcp = c2p - c1p
    chroma_product = c1p * c2p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(chroma_product == 0, 0.0, dh)
    dhp = 2 * np.sqrt(chroma_product) * np.sin(np.radians(dh) / 2)

    # (12)-(14): means; the mean hue goes the short way round the circle.
    lp_bar = (l1 + l2) / 2
    cp_bar = (c1p + c2p) / 2
    h_sum = h1p + h2p
    hp_bar = np.where(
        np.abs(h1p - h2p) <= 180, h_sum / 2, np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2)
    )
    hp_bar = np.where(chroma_product == 0, h_sum, hp_bar)

    # (15)-(22): weighting functions and the rotation term for blues.
    t = (
        1
        - 0.17 * np.cos(np.radians(hp_bar - 30))
        + 0.24 * np.cos(np.radians(2 * hp_bar))
        + 0.32 * np.cos(np.radians(3 * hp_bar + 6))
        - 0.20 * np.cos(np.radians(4 * hp_bar - 63))
    )
    d_theta = 30 * np.exp(-(((hp_bar - 275) / 25) ** 2))
    cp7 = cp_bar**7
    r_c = 2 * np.sqrt(cp7 / (cp7 + 25.0**7))
    s_l = 1 + 0.015 * (lp_bar - 50) ** 2 / np.sqrt(20 + (lp_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    tl, tc, th = dlp / s_l, dcp / s_c, dhp / s_h
    return np.sqrt(tl**2 + tc**2 + th**2 + r_t * tc * th)


def color_similarity(rgb1: Sequence[float] | ArrayLike, rgb2: Sequence[float] | ArrayLike) -> NDArray[np.float64]:
    """max(0, 1 - CIEDE2000 / 100) of sRGB colours: Design2Code's text colour similarity (Si et al. 2024)."""
    return np.maximum(0.0, 1 - ciede2000(rgb_to_lab(rgb1), rgb_to_lab(rgb2)) / 100)
