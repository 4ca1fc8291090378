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

from napkin.errors import DependencyError
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


def vision_analyzer(learned: bool = False, model: str | Path | None = None) -> Analyzer:
    """`napkin.vision.analyze`, or a DependencyError saying what is missing.

    `learned` joins the layout parser (`model`, the shipped one by default) to the classical
    detector: it decides what regions are (buttons, pictures, navigation, forms).
    """
    try:
        from napkin.vision import LearnedDetector, analyze
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

    if not learned:
        def run(image: Image.Image, kind: Kind) -> Analysis:
            return analyze(image, kind=kind)

        return run
    detector = LearnedDetector() if model is None else LearnedDetector(model=model)
    detector.check()

    def run_learned(image: Image.Image, kind: Kind) -> Analysis:
        return analyze(image, kind=kind, detectors=[detector])

    return run_learned


class EmbeddedGenerator:
    """Generate pages offline: vision infers a layout tree, `emit_html` compiles it."""

    def __init__(self, analyzer: Analyzer | None = None, learned: bool = False, model: str | Path | None = None) -> None:
        self._analyzer = analyzer
        self._learned = learned
        self._model = model
        if learned and analyzer is None:
            self._analyzer = vision_analyzer(learned=True, model=model)  # a missing model fails here, not per picture

    @property
    def name(self) -> str:
        return "learned" if self._learned else "embedded"

    @property
    def model_id(self) -> str | None:
        """The learned backend's parser: its weights' hash, so new weights make new pages."""
        if not self._learned:
            return None
        from napkin._batch import sha1_file
        from napkin.vision import DEFAULT_PARSER

        stem = Path(self._model or DEFAULT_PARSER)
        graph = stem.with_name(stem.name + ".parser.onnx")
        return f"{stem.name}@{sha1_file(graph)[:12]}" if graph.is_file() else stem.name

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
