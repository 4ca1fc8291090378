"""The embedded backend: picture to layout tree (napkin.vision) to code (napkin.layout.emit_html).

Offline, on a CPU, and the same compiler the data engine uses, so its pages are the clean flow
layout `emit_html` writes. The analyzer is a seam: tests and future learned pipelines pass
their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PIL import Image

from napkin.errors import ConfigError, DependencyError
from napkin.generate._types import Kind, Result, check_kind
from napkin.layout import Node, Theme, emit_html


class Analysis(Protocol):
    """What an analyzer returns (napkin.vision.Analysis has this shape)."""

    @property
    def tree(self) -> Node: ...

    @property
    def theme(self) -> Theme: ...

    @property
    def kind(self) -> str: ...

    @property
    def warnings(self) -> list[str]: ...

    @property
    def timings(self) -> dict[str, float]: ...


# (picture, kind) -> Analysis
Analyzer = Callable[[Image.Image, Kind], Analysis]


OCR_READERS = ("tesseract", "rapidocr")


def vision_analyzer(learned: bool = False, model: str | Path | None = None, ocr: str = "tesseract") -> Analyzer:
    """`napkin.vision.analyze`, or a DependencyError saying what is missing.

    `learned` joins the layout parser (`model`, the shipped one by default) to the classical
    detector: it decides what regions are (buttons, pictures, navigation, forms). `ocr` picks
    the text reader: Tesseract, or PP-OCR (`rapidocr`, the ocr extra: reads more short labels,
    about 4x slower; benchmarks/ocr_compare.py).
    """
    try:
        from napkin.vision import Detector, LearnedDetector, RapidReader, analyze
    except ImportError as exc:
        if not isinstance(exc, ModuleNotFoundError) or exc.name is None or "napkin.vision".startswith(exc.name):
            raise DependencyError(
                "the embedded backend needs napkin.vision (the image-to-layout pipeline), which this "
                "installation does not have; use --backend openai meanwhile"
            ) from exc
        raise DependencyError(
            f"the embedded backend needs the Python package '{exc.name}', which is not installed. "
            "Install it with: pip install 'napkin-code[vision]'"
        ) from exc
    if ocr not in OCR_READERS:
        raise ConfigError(f"unknown OCR reader {ocr!r}; use one of {', '.join(OCR_READERS)}")
    reader = RapidReader() if ocr == "rapidocr" else None
    detectors: list[Detector] | None = None
    if learned:
        detector = LearnedDetector() if model is None else LearnedDetector(model=model)
        detector.check()
        detectors = [detector]

    def run(image: Image.Image, kind: Kind) -> Analysis:
        return analyze(image, kind=kind, reader=reader, detectors=detectors)

    return run


class EmbeddedGenerator:
    """Generate pages offline: vision infers a layout tree, `emit_html` compiles it."""

    def __init__(self, analyzer: Analyzer | None = None, learned: bool = False, model: str | Path | None = None,
                 ocr: str = "tesseract") -> None:
        self._analyzer = analyzer
        self._learned = learned
        self._model = model
        self.ocr = ocr
        if (learned or ocr != "tesseract") and analyzer is None:
            # A missing model or reader fails here, not once per picture.
            self._analyzer = vision_analyzer(learned=learned, model=model, ocr=ocr)

    @property
    def name(self) -> str:
        return "learned" if self._learned else "embedded"

    @property
    def model_id(self) -> str | None:
        """The learned backend's parser: its weights' hash, so new weights make new pages."""
        reader = "" if self.ocr == "tesseract" else f"+{self.ocr}"
        if not self._learned:
            return reader[1:] or None
        from napkin._batch import sha1_file
        from napkin.vision import DEFAULT_PARSER

        stem = Path(self._model or DEFAULT_PARSER)
        graph = stem.with_name(stem.name + ".parser.onnx")
        return (f"{stem.name}@{sha1_file(graph)[:12]}" if graph.is_file() else stem.name) + reader

    def close(self) -> None:
        pass

    def generate(self, image: Image.Image, kind: Kind = "auto") -> Result:
        kind = check_kind(kind)
        if self._analyzer is None:
            self._analyzer = vision_analyzer()
        t0 = time.perf_counter()
        analysis = self._analyzer(image, kind)
        t1 = time.perf_counter()
        html = emit_html(analysis.tree, analysis.theme)
        t2 = time.perf_counter()
        timings = {f"vision.{k}": float(v) for k, v in analysis.timings.items()}
        timings.update(analyze=t1 - t0, emit=t2 - t1, total=t2 - t0)
        return Result(
            html=html,
            backend=self.name,
            kind=analysis.kind,
            tree=analysis.tree,
            timings=timings,
            warnings=list(analysis.warnings),
        )
