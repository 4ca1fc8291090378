"""Image to layout tree, classically: OCR, element detection and layout inference.

    >>> from napkin.vision import analyze                          # doctest: +SKIP
    >>> from napkin.layout import emit_html
    >>> result = analyze("screenshot.png")
    >>> html = emit_html(result.tree, result.theme)
    >>> result.kind, result.warnings, result.timings
    ('screenshot', [], {'load': 0.01, 'panels': 0.1, 'ocr': 0.7, 'detect': 0.1, 'layout': 0.01})

`load_image` turns untrusted input into an RGB image or a clear `InputError`. Each stage sits
behind a seam: pass your own `TextReader` or `Detector` (a learned model) to `analyze`.
Needs Debian's `tesseract-ocr` and the `vision` extra (scipy, opencv-python-headless).
"""

from __future__ import annotations

from napkin._extras import require

require("cv2", "vision")

from napkin._image import DEFAULT_MAX_PIXELS, image_warnings, load_image  # noqa: E402
from napkin.vision._analyze import VisionConfig, analyze, guess_kind, infer_theme  # noqa: E402
from napkin.vision._detect import ClassicalDetector  # noqa: E402
from napkin.vision._layout import LayoutConfig  # noqa: E402
from napkin.vision._learned import DEFAULT_PARSER, LearnedDetector, Region  # noqa: E402
from napkin.vision._ocr import RapidReader, TesseractReader, ink_image  # noqa: E402
from napkin.vision._types import DETECTION_CLASSES, Analysis, Detection, Detector, Line, TextReader, Word  # noqa: E402

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "DEFAULT_PARSER",
    "DETECTION_CLASSES",
    "Analysis",
    "ClassicalDetector",
    "Detection",
    "Detector",
    "LayoutConfig",
    "LearnedDetector",
    "RapidReader",
    "Line",
    "Region",
    "TesseractReader",
    "TextReader",
    "VisionConfig",
    "Word",
    "analyze",
    "guess_kind",
    "image_warnings",
    "infer_theme",
    "ink_image",
    "load_image",
]
