"""Augmentations change the page or the picture, and say exactly what they did."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from napkin.errors import ConfigError
from napkin.layout import validate
from napkin.synth import IMAGE_AUGMENTATIONS, TREE_AUGMENTATIONS, augment, augment_image, sample_page


@pytest.mark.parametrize("op", TREE_AUGMENTATIONS)
def test_each_tree_augmentation_is_recorded_and_changes_the_page(op):
    for seed in range(5):
        s = sample_page(seed, "landing")
        before = s.to_json()
        out = augment(s, seed=1, ops=[op])
        assert s.to_json() == before  # the original is untouched
        records = out.metadata["augmentations"]
        assert [r["op"] for r in records] == [op]
        json.dumps(out.metadata)
        assert validate(out.tree) == []
        assert out.tree != s.tree or out.theme != s.theme
        assert out.html() != s.html()
        assert augment(s, seed=1, ops=[op]).to_json() == out.to_json()  # deterministic


def test_move_and_reorder_keep_every_node():
    s = sample_page(4, "pricing")
    for op in ("move", "reorder"):
        out = augment(s, seed=2, ops=[op])
        assert sorted(n.kind for n in out.tree.walk()) == sorted(n.kind for n in s.tree.walk())
        assert sorted(out.tree.texts()) == sorted(s.tree.texts())
        assert out.tree.signature() != s.tree.signature() or out.tree.texts() != s.tree.texts()


def test_random_augmentation_mixes_ops_and_appends():
    s = sample_page(9)
    seen = set()
    for seed in range(20):
        out = augment(s, seed=seed, p=0.5)
        seen |= {r["op"] for r in out.metadata["augmentations"]}
        twice = augment(out, seed=seed + 100, ops=["font_swap"])
        assert twice.metadata["augmentations"][-1]["op"] == "font_swap"
        assert len(twice.metadata["augmentations"]) == len(out.metadata["augmentations"]) + 1
    assert seen == set(TREE_AUGMENTATIONS)
    with pytest.raises(ConfigError, match="unknown augmentations"):
        augment(s, ops=["melt"])


@pytest.mark.parametrize("op", IMAGE_AUGMENTATIONS)
def test_image_augmentations_change_pixels_and_are_recorded(op):
    rng = np.random.default_rng(0)
    base = np.full((120, 160, 3), 240, np.uint8)
    base[30:90, 40:120] = rng.integers(0, 255, size=(60, 80, 3), dtype=np.uint8)
    img = Image.fromarray(base)
    out, records = augment_image(img, seed=3, ops=[op])
    assert [r["op"] for r in records] == [op] and out.size == img.size
    json.dumps(records)
    assert np.abs(np.asarray(out, np.int16) - base).mean() > 0.2
    again, _ = augment_image(img, seed=3, ops=[op])
    assert np.array_equal(np.asarray(again), np.asarray(out))
