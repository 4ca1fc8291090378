"""The visual metric: MS-SSIM on inpainted squares by default, CLIP from weights on disk."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from napkin.errors import ConfigError, DependencyError, InputError
from napkin.score import MsSsim, Scorer, TextBlock, inpainted_square, ms_ssim, visual_metric
from tests.conftest import save_tiny_clip


def noise_image(seed: int, size: int = 256) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.random((size, size)) * 255).astype(np.float32)


def test_ms_ssim_is_one_for_equal_images_and_low_for_unrelated_ones():
    a = noise_image(0)
    assert ms_ssim(a, a.copy()) == pytest.approx(1.0)
    assert ms_ssim(a, noise_image(1)) < 0.1
    blurred = (a + np.roll(a, 1, axis=1)) / 2
    assert 0.1 < ms_ssim(a, blurred) < 1.0
    with pytest.raises(ValueError, match="differ in size"):
        ms_ssim(a, a[:128])


def test_inpainting_paints_text_out():
    # A white page with a black "text" bar and a red panel: inpainting the bar's box leaves the
    # panel and makes the page look like the same page without the text.
    page = np.full((720, 1280, 3), 255, np.uint8)
    page[500:700, 100:600] = (200, 30, 30)
    plain = page.copy()
    page[100:130, 100:800] = 0
    bar = TextBlock("x", x=100 / 1280, y=100 / 720, w=700 / 1280, h=30 / 720, color=(0, 0, 0))
    m = MsSsim()
    cleaned = m.features(inpainted_square(page, [bar]))
    assert m.similarity(cleaned, m.features(inpainted_square(plain, []))) > 0.99
    assert m.similarity(m.features(inpainted_square(page, [])), m.features(inpainted_square(plain, []))) < 0.95


def test_visual_metric_specs():
    assert visual_metric(None).name == "ms-ssim" == visual_metric("ms-ssim").name
    with pytest.raises(ConfigError, match="unknown visual metric"):
        visual_metric("clipp")
    with pytest.raises(InputError, match="not a folder"):
        visual_metric("clip:/nonexistent/folder")
    with pytest.raises(InputError, match="does not exist"):
        visual_metric("clip:ViT-B-32:/nonexistent/weights.bin")


def test_clip_without_its_libraries_names_the_extra(tmp_path, monkeypatch):
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setitem(sys.modules, "transformers", None)  # as if not installed
    with pytest.raises(DependencyError, match=r"pip install 'napkin-code\[clip\]'"):
        visual_metric(f"clip:{tmp_path}")


def test_clip_loads_a_tiny_model_saved_locally(tmp_path):
    save_tiny_clip(tmp_path)

    metric = visual_metric(f"clip:{tmp_path}")
    assert metric.name.startswith("clip (transformers") and "ms-ssim" not in metric.name
    rng = np.random.default_rng(0)
    a = (rng.random((256, 256, 3)) * 255).astype(np.uint8)
    b = np.zeros_like(a)
    b[:, 128:] = 255
    fa, fb = metric.features(a), metric.features(b)
    assert fa.shape == (8,) and np.linalg.norm(fa) == pytest.approx(1.0, abs=1e-5)
    assert metric.similarity(fa, metric.features(a.copy())) == pytest.approx(1.0, abs=1e-5)
    assert metric.similarity(fa, fb) < 0.999
    # The scorer carries the metric's name into every result.
    assert Scorer(metric).visual.name == metric.name


def test_gray_inpainting_matches_the_gray_of_colour_inpainting():
    # MS-SSIM inpaints gray squares: Telea's fill is linear in the pixels, so this must be the
    # gray of the colour inpainting to within rounding, or the metric would have changed.
    import cv2

    rng = np.random.default_rng(3)
    page = np.full((900, 1280, 3), 250, np.uint8)
    page[200:600, 80:700] = (40, 120, 200)
    page[650:880, 300:1200] = rng.integers(0, 255, (230, 900, 3), dtype=np.uint8)
    blocks = [TextBlock("t", x=0.1, y=0.05, w=0.6, h=0.08, color=(0, 0, 0)),
              TextBlock("u", x=0.3, y=0.7, w=0.5, h=0.1, color=(0, 0, 0))]
    colour = cv2.cvtColor(inpainted_square(page, blocks), cv2.COLOR_RGB2GRAY).astype(int)
    gray = inpainted_square(page, blocks, gray=True)
    assert gray.ndim == 2 and gray.shape == colour.shape
    diff = np.abs(gray.astype(int) - colour)
    assert diff.max() <= 4 and diff.mean() < 0.2
    m = MsSsim()
    assert m.similarity(m.features(gray), m.features(inpainted_square(page, blocks))) > 0.999
