"""ONNX export of trained models, and inference through onnxruntime (no torch needed to use a shipped model).

An embedding exports as two graphs beside one JSON file, because the two towers are used apart
(a drawing is embedded once; a prompt is embedded once and compared with many drawings):
``STEM.image.onnx`` (uint8 pixels (N, H, W, 3) in, unit vectors out), ``STEM.text.onnx``
(the frozen text tower's features in, unit vectors out), and ``STEM.json`` (the config, the
learned temperature, and whatever the caller adds, such as the game's score calibration).
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from napkin._extras import require
from napkin.errors import InputError
from napkin.model._checkpoint import preprocess_for
from napkin.model._preprocess import Preprocess

FORMAT = "napkin-onnx/1"


def _stem(path: str | Path) -> Path:
    path = Path(path)
    for suffix in (".json", ".image.onnx", ".text.onnx", ".parser.onnx"):
        if path.name.endswith(suffix):
            return path.with_name(path.name.removesuffix(suffix))
    return path


def _export_graph(module: Any, example: Any, path: Path, input_name: str, output_name: str,
                  dynamic_axes: dict[str, dict[int, str]]) -> None:
    """One graph to `path`, atomically."""
    torch = require("torch", "train")
    tmp = path.with_name(path.name + ".tmp")
    with warnings.catch_warnings():
        # The TorchScript exporter is deprecated but exact for these plain graphs, and the
        # torch.export one would add onnxscript to the train extra for nothing here.
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(module, (example,), str(tmp), input_names=[input_name], output_names=[output_name],
                          dynamic_axes=dynamic_axes, opset_version=17, dynamo=False)
    os.replace(tmp, path)


def _write_info(stem: Path, info: dict[str, Any]) -> Path:
    out = stem.with_name(stem.name + ".json")
    out.write_text(json.dumps(info, indent=2) + "\n")
    return out


def _read_export(stem: Path, graphs: tuple[str, ...], what: str, kind: str | None = None) -> tuple[dict[str, Any], list[Path]]:
    """STEM.json and the paths of its graphs (STEM.<graph>.onnx), with a clear error for anything missing or foreign."""
    meta_path = stem.with_name(stem.name + ".json")
    paths = [stem.with_name(f"{stem.name}.{graph}.onnx") for graph in graphs]
    missing = [p.name for p in [meta_path, *paths] if not p.is_file()]
    if missing:
        expected = " and ".join(p.name for p in [meta_path, *paths])
        raise InputError(f"no exported {what} at {stem} (expected {expected}; missing {', '.join(missing)})")
    meta: dict[str, Any] = json.loads(meta_path.read_text())
    if meta.get("format") != FORMAT or (kind is not None and meta.get("config", {}).get("kind") != kind):
        raise InputError(f"{meta_path} is not a Napkin {what} export (format {FORMAT!r}" + (f", kind {kind})" if kind else ")"))
    return meta, paths


def _session(path: Path, threads: int | None) -> Any:
    """An onnxruntime session on the CPU, `threads` wide (at most 2 by default: the machine's cores)."""
    ort = require("onnxruntime", "embed")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def export_onnx(model: Any, stem: str | Path, **meta: Any) -> Path:
    """Export an embedding to STEM.image.onnx, STEM.text.onnx and STEM.json; returns the JSON's path."""
    torch = require("torch", "train")
    require("onnx", "train")
    stem = _stem(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    cfg = model.config
    was_training = model.training
    model.eval()
    pixels = torch.zeros(2, cfg.image_height, cfg.image_width, 3, dtype=torch.uint8)
    features = torch.zeros(2, cfg.text_dim)
    for tower, example, name, file in ((model.image, pixels, "pixels", "image"), (model.text, features, "features", "text")):
        _export_graph(tower, example, stem.with_name(f"{stem.name}.{file}.onnx"), name, "embedding",
                      {name: {0: "n"}, "embedding": {0: "n"}})
    model.train(was_training)
    return _write_info(stem, {"format": FORMAT, "config": cfg.to_dict(), "logit_scale": float(model.logit_scale.detach().exp()), **meta})


class OnnxEmbedding:
    """The two towers of an exported embedding, run by onnxruntime."""

    def __init__(self, stem: str | Path, threads: int | None = None) -> None:
        self.meta, (image, text) = _read_export(_stem(stem), ("image", "text"), "model")
        self.config: dict[str, Any] = self.meta["config"]
        self.preprocess: Preprocess = preprocess_for(self.config)
        self._image = _session(image, threads)
        self._text = _session(text, threads)

    def images(self, pixels: np.ndarray) -> np.ndarray:
        """(N, H, W, 3) uint8 from `preprocess` to (N, D) unit vectors."""
        if len(pixels) == 0:
            return np.zeros((0, int(self.config["embed_dim"])), np.float32)
        return np.asarray(self._image.run(None, {"pixels": np.ascontiguousarray(pixels, dtype=np.uint8)})[0])

    def texts(self, features: np.ndarray) -> np.ndarray:
        """(N, text_dim) text-tower features to (N, D) unit vectors."""
        if len(features) == 0:
            return np.zeros((0, int(self.config["embed_dim"])), np.float32)
        return np.asarray(self._text.run(None, {"features": np.ascontiguousarray(features, dtype=np.float32)})[0])


def export_parser_onnx(model: Any, stem: str | Path, **meta: Any) -> Path:
    """Export a layout parser to STEM.parser.onnx and STEM.json (any batch and window height); returns the JSON's path."""
    torch = require("torch", "train")
    require("onnx", "train")
    stem = _stem(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    cfg = model.config
    was_training = model.training
    model.eval()
    example = torch.zeros(1, cfg.image_height, cfg.image_width, 3, dtype=torch.uint8)
    _export_graph(model, example, stem.with_name(f"{stem.name}.parser.onnx"), "pixels", "logits",
                  {"pixels": {0: "n", 1: "rows"}, "logits": {0: "n", 2: "cells"}})
    model.train(was_training)
    return _write_info(stem, {"format": FORMAT, "config": cfg.to_dict(), **meta})


class OnnxParser:
    """An exported layout parser, run by onnxruntime: a picture in, per-class probabilities out."""

    def __init__(self, stem: str | Path, threads: int | None = None) -> None:
        self.meta, (graph,) = _read_export(_stem(stem), ("parser",), "layout parser", kind="parser")
        self.config: dict[str, Any] = self.meta["config"]
        self.classes: list[str] = list(self.config["classes"])
        self.tiling = preprocess_for(self.config)
        self._session = _session(graph, threads)

    def logits(self, windows: np.ndarray) -> np.ndarray:
        """(N, rows, width, 3) uint8 windows to (N, classes, rows / 2, width / 2) logits."""
        return np.asarray(self._session.run(None, {"pixels": np.ascontiguousarray(windows, dtype=np.uint8)})[0])

    def probabilities(self, image: Any) -> np.ndarray:
        """Per-class probabilities (classes, rows / 2, width / 2) of a picture (PIL or (H, W, 3) uint8), over its scaled form."""
        from napkin.model._tiles import predict_tiled

        return predict_tiled(self.logits, self.tiling(image), self.tiling.window, self.tiling.stride)
