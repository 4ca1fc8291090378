"""The layout parser's network: a picture of a page in, where each kind of element is, out.

It reads the picture as Sketch2Code's layout metric does: as one region per class of element
(text, image, button, navigation, form and table, divider), and predicts for every cell of a
grid at half the input's resolution whether each class covers it (classes overlap: the text
of a navigation bar is both). A small U-Net: a convolutional encoder of residual stages, a
decoder that upsamples and adds each stage's features back (the skip connections keep small
things such as buttons and dividers sharp), and one 1x1 convolution of logits per class.

The picture is read at a fixed width and in windows of a fixed height (`napkin.model.tiles`),
so a tall page is as sharp as a short one; the network itself takes any height.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F

from napkin.model._embedding import Block, _down
from napkin.model._registry import DictConfig

# What the parser predicts: Sketch2Code's classes (napkin.score._layout.CLASSES) but video,
# which the data engine never draws.
PARSER_CLASSES = ("text", "image", "button", "navigation", "form_table", "divider")


@dataclass
class ParserConfig(DictConfig):
    name: str = "ui-parse-s"
    kind: str = "parser"
    # Pictures are scaled to this width and read in windows this tall. 256 px across a 1280 px
    # page keeps a line of body text about 3 px tall: enough to see where text is, not to read it
    # (OCR reads it, at full size).
    image_width: int = 256
    image_height: int = 384
    max_aspect: float = 1.5  # image_height / image_width: one window's shape
    widths: list[int] = field(default_factory=lambda: [16, 32, 64, 128])  # encoder stages, each /2
    depths: list[int] = field(default_factory=lambda: [1, 1, 2, 2])
    classes: list[str] = field(default_factory=lambda: list(PARSER_CLASSES))


    @property
    def stride(self) -> int:
        """Input pixels per output cell, along each side."""
        return 2


class LayoutParserNet(nn.Module):
    """uint8 pixels (N, H, W, 3) to class logits (N, classes, H / 2, W / 2); H and W multiples of 2 ** stages."""

    def __init__(self, cfg: ParserConfig) -> None:
        super().__init__()
        self.config = cfg
        w = cfg.widths
        self.stem = _down(3, w[0])  # /2
        self.stages = nn.ModuleList()
        cin = w[0]
        for i, (width, depth) in enumerate(zip(w, cfg.depths, strict=True)):
            layers: list[nn.Module] = [] if i == 0 else [_down(cin, width)]
            layers.extend(Block(width) for _ in range(depth))
            self.stages.append(nn.Sequential(*layers))
            cin = width
        # Decoder: from the deepest stage up to the first (/2), adding each stage's features.
        self.lateral = nn.ModuleList(nn.Conv2d(width, w[0] * 2, 1) for width in w)
        self.smooth = nn.Sequential(
            nn.Conv2d(w[0] * 2, w[0] * 2, 3, padding=1, bias=False), nn.BatchNorm2d(w[0] * 2), nn.ReLU(inplace=True)
        )
        self.head = nn.Conv2d(w[0] * 2, len(cfg.classes), 1)
        assert self.head.bias is not None
        nn.init.constant_(self.head.bias, -2.0)  # most cells are empty for most classes: start there
        self.mean: torch.Tensor
        self.std: torch.Tensor
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1) * 255, persistent=False)
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1) * 255, persistent=False)

    @property
    def multiple(self) -> int:
        """Input sides must be multiples of this."""
        return 2 ** len(self.config.widths)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = (pixels.permute(0, 3, 1, 2).float() - self.mean) / self.std
        x = self.stem(x)
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        y = self.lateral[-1](feats[-1])
        for f, lateral in zip(reversed(feats[:-1]), reversed(self.lateral[:-1]), strict=True):
            y = F.interpolate(y, size=f.shape[-2:], mode="nearest") + lateral(f)
        return self.head(self.smooth(y))
