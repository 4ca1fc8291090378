"""Synthetic pages: layout trees and themes sampled from a weighted grammar, rendered as labelled pictures.

    >>> from napkin.synth import Sampler, augment
    >>> sample = Sampler(seed=0).page()                  # or sample_page(seed, "pricing")
    >>> sample.page_type, sample.tree.kind               # doctest: +SKIP
    ('landing', 'page')
    >>> html = sample.html()                             # emit_html(sample.tree, sample.theme)
    >>> changed = augment(sample, seed=1, ops=["font_swap", "reorder"])
    >>> [a["op"] for a in changed.metadata["augmentations"]]
    ['font_swap', 'reorder']

`render_samples` turns samples into pictures (screenshot, wireframe, sketch; desktop or
mobile) with per-element boxes and a JSON-ready record; see docs/synth.md.
"""

from __future__ import annotations

from napkin.synth._augment import IMAGE_AUGMENTATIONS, TREE_AUGMENTATIONS, augment, augment_image
from napkin.synth._boxes import element_boxes
from napkin.synth._content import Topic, Writer, vocabulary
from napkin.synth._pages import PAGE_TYPES, PAGE_WEIGHTS
from napkin.synth._pipeline import VARIANTS, RenderedSample, render_sample, render_samples
from napkin.synth._report import contact_sheet, diversity, skeleton
from napkin.synth._sampler import SYNTH_VERSION, Sample, Sampler, derive_seed, sample_page
from napkin.synth._skins import (
    SKIN_VERSION,
    SKINS,
    Skin,
    SkinnedImage,
    finish_skin,
    make_skin,
    map_box,
    map_point,
    skin_html,
)
from napkin.synth._themes import contrast, sample_theme

__all__ = [
    "SKINS",
    "SKIN_VERSION",
    "Skin",
    "SkinnedImage",
    "finish_skin",
    "make_skin",
    "map_box",
    "map_point",
    "skin_html",
    "IMAGE_AUGMENTATIONS",
    "PAGE_TYPES",
    "PAGE_WEIGHTS",
    "SYNTH_VERSION",
    "TREE_AUGMENTATIONS",
    "VARIANTS",
    "RenderedSample",
    "Sample",
    "Sampler",
    "Topic",
    "Writer",
    "augment",
    "augment_image",
    "contact_sheet",
    "contrast",
    "derive_seed",
    "diversity",
    "element_boxes",
    "render_sample",
    "render_samples",
    "sample_page",
    "sample_theme",
    "skeleton",
    "vocabulary",
]
