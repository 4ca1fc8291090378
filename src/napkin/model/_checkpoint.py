"""Build models from configs, save checkpoints that carry their config, load them back with no other input."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from napkin._extras import require
from napkin.errors import ConfigError, InputError
from napkin.model._preprocess import Preprocess
from napkin.model._registry import model_config
from napkin.model._tiles import Tiling

FORMAT = "napkin-model/1"


def _build(cfg: dict[str, Any]) -> Any:
    kind = cfg.get("kind")
    if kind == "embedding":
        from napkin.model._embedding import EmbeddingConfig, UIEmbedding

        return UIEmbedding(EmbeddingConfig.from_dict(cfg))
    if kind == "parser":
        from napkin.model._parser import LayoutParserNet, ParserConfig

        return LayoutParserNet(ParserConfig.from_dict(cfg))
    raise ConfigError(f"unknown model kind {kind!r} (known: embedding, parser)")


def preprocess_for(cfg: dict[str, Any]) -> Any:
    """The preprocessing a model was trained with: a Preprocess (embedding) or a Tiling (parser)."""
    if cfg.get("kind") == "parser":
        return Tiling(int(cfg["image_width"]), int(cfg["image_height"]), 2, 2 ** len(cfg.get("widths", [0] * 4)))
    return Preprocess(int(cfg["image_width"]), int(cfg["image_height"]), float(cfg.get("max_aspect", 2.0)))


def create_model(name: str | Path | dict[str, Any], **overrides: Any) -> tuple[Any, Preprocess]:
    """A fresh model and the preprocessing it expects, from a registered name, a JSON file or a config dict.

        >>> model, preprocess = create_model("ui-embed-tiny")  # doctest: +SKIP
    """
    require("torch", "train")
    cfg = dict(name, **overrides) if isinstance(name, dict) else model_config(name, **overrides)
    return _build(cfg), preprocess_for(cfg)


def save_checkpoint(model: Any, path: str | Path, **meta: Any) -> Path:
    """Write the model's weights with its config (atomically: a kill never leaves half a file)."""
    torch = require("torch", "train")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save({"format": FORMAT, "config": model.config.to_dict(), "state_dict": model.state_dict(), "meta": meta}, tmp)
    os.replace(tmp, path)
    return path


def load(path: str | Path) -> tuple[Any, Preprocess]:
    """Rebuild a saved model exactly (in eval mode) with its preprocessing: `load("runs/x/model.pt")`."""
    torch = require("torch", "train")
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no checkpoint at {path}")
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means the file is not ours or is damaged
        raise InputError(f"{path} is not a readable Napkin checkpoint: {exc}") from exc
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT:
        raise InputError(f"{path} is not a Napkin model checkpoint (format {FORMAT!r})")
    model = _build(ckpt["config"])
    model.load_state_dict(ckpt["state_dict"])
    model.eval()
    return model, preprocess_for(ckpt["config"])


def _read_meta(path: str | Path) -> dict[str, Any]:
    """The `meta` a checkpoint was saved with (its calibration, its data)."""
    torch = require("torch", "train")
    ckpt = torch.load(Path(path), map_location="cpu", weights_only=True)
    return dict(ckpt.get("meta", {}))
