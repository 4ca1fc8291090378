"""`napkin generate`: a thin command over `napkin.generate`. Imports nothing heavy at module level."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from napkin.errors import ConfigError

if TYPE_CHECKING:
    from napkin.generate._types import Generator, Kind

_OPENAI_FLAGS = ("model", "base_url", "api_key", "n", "repair_rounds", "timeout")


@click.command("generate")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Page file (one picture) or folder (a folder of pictures).")
@click.option("--backend", type=click.Choice(["embedded", "learned", "openai"]), default=None,
              help="embedded: offline, on the CPU, classical vision (default); learned: the same with the "
                   "trained layout parser deciding what regions are; openai: any OpenAI-compatible vision model.")
@click.option("--kind", type=click.Choice(["auto", "screenshot", "sketch"]), default=None,
              help="What the pictures are (default: auto, decided per picture).")
@click.option("--model", help="openai: model name [env NAPKIN_OPENAI_MODEL].")
@click.option("--base-url", help="openai: API root, e.g. http://localhost:11434/v1 [env NAPKIN_OPENAI_BASE_URL, OPENAI_BASE_URL].")
@click.option("--api-key", help="openai: API key [env NAPKIN_OPENAI_API_KEY, OPENAI_API_KEY; prefer these].")
@click.option("--n", "n", type=int, default=None, help="openai: candidates to generate; the closest rendering wins (default 1).")
@click.option("--repair-rounds", type=int, default=None, help="openai: render-and-fix rounds per candidate (default 2; 0 = off).")
@click.option("--timeout", type=float, default=None, help="openai: seconds to wait for the server to say something (default 180).")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="openai: any other setting, e.g. --set temperature=0.2 --set max_tokens=8000.")
@click.option("--config", type=click.Path(path_type=Path), default=None,
              help="TOML config file (default: $NAPKIN_CONFIG or ~/.config/napkin/config.toml).")
@click.option("--parser", "parser_model", type=click.Path(path_type=Path), default=None,
              help="learned: an exported layout parser's stem, e.g. runs/parser/ui-parse-s (default: the shipped one).")
@click.option("--ocr", type=click.Choice(["tesseract", "rapidocr"]), default=None,
              help="embedded, learned: the text reader (default tesseract; rapidocr reads more short labels, ~4x slower).")
@click.option("--tree", type=click.Path(path_type=Path), default=None, help="One picture, embedded or learned: also write the layout tree as JSON here.")
@click.option("--max-megapixels", type=float, default=50.0, show_default=True,
              help="Refuse (or, for JPEG, decode at a fraction) pictures larger than this.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def generate_cmd(
    source: Path,
    out: Path | None,
    backend: str | None,
    kind: str | None,
    model: str | None,
    base_url: str | None,
    api_key: str | None,
    n: int | None,
    repair_rounds: int | None,
    timeout: float | None,
    assignments: tuple[str, ...],
    config: Path | None,
    parser_model: Path | None,
    ocr: str | None,
    tree: Path | None,
    max_megapixels: float,
    quiet: bool,
) -> None:
    """Turn a screenshot, wireframe or sketch into an HTML page; or a folder of them into a folder of pages.

    A folder run writes one page per picture and generate.jsonl (timings, warnings, errors per
    picture), shows progress, and resumes: pictures done by an earlier run are skipped. A picture
    that cannot be used is recorded with its error and the run goes on.

    \b
    Examples:
      napkin generate shot.png -o page.html
      napkin generate sketches/ -o pages/ --kind sketch
      napkin generate sketch.png -o page.html --backend learned
      napkin generate shot.png -o page.html --backend openai \\
          --base-url http://localhost:11434/v1 --model qwen2.5vl:7b --n 3
    """
    from napkin.generate._config import generate_defaults, parse_assignments

    defaults = generate_defaults(config)
    backend = backend or defaults.get("backend", "embedded")
    kind = kind or defaults.get("kind", "auto")
    flags: dict[str, Any] = dict(zip(_OPENAI_FLAGS, (model, base_url, api_key, n, repair_rounds, timeout), strict=True))
    flags.update(parse_assignments(assignments))
    if backend in ("embedded", "learned"):
        given = [f"--{k.replace('_', '-')}" for k, v in flags.items() if v is not None]
        if assignments:
            given.append("--set")
        if given:
            raise ConfigError(f"{', '.join(given)} apply to the openai backend: add --backend openai")
    elif backend != "openai":
        raise ConfigError(f"unknown backend {backend!r} in the config file; use embedded, learned or openai")
    if parser_model is not None and backend != "learned":
        raise ConfigError("--parser names the learned backend's model: add --backend learned")
    if tree is not None and (backend == "openai" or source.is_dir()):
        raise ConfigError("--tree writes the layout tree of one picture; it needs --backend embedded or learned and a single picture")
    options: dict[str, Any] = {"config": config, **flags} if backend == "openai" else {}
    if parser_model is not None:
        options["model"] = parser_model
    if ocr is not None:
        if backend == "openai":
            raise ConfigError("--ocr picks the text reader of the embedded and learned backends, not of openai")
        options["ocr"] = ocr

    from napkin.generate._api import make_generator
    from napkin.generate._types import check_kind

    checked = check_kind(kind)
    if max_megapixels <= 0:
        raise ConfigError("--max-megapixels must be positive")
    max_pixels = int(max_megapixels * 1e6)
    generator = make_generator(backend, **options)
    try:
        if source.is_dir():
            from functools import partial

            from napkin.generate._batch import generate_dir
            from napkin.generate._image import read_image

            target_dir = out or source.with_name(source.name + "-pages")
            summary = generate_dir(generator, source, target_dir, checked, progress=not quiet,
                                   read=partial(read_image, max_pixels=max_pixels))
            click.echo(summary.table())
            return
        _one(generator, source, out, checked, tree, max_pixels)
    finally:
        generator.close()


def _one(generator: Generator, source: Path, out: Path | None, kind: Kind, tree: Path | None, max_pixels: int) -> None:
    from napkin.generate._api import generate

    result = generate(source, backend=generator, kind=kind, max_pixels=max_pixels)
    target = out or source.with_suffix(".html")
    if target.is_dir():
        target = target / source.with_suffix(".html").name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.html, encoding="utf-8")
    if tree is not None and result.tree is not None:
        tree.write_text(json.dumps(result.tree.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    notes = [result.backend, result.kind, f"{result.timings.get('total', 0.0):.2f} s"]
    if result.candidates:
        best = result.candidates[result.chosen or 0]
        if len(result.candidates) > 1 and best.score is not None:
            notes.append(f"best of {len(result.candidates)}: candidate {best.index}, similarity {best.score:.3f}")
        notes.append(f"{len(best.rounds)} round{'s' if len(best.rounds) != 1 else ''}")
    if result.usage.get("total_tokens"):
        notes.append(f"{result.usage['total_tokens']} tokens")
    click.echo(f"{target} ({', '.join(notes)})")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


COMMANDS = [generate_cmd]
