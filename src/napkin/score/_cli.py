"""`napkin eval` and `napkin score`. Imports nothing heavy until a command runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

_VISUAL_HELP = "Visual metric: ms-ssim (default, needs no weights), clip:FOLDER (transformers) or clip:ARCH:FILE (open_clip)."


def _judge_options(what: str) -> Any:
    """--judge-url, --judge-model and --judge-timeout, the same on `napkin eval` and `napkin score`."""

    def wrap(f: Any) -> Any:
        f = click.option("--judge-timeout", type=click.FloatRange(min=1), default=120.0, show_default=True,
                         help="Seconds to wait for the judge's answer to one pair.")(f)
        f = click.option("--judge-model", default=None,
                         help="Model name for --judge-url. The API key is read from $NAPKIN_JUDGE_API_KEY.")(f)
        return click.option("--judge-url", default=None,
                            help=f"OpenAI-compatible endpoint (…/v1) of a vision model to judge {what}, WCGB-style.")(f)

    return wrap


def _judge_settings(url: str | None, model: str | None, timeout: float) -> Any:
    if not url:
        return None
    from napkin.score import JudgeSettings

    if not model:
        raise click.UsageError("--judge-url needs --judge-model (the model name the endpoint serves)")
    return JudgeSettings(base_url=url, model=model, timeout_s=timeout)


@click.command("eval")
@click.option("--pred", "pred_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of predicted pages (.html, or screenshots).")
@click.option("--ref", "ref_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of reference pages: ID.html, or ID.png where only a screenshot exists.")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Report folder: pages/*.json, scores.csv, summary.json, report.html.")
@click.option("--visual", default="ms-ssim", show_default=True, help=_VISUAL_HELP)
@click.option("--ref-kind", type=click.Choice(["auto", "html", "screenshot"]), default="auto", show_default=True,
              help="Which reference files to use when a folder has both ID.html and ID.png.")
@click.option("--no-responsive", is_flag=True, help="Skip the render at 390 px (code quality's responsive check).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Render cache folder (default: ~/.cache/napkin/renders).")
@click.option("--no-cache", is_flag=True, help="Render everything, read and write no cache.")
@_judge_options("pages")
@click.option("--qa", "qa_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Questions (JSONL) for WUB-style QA accuracy; needs --answers.")
@click.option("--answers", "answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Answers (JSONL) to the --qa questions.")
@click.option("--workers", type=int, default=None, help="Pages rendered at once (default: 2 per CPU core).")
@click.option("--restart", is_flag=True, help="Discard the results already in the report folder.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def eval_cmd(
    pred_dir: Path, ref_dir: Path, out_dir: Path, visual: str, ref_kind: str, no_responsive: bool,
    cache_dir: Path | None, no_cache: bool, judge_url: str | None, judge_model: str | None,
    judge_timeout: float, qa_file: Path | None, answers_file: Path | None, workers: int | None, restart: bool, quiet: bool,
) -> None:
    """Score predicted pages against references: Design2Code metrics, layout, code quality, judge.

    Pairs files by name, renders them (with a cache), writes one JSON per page as it goes (a
    killed run continues where it stopped), then scores.csv, summary.json and a self-contained
    report.html with both pages side by side, worst first.

    \b
    Examples:
      napkin eval --pred out/pred --ref ../shared/benchmarks/design2code-dev -o out/report
      napkin eval --pred pred/ --ref ref/ -o report/ --judge-url http://localhost:8000/v1 --judge-model qwen2-vl
    """
    from napkin.render import ChromiumRenderer
    from napkin.score import EvalConfig, evaluate
    from napkin.score._cache import RenderCache, default_cache_dir

    if (qa_file is None) != (answers_file is None):
        raise click.UsageError("--qa and --answers go together")
    config = EvalConfig(visual=visual, responsive=not no_responsive, ref_kind=ref_kind,
                        judge=_judge_settings(judge_url, judge_model, judge_timeout))
    cache = None if no_cache else RenderCache(cache_dir or default_cache_dir())
    with ChromiumRenderer(concurrency=workers) as renderer:
        summary = evaluate(pred_dir, ref_dir, out_dir, config, renderer=renderer, cache=cache, progress=not quiet,
                           restart=restart, qa=(qa_file, answers_file) if qa_file and answers_file else None)
    click.echo(summary.table())


@click.command("score")
@click.argument("pred", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("ref", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--visual", default="ms-ssim", show_default=True, help=_VISUAL_HELP)
@click.option("--no-responsive", is_flag=True, help="Skip the render at 390 px.")
@_judge_options("the pair")
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON.")
def score_cmd(pred: Path, ref: Path, visual: str, no_responsive: bool, judge_url: str | None,
              judge_model: str | None, judge_timeout: float, as_json: bool) -> None:
    """Score one predicted page against one reference (HTML, or a PNG screenshot).

    \b
    Examples:
      napkin score pred.html ref.html
      napkin score pred.html ref.png --json
    """
    from napkin._files import PICTURE_SUFFIXES
    from napkin.render import ChromiumRenderer
    from napkin.score import Judge, Scorer, score_pair

    settings = _judge_settings(judge_url, judge_model, judge_timeout)
    scorer = Scorer(visual)
    pred_img, ref_img = pred.suffix.lower() in PICTURE_SUFFIXES, ref.suffix.lower() in PICTURE_SUFFIXES
    from napkin.generate._image import read_image

    for path, is_image in ((pred, pred_img), (ref, ref_img)):
        if is_image:
            read_image(path)  # an InputError naming the file: not a picture, or too small to show a page
    judge = Judge(settings) if settings is not None else None
    try:
        with ChromiumRenderer(concurrency=2) as renderer:
            result = score_pair(pred.read_bytes(), ref.read_bytes(), pred_is_image=pred_img, ref_is_image=ref_img,
                                renderer=renderer, visual=scorer, responsive=not no_responsive, judge=judge,
                                name=pred.stem)
    finally:
        if judge is not None:
            judge.close()
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=1, ensure_ascii=False))
        return
    click.echo(_pair_text(result))


def _pair_text(s: Any) -> str:
    lines = []
    if s.failure:
        lines.append(f"the prediction did not render: {s.failure} (scores are 0)")
    d = s.design2code
    if d is not None:
        lines.append(f"Design2Code overall {d.overall:.3f}  (block-match {d.block_match:.3f}, text {d.text:.3f}, "
                     f"position {d.position:.3f}, color {d.color:.3f}, visual {d.visual:.3f})")
        lines.append(f"  blocks: {d.pred_blocks} predicted, {d.ref_blocks} reference, {d.matched} matched"
                     + (f"; {d.note}" if d.note else ""))
    lines.append(f"visual metric: {s.visual_metric} = {s.visual:.3f}"
                 + ("  (MS-SSIM, not CLIP: not comparable with CLIP figures)" if "ms-ssim" in s.visual_metric else ""))
    if s.layout is not None:
        per = ", ".join(f"{k} {v[0]:.2f}" for k, v in s.layout.classes.items())
        lines.append(f"layout similarity (Sketch2Code) {s.layout.similarity:.3f}" + (f"  ({per})" if per else ""))
    st = getattr(s, "structure", None)
    if st is not None:
        kinds = "no element matched" if st.kinds is None else f"kind accuracy {st.kinds:.3f}"
        wrong = ", ".join(f"{r} as {p} x{n}" for r, p, n in st.confusions[:5])
        lines.append(f"structure: tree similarity {st.tree:.3f}, {kinds} over {st.matched:.0%} of "
                     f"{st.ref_elements} reference elements matched" + (f"  (wrong kinds: {wrong})" if wrong else ""))
    q = s.quality
    if q is not None:
        mobile = "" if q.mobile_overflow_px is None else f", overflow at 390 px {q.mobile_overflow_px:.0f} px, overlapping text {q.mobile_overlaps}"
        lines.append(f"code: {q.parse_errors} parse errors, {q.render_errors} script errors, "
                     f"{q.absolute_share:.0%} absolutely positioned, {q.semantic_share:.0%} semantic tags, "
                     f"DOM depth {q.dom_depth}, {q.dom_size} elements, {q.external_requests} external requests{mobile}")
    if s.judge is not None:
        j = s.judge
        lines.append(f"judge ({j.model}): " + (f"unusable reply: {j.error}" if j.error else
                     f"overall {j.overall:.1f}/10 (" + ", ".join(f"{g} {v:.1f}" for g, v in j.groups.items()) + ")"))
    missing = s.details.get("missing_text") or []
    if missing:
        lines.append(f"missing text ({len(missing)}): " + " | ".join(missing[:5]))
    return "\n".join(lines)


COMMANDS = [eval_cmd, score_cmd]
