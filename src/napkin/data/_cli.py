"""`napkin data ...`: dataset commands. Library code is imported inside each command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


@click.group("data")
def data_group() -> None:
    """Build datasets: synthetic pages, real pages, relabeled predictions, instruction exports.

    \b
    Example:
      napkin data ingest pages/ crawl.warc.gz -o datasets/real
    """


def _run(job: Any, out: Path, shard_size: int, webdataset: bool, quiet: bool, executor: str = "local") -> None:
    from napkin.data import RunOptions, run_job
    from napkin.data._card import write_card

    ex = None
    if executor == "ray":
        from napkin.data._ray import RayExecutor

        ex = RayExecutor()
    summary = run_job(job, out, RunOptions(shard_size=shard_size, webdataset=webdataset, progress=not quiet), ex)
    write_card(out)
    click.echo(summary.table())


_common = [
    click.option("-o", "--out", type=click.Path(path_type=Path), required=True, help="Dataset folder (created; resumed if it exists)."),
    click.option("--shard-size", type=int, default=256, show_default=True, help="Items per shard."),
    click.option("--webdataset", is_flag=True, help="Also write WebDataset tars."),
    click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                 help="ray: one worker per CPU with its own browser (local Ray, or the cluster in RAY_ADDRESS)."),
    click.option("--quiet", is_flag=True, help="No progress bar."),
]


def common(f: Any) -> Any:
    for option in reversed(_common):
        f = option(f)
    return f


@data_group.command("synth")
@click.option("--n", "n", type=int, required=True, help="Pages to sample.")
@click.option("--seed", type=int, default=0, show_default=True, help="Run seed: page i depends only on (seed, i).")
@click.option("--variants", default="screenshot,sketch", show_default=True, help="Comma-separated: screenshot, wireframe, sketch.")
@click.option("--viewports", default="", help="Comma-separated (desktop, mobile, ...); default: each page's own.")
@click.option("--page-types", default="", help="Comma-separated page types to sample from (default: all, weighted).")
@click.option("--augment", "tree_augment", type=float, default=0.0, show_default=True,
              help="Probability of each tree augmentation (font swap, reorder, move, backgrounds, palette, spacing).")
@click.option("--image-augment", type=float, default=0.0, show_default=True,
              help="Probability of each image augmentation (color jitter, noise, blur, JPEG artifacts).")
@click.option("--format", "image_format", type=click.Choice(["png", "jpeg"]), default="png", show_default=True,
              help="Screenshots and wireframes: png (lossless) or jpeg. Sketches are always JPEG, like the scans they imitate.")
@click.option("--max-width", type=int, default=None,
              help="Pictures at most this wide (pixels): the browser draws them at that size, which is also faster.")
@common
def synth_cmd(n: int, seed: int, variants: str, viewports: str, page_types: str, tree_augment: float, image_augment: float,
              image_format: str, max_width: int | None, out: Path, shard_size: int, webdataset: bool, executor: str,
              quiet: bool) -> None:
    """Sample synthetic pages and render them into a dataset (screenshots, wireframes, sketches).

    Each row holds the picture, the clean HTML it was made from, the layout tree with the
    picture's element boxes, the token sequence, and metadata recording the theme, skin,
    transforms and every augmentation. Resumable: run the same command again after a kill.

    \b
    Example:
      napkin data synth --n 10000 --out datasets/synth --variants screenshot,wireframe,sketch --seed 0
    """
    from napkin.data._synth_job import SynthJob

    split = lambda s: [v.strip() for v in s.split(",") if v.strip()]  # noqa: E731
    job = SynthJob(n, seed, split(variants), split(viewports) or None, tree_augment, image_augment, image_format,
                   max_width, split(page_types) or None)
    _run(job, out, shard_size, webdataset, quiet, executor)


@data_group.command("ingest")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--viewports", default="desktop", show_default=True, help="Comma-separated: desktop, mobile, tablet, WxH.")
@click.option("--max-bytes", type=int, default=2_000_000, show_default=True, help="Drop pages larger than this after cleaning.")
@common
def ingest_cmd(sources: tuple[Path, ...], viewports: str, max_bytes: int, out: Path, shard_size: int,
               webdataset: bool, executor: str, quiet: bool) -> None:
    """Clean real HTML (folders of pages, WARC files) and render it into dataset shards.

    Scripts, trackers, comments, hidden elements, remote fonts and remote images go; external
    stylesheets are inlined when the folder or WARC has them. What was removed is recorded
    per page; pages that cannot be used are recorded under drops/ with the reason.

    \b
    Example:
      napkin data ingest ../shared/benchmarks/design2code-dev -o datasets/d2c-real
    """
    from napkin.data._ingest import IngestJob

    job = IngestJob(list(sources), [v.strip() for v in viewports.split(",") if v.strip()], max_bytes)
    _run(job, out, shard_size, webdataset, quiet, executor)


@data_group.command("relabel")
@click.argument("predictions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--targets", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of target images named <image_id>.png, to score each prediction against.")
@common
def relabel_cmd(predictions: Path, targets: Path | None, out: Path, shard_size: int, webdataset: bool, executor: str,
                quiet: bool) -> None:
    """Hindsight relabeling: render model predictions into new (image, code) pairs.

    PREDICTIONS is JSONL: {"image_id": ..., "code": "<html>...", "model": ...} per line.
    Each prediction that renders cleanly is a correct pair, kept with its provenance and its
    score against the target. Script errors go to repairs/ as (code, errors) examples; blank,
    implausible and near-duplicate renders are dropped with their reason.

    \b
    Example:
      napkin data relabel runs/preds.jsonl --targets ../shared/benchmarks/design2code-dev -o datasets/hindsight
    """
    from napkin.data._relabel import RelabelJob

    _run(RelabelJob(predictions, targets), out, shard_size, webdataset, quiet, executor)


@data_group.command("export")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True, help="Export folder.")
@click.option("--format", "formats", default="llava,trl", show_default=True, help="Comma-separated: llava, trl.")
@click.option("--val-fraction", type=float, default=0.05, show_default=True, help="Share of samples for validation.")
@click.option("--qa-turns", type=int, default=4, show_default=True, help="Questions per understanding conversation.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: input shards in parallel on Ray workers (local Ray, or the cluster in RAY_ADDRESS).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def export_cmd(dataset: Path, out: Path, formats: str, val_fraction: float, qa_turns: int, seed: int, executor: str,
               quiet: bool) -> None:
    """Export a dataset as instruction conversations (LLaVA JSON, TRL Parquet).

    Code generation from screenshots, sketches and wireframes (whole pages and single
    regions), and multi-turn question answering whose every answer is checked against the
    page's layout tree (audit trail in qa.jsonl). Runs input shard by input shard and
    resumes where it stopped when run again with the same arguments.

    \b
    Example:
      napkin data export datasets/synth -o exports/synth --format llava,trl
    """
    from napkin.data._export import export

    ex = None
    if executor == "ray":
        from napkin.data._ray import RayExecutor

        ex = RayExecutor()
    s = export(dataset, out, tuple(f.strip() for f in formats.split(",") if f.strip()), val_fraction, seed, qa_turns,
               not quiet, ex)
    click.echo(f"conversations: {dict(s.conversations)}  kinds: {dict(s.kinds)}")
    click.echo(f"questions by template: {dict(s.templates)}  rejected by the checker: {s.rejected_questions}")
    click.echo(f"written to {out}/ (llava/, trl/, images/, qa.jsonl, export.json)")


@data_group.command("unpack")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True, help="Benchmark folder to write.")
@click.option("--variants", default="screenshot,sketch", show_default=True, help="Comma-separated: screenshot, sketch, wireframe.")
@click.option("--viewport", default="desktop", show_default=True, help="Keep this viewport's rows; 'all' keeps every one (named ID-VIEWPORT).")
@click.option("--limit", type=int, default=None, help="At most this many pages of each variant.")
def unpack_cmd(dataset: Path, out: Path, variants: str, viewport: str, limit: int | None) -> None:
    """Write a dataset as benchmark folders laid out like Design2Code's test set.

    Screenshots as OUT/screenshots/ID.png beside the HTML they were rendered from
    (OUT/screenshots/ID.html), sketches as OUT/sketches/ID.jpg beside theirs, wireframes in
    OUT/wireframes/: what `napkin generate`, `napkin eval` and `make run BENCH=... SKETCHES=...` read.

    \b
    Example:
      napkin data synth --n 8 --seed 7 --viewports desktop --variants screenshot,sketch --out datasets/mini
      napkin data unpack datasets/mini -o bench/mini
      napkin generate bench/mini/screenshots -o pages/ --kind screenshot
      napkin eval --pred pages/ --ref bench/mini/screenshots -o report/
    """
    from napkin.data._unpack import unpack

    s = unpack(dataset, out, [v.strip() for v in variants.split(",") if v.strip()], None if viewport == "all" else viewport, limit)
    click.echo(f"{s.line()} into {out}/")


COMMANDS = [data_group]
