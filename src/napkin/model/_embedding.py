"""The UI embedding: an image tower of our own and a projection over a frozen text tower, into one space.

Read from the parts to the whole: a residual convolution block, the convolutional trunk, the
attention pooling that keeps where things are on the page, the image tower, the text projection,
the two-tower model. Trained contrastively (`napkin.train`, CLIP's symmetric InfoNCE) on pictures
the data engine rendered and descriptions written from their layout trees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F

from napkin.model._registry import DictConfig


@dataclass
class EmbeddingConfig(DictConfig):
    name: str = "ui-embed-s"
    kind: str = "embedding"
    # Input canvas: 128 x 192 keeps a desktop page's blocks and a phone screen's rows apart after a
    # 5-10x reduction; 160 x 240 trained at two thirds the rate on 2 cores for no gain we could afford to measure.
    image_width: int = 128
    image_height: int = 192
    max_aspect: float = 2.0  # the top two widths of a tall page: where its structure shows
    # Channels and residual blocks per stage; each stage halves the resolution (stem: /2).
    widths: list[int] = field(default_factory=lambda: [24, 48, 96, 192])
    depths: list[int] = field(default_factory=lambda: [1, 1, 2, 2])
    # Attention pooling over the last feature map (4 x 6 positions): where a block sits is part of
    # what a page is ("a navbar at the top"), which global average pooling would throw away.
    pool_layers: int = 1
    pool_heads: int = 4
    embed_dim: int = 256
    # Frozen (napkin.model._text). MiniLM over wordllama: free-text prompts found their page type
    # 0.90 of the time against 0.48 (benchmarks/embedding_text_tower.py), and it runs without torch too.
    text_tower: str = "minilm"
    text_dim: int = 384  # the text tower's output size
    text_hidden: int = 512
    init_logit_scale: float = math.log(1 / 0.07)  # CLIP's initial temperature



class Block(nn.Module):
    """Two 3x3 convolutions with a shortcut (ResNet's basic block)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(x + self.bn2(self.conv2(y)))


def _down(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Trunk(nn.Module):
    def __init__(self, widths: list[int], depths: list[int]) -> None:
        super().__init__()
        layers: list[nn.Module] = [_down(3, widths[0] // 2 or 8)]
        cin = widths[0] // 2 or 8
        for width, depth in zip(widths, depths, strict=True):
            layers.append(_down(cin, width))
            layers.extend(Block(width) for _ in range(depth))
            cin = width
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class SelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.scale = 1.0 / math.sqrt(self.head_dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        qkv = self.qkv(x).unflatten(-1, (3, self.heads, self.head_dim)).permute(2, 0, 3, 1, 4)  # (3, B, H, T, D/H)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = (q @ k.transpose(-1, -2)) * self.scale  # (B, H, T, T)
        y = att.softmax(-1) @ v  # (B, H, T, D/H)
        return self.out(y.transpose(1, 2).flatten(2))  # (B, T, D)


class PoolLayer(nn.Module):
    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ImageTower(nn.Module):
    mean: torch.Tensor
    std: torch.Tensor

    def __init__(self, cfg: EmbeddingConfig) -> None:
        super().__init__()
        self.trunk = Trunk(cfg.widths, cfg.depths)
        dim = cfg.widths[-1]
        stride = 2 ** (len(cfg.widths) + 1)
        positions = math.ceil(cfg.image_height / stride) * math.ceil(cfg.image_width / stride)
        self.pos = nn.Parameter(torch.randn(1, positions + 1, dim) * 0.02)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pool = nn.Sequential(*[PoolLayer(dim, cfg.pool_heads) for _ in range(cfg.pool_layers)])
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, cfg.embed_dim)
        self.register_buffer("mean", torch.tensor([0.9, 0.9, 0.9]).view(1, 3, 1, 1) * 255, persistent=False)
        self.register_buffer("std", torch.tensor([0.25, 0.25, 0.25]).view(1, 3, 1, 1) * 255, persistent=False)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        """pixels: (B, H, W, 3) uint8, as `Preprocess` makes them. Returns (B, embed_dim), unit length."""
        x = (pixels.permute(0, 3, 1, 2).float() - self.mean) / self.std  # (B, 3, H, W); pages are mostly light
        x = self.trunk(x)  # (B, C, H/32, W/32)
        tokens = x.flatten(2).transpose(1, 2)  # (B, T, C)
        tokens = torch.cat([self.cls.expand(tokens.shape[0], -1, -1), tokens], 1) + self.pos  # (B, 1+T, C)
        pooled = self.norm(self.pool(tokens)[:, 0])  # (B, C)
        return F.normalize(self.proj(pooled), dim=-1)


class TextProjection(nn.Module):
    """From the frozen text tower's features to the shared space; the only trained part of the text side."""

    def __init__(self, cfg: EmbeddingConfig) -> None:
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(cfg.text_dim, cfg.text_hidden), nn.GELU(), nn.Linear(cfg.text_hidden, cfg.embed_dim))
        self.skip = nn.Linear(cfg.text_dim, cfg.embed_dim, bias=False)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """features: (B, text_dim) from the text tower. Returns (B, embed_dim), unit length."""
        return F.normalize(self.mlp(features) + self.skip(features), dim=-1)


class UIEmbedding(nn.Module):
    def __init__(self, cfg: EmbeddingConfig) -> None:
        super().__init__()
        self.config = cfg
        self.image = ImageTower(cfg)
        self.text = TextProjection(cfg)
        self.logit_scale = nn.Parameter(torch.tensor(cfg.init_logit_scale))

    def forward(self, pixels: torch.Tensor, text_features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.image(pixels), self.text(text_features)
