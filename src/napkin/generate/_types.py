"""The records generation returns, and the seam every backend stands behind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from PIL import Image

from napkin.errors import ConfigError
from napkin.layout import Node

Kind = Literal["auto", "screenshot", "sketch"]
KINDS: tuple[Kind, ...] = ("auto", "screenshot", "sketch")

# Image-vs-image visual similarity: (input picture, rendering of a candidate) -> higher is closer.
Scorer = Callable[[Image.Image, Image.Image], float]


def check_kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise ConfigError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return kind


@dataclass(slots=True)
class Round:
    """One answer of a remote model inside the repair loop, and what the sandbox found in it."""

    index: int  # 0 is the first answer; 1.. are repairs
    problems: list[str]  # empty when the page rendered cleanly
    html_chars: int
    finish_reason: str | None = None
    seconds: float = 0.0  # request and render

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "problems": list(self.problems),
            "html_chars": self.html_chars,
            "finish_reason": self.finish_reason,
            "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class Candidate:
    """One independent answer of a best-of-n run, after its repair rounds."""

    index: int
    html: str = ""
    rounds: list[Round] = field(default_factory=list)
    score: float | None = None  # visual similarity of its rendering to the input; None when not scored
    error: str | None = None  # set when the candidate produced no usable HTML at all
    rendered: bool = False  # its final HTML rendered to a non-blank image
    usage: dict[str, int] = field(default_factory=dict)  # tokens, summed over its requests
    kept_round: int | None = None  # the round whose HTML this is

    @property
    def problems(self) -> list[str]:
        """What is still wrong with the kept HTML."""
        return list(self.rounds[self.kept_round].problems) if self.kept_round is not None else []

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "score": None if self.score is None else round(self.score, 4),
            "error": self.error,
            "rendered": self.rendered,
            "kept_round": self.kept_round,
            "html_chars": len(self.html),
            "usage": dict(self.usage),
            "rounds": [r.to_json() for r in self.rounds],
        }


@dataclass(slots=True)
class Result:
    """What `generate` returns: the page, and how it was made."""

    html: str
    backend: str
    kind: str  # the kind the backend worked with: screenshot or sketch (auto when the model decided)
    tree: Node | None = None  # the layout tree behind the HTML (embedded backend)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, "total" included
    warnings: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)  # remote backends: every candidate
    chosen: int | None = None  # index of the candidate whose HTML this is
    usage: dict[str, int] = field(default_factory=dict)  # tokens over every request (remote backends)
    model: str | None = None

    @property
    def rounds(self) -> int:
        """Requests the chosen candidate needed (1 when its first answer was kept clean)."""
        if self.chosen is None:
            return 0
        return len(self.candidates[self.chosen].rounds)

    def summary(self) -> dict[str, Any]:
        """A JSON-ready record for batch logs: everything but the HTML and the tree."""
        return {
            "backend": self.backend,
            "model": self.model,
            "kind": self.kind,
            "html_chars": len(self.html),
            "nodes": self.tree.size() if self.tree is not None else None,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "warnings": list(self.warnings),
            "chosen": self.chosen,
            "usage": dict(self.usage),
            "candidates": [c.to_json() for c in self.candidates],
        }


@runtime_checkable
class Generator(Protocol):
    """Turns a picture of an interface into a page. One per backend; fakes in tests.

    `image` is an already checked RGB picture (see `read_image`); `kind` tells the backend what
    the picture is, or "auto" to let it decide.
    """

    @property
    def name(self) -> str: ...

    def generate(self, image: Image.Image, kind: Kind = "auto") -> Result: ...

    def close(self) -> None: ...
