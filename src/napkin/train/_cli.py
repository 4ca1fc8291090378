"""`napkin train`: thin commands over `napkin.train`. Torch loads only when a command runs."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click


@click.group("train")
def train_group() -> None:
    """Train Napkin's models on the CPU from datasets `napkin data synth` made.

    \b
    Example:
      napkin train embedding --config embedding --data datasets/emb-train -o runs/embedding
    """


def _run_options(default: str, shipped: str, what: str) -> Any:
    """The options every `napkin train` command takes."""

    def wrap(f: Any) -> Any:
        for option in reversed([
            click.option("--config", "config", default=default, show_default=True, help=f"A TOML file, or a shipped config: {shipped}."),
            click.option("--data", "data", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
                         help="A dataset folder from `napkin data synth` (screenshot, wireframe and sketch variants)."),
            click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
                         help=f"Run folder: checkpoint.pt (resume), history.json, curves.png, model.pt and {what}."),
            click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
                         help="Override a setting, e.g. --set steps=500 --set lr=1e-3."),
            click.option("--restart", is_flag=True, help="Start over, ignoring a checkpoint in the run folder."),
            click.option("--quiet", is_flag=True, help="No progress bars."),
        ]):
            f = option(f)
        return f

    return wrap


def _run(task_name: str, config: str, data: Path, out: Path, sets: tuple[str, ...], restart: bool, quiet: bool) -> None:
    from napkin.train import TrainConfig, train

    cfg = TrainConfig.from_file(config, sets)
    if cfg.task != task_name:
        raise click.UsageError(f"{config} is a config for `napkin train {cfg.task}`, not `napkin train {task_name}`")
    started = time.perf_counter()
    if task_name == "parser":
        from napkin.train._parser import ParserTask

        task: Any = ParserTask(cfg, data, progress=not quiet)
    else:
        from napkin.train._contrastive import ContrastiveTask

        task = ContrastiveTask(cfg, data, progress=not quiet)
    report = train(task, cfg, out, restart=restart, progress=not quiet)
    minutes = (time.perf_counter() - started) / 60
    if report["stopped"]:
        click.echo(f"stopped at step {report['step']} of {cfg.steps}; run the same command to resume ({out})")
        return
    history = json.loads((out / "history.json").read_text())
    last = history["eval"][-1] if history["eval"] else {}
    click.echo(f"steps    {report['step']}  ({minutes:.1f} min this run)")
    for k, v in last.items():
        if k != "step":
            click.echo(f"{k:26} {v:.3f}")
    click.echo(f"model    {report['model']}")
    click.echo(f"onnx     {report['onnx']}")
    click.echo(f"curves   {out / 'curves.png'}")


@train_group.command("embedding")
@_run_options("embedding", "embedding, embedding-tiny", "the ONNX export")
def embedding_cmd(config: str, data: Path, out: Path, sets: tuple[str, ...], restart: bool, quiet: bool) -> None:
    """Train the UI embedding (pictures and descriptions of pages in one space), contrastively.

    Decodes the dataset's pictures once into a cache beside it, writes descriptions from each
    page's layout tree, then trains; a killed run resumes from the last checkpoint when the same
    command is run again. At the end: model.pt (torch), STEM.image.onnx / STEM.text.onnx /
    STEM.json (onnxruntime, what `napkin embed` and the app load) and curves.png.

    \b
    Examples:
      napkin train embedding --config embedding-tiny --data datasets/synth -o runs/tiny
      napkin train embedding --data datasets/emb-train -o runs/embedding --set steps=8000
    """
    _run("embedding", config, data, out, sets, restart, quiet)


@train_group.command("parser")
@_run_options("parser", "parser, parser-tiny", "the ONNX export (STEM.parser.onnx, STEM.json)")
def parser_cmd(config: str, data: Path, out: Path, sets: tuple[str, ...], restart: bool, quiet: bool) -> None:
    """Train the layout parser: where text, images, buttons, navigation, forms and dividers are.

    Scales every picture of the dataset to the parser's width once, draws its layout tree into
    class masks beside it (a cache beside the dataset), then trains on windows of the pictures;
    a killed run resumes from the last checkpoint. Validation reads whole pages in windows and
    reports Sketch2Code's layout similarity of the predicted regions, per variant.

    \b
    Examples:
      napkin train parser --config parser-tiny --data datasets/synth -o runs/parser-tiny
      napkin train parser --data datasets/emb-train -o runs/parser
    """
    _run("parser", config, data, out, sets, restart, quiet)


COMMANDS = [train_group]
