"""`napkin embed`: score a picture against a text, search a folder of pictures by text."""

from __future__ import annotations

import json
from pathlib import Path

import click

from napkin._files import PICTURE_SUFFIXES

_MODEL_HELP = "An ONNX export (STEM or STEM.json) or a checkpoint (model.pt); default: the shipped embedding."


def _embedder(model: Path | None):
    from napkin.embed import load_default, load_embedder

    return load_embedder(model) if model else load_default()


@click.group("embed")
def embed_group() -> None:
    """Napkin's UI embedding: how well pictures of interfaces match descriptions.

    \b
    Example:
      napkin embed score drawing.png "a signup form with two inputs"
    """


@embed_group.command("score")
@click.argument("image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("texts", nargs=-1, required=True)
@click.option("--model", type=click.Path(exists=False, path_type=Path), default=None, help=_MODEL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (score 0-100 and cosine per text).")
def score_cmd(image: Path, texts: tuple[str, ...], model: Path | None, as_json: bool) -> None:
    """Score IMAGE against each TEXT, 0-100 (the drawing game's scale).

    \b
    Examples:
      napkin embed score drawing.png "a signup form"
      napkin embed score shot.png "a pricing page" "a login page" --json
    """
    emb = _embedder(model)
    v = emb.images([image])[0]
    sims = emb.texts(list(texts)) @ v
    rows = [{"text": t, "score": round(float(emb.rescale(s)), 1), "cosine": round(float(s), 4)} for t, s in zip(texts, sims, strict=True)]
    if as_json:
        click.echo(json.dumps(rows if len(rows) > 1 else rows[0]))
        return
    for r in rows:
        click.echo(f"{r['score']:5.1f}  {r['text']}" if len(rows) > 1 else f"{r['score']:.1f}")


@embed_group.command("search")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("text")
@click.option("--top", type=int, default=10, show_default=True, help="How many pictures to list.")
@click.option("--model", type=click.Path(exists=False, path_type=Path), default=None, help=_MODEL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines (path, score, cosine).")
def search_cmd(folder: Path, text: str, top: int, model: Path | None, as_json: bool) -> None:
    """List the pictures in FOLDER (recursively) that best match TEXT, best first.

    \b
    Example:
      napkin embed search sketches/ "a product page with a big photo"
    """
    from napkin.embed._embedder import _picture
    from napkin.errors import NapkinError

    paths = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PICTURE_SUFFIXES)
    if not paths:
        raise click.ClickException(f"no pictures ({', '.join(PICTURE_SUFFIXES)}) in {folder}")
    emb = _embedder(model)
    q = emb.texts([text])[0]
    scored, skipped = [], []
    from tqdm import tqdm

    for i in tqdm(range(0, len(paths), 32), desc="embed", unit="batch", disable=len(paths) <= 64):
        batch, pictures = [], []
        for p in paths[i : i + 32]:
            try:
                pictures.append(_picture(p))  # one by one: a bad file is skipped, not fatal
                batch.append(p)
            except NapkinError as exc:
                skipped.append((p, str(exc)))
        if batch:
            for p, s in zip(batch, emb.images(pictures) @ q, strict=True):
                scored.append((float(s), p))
    scored.sort(key=lambda x: -x[0])
    for s, p in scored[:top]:
        if as_json:
            click.echo(json.dumps({"path": str(p), "score": round(float(emb.rescale(s)), 1), "cosine": round(s, 4)}))
        else:
            click.echo(f"{float(emb.rescale(s)):5.1f}  {p}")
    for p, why in skipped:
        click.echo(f"skipped {p}: {why}", err=True)


COMMANDS = [embed_group]
