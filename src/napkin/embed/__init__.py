"""Napkin's UI embedding: pictures of interfaces and text about them in one vector space.

    from napkin.embed import load_default
    emb = load_default()                       # the shipped model, on onnxruntime (no torch)
    emb.score("drawing.png", "a signup form")  # 0-100
    emb.images([picture]), emb.texts(["a pricing page with three plans"])  # (n, 256) unit rows

The image tower is ours, trained from scratch on pages the data engine rendered
(`napkin train embedding`); the text tower is a frozen pretrained sentence encoder
(`napkin.model._text`) with a learned projection. Scores rescale the cosine over the range
the model's validation pairs span (`calibration` in the model's JSON), as paint.wtf did with CLIP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from napkin._lazy import exports

if TYPE_CHECKING:  # imported on first use (napkin._lazy): `napkin --help` loads none of it
    from napkin.embed._embedder import DEFAULT_MODEL, Embedder, load_default, load_embedder

__getattr__, __dir__, __all__ = exports(__name__, __file__)
