"""Words from pixels with Tesseract, prepared the way real screenshots need.

Tesseract reads dark text on a light, even background. Screenshots have light text on dark
bands, white text on colored buttons and faint grey captions, so the reader first turns the
picture into an "ink" image: each pixel's contrast with its local background, whatever the
polarity, drawn black on white. One pass over that image reads every polarity at once.

Speed: Tesseract's OpenMP threads fight each other on a busy 2-core machine (3.6 s instead of
0.7 s for one page), so every process gets one thread, and tall pages are cut at blank rows
into tiles read by parallel processes.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from PIL import Image

from napkin.errors import DependencyError, NapkinError
from napkin.vision._types import Detection, Word

# The local background is the median color of a window this wide (image px at 1280 px page
# width): wider than any glyph stroke, so text (a minority of any window) never wins it.
_BACKGROUND_WINDOW = 50


def ink_image(rgb: np.ndarray, panels: list[Detection] | None = None, window: int = _BACKGROUND_WINDOW) -> np.ndarray:
    """(H, W) uint8: text of any polarity and color as black on white.

    Ink is each pixel's distance from its local background: the fill of the smallest flat panel
    around it (a button, a band), elsewhere the windowed median. A median keeps the edges of big
    regions sharp, so they leave no ink, unlike a blur; and it is the same for dark text on
    light and light text on dark. It cannot see a button smaller than its window: the panels can.
    """
    import cv2

    h, w = rgb.shape[:2]
    # Half resolution: backgrounds change slowly, and a median this wide costs 4x less there.
    small = cv2.resize(rgb, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_NEAREST)
    k = max(3, (window // 2) | 1)
    background = cv2.resize(cv2.medianBlur(small, k), (w, h), interpolation=cv2.INTER_NEAREST)
    for p in sorted(panels or [], key=lambda d: -d.box[2] * d.box[3]):
        x, y, pw, ph = (int(v) for v in p.box)
        if p.color is not None and pw >= 16 and ph >= 16 and pw * ph >= 600:
            fill = tuple(int(p.color[i : i + 2], 16) for i in (1, 3, 5))
            if p.outline is not None:
                cv2.fillPoly(background, [p.outline], fill)  # the exact shape: rounded corners stay outside
            else:
                background[y : y + ph, x : x + pw] = fill
    ink = np.abs(rgb.astype(np.int16) - background.astype(np.int16)).max(axis=2).astype(np.uint8)
    ink[ink < 20] = 0  # compression noise and antialiasing residue, amplified below otherwise
    # Normalise by the strongest stroke nearby, so a faint grey caption is as black as body text.
    local = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (35, 35)))
    norm = ink.astype(np.float32) / np.maximum(local.astype(np.float32), 48.0)
    return (255.0 - np.clip(norm * 1.6, 0.0, 1.0) * 255.0).astype(np.uint8)


def _cut_rows(ink: np.ndarray, tile_height: int) -> list[tuple[int, int]]:
    """Split rows into tiles about tile_height tall, cutting only where a row holds no ink."""
    h = ink.shape[0]
    if h <= tile_height * 1.3:
        return [(0, h)]
    blank = (ink < 128).sum(axis=1) == 0
    cuts = [0]
    while h - cuts[-1] > tile_height * 1.3:
        target = cuts[-1] + tile_height
        window = np.flatnonzero(blank[target - tile_height // 3 : target + tile_height // 3])
        if window.size == 0:
            cut = target  # no blank row nearby: cut anyway, words on the cut are read twice
        else:
            cut = target - tile_height // 3 + int(window[np.argmin(np.abs(window - tile_height // 3))])
        cuts.append(cut)
    cuts.append(h)
    return list(zip(cuts[:-1], cuts[1:], strict=True))


@dataclass
class TesseractReader:
    """The default `TextReader`: Debian's tesseract binary, run as a subprocess with TSV output."""

    # 11 (sparse text) finds scattered labels and buttons that 3 (auto layout) merges into
    # columns or skips; lines and blocks are rebuilt from geometry afterwards anyway.
    psm: int = 11
    min_conf: float = 40.0
    tile_height: int = 1200
    workers: int = 0  # 0: one per core, at most 4
    timeout_s: float = 60.0
    upscale_below: int = 1000  # images narrower than this are read at 2x (small text)
    binary: str = "tesseract"
    lang: str = "eng"

    def read(self, rgb: np.ndarray, panels: list[Detection] | None = None) -> list[Word]:
        """Words of an RGB image; pass the flat panels if already found (`flat_panels`) to save time."""
        exe = shutil.which(self.binary)
        if exe is None:
            raise DependencyError(
                "OCR needs Tesseract, which is not installed. Install it with: apt-get install tesseract-ocr tesseract-ocr-eng"
            )
        if panels is None:
            from napkin.vision._detect import flat_panels

            panels = flat_panels(rgb)
        ink = ink_image(rgb, panels)
        factor = 2.0 if rgb.shape[1] < self.upscale_below else 1.0
        tiles = _cut_rows(ink, self.tile_height)
        workers = self.workers or min(4, os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(tiles)))) as pool:
            parts = list(pool.map(lambda t: self._read_tile(exe, ink[t[0] : t[1]], t[0], factor), tiles))
        return [w for part in parts for w in part]

    def _read_tile(self, exe: str, tile: np.ndarray, top: int, factor: float) -> list[Word]:
        if (tile < 128).sum() == 0:
            return []
        img = Image.fromarray(tile, "L")
        if factor != 1.0:
            img = img.resize((round(img.width * factor), round(img.height * factor)), Image.Resampling.BICUBIC)
        buf = io.BytesIO()
        img.save(buf, "PNG", compress_level=1)
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        cmd = [exe, "stdin", "stdout", "-l", self.lang, "--psm", str(self.psm), "--dpi", "96", "tsv"]
        try:
            proc = subprocess.run(cmd, input=buf.getvalue(), capture_output=True, env=env, timeout=self.timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            # A slow machine, not a bad picture: recorded as an error, so a resumed batch tries again.
            raise NapkinError(f"OCR took longer than {self.timeout_s:.0f} s on a {tile.shape[1]}x{tile.shape[0]} tile") from exc
        if proc.returncode != 0:
            err = proc.stderr.decode(errors="replace").strip()[:300]
            if "language" in err.lower() or "tessdata" in err.lower() or "data file" in err.lower():
                raise DependencyError(f"Tesseract cannot load its '{self.lang}' data: {err}. Install it: apt-get install tesseract-ocr-{self.lang}")
            raise NapkinError(f"Tesseract failed: {err}")
        return parse_tsv(proc.stdout.decode("utf-8", errors="replace"), self.min_conf, factor, top)


def parse_tsv(tsv: str, min_conf: float, factor: float = 1.0, top: float = 0.0) -> list[Word]:
    """Words of Tesseract's TSV output, confident ones only, boxes scaled back by `factor`."""
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        conf = float(cols[10])
        if not text or conf < min_conf:
            continue
        x, y, w, h = (float(c) / factor for c in cols[6:10])
        if not any(ch.isalnum() for ch in text) and conf < 80:
            continue  # lone punctuation is mostly noise read off icons and borders
        if len(text) == 1 and conf < 85:
            continue  # so is a lone low-confidence letter (a corner, an arrow, a bullet)
        words.append(Word(text, (x, y + top, w, h), conf))
    return words


class RapidReader:
    """A `TextReader` on PP-OCR (the `rapidocr` wheel, models inside it, run by onnxruntime).

    It finds text lines with a learned detector and reads each with a recognition network, so it
    reads what Tesseract's page segmentation misses (short labels spread along a navigation bar,
    light text on photos) at a higher cost; `benchmarks/ocr_compare.py` measures both.
    Words come from its per-word boxes; confidences are scaled to Tesseract's 0-100.
    """

    def __init__(self, threads: int | None = None, min_score: float = 0.5) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise DependencyError("the rapidocr reader needs the ocr extra: pip install 'napkin-code[ocr]'") from exc
        n = threads or min(4, os.cpu_count() or 1)
        self._engine = RapidOCR(params={
            "Global.log_level": "error",
            "Global.return_word_box": True,
            "Global.use_cls": False,  # screenshots are upright
            "Global.text_score": min_score,
            "EngineConfig.onnxruntime.intra_op_num_threads": n,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })

    def read(self, rgb: np.ndarray) -> list[Word]:
        result = self._engine(np.ascontiguousarray(rgb[..., ::-1]))  # it expects OpenCV's BGR order
        words: list[Word] = []
        for line in getattr(result, "word_results", None) or ():
            for item in line:
                text, score, poly = item[0], float(item[1]), np.asarray(item[2], dtype=np.float64)
                text = str(text).strip()
                if not text:
                    continue
                x0, y0 = poly.min(axis=0)
                x1, y1 = poly.max(axis=0)
                words.append(Word(text, (float(x0), float(y0), float(x1 - x0), float(y1 - y0)), score * 100.0))
        return words
