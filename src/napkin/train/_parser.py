"""Training task of the layout parser: where each class of element is, cell by cell, on synth pictures.

A batch is B windows (the parser's input height) cut from pictures of the training pages,
half of them at the top of the page (where headers and navigation are) and half anywhere.
The loss is per-cell binary cross-entropy plus a soft Dice term per class: cross-entropy alone
is content to call a thin divider or a small button "background", because almost every cell is.

Evaluation reads whole pictures of the validation pages in overlapping windows, as inference
does, and reports Sketch2Code's layout similarity of the predicted regions against the true ones
per variant (screenshot, wireframe, sketch), and each class's IoU over all of them.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from napkin.errors import InputError
from napkin.model._checkpoint import create_model, save_checkpoint
from napkin.model._registry import model_config
from napkin.model._tiles import layout_similarity_of_masks, predict_tiled
from napkin.train._config import TrainConfig
from napkin.train._parse_data import STRIDE, ParserData, unpack


def _split(data: ParserData, val_fraction: float, val_max: int) -> tuple[np.ndarray, np.ndarray]:
    """Pictures of training and of validation pages: a page's variants stay together, chosen by its id's hash."""
    train: list[int] = []
    val: list[int] = []
    for i, p in enumerate(data.pictures):
        (val if zlib.crc32(p.sample_id.encode()) % 1000 < val_fraction * 1000 else train).append(i)
    if not train:
        raise InputError(f"{data.dataset}: every page fell into validation; lower val_fraction")
    pages_seen: dict[str, None] = {}
    kept = []
    for i in val:  # at most val_max pages, all of their variants
        sid = data.pictures[i].sample_id
        if sid in pages_seen or len(pages_seen) < val_max:
            pages_seen[sid] = None
            kept.append(i)
    return np.array(train), np.array(kept, dtype=int)


class ParserTask:
    name = "parser"

    def __init__(self, cfg: TrainConfig, data: str | Path, progress: bool = True) -> None:
        import torch

        self.torch = torch
        self.cfg = cfg
        self.model_config = model_config(cfg.model, **cfg.model_overrides)
        if self.model_config.get("kind") != "parser":
            raise InputError(f"model {cfg.model!r} is not a layout parser (kind {self.model_config.get('kind')!r})")
        self.width = int(self.model_config["image_width"])
        self.window = int(self.model_config["image_height"])
        self.data = ParserData(data, self.width, progress=progress)
        self.train_idx, self.val_idx = _split(self.data, cfg.val_fraction, cfg.val_max)
        self._model: Any = None

    def build(self) -> Any:
        if self._model is None:
            self._model = create_model(self.model_config)[0]
        return self._model

    def batch(self, step: int) -> tuple[np.ndarray, np.ndarray]:
        """(B, window, width, 3) uint8 pixels and (B, classes, window / 2, width / 2) bool targets, drawn from `step`."""
        rng = np.random.default_rng([self.cfg.seed, step])
        pix, bits = [], []
        for i in rng.choice(self.train_idx, size=self.cfg.batch_size):
            rows = self.data.pictures[i].rows
            top = 0 if rows <= self.window or rng.random() < 0.5 else int(rng.integers(0, rows - self.window + 1)) // STRIDE * STRIDE
            p, m = self.data.window(int(i), top, self.window)
            pix.append(p)
            bits.append(m)
        return np.stack(pix), unpack(np.stack(bits), len(self.model_config["classes"]))

    def loss(self, model: Any, step: int) -> tuple[Any, dict[str, float], int]:
        torch, F = self.torch, self.torch.nn.functional
        pixels, target = self.batch(step)
        logits = model(torch.from_numpy(pixels))
        y = torch.from_numpy(target).float()
        bce = F.binary_cross_entropy_with_logits(logits, y)
        p = torch.sigmoid(logits)
        inter = (p * y).sum(dim=(0, 2, 3))
        dice = 1 - (2 * inter + 1) / (p.sum(dim=(0, 2, 3)) + y.sum(dim=(0, 2, 3)) + 1)
        loss = bce + dice.mean()
        return loss, {"loss_bce": float(bce.detach()), "loss_dice": float(dice.mean().detach())}, len(pixels)

    def predict(self, model: Any, pixels: np.ndarray) -> np.ndarray:
        """Per-class probabilities of one scaled picture (rows, width, 3), read in overlapping windows."""
        torch = self.torch
        with torch.no_grad():
            return predict_tiled(lambda w: model(torch.from_numpy(np.ascontiguousarray(w))).numpy(), pixels, self.window, STRIDE)

    def evaluate(self, model: Any) -> dict[str, float]:
        n = len(self.model_config["classes"])
        out: dict[str, float] = {}
        inter = np.zeros(n)
        union = np.zeros(n)
        for variant, idx in sorted(self.data.by_variant(self.val_idx.tolist()).items()):
            sims = []
            for i in idx:
                pixels, bits = self.data.picture(i)
                pred = self.predict(model, pixels) > 0.5
                true = unpack(bits, n)
                sims.append(layout_similarity_of_masks(pred, true)[0])
                inter += (pred & true).reshape(n, -1).sum(axis=1)
                union += (pred | true).reshape(n, -1).sum(axis=1)
            out[f"layout_{variant}"] = float(np.mean(sims))
        for c, name in enumerate(self.model_config["classes"]):
            if union[c] > 0:
                out[f"iou_{name}"] = float(inter[c] / union[c])
        return out

    def finish(self, model: Any, out: Path, history: dict[str, Any]) -> dict[str, Any]:
        from napkin.model._onnx import export_parser_onnx

        meta = {"data": str(self.data.dataset), "pictures": len(self.data), "train_pictures": len(self.train_idx),
                "val_pictures": len(self.val_idx)}
        save_checkpoint(model, out / "model.pt", **meta)
        name = model.config.name
        onnx = export_parser_onnx(model, out / name, train_config=self.cfg.to_dict(), data=meta,
                                  eval=history["eval"][-1] if history["eval"] else {})
        (out / "eval.json").write_text(json.dumps(history["eval"][-1] if history["eval"] else {}, indent=2) + "\n")
        return {"model": str(out / "model.pt"), "onnx": str(onnx)}
