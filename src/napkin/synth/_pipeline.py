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

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from napkin.errors import ConfigError, InputError
from napkin.render import Renderer, RenderJob, RenderOptions, parse_viewport
from napkin.synth._augment import augment_image
from napkin.synth._boxes import element_boxes
from napkin.synth._sampler import Sample, derive_seed
from napkin.synth._skins import SKIN_VERSION, SKINS, finish_skin, make_skin, skin_html

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
    html: str = ""  # the page's code, as emitted (the skin's stylesheet not included): the label
    error: str | None = None
    reason: str = ""  # with an error, a short code for it: render_failed, page_errors, truncated, readback_mismatch

    @property
    def ok(self) -> bool:
        return self.error is None


def check_options(variants: Sequence[str], image_format: str = "png", viewports: Sequence[str] | None = None) -> None:
    """ConfigError for variants, viewports or an image format `render_samples` does not know
    (checked before anything is written or a browser starts)."""
    for vp in viewports or ():
        parse_viewport(vp)
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        raise ConfigError(f"unknown variants {unknown}; known: {', '.join(VARIANTS)}")
    if image_format not in ("png", "jpeg"):
        raise ConfigError(f"image format must be png or jpeg, not {image_format!r}")


def render_samples(
    samples: Iterable[Sample],
    renderer: Renderer,
    variants: Sequence[str] = ("screenshot", "sketch"),
    viewports: Sequence[str] | None = None,
    seed: int = 0,
    image_augment: float = 0.0,
    image_format: str = "png",
    max_width: int | None = None,
) -> Iterator[list[RenderedSample]]:
    """For each sample, its pictures (one per variant and viewport), streamed: the browser renders
    the next pages while the current ones get their image effects, boxes and encoding.

    `viewports` defaults to each sample's own (`mobile` for app screens, else `desktop`).
    `image_augment` is the probability of each image augmentation; `max_width` keeps pictures
    at most that wide (the browser draws them at that size); `seed` varies skins and
    augmentations between runs.
    """
    check_options(variants, image_format)
    plans: deque[tuple[int, Sample, str, str, Any]] = deque()  # (sample number, sample, html, viewport, skin), in render order

    def jobs() -> Iterator[RenderJob]:
        # Lazily, so the browser renders the next pages while this thread finishes earlier ones.
        for number, sample in enumerate(samples):
            html = sample.html()
            for vp in viewports or (sample.viewport,):
                for variant in variants:
                    skin = make_skin(variant, derive_seed(sample.seed, f"{variant}/{seed}"))
                    # Sketches get scanner noise anyway, and JPEG is cheaper to make and decode than PNG.
                    lossy = image_format == "jpeg" or variant == "sketch"
                    viewport = parse_viewport(vp)
                    # With max_width the browser draws the picture at that width: cheaper than
                    # drawing it whole and shrinking it here, and the effects then run on fewer pixels.
                    wide = viewport.width * viewport.device_scale_factor
                    image_scale = min(1.0, max_width / wide) if max_width else 1.0
                    options = RenderOptions(viewport=viewport, image_format="jpeg" if lossy else "png", jpeg_quality=95,
                                            image_scale=image_scale)
                    plans.append((number, sample, html, vp, skin))
                    yield RenderJob(skin_html(html, skin), options)

    group: list[RenderedSample] = []
    current = -1
    for render in renderer.render_many(jobs()):
        number, sample, html, vp, skin = plans.popleft()  # render_many keeps input order
        if number != current:
            if group:
                yield group
            group, current = [], number
        with _one_opencv_thread():
            group.append(_finish(render, sample, html, vp, skin, seed, image_augment, image_format, max_width))
    if group:
        yield group


@contextmanager
def _one_opencv_thread() -> Iterator[None]:
    """OpenCV on one thread for a picture's effects (process-wide, restored afterwards).

    The browser keeps both cores busy while pictures are finished; OpenCV's worker threads would
    only add hand-offs (5 CPU-ms a sample at 640 px, in threads that spin while they wait).
    """
    try:
        import cv2
    except ImportError:
        yield
        return
    before = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        yield
    finally:
        cv2.setNumThreads(before)


def _finish(render: Any, sample: Sample, html: str, vp: str, skin: Any, seed: int, image_augment: float, image_format: str,
            max_width: int | None) -> RenderedSample:
    meta = {**sample.metadata, "variant": skin.name, "viewport": vp, "skin": skin.to_json(), "skin_version": SKIN_VERSION,
            "render": {"page_width": render.page_width, "page_height": render.page_height, "truncated": render.truncated,
                       "console_errors": render.console_errors, "page_errors": render.page_errors,
                       "blocked_requests": render.blocked_requests}}
    fmt = "jpeg" if skin.name == "sketch" else image_format
    result = RenderedSample(sample, skin.name, vp, None, fmt, 0, 0, metadata=meta, html=html)

    def dropped(reason: str, error: str) -> RenderedSample:
        result.reason, result.error = reason, error
        return result

    if not render.ok:
        return dropped("render_failed", f"render failed ({render.failure}): {render.message}")
    if render.console_errors or render.page_errors or render.blocked_requests:
        return dropped("page_errors", "the page logged errors or made requests")
    if render.truncated:
        # The picture stops at the height limit; boxes below it would label pixels that do not exist.
        return dropped("truncated", f"the page is {render.page_height:.0f} px tall, over the render limit")
    finished = finish_skin(render, skin, max_width=max_width)
    try:
        result.boxes = element_boxes(render, sample.tree, finished.transform)
    except InputError as exc:
        return dropped("readback_mismatch", f"readback: {exc}")
    records: list[dict[str, Any]] = []
    if image_augment > 0:
        finished.image, records = augment_image(finished.image, derive_seed(sample.seed, f"image/{skin.name}/{vp}/{seed}"), p=image_augment)
    # A sketch is a noisy scan: PNG would make it five times larger and slower, for nothing.
    result.image = finished.encode(fmt)
    result.width, result.height = finished.width, finished.height
    meta.update({"transform": list(finished.transform), "effects": finished.effects, "image_augmentations": records})
    return result


def render_sample(sample: Sample, renderer: Renderer, variants: Sequence[str] = ("screenshot", "sketch"), **options: Any) -> list[RenderedSample]:
    """The pictures of one sample (see `render_samples` for the options)."""
    return next(render_samples([sample], renderer, variants, **options))
