"""The embedding's everyday interface over an ONNX export (or a torch checkpoint while training)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from napkin.errors import InputError
from napkin.model._onnx import OnnxEmbedding, _stem
from napkin.model._preprocess import Preprocess
from napkin.model._text import TextTower, load_text_tower

WEIGHTS = Path(__file__).parent / "weights"
DEFAULT_MODEL = WEIGHTS / "ui-embed-s"

ImageLike = str | Path | bytes | Image.Image | np.ndarray


def _picture(source: ImageLike) -> Image.Image | np.ndarray:
    if isinstance(source, (Image.Image, np.ndarray)):
        return source
    from napkin.generate._image import read_image

    return read_image(source)[0]


class Embedder:
    """Pictures and texts to unit vectors of one space, and a 0-100 score between a picture and a text."""

    def __init__(self, towers: Any, text_tower: TextTower, preprocess: Preprocess, calibration: dict[str, float],
                 name: str = "") -> None:
        self._towers = towers  # .images(uint8 NHWC) and .texts(features): OnnxEmbedding or _TorchTowers
        self._text_tower = text_tower
        self.preprocess = preprocess
        self.calibration = calibration
        self.name = name
        self.dim = int(getattr(towers, "config", {}).get("embed_dim", 0)) if isinstance(getattr(towers, "config", None), dict) else 0
        self._lock = threading.Lock()  # onnxruntime sessions are thread-safe; wordllama's tokenizer is not documented so

    def images(self, pictures: Sequence[ImageLike]) -> np.ndarray:
        """(n, d) float32 unit rows, one per picture (paths, bytes, PIL images or (H, W, 3) arrays)."""
        pixels = self.preprocess.batch([_picture(p) for p in pictures])
        return np.asarray(self._towers.images(pixels), dtype=np.float32)

    def texts(self, texts: Sequence[str]) -> np.ndarray:
        """(n, d) float32 unit rows, one per text."""
        clean = [" ".join(str(t).split())[:500] for t in texts]
        if any(not t for t in clean):
            raise InputError("empty text: describe the page in a few words")
        with self._lock:
            features = self._text_tower.encode(clean)
        return np.asarray(self._towers.texts(features), dtype=np.float32)

    def similarity(self, picture: ImageLike, text: str) -> float:
        """Cosine between a picture and a text (-1..1)."""
        return float(self.images([picture])[0] @ self.texts([text])[0])

    def rescale(self, cosine: float | np.ndarray) -> Any:
        """Cosine to 0-100 over the calibrated range (unrelated pairs' median to good matches' 90th percentile)."""
        low, high = float(self.calibration.get("low", 0.0)), float(self.calibration.get("high", 1.0))
        return np.clip((np.asarray(cosine) - low) / max(high - low, 1e-6), 0.0, 1.0) * 100.0

    def score(self, picture: ImageLike, text: str) -> float:
        """How well a picture matches a text, 0-100."""
        return float(self.rescale(self.similarity(picture, text)))


class _TorchTowers:
    def __init__(self, model: Any) -> None:
        import torch

        self._torch = torch
        self._model = model
        self.config = model.config.to_dict()

    def images(self, pixels: np.ndarray) -> np.ndarray:
        with self._torch.no_grad():
            return self._model.image(self._torch.from_numpy(np.ascontiguousarray(pixels))).numpy()

    def texts(self, features: np.ndarray) -> np.ndarray:
        with self._torch.no_grad():
            return self._model.text(self._torch.from_numpy(np.ascontiguousarray(features, dtype=np.float32))).numpy()


def load_embedder(path: str | Path, threads: int | None = None) -> Embedder:
    """An embedder from an ONNX export (STEM, STEM.json) or a torch checkpoint (model.pt, needs torch)."""
    path = Path(path)
    if path.suffix == ".pt":
        from napkin.model import load
        from napkin.model._checkpoint import _read_meta

        model, prep = load(path)
        meta = _read_meta(path)
        towers: Any = _TorchTowers(model)
        calibration = meta.get("calibration", {"low": 0.0, "high": 1.0})
        cfg = towers.config
    else:
        towers = OnnxEmbedding(path, threads=threads)
        prep, cfg = towers.preprocess, towers.config
        calibration = towers.meta.get("calibration", {"low": 0.0, "high": 1.0})
    emb = Embedder(towers, load_text_tower(cfg["text_tower"]), prep, calibration, name=str(cfg.get("name", _stem(path).name)))
    emb.dim = int(cfg["embed_dim"])
    return emb


@lru_cache(maxsize=1)
def load_default() -> Embedder:
    """The shipped embedding (loaded once per process)."""
    if not DEFAULT_MODEL.with_name(DEFAULT_MODEL.name + ".json").is_file():
        raise InputError(f"the shipped embedding is missing from {WEIGHTS}; reinstall napkin-code or train one with `napkin train embedding`")
    return load_embedder(DEFAULT_MODEL)
