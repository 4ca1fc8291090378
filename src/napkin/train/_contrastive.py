"""The contrastive task: CLIP's symmetric InfoNCE between pictures of pages and their descriptions,
and between two pictures of one page (a sketch or wireframe and its screenshot).

A batch is B pages. Each gives two of its pictures (variants drawn at random: screenshot,
wireframe, sketch) and one of its descriptions. Three losses, averaged with weights: picture A
with the text, picture B with the text, picture A with picture B. Two pages with the very same
description are not negatives of each other: their off-diagonal logits are masked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from napkin.model import create_model, export_onnx, load_text_tower, model_config, save_checkpoint
from napkin.model._checkpoint import preprocess_for
from napkin.train._cache import VARIANTS, CachedPages
from napkin.train._config import TrainConfig


def _text_features(pages: CachedPages, tower_name: str, progress: bool) -> np.ndarray:
    """(N, D, F) frozen text features of every description.

    Kept in a table of unique texts beside the pictures (texts.json + feats.npy), grown and saved
    every chunk: short prompts repeat across pages, and a killed run keeps what it encoded."""
    texts = [d for r in pages.records for d in r.descriptions]
    per = len(pages.records[0].descriptions) if pages.records else 0
    folder = pages.dataset / ".napkin-cache" / f"text-{tower_name}"
    known, table = _read_text_table(folder)
    missing = sorted(set(texts) - set(known))
    if missing:
        tower = load_text_tower(tower_name)
        from tqdm import tqdm

        parts = [table] if len(table) else []
        with tqdm(total=len(missing), desc=f"text {tower_name}", unit="text", disable=not progress) as bar:
            for i in range(0, len(missing), 2048):
                chunk = missing[i : i + 2048]
                parts.append(getattr(tower, "encode_many", tower.encode)(chunk))
                known.extend(chunk)
                table = np.concatenate(parts)
                parts = [table]
                _write_text_table(folder, known, table)
                bar.update(len(chunk))
    where = {t: i for i, t in enumerate(known)}
    return table[[where[t] for t in texts]].reshape(len(pages.records), per, -1).astype(np.float32)


def _read_text_table(folder: Path) -> tuple[list[str], np.ndarray]:
    try:
        known = json.loads((folder / "texts.json").read_text())
        table = np.load(folder / "feats.npy")
        if len(known) == len(table):
            return known, table
    except (OSError, ValueError):
        pass
    return [], np.zeros((0, 0), np.float32)


def _write_text_table(folder: Path, known: list[str], table: np.ndarray) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / "feats.tmp.npy", table)
    (folder / "texts.json.tmp").write_text(json.dumps(known))
    # feats first, then texts: a reader checks that the two lengths agree, so a kill between is harmless
    (folder / "feats.tmp.npy").replace(folder / "feats.npy")
    (folder / "texts.json.tmp").replace(folder / "texts.json")


def retrieval(queries: np.ndarray, keys: np.ndarray, ks: tuple[int, ...] = (1, 5)) -> dict[int, float]:
    """Recall@k when query i should find key i (rows unit length)."""
    sims = queries @ keys.T
    ranks = (sims > sims[np.arange(len(sims)), np.arange(len(sims))][:, None]).sum(1)
    return {k: float(np.mean(ranks < k)) for k in ks}


class ContrastiveTask:
    name = "embedding"

    def __init__(self, cfg: TrainConfig, data: str | Path, progress: bool = True) -> None:
        import torch

        self.torch = torch
        self.cfg = cfg
        self.model_config = model_config(cfg.model, **cfg.model_overrides)
        self.prep = preprocess_for(self.model_config)
        self._model: Any = None
        self.pages = CachedPages(data, self.prep, progress=progress)
        if len(self.pages) < 4:
            from napkin.errors import InputError

            raise InputError(f"{data} holds {len(self.pages)} pages; contrastive training needs at least 4")
        self.train_idx, val = self.pages.split(cfg.val_fraction)
        self.val_idx = val[: cfg.val_max]
        self.features = _text_features(self.pages, self.model_config["text_tower"], progress)
        self.descriptions = [r.descriptions for r in self.pages.records]

    def build(self) -> Any:
        """The model, created on first call (after the loop has seeded torch: same seed, same start)."""
        if self._model is None:
            self._model = create_model(self.model_config)[0]
        return self._model

    def _pictures(self, idx: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        a = np.empty(len(idx), int)
        b = np.empty(len(idx), int)
        for j, i in enumerate(idx):
            have = np.flatnonzero(self.pages.has[i])
            pick = rng.permutation(have)
            a[j] = pick[0]
            b[j] = pick[1] if len(pick) > 1 else pick[0]
        return self._shift(self.pages.pixels[idx, a], rng), self._shift(self.pages.pixels[idx, b], rng)

    def _shift(self, pixels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        s = self.cfg.shift
        if s <= 0:
            return pixels
        out = np.full_like(pixels, 255)
        h, w = pixels.shape[1:3]
        for j, (dy, dx) in enumerate(rng.integers(-s, s + 1, size=(len(pixels), 2))):
            out[j, max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = pixels[j, max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)]
        return out

    def _clip_loss(self, x: Any, y: Any, scale: Any, same: Any) -> Any:
        F = self.torch.nn.functional
        logits = scale * x @ y.T  # (B, B)
        logits = logits.masked_fill(same, float("-inf"))
        target = self.torch.arange(len(x))
        return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))

    def loss(self, model: Any, step: int) -> tuple[Any, dict[str, float], int]:
        torch = self.torch
        rng = np.random.default_rng([self.cfg.seed, step])
        idx = rng.choice(self.train_idx, size=min(self.cfg.batch_size, len(self.train_idx)), replace=False)
        pa, pb = self._pictures(idx, rng)
        which = rng.integers(0, self.features.shape[1], size=len(idx))
        texts = [self.descriptions[i][w] for i, w in zip(idx, which, strict=True)]
        same = np.array([[t == u for u in texts] for t in texts])
        np.fill_diagonal(same, False)
        same_t = torch.from_numpy(same)
        ea = model.image(torch.from_numpy(np.concatenate([pa, pb])))  # (2B, D): one pass for both pictures
        ea, eb = ea[: len(idx)], ea[len(idx) :]
        et = model.text(torch.from_numpy(self.features[idx, which]))
        scale = model.logit_scale.clamp(max=float(np.log(100))).exp()
        l_at = self._clip_loss(ea, et, scale, same_t)
        l_bt = self._clip_loss(eb, et, scale, same_t)
        l_ab = self._clip_loss(ea, eb, scale, torch.zeros_like(same_t))
        w_t, w_i = self.cfg.image_text_weight, self.cfg.image_image_weight
        loss = (w_t * (l_at + l_bt) / 2 + w_i * l_ab) / (w_t + w_i)
        return loss, {"loss_text": float(l_at.detach() + l_bt.detach()) / 2, "loss_image": float(l_ab.detach()), "temperature": float(1 / scale.detach())}, 2 * len(idx)

    def embed_images(self, model: Any, pixels: np.ndarray, batch: int = 64) -> np.ndarray:
        out = [model.image(self.torch.from_numpy(np.ascontiguousarray(pixels[i : i + batch]))).numpy() for i in range(0, len(pixels), batch)]
        return np.concatenate(out) if out else np.zeros((0, model.config.embed_dim), np.float32)

    def evaluate(self, model: Any) -> dict[str, float]:
        val = self.val_idx
        shot, sketch = VARIANTS.index("screenshot"), VARIANTS.index("sketch")
        ok = val[self.pages.has[val, shot] & self.pages.has[val, sketch]]
        if len(ok) < 2:
            return {}
        e_shot = self.embed_images(model, self.pages.pixels[ok, shot])
        e_sketch = self.embed_images(model, self.pages.pixels[ok, sketch])
        e_text = model.text(self.torch.from_numpy(self.features[ok, 0])).numpy()
        t2s = retrieval(e_text, e_shot)
        t2k = retrieval(e_text, e_sketch)
        k2s = retrieval(e_sketch, e_shot)
        return {"text_to_screenshot_r1": t2s[1], "text_to_screenshot_r5": t2s[5], "text_to_sketch_r5": t2k[5],
                "sketch_to_screenshot_r1": k2s[1]}

    def calibration(self, model: Any) -> dict[str, float]:
        """The cosine range the game rescales to 0-100: unrelated (sketch, text) pairs score near 0, good matches near 100."""
        val = self.val_idx
        sketch = VARIANTS.index("sketch")
        ok = val[self.pages.has[val, sketch]]
        e = self.embed_images(model, self.pages.pixels[ok, sketch])
        t = model.text(self.torch.from_numpy(self.features[ok, 0])).numpy()
        sims = e @ t.T
        matched = np.diag(sims)
        unrelated = sims[~np.eye(len(sims), dtype=bool)]
        return {"low": float(np.median(unrelated)), "high": float(np.percentile(matched, 90)),
                "matched_median": float(np.median(matched)), "pairs": len(ok)}

    def finish(self, model: Any, out: Path, history: dict[str, Any]) -> dict[str, Any]:
        with self.torch.no_grad():
            calibration = self.calibration(model) if len(self.val_idx) >= 2 else {"low": 0.0, "high": 1.0}
        save_checkpoint(model, out / "model.pt", calibration=calibration, data=str(self.pages.dataset), pages=len(self.pages))
        name = model.config.name
        export_onnx(model, out / name, calibration=calibration, train_config=self.cfg.to_dict(),
                    data={"dataset": str(self.pages.dataset), "pages": len(self.pages), "train_pages": len(self.train_idx),
                          "val_pages": len(self.val_idx)},
                    eval=history["eval"][-1] if history["eval"] else {})
        (out / "calibration.json").write_text(json.dumps(calibration, indent=2) + "\n")
        return {"model": str(out / "model.pt"), "onnx": str(out / f"{name}.json"), "calibration": calibration}
