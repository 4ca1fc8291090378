"""`evaluate`: score a folder of predicted pages against a folder of references, resumably.

Pairs are matched by file name (`pred/1034.html` with `ref/1034.html`, or with `ref/1034.png`
when the reference is only a screenshot). Every page gets a JSON file the moment it is scored,
so a killed run continues where it stopped; the CSV, the summary and the HTML report are
rebuilt from those files at the end of every run. The run's settings are saved beside the
results, and a folder is never continued with other settings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from napkin._batch import BatchSummary, FolderRun
from napkin._files import HTML_SUFFIXES, PICTURE_SUFFIXES, write_json
from napkin.errors import BackendError, ConfigError, InputError
from napkin.render import Render, Renderer, RenderJob, RenderOptions, decode_html
from napkin.score._cache import RenderCache
from napkin.score._judge import Judge, JudgeScores
from napkin.score._page import Page, PairScore, Scorer, page_from_image, page_from_render
from napkin.score._pair import DESKTOP, MOBILE
from napkin.score._qa import QAResult, qa_accuracy
from napkin.score._report import write_outputs
from napkin.score._results import EvalConfig, EvalSummary, aggregate, flatten, safe_name
from napkin.score._visual import shrink

log = logging.getLogger(__name__)

REF_KINDS = ("auto", "html", "screenshot")
THUMB_WIDTH = 400
THUMB_MAX_HEIGHT = 1600


@dataclass(frozen=True, slots=True)
class Pair:
    name: str  # the file name without its suffix, relative to the folder ("1034", "blog/post")
    pred: Path
    ref: Path

    @property
    def pred_is_image(self) -> bool:
        return self.pred.suffix.lower() in PICTURE_SUFFIXES

    @property
    def ref_is_image(self) -> bool:
        return self.ref.suffix.lower() in PICTURE_SUFFIXES


def _index(folder: Path, suffixes: tuple[str, ...]) -> dict[str, Path]:
    """Files of `folder` by name without suffix; for a name with several files, the first suffix listed wins."""
    found: dict[str, Path] = {}
    rank = {s: i for i, s in enumerate(suffixes)}
    for p in sorted(folder.rglob("*")):
        suffix = p.suffix.lower()
        if suffix in rank and p.is_file():
            key = p.relative_to(folder).with_suffix("").as_posix()
            if key not in found or rank[suffix] < rank[found[key].suffix.lower()]:
                found[key] = p
    return found


def find_pairs(pred_dir: Path, ref_dir: Path, ref_kind: str = "auto") -> tuple[list[Pair], list[str], list[str]]:
    """Pairs by file name, the predictions without a reference, and the references without a prediction.

    Predictions are the HTML files of `pred_dir`, or its images if it holds no HTML. References:
    `auto` takes ID.html when there is one and ID.png (a screenshot) otherwise; `html` and
    `screenshot` take only that kind.
    """
    for d, what in ((pred_dir, "predictions"), (ref_dir, "references")):
        if not d.is_dir():
            raise InputError(f"the {what} folder {d} does not exist")
    if ref_kind not in REF_KINDS:
        raise ConfigError(f"reference kind must be one of {', '.join(REF_KINDS)}, not {ref_kind!r}")
    # Predictions are pages; screenshots only when the folder holds no HTML at all (images
    # beside HTML are the pages' assets, like Design2Code's rick.jpg).
    preds = _index(pred_dir, HTML_SUFFIXES) or _index(pred_dir, PICTURE_SUFFIXES)
    ref_suffixes = {"auto": HTML_SUFFIXES + PICTURE_SUFFIXES, "html": HTML_SUFFIXES, "screenshot": PICTURE_SUFFIXES}[ref_kind]
    refs = _index(ref_dir, ref_suffixes)
    pairs = [Pair(k, preds[k], refs[k]) for k in sorted(preds.keys() & refs.keys())]
    if not pairs:
        raise InputError(
            f"no prediction in {pred_dir} has a reference of the same name in {ref_dir} "
            f"({len(preds)} predictions, {len(refs)} references; pairs are matched by file name)"
        )
    # A picture without a prediction, in a folder of HTML references, is an asset of those pages
    # (Design2Code's rick.jpg), not a page left unpredicted.
    has_html = any(r.suffix.lower() in HTML_SUFFIXES for r in refs.values())
    unpredicted = sorted(k for k in refs.keys() - preds.keys() if not (has_html and refs[k].suffix.lower() in PICTURE_SUFFIXES))
    return pairs, sorted(preds.keys() - refs.keys()), unpredicted


# -- the run -----------------------------------------------------------------------------------


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _thumbnail(pixels: NDArray[np.uint8], path: Path) -> None:
    import cv2

    height = min(round(pixels.shape[0] * THUMB_WIDTH / pixels.shape[1]), THUMB_MAX_HEIGHT)
    rows = min(pixels.shape[0], round(height * pixels.shape[1] / THUMB_WIDTH))  # the part that fits
    small = shrink(pixels[:rows], THUMB_WIDTH, max(height, 1))
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(small, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 72])
    if ok:
        path.write_bytes(jpeg.tobytes())


@dataclass(slots=True)
class _Todo:
    pair: Pair
    pred_bytes: bytes
    ref_bytes: bytes
    # Renders this pair needs, in order: (role, html, options, cached?)
    renders: list[tuple[str, bytes, RenderOptions, bool]] = field(default_factory=list)


def evaluate(
    pred_dir: str | os.PathLike[str],
    ref_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    config: EvalConfig | None = None,
    *,
    renderer: Renderer | None = None,
    cache: RenderCache | None = None,
    progress: bool = True,
    restart: bool = False,
    qa: tuple[Path, Path] | None = None,
) -> EvalSummary:
    """Score every pair of `pred_dir` and `ref_dir` into `out_dir` (see the module's doc)."""
    config = config or EvalConfig()
    pred_dir, ref_dir, out = Path(pred_dir), Path(ref_dir), Path(out_dir)
    pairs, unpaired, unpredicted = find_pairs(pred_dir, ref_dir, config.ref_kind)
    scorer = Scorer(config.visual, config.match)  # loads CLIP weights up front: fail before rendering
    pages_dir, thumbs_dir = out / "pages", out / "thumbs"
    _prepare_out(out, config, restart)
    pages_dir.mkdir(parents=True, exist_ok=True)
    thumbs_dir.mkdir(exist_ok=True)

    t0 = time.perf_counter()
    counts = BatchSummary(out_dir=out, noun="pair", verb="scored", total=len(pairs))
    run = FolderRun(counts, log_name=None, desc="score", progress=progress,
                    store=lambda record: write_json(pages_dir / f"{safe_name(record['name'])}.json", record))
    todo: list[_Todo] = []
    for pair in pairs:
        try:
            pred_bytes, ref_bytes = pair.pred.read_bytes(), pair.ref.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {exc.filename}: {exc.strerror}") from exc
        if _is_done(pages_dir / f"{safe_name(pair.name)}.json", _sha1(pred_bytes), _sha1(ref_bytes)):
            run.skip()
            continue
        item = _Todo(pair, pred_bytes, ref_bytes)
        if not pair.pred_is_image:
            item.renders.append(("pred", pred_bytes, DESKTOP, False))
            if config.responsive:
                item.renders.append(("mobile", pred_bytes, MOBILE, False))
        if not pair.ref_is_image:
            item.renders.append(("ref", ref_bytes, DESKTOP, False))
        todo.append(item)

    ref_failed: list[str] = []
    if todo:
        own = renderer is None
        if renderer is None:
            from napkin.render import ChromiumRenderer

            renderer = ChromiumRenderer()
        judge = Judge(config.judge) if config.judge is not None else None
        pool = ThreadPoolExecutor(max_workers=max(1, config.judge_workers)) if judge else None
        try:
            with run.start(len(todo)):
                ref_failed = _run(todo, renderer, cache, scorer, judge, pool, config, run, thumbs_dir)
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
            if judge is not None:
                judge.close()
            if own:
                renderer.close()

    qa_result = None
    if qa is not None:
        qa_result = qa_accuracy(*qa)
        write_json(out / "qa.json", qa_result.as_dict())
    summary = _summarize(out, pairs, scorer.visual.name, unpaired, unpredicted, qa_result)
    summary.scored_now, summary.resumed, summary.unrendered_references = counts.done, counts.skipped, ref_failed
    summary.seconds = time.perf_counter() - t0
    if cache is not None:
        summary.cache = f"{cache.root} ({cache.hits} renders reused, {cache.stored} stored)"

    write_outputs(summary, config)
    return summary


def _prepare_out(out: Path, config: EvalConfig, restart: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    config_path = out / "config.json"
    fingerprint = config.fingerprint()
    if config_path.exists() and not restart:
        try:
            saved = json.loads(config_path.read_text())
        except (OSError, json.JSONDecodeError):
            saved = None
        if saved != fingerprint:
            raise ConfigError(
                f"{out} holds results made with other settings ({config_path}); "
                "use another output folder, or --restart to discard them"
            )
    if restart:
        for sub in ("pages", "thumbs"):
            shutil.rmtree(out / sub, ignore_errors=True)
    write_json(config_path, fingerprint)


def _is_done(path: Path, pred_sha: str, ref_sha: str) -> bool:
    try:
        page = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return False
    if page.get("pred_sha1") != pred_sha or page.get("ref_sha1") != ref_sha:
        return False
    # A judge that could not be reached is asked again; a judge that answered nonsense is not.
    return not (page.get("judge") or {}).get("retry", False)


def _render_stream(
    todo: list[_Todo], renderer: Renderer, cache: RenderCache | None
) -> Iterator[tuple[_Todo, dict[str, Render]]]:
    """Each pair with its renders, in order. Cached renders are read; the rest render concurrently."""
    if cache is not None:
        cache.use(renderer)
        for item in todo:
            item.renders = [(role, html, opts, cache.contains(html, opts)) for role, html, opts, _ in item.renders]

    def jobs() -> Iterator[RenderJob]:
        for item in todo:
            for _, html, opts, cached in item.renders:
                if not cached:
                    yield RenderJob(html, opts)

    results = renderer.render_many(jobs())
    for item in todo:
        got: dict[str, Render] = {}
        for role, html, opts, cached in item.renders:
            r = cache.get(html, opts) if cached and cache is not None else None
            if r is None:
                r = next(results) if not cached else renderer.render(html, opts)
                if cache is not None:
                    cache.put(html, opts, r)
            got[role] = r
        yield item, got


def _run(
    todo: list[_Todo],
    renderer: Renderer,
    cache: RenderCache | None,
    scorer: Scorer,
    judge: Judge | None,
    pool: ThreadPoolExecutor | None,
    config: EvalConfig,
    run: FolderRun,
    thumbs_dir: Path,
) -> list[str]:
    """Score every pair, storing each page's record through `run`; returns the names whose reference did not render."""
    pending: list[tuple[dict[str, Any], Future[JudgeScores]]] = []
    ref_failed: list[str] = []

    def finish(record: dict[str, Any], fut: Future[JudgeScores] | None) -> None:
        if fut is not None:
            try:
                record["judge"] = fut.result().as_dict()
            except BackendError as exc:
                record["judge"] = {**JudgeScores(model=config.judge.model if config.judge else "").as_dict(),
                                   "error": str(exc), "retry": True}
        run.finish(record)

    for item, renders in _render_stream(todo, renderer, cache):
        t = time.perf_counter()
        pair = item.pair
        pred = _page(item.pred_bytes, pair.pred_is_image, renders.get("pred"), renders.get("mobile"))
        ref = _page(item.ref_bytes, pair.ref_is_image, renders.get("ref"), None)
        if ref.failure:
            log.warning("%s: the reference did not render (%s); the pair is left out", pair.name, ref.failure)
            ref_failed.append(pair.name)
            run.advance()
            continue
        score = scorer.score(pred, ref, pair.name)
        record = _record(score, item, time.perf_counter() - t)
        safe = safe_name(pair.name)
        _thumbnail(pred.pixels, thumbs_dir / f"{safe}.pred.jpg")
        _thumbnail(ref.pixels, thumbs_dir / f"{safe}.ref.jpg")
        if judge is None or pool is None:
            finish(record, None)
            continue
        pending.append((record, pool.submit(judge.judge, ref.pixels, pred.pixels)))
        # Keep a few requests in flight, no more: each holds two screenshots in memory.
        while pending and (pending[0][1].done() or len(pending) > 2 * config.judge_workers):
            finish(*pending.pop(0))
    for record, fut in pending:
        finish(record, fut)
    return ref_failed


def _page(data: bytes, is_image: bool, desktop: Render | None, mobile: Render | None) -> Page:
    if is_image:
        return page_from_image(data)
    assert desktop is not None
    return page_from_render(desktop, decode_html(data)[0], mobile)


def _record(score: PairScore, item: _Todo, seconds: float) -> dict[str, Any]:
    record = score.as_dict()
    record.update(
        pred=item.pair.pred.name, ref=item.pair.ref.name,
        pred_sha1=_sha1(item.pred_bytes), ref_sha1=_sha1(item.ref_bytes), seconds=round(seconds, 4),
    )
    return record


def _summarize(
    out: Path, pairs: list[Pair], visual_name: str, unpaired: list[str], unpredicted: list[str], qa: QAResult | None
) -> EvalSummary:
    rows: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    for pair in pairs:
        try:
            page = json.loads((out / "pages" / f"{safe_name(pair.name)}.json").read_text())
        except (OSError, json.JSONDecodeError):
            continue  # its reference did not render
        pages.append(page)
        rows.append(flatten(page))
    metrics = {str(p["visual_metric"]) for p in pages if p.get("visual_metric")}
    return EvalSummary(
        out_dir=out,
        visual_metric=", ".join(sorted(metrics)) if metrics else visual_name,
        rows=rows,
        aggregates=aggregate(rows),
        unpaired_predictions=unpaired,
        unpredicted_references=unpredicted,
        failures=sum(bool(r["failure"]) for r in rows),
        judge_errors=sum(bool(r["judge_error"]) for r in rows),
        qa=qa,
    )
