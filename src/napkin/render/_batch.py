"""Render a folder of HTML pages to images and a JSONL of DOM facts, resumably."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from napkin._batch import BatchSummary, FolderRun, find_files, write_error
from napkin._files import HTML_SUFFIXES, write_atomic
from napkin.render._base import Renderer
from napkin.render._chromium import RenderJob
from napkin.render._types import RenderOptions

FACTS_FILE = "render.jsonl"
# Failures that depend only on the page (bad input): rendering it again gives the same answer, so
# a resumed run skips them. Timeouts, crashes and internal errors may be the machine's doing (a
# busy host, a browser killed) and are retried by the next run.
FINAL_FAILURES = frozenset({"too_large", "navigation", "unreadable"})


def find_pages(src: Path) -> list[Path]:
    return find_files(src, HTML_SUFFIXES, "HTML pages")


def render_dir(
    renderer: Renderer,
    src: Path,
    out: Path,
    options: RenderOptions | None = None,
    progress: bool = True,
    restart: bool = False,
) -> BatchSummary:
    """Render every HTML file under `src` into `out`: one image per page and one JSONL line of facts.

    Resumable: pages whose image and record exist from an earlier run with the same HTML and
    options are skipped, so a killed run picks up where it stopped; so are pages that failed as
    bad input. Timeouts and crashes are tried again. `restart` renders everything again.
    """
    options = options or RenderOptions()
    pages = find_pages(src)
    key = options.key
    ext = "png" if options.image_format == "png" else "jpg"
    summary = BatchSummary(out_dir=out, noun="page", verb="rendered", final=FINAL_FAILURES, total=len(pages),
                           where=("images and facts", f"{out}/ ({FACTS_FILE})"))
    run = FolderRun(summary, log_name=FACTS_FILE, desc="render", progress=progress, restart=restart)

    todo: list[tuple[str, Path, str, Path]] = []
    refused: list[dict[str, Any]] = []
    for page in pages:
        name = page.relative_to(src).as_posix()
        image = out / Path(name).with_suffix(f".{ext}")
        try:
            size = page.stat().st_size
            # Never read a huge file just to hash it: its size stands in for its hash.
            sha = f"size:{size}" if size > renderer.limits.max_html_bytes else hashlib.sha1(page.read_bytes()).hexdigest()
        except OSError as exc:
            sha = f"unreadable:{exc.errno}"
        if run.is_done(run.previous.get(name), {"sha1": sha, "options": key}, image):
            run.skip()
        elif sha.startswith("unreadable:"):
            refused.append({"name": name, "sha1": sha, "options": key, "ok": False, "failure": "unreadable",
                            "message": f"could not read {page}"})
        elif sha.startswith("size:"):
            refused.append({"name": name, "sha1": sha, "options": key, "ok": False, "failure": "too_large",
                            "message": f"{page} is {size / 1e6:.1f} MB, over the "
                            f"{renderer.limits.max_html_bytes / 1e6:.1f} MB HTML limit"})
        else:
            todo.append((name, page, sha, image))

    with run.start(len(todo) + len(refused)):
        for refusal in refused:
            run.finish(refusal)

        def jobs() -> Iterator[RenderJob]:
            for _, page, _, _ in todo:
                try:
                    html = page.read_bytes()
                except OSError:
                    html = b""  # vanished since it was hashed: renders blank, recorded as such
                yield RenderJob(html, options)

        for (name, _, sha, image), result in zip(todo, renderer.render_many(jobs(), options), strict=True):
            record: dict[str, Any] = {"name": name, "sha1": sha, "options": key}
            record.update(result.facts())
            if result.ok and result.image is not None:
                try:
                    write_atomic(image, result.image)
                except OSError as exc:
                    raise write_error(out, exc) from exc
                record["image"] = image.relative_to(out).as_posix()
            run.finish(record)
    return summary
