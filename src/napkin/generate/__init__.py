"""Pictures of interfaces in, HTML pages out, with interchangeable backends.

    >>> from napkin.generate import generate                          # doctest: +SKIP
    >>> result = generate("shot.png")                                 # embedded: offline, CPU
    >>> result.html, result.tree, result.kind, result.timings["total"]
    >>> result = generate("sketch.jpg", backend="openai", model="qwen2.5vl:7b",
    ...                   base_url="http://localhost:11434/v1", n=3, repair_rounds=2)
    >>> result.candidates[result.chosen].score, result.rounds

Backends stand behind the `Generator` protocol: `EmbeddedGenerator` (napkin.vision infers a
layout tree, `napkin.layout.emit_html` writes the code) and `OpenAIGenerator` (any
OpenAI-compatible vision chat model, with a render-and-repair loop in the sandbox and best-of-n
selection by visual similarity). `generate_dir` runs a folder, resumably.

Import `generate` from here: `napkin.generate` itself is this package, not the function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from napkin._lazy import exports

if TYPE_CHECKING:  # imported on first use (napkin._lazy): `napkin --help` loads none of it
    from napkin.generate._api import BACKENDS, generate, make_generator
    from napkin.generate._batch import LOG_FILE, BatchSummary, generate_dir
    from napkin.generate._check import markup_problems, render_problems
    from napkin.generate._config import OpenAISettings, openai_settings
    from napkin.generate._embedded import Analysis, Analyzer, EmbeddedGenerator
    from napkin.generate._extract import extract_html
    from napkin.generate._image import read_image
    from napkin.generate._openai import OpenAIGenerator
    from napkin.generate._select import default_scorer, pick
    from napkin.generate._types import KINDS, Candidate, Generator, Kind, Result, Round, Scorer

__getattr__, __dir__, __all__ = exports(__name__, __file__)
