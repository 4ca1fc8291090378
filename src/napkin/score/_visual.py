"""Whole-page visual similarity with the text painted out.

Design2Code's fifth metric (Si et al. 2024, "Design2Code") compares the two screenshots as
pictures, after painting the text blocks out (OpenCV's Telea inpainting), so that it measures
layout, colour and images rather than text again. They resize each page to a square and use the
cosine similarity of CLIP ViT-B/32 image embeddings. CLIP needs weights Napkin cannot download,
so the default here is MS-SSIM on the same inpainted squares, in grayscale; CLIP runs when the
user has the weights on disk. The metric's name goes into every result, so figures from the two
are never mixed up: they are on different scales.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from napkin._extras import require
from napkin.errors import ConfigError, InputError
from napkin.score._blocks import TextBlock

# Pages are squashed to a square of this size before inpainting, as Design2Code squashes them
# before CLIP (which sees 224x224). A little over CLIP's input leaves MS-SSIM's coarsest scale
# 16 px wide, and inpainting a square this small is cheap even for very long pages (inpainting
# the full page, as Design2Code does, costs ten times more and ends in the same square).
SQUARE = 256


def shrink(pixels: NDArray[np.uint8], width: int, height: int) -> NDArray[np.uint8]:
    """Area-average `pixels` down to `width` x `height`.

    OpenCV's area resampling is fast only for whole-number factors, so the image is first
    reduced by the largest whole factor that fits, then to the exact size: about 2.5 times
    faster on full pages, and the same averages to within a level or two.
    """
    import cv2

    h, w = pixels.shape[:2]
    k = max(1, min(w // max(width, 1), h // max(height, 1)))
    if k > 1:
        cut = pixels[: h - h % k, : w - w % k]
        pixels = np.asarray(cv2.resize(cut, (cut.shape[1] // k, cut.shape[0] // k), interpolation=cv2.INTER_AREA), dtype=np.uint8)
    return np.asarray(cv2.resize(pixels, (width, height), interpolation=cv2.INTER_AREA), dtype=np.uint8)


def inpainted_square(
    pixels: NDArray[np.uint8], blocks: Sequence[TextBlock], size: int = SQUARE, gray: bool = False
) -> NDArray[np.uint8]:
    """The screenshot squashed to `size` x `size`, with every text block's box painted out.

    `gray`: convert to grayscale before inpainting (a 2-D result), for metrics that see gray
    only. Telea's fill is a weighted sum with weights from the mask alone, so inpainting the
    gray square gives the gray of the inpainted colour square, to within rounding, for a
    third of the work.
    """
    import cv2

    small = shrink(pixels, size, size)
    if gray:
        small = np.asarray(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    if not blocks:
        return small
    mask = np.zeros((size, size), dtype=np.uint8)
    for b in blocks:
        # Rounded outwards: a pixel that holds any ink is painted out.
        x0, y0 = int(np.floor(b.x * size)), int(np.floor(b.y * size))
        x1, y1 = int(np.ceil((b.x + b.w) * size)), int(np.ceil((b.y + b.h) * size))
        mask[max(y0, 0) : y1, max(x0, 0) : x1] = 255
    return np.asarray(cv2.inpaint(small, mask, 3, cv2.INPAINT_TELEA), dtype=np.uint8)


@runtime_checkable
class VisualMetric(Protocol):
    """A whole-page similarity of two inpainted squares. Features are cached per page.

    A metric may set `gray = True` to be given grayscale squares (2-D arrays).
    """

    name: str

    def features(self, square: NDArray[np.uint8]) -> Any: ...

    def similarity(self, a: Any, b: Any) -> float: ...


# Wang, Simoncelli and Bovik, "Multi-scale structural similarity for image quality assessment"
# (2003): the weights of the five scales, and SSIM's constants (Wang et al. 2004).
_MS_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
_C1 = (0.01 * 255) ** 2
_C2 = (0.03 * 255) ** 2


class MsSsim:
    """MS-SSIM of the grayscale inpainted squares: 1 for identical pages, near 0 for unrelated ones.

    The default visual metric: it needs no weights. Not comparable with CLIP similarities, which
    rarely fall below 0.5 even for unrelated pages.
    """

    name = "ms-ssim"
    gray = True  # given grayscale squares: inpainting them costs a third of colour ones

    def features(self, square: NDArray[np.uint8]) -> NDArray[np.float32]:
        import cv2

        if square.ndim == 3:
            square = np.asarray(cv2.cvtColor(square, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
        return np.asarray(square, dtype=np.float32)

    def similarity(self, a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
        return ms_ssim(a, b)


def _ssim_terms(a: NDArray[np.float32], b: NDArray[np.float32]) -> tuple[float, float]:
    """Mean contrast-structure term and mean SSIM of two grayscale images (Gaussian window, sigma 1.5)."""
    import cv2

    def blur(x: NDArray[np.float32]) -> NDArray[np.float32]:
        return np.asarray(cv2.GaussianBlur(x, (11, 11), 1.5, borderType=cv2.BORDER_REFLECT), dtype=np.float32)

    mu_a, mu_b = blur(a), blur(b)
    var_a = blur(a * a) - mu_a * mu_a
    var_b = blur(b * b) - mu_b * mu_b
    cov = blur(a * b) - mu_a * mu_b
    cs = (2 * cov + _C2) / (var_a + var_b + _C2)
    lum = (2 * mu_a * mu_b + _C1) / (mu_a * mu_a + mu_b * mu_b + _C1)
    return float(cs.mean()), float((lum * cs).mean())


def ms_ssim(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    """Multi-scale SSIM of two equally sized grayscale images (0..255), in [0, 1]."""
    import cv2

    if a.shape != b.shape:
        raise ValueError(f"images differ in size: {a.shape} and {b.shape}")
    value = 1.0
    for i, weight in enumerate(_MS_WEIGHTS):
        cs, ssim = _ssim_terms(a, b)
        last = i == len(_MS_WEIGHTS) - 1
        # Negative terms (anti-correlated structure) count as no similarity, so the product stays real.
        value *= max(ssim if last else cs, 0.0) ** weight
        if not last:
            a = np.asarray(cv2.resize(a, (a.shape[1] // 2, a.shape[0] // 2), interpolation=cv2.INTER_AREA), dtype=np.float32)
            b = np.asarray(cv2.resize(b, (b.shape[1] // 2, b.shape[0] // 2), interpolation=cv2.INTER_AREA), dtype=np.float32)
    return float(min(value, 1.0))


class ClipSimilarity:
    """Cosine similarity of CLIP image embeddings, from weights on disk (open_clip or transformers).

    Design2Code uses OpenAI's ViT-B/32. Napkin never downloads weights: point it at a folder
    saved by transformers' `save_pretrained` (for example a copy of openai/clip-vit-base-patch32),
    or at an open_clip checkpoint file with its architecture name.
    """

    def __init__(self, name: str, embed: Any) -> None:
        self.name = name
        self._embed = embed

    def features(self, square: NDArray[np.uint8]) -> NDArray[np.float32]:
        v = np.asarray(self._embed(square), dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(v))
        return v / norm if norm > 0 else v

    def similarity(self, a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
        return float(np.dot(a, b))


def clip_from_transformers(path: str | Path) -> ClipSimilarity:
    """CLIP from a transformers model folder (config.json, weights, preprocessor_config.json)."""
    folder = Path(path).expanduser()
    if not (folder / "config.json").is_file():
        raise InputError(
            f"{folder} is not a saved CLIP model: it needs config.json, the weights and preprocessor_config.json "
            "(save one with CLIPModel.save_pretrained and CLIPImageProcessor.save_pretrained)"
        )
    torch = require("torch", "clip")
    transformers = require("transformers", "clip")
    from PIL import Image

    try:
        model = transformers.CLIPModel.from_pretrained(str(folder), local_files_only=True).eval()
        processor = transformers.CLIPImageProcessor.from_pretrained(str(folder), local_files_only=True)
    except (OSError, ValueError) as exc:
        raise InputError(f"could not load the CLIP model in {folder}: {exc}") from exc

    def embed(square: NDArray[np.uint8]) -> NDArray[np.float32]:
        inputs = processor(images=Image.fromarray(square), return_tensors="pt")
        with torch.no_grad():
            out = model.get_image_features(pixel_values=inputs["pixel_values"])
        if not isinstance(out, torch.Tensor):  # newer transformers return an output object
            out = out.pooler_output if getattr(out, "pooler_output", None) is not None else out[0]
        return out[0].float().numpy()

    return ClipSimilarity(f"clip (transformers: {folder.name})", embed)


def clip_from_open_clip(architecture: str, checkpoint: str | Path) -> ClipSimilarity:
    """CLIP from an open_clip architecture name (e.g. ViT-B-32) and a checkpoint file on disk."""
    file = Path(checkpoint).expanduser()
    if not file.is_file():
        raise InputError(f"open_clip checkpoint {file} does not exist (Napkin does not download weights)")
    torch = require("torch", "clip")
    open_clip = require("open_clip", "clip")
    from PIL import Image

    try:
        model, _, preprocess = open_clip.create_model_and_transforms(architecture, pretrained=str(file))
    except (RuntimeError, ValueError, OSError) as exc:
        raise InputError(f"could not load open_clip {architecture} from {file}: {exc}") from exc
    model.eval()

    def embed(square: NDArray[np.uint8]) -> NDArray[np.float32]:
        with torch.no_grad():
            out = model.encode_image(preprocess(Image.fromarray(square)).unsqueeze(0))
        return out[0].float().numpy()

    return ClipSimilarity(f"clip (open_clip {architecture}: {file.name})", embed)


def visual_metric(spec: str | VisualMetric | None = None) -> VisualMetric:
    """A visual metric from its spec: `ms-ssim` (default), `clip:FOLDER` (transformers) or `clip:ARCH:FILE` (open_clip)."""
    if spec is None or spec == "ms-ssim":
        return MsSsim()
    if isinstance(spec, VisualMetric):
        return spec
    if spec.startswith("clip:"):
        rest = spec[len("clip:") :]
        if Path(rest).expanduser().is_dir():
            return clip_from_transformers(rest)
        arch, sep, file = rest.partition(":")
        if sep and file:
            return clip_from_open_clip(arch, file)
        raise InputError(f"{rest} is not a folder: use clip:FOLDER (a transformers CLIP) or clip:ARCH:FILE (open_clip)")
    raise ConfigError(f"unknown visual metric {spec!r}: use ms-ssim, clip:FOLDER or clip:ARCH:FILE")


def image_similarity(a: Image.Image, b: Image.Image, metric: str | VisualMetric | None = None) -> float:
    """The visual metric of two pictures with no DOM (text kept): how best-of-n and relabeling
    compare a rendering with an input screenshot. Same scale as `napkin eval`'s figure for
    screenshot references."""
    m = visual_metric(metric)
    gray = bool(getattr(m, "gray", False))
    fa, fb = (m.features(inpainted_square(np.asarray(img.convert("RGB")), [], gray=gray)) for img in (a, b))
    return float(m.similarity(fa, fb))
