from __future__ import annotations

import sys

import pytest

from napkin.errors import ConfigError, DependencyError
from napkin.generate import EmbeddedGenerator, Generator, generate, make_generator
from napkin.layout import emit_html
from tests.generate.fakes import fake_analyze
from tests.generate.pictures import good_picture


def test_tree_to_html_through_the_analyzer():
    gen = EmbeddedGenerator(analyzer=fake_analyze)
    assert isinstance(gen, Generator)
    picture = good_picture()
    result = gen.generate(picture, "sketch")
    analysis = fake_analyze(picture, "sketch")
    assert result.html == emit_html(analysis.tree, analysis.theme)
    assert result.tree is not None and result.tree.texts() == ["Picture 640x400", "Sign up"]
    assert result.backend == "embedded" and result.kind == "sketch"
    assert result.warnings == ["few words read"] and result.candidates == [] and result.chosen is None
    assert {"vision.ocr", "vision.layout", "analyze", "emit", "total"} <= set(result.timings)


def test_generate_api(tmp_path):
    path = tmp_path / "shot.png"
    good_picture().save(path)
    result = generate(path, analyzer=fake_analyze)
    assert "Picture 640x400" in result.html and result.kind == "screenshot"
    assert result.timings["total"] >= result.timings["load"]
    summary = result.summary()
    assert summary["nodes"] == 4 and "html" not in summary


def test_a_generator_object_as_backend():
    result = generate(good_picture(), backend=EmbeddedGenerator(fake_analyze), kind="auto")
    assert result.tree is not None
    with pytest.raises(ConfigError, match="only apply to a backend given by name"):
        generate(good_picture(), backend=EmbeddedGenerator(fake_analyze), model="x")


def test_bad_options():
    with pytest.raises(ConfigError, match="belong to --backend openai"):
        make_generator("embedded", model="x")
    with pytest.raises(ConfigError, match="unknown backend 'gpt'"):
        make_generator("gpt")
    with pytest.raises(ConfigError, match="kind must be one of"):
        generate(good_picture(), kind="photo", analyzer=fake_analyze)


def test_missing_vision_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "napkin.vision", None)
    with pytest.raises(DependencyError, match="napkin.vision.*--backend openai"):
        EmbeddedGenerator().generate(good_picture())
