"""Napkin's small models: architectures as data, checkpoints that carry their config, ONNX inference.

    from napkin.model import create_model, load, export_onnx
    model, preprocess = create_model("ui-embed-s")        # a registered config (configs/*.json)
    model, preprocess = load("runs/embed/model.pt")       # rebuilt from the checkpoint alone
    export_onnx(model, "runs/embed/ui-embed-s")           # .image.onnx, .text.onnx, .json
    onnx = OnnxEmbedding("runs/embed/ui-embed-s")         # onnxruntime: no torch needed

Training lives in `napkin.train`; the embedding's everyday interface (pictures and text in,
vectors and scores out) in `napkin.embed`. Nothing here imports torch until a model is built.
"""

from __future__ import annotations

from napkin.model._checkpoint import create_model, load, save_checkpoint
from napkin.model._onnx import OnnxEmbedding, export_onnx
from napkin.model._preprocess import Preprocess
from napkin.model._registry import list_models, model_config
from napkin.model._text import TEXT_TOWERS, TextTower, load_text_tower

__all__ = [
    "TEXT_TOWERS",
    "OnnxEmbedding",
    "Preprocess",
    "TextTower",
    "create_model",
    "export_onnx",
    "list_models",
    "load",
    "load_text_tower",
    "model_config",
    "save_checkpoint",
]
