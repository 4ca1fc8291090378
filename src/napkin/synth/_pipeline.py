"""From samples to labelled pictures: skin, render, finish, augment, box, in one loop.

    with ChromiumRenderer() as renderer:
        for pictures in render_samples(Sampler(seed=0), renderer, variants=("screenshot", "sketch")):
            for p in pictures:          # one per variant and viewport
                p.image, p.boxes, p.metadata, p.sample.html()

A picture that cannot be used (a failed render, console errors, a render that does not read
back into the sample's tree) comes back with `error` set and no image, so a dataset writer
can record why it dropped it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from napkin.errors import ConfigError, InputError
from napkin.render import SKINS, Renderer, RenderJob, RenderOptions, finish_skin, make_skin, parse_viewport, skin_html
from napkin.synth._augment import augment_image
from napkin.synth._boxes import element_boxes
from napkin.synth._sampler import Sample, derive_seed

VARIANTS = SKINS


@dataclass(slots=True)
class RenderedSample:
    """One picture of one sample: a variant (skin) at a viewport, its element boxes and its record."""

    sample: Sample
    variant: str
    viewport: str
    image: bytes | None
    image_format: str
    width: int
    height: int
    boxes: list[dict[str, Any]] = field(default_factory=list)  # element_boxes, in image pixels
    # JSON-ready: the sample's metadata plus variant, viewport, skin parameters, the page->image
    # transform, image-space effects, image augmentations and render facts.
    metadata: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _check_variants(variants: Sequence[str]) -> None:
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        raise ConfigError(f"unknown variants {unknown}; known: {', '.join(VARIANTS)}")


def render_samples(
    samples: Iterable[Sample],
    renderer: Renderer,
    variants: Sequence[str] = ("screenshot", "sketch"),
    viewports: Sequence[str] | None = None,
    seed: int = 0,
    image_augment: float = 0.0,
    image_format: str = "png",
    max_width: int | None = None,
    chunk: int = 8,
) -> Iterator[list[RenderedSample]]:
    """For each sample, its pictures (one per variant and viewport), rendered `chunk` samples at a time.

    `viewports` defaults to each sample's own (`mobile` for app screens, else `desktop`).
    `image_augment` is the probability of each image augmentation; `max_width` shrinks
    pictures wider than that; `seed` varies skins and augmentations between runs.
    """
    _check_variants(variants)
    if image_format not in ("png", "jpeg"):
        raise ConfigError(f"image format must be png or jpeg, not {image_format!r}")
    it = iter(samples)
    while batch := list(islice(it, chunk)):
        plans = []
        for position, sample in enumerate(batch):
            html = sample.html()
            for vp in viewports or (sample.viewport,):
                for variant in variants:
                    skin = make_skin(variant, derive_seed(sample.seed, f"{variant}/{seed}"))
                    # Sketches get scanner noise anyway, and JPEG is cheaper to make and decode than PNG.
                    lossy = image_format == "jpeg" or variant == "sketch"
                    options = RenderOptions(viewport=parse_viewport(vp), image_format="jpeg" if lossy else "png", jpeg_quality=95)
                    plans.append((position, sample, vp, skin, RenderJob(skin_html(html, skin), options)))
        renders = renderer.render_many([p[4] for p in plans])
        out: list[list[RenderedSample]] = [[] for _ in batch]
        for (position, sample, vp, skin, _), render in zip(plans, renders, strict=True):
            meta = {**sample.metadata, "variant": skin.name, "viewport": vp, "skin": skin.to_json(),
                    "render": {"page_width": render.page_width, "page_height": render.page_height, "truncated": render.truncated,
                               "console_errors": render.console_errors, "page_errors": render.page_errors,
                               "blocked_requests": render.blocked_requests}}
            result = RenderedSample(sample, skin.name, vp, None, image_format, 0, 0, metadata=meta)
            out[position].append(result)
            if not render.ok:
                result.error = f"render failed ({render.failure}): {render.message}"
                continue
            if render.console_errors or render.page_errors or render.blocked_requests:
                result.error = "the page logged errors or made requests"
                continue
            finished = finish_skin(render, skin, max_width=max_width)
            try:
                result.boxes = element_boxes(render, sample.tree, finished.transform)
            except InputError as exc:
                result.error = f"readback: {exc}"
                continue
            image, records = finished.image, list[dict[str, Any]]()
            if image_augment > 0:
                image, records = augment_image(image, derive_seed(sample.seed, f"image/{skin.name}/{vp}/{seed}"), p=image_augment)
            finished.image = image
            result.image = finished.encode(image_format)
            result.width, result.height = image.width, image.height
            meta.update({"transform": list(finished.transform), "effects": finished.effects, "image_augmentations": records})
        yield from out


def render_sample(sample: Sample, renderer: Renderer, variants: Sequence[str] = ("screenshot", "sketch"), **options: Any) -> list[RenderedSample]:
    """The pictures of one sample (see `render_samples` for the options)."""
    return next(render_samples([sample], renderer, variants, **options))
