"""A stand-in for napkin.vision.analyze, for tests of the code above it."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from napkin.layout import DEFAULT_THEME, Node, Theme

BUGGY_WIDTH = 333  # pictures this wide make the fake analyzer crash, like a bug in a pipeline


@dataclass
class FakeAnalysis:
    tree: Node
    theme: Theme
    kind: str
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def fake_analyze(image: Image.Image, kind: str = "auto") -> FakeAnalysis:
    if image.width == BUGGY_WIDTH:
        raise RuntimeError("index out of range in the layout stage")
    tree = Node("page", children=[Node("section", children=[
        Node("heading", f"Picture {image.width}x{image.height}", attrs={"level": "1"}),
        Node("button", "Sign up"),
    ])])
    return FakeAnalysis(tree, DEFAULT_THEME.with_(primary="#c2410c"), "sketch" if kind == "sketch" else "screenshot",
                        ["few words read"], {"ocr": 0.01, "layout": 0.002})
