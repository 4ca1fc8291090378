"""The one preprocessing every caller of an image model uses, in training and at inference.

Pictures of interfaces are tall and of every width. The models see a fixed canvas: the top of
the picture, at most `max_aspect` times as tall as wide (what a person sees first, and where the
page's structure is decided), squashed to `width` x `height`. Squashing rather than padding keeps
every pixel of that top part, and it is the same for a screenshot and a sketch of one page.
Pixels stay uint8 (H, W, 3) here; the model normalises them itself, so its ONNX form takes the
same array and nothing can drift between torch and onnxruntime.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image


@dataclass(frozen=True, slots=True)
class Preprocess:
    width: int
    height: int
    max_aspect: float  # the picture's top part kept: at most this many widths tall

    def __call__(self, image: Image.Image | np.ndarray) -> np.ndarray:
        """One picture (PIL or an (H, W, 3) uint8 array) to the model's (height, width, 3) uint8 input."""
        if isinstance(image, np.ndarray):
            image = Image.fromarray(image)
        if image.mode != "RGB":
            image = image.convert("RGB")
        w, h = image.size
        keep = min(h, max(1, round(w * self.max_aspect)))
        if keep < h:
            image = image.crop((0, 0, w, keep))
        # BOX filtering averages every source pixel: thin pen lines survive a 4x reduction.
        out = image.resize((self.width, self.height), Image.Resampling.BOX if w >= self.width else Image.Resampling.BILINEAR)
        return np.asarray(out, dtype=np.uint8)

    def batch(self, images: list[Image.Image | np.ndarray]) -> np.ndarray:
        """(N, height, width, 3) uint8."""
        if not images:
            return np.zeros((0, self.height, self.width, 3), np.uint8)
        return np.stack([self(im) for im in images])
