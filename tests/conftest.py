from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from napkin.render import ChromiumRenderer, Render


@pytest.fixture(scope="session")
def renderer() -> Iterator[ChromiumRenderer]:
    """One real Chromium pool for the whole run; tests that break browsers make their own."""
    with ChromiumRenderer(concurrency=2) as r:
        yield r


def image_of(result: Render) -> Image.Image:
    assert result.image is not None, result.message
    return Image.open(io.BytesIO(result.image)).convert("RGB")


def has_color(img: Image.Image, rgb: tuple[int, int, int]) -> bool:
    import numpy as np

    return bool((np.asarray(img.convert("RGB")) == np.array(rgb, dtype=np.uint8)).all(axis=-1).any())


def image_size(path) -> tuple[int, int]:
    with Image.open(path) as img:
        return img.size
