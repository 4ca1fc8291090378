"""`napkin train`: thin commands over `napkin.train`. Torch loads only when a command runs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click


@click.group("train")
def train_group() -> None:
    """Train Napkin's models on the CPU from datasets `napkin data synth` made.

    \b
    Example:
      napkin train embedding --config embedding --data datasets/emb-train -o runs/embedding
    """


@train_group.command("embedding")
@click.option("--config", "config", default="embedding", show_default=True,
              help="A TOML file, or a shipped config: embedding, embedding-tiny.")
@click.option("--data", "data", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A dataset folder from `napkin data synth` (screenshot, wireframe and sketch variants).")
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Run folder: checkpoint.pt (resume), history.json, curves.png, model.pt and the ONNX export.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override a setting, e.g. --set steps=500 --set lr=1e-3.")
@click.option("--restart", is_flag=True, help="Start over, ignoring a checkpoint in the run folder.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
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
    from napkin.train import TrainConfig, train
    from napkin.train._contrastive import ContrastiveTask

    cfg = TrainConfig.from_file(config, sets)
    started = time.perf_counter()
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


COMMANDS = [train_group]
