"""Records the vision stages pass to each other, and the seams a learned model plugs into.

Boxes are (x, y, w, h). Inside the pipeline they are image pixels; everything an `Analysis`
returns is in the CSS px of the page the tree describes (the image scaled to 1280 px wide).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from napkin.layout import Node, Theme

Box = tuple[float, float, float, float]
ImageKind = Literal["screenshot", "sketch"]

# What a detection can be. `panel` is a filled or outlined region that holds other things
# (a section band, a card); the layout stage decides which. `squiggle` is a hand-drawn stroke
# standing for a line of text. `text_region` is not an element: a learned detector's extent of a
# text element (a paragraph's block, as wide as its column), which sizes the text found in it.
DETECTION_CLASSES = ("panel", "button", "input", "image", "divider", "icon", "squiggle", "text_region")


@dataclass(slots=True)
class Word:
    """One word read by OCR."""

    text: str
    box: Box
    conf: float  # 0-100, Tesseract's confidence


@dataclass(slots=True)
class Line:
    """Words on one baseline, close enough to read as one phrase, with the style facts of its pixels."""

    words: list[Word]
    box: Box
    font_size: float = 0.0  # em size in the box's units
    baseline: float = 0.0  # y of the baseline in the box's units
    color: str = "#000000"
    background: str = "#ffffff"
    bold: bool = False
    placeholder: bool = False  # a squiggle in a sketch: no real text, stands for some

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(slots=True)
class Detection:
    """One element found in the picture."""

    cls: str  # one of DETECTION_CLASSES
    box: Box
    score: float = 1.0
    color: str | None = None  # fill (panels, buttons, flat images)
    border: str | None = None  # outline color, when outlined
    border_width: float = 0.0
    radius: float = 0.0
    coverage: float = 1.0  # panels: share of the box in the fill color (a picture or text makes holes)
    source: str = "classical"  # which detector found it
    hint: str | None = None  # panels: what a learned detector says it is (button, image), over the shape rules
    role: str | None = None  # panels: a region that is navigation or a form, whatever it looks like
    # Flat panels: the outline polygon (N, 1, 2) in image px, rounded corners included.
    outline: np.ndarray | None = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class Analysis:
    """Everything `analyze` found. `emit_html(analysis.tree, analysis.theme)` is the page."""

    tree: Node
    theme: Theme
    kind: ImageKind
    words: list[Word]
    lines: list[Line]
    detections: list[Detection]
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    scale: float = 1.0  # CSS px per image px
    image_size: tuple[int, int] = (0, 0)  # of the analysed image, in image px
    # A sketch's sheet found on a bed and straightened before reading: its corners (top-left,
    # top-right, bottom-right, bottom-left) in the input picture's px; image_size is then the
    # straightened sheet's.
    sheet: list[tuple[float, float]] | None = None


@runtime_checkable
class TextReader(Protocol):
    """Reads words from an RGB image (H, W, 3) uint8; boxes in image px. Tesseract is the default."""

    def read(self, rgb: np.ndarray) -> list[Word]: ...


@runtime_checkable
class Detector(Protocol):
    """Finds elements in an RGB image (H, W, 3) uint8 given the text lines already read.

    A learned detector implements this too: `analyze(..., detectors=[mine])` replaces the
    classical one, `detectors=[ClassicalDetector(), mine]` combines them (overlapping
    detections of one class are merged, the higher score wins).
    """

    def detect(self, rgb: np.ndarray, lines: list[Line], kind: ImageKind) -> list[Detection]: ...
