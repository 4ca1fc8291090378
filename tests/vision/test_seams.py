"""The seams: a learned reader or detector plugs in without the classical ones, and results are typed."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from napkin.layout import emit_html
from napkin.vision import Detection, Detector, Line, TextReader, Word, analyze


class CannedReader:
    def read(self, rgb: np.ndarray) -> list[Word]:
        return [Word("Welcome", (40, 40, 140, 28), 99.0), Word("aboard", (190, 40, 120, 28), 99.0)]


class CannedDetector:
    def detect(self, rgb: np.ndarray, lines: list[Line], kind) -> list[Detection]:
        return [Detection("image", (40, 120, 300, 200), score=0.9, color="#0000ff", source="canned")]


def picture() -> Image.Image:
    img = Image.new("RGB", (640, 400), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, 310, 68), fill=(20, 20, 20))
    draw.rectangle((40, 120, 340, 320), fill=(0, 0, 255))
    return img


def test_protocols_are_satisfied_by_plain_classes():
    assert isinstance(CannedReader(), TextReader)
    assert isinstance(CannedDetector(), Detector)


def test_custom_reader_and_detector_replace_the_classical_stages():
    result = analyze(picture(), kind="screenshot", reader=CannedReader(), detectors=[CannedDetector()])
    assert [ln.text for ln in result.lines] == ["Welcome aboard"]
    assert [d.source for d in result.detections] == ["canned"]
    # Boxes come back in CSS px of a 1280 px wide page: the 640 px picture is scaled by 2.
    assert result.scale == 2.0
    assert result.detections[0].box == (80.0, 240.0, 600.0, 400.0)
    assert result.tree.texts() == ["Welcome aboard"]
    html = emit_html(result.tree, result.theme)
    assert "Welcome aboard" in html and "<img" in html
    assert set(result.timings) >= {"load", "ocr", "detect", "layout"}
