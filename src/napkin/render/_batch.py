"""Render a folder of HTML pages to images and a JSONL of DOM facts, resumably."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from napkin._files import HTML_SUFFIXES, read_log, write_atomic
from napkin.errors import InputError, NapkinError
from napkin.render._base import Renderer
from napkin.render._chromium import RenderJob
from napkin.render._types import RenderOptions

FACTS_FILE = "render.jsonl"
# Failures that depend only on the page (bad input): rendering it again gives the same answer, so
# a resumed run skips them. Timeouts, crashes and internal errors may be the machine's doing (a
# busy host, a browser killed) and are retried by the next run.
_FINAL_FAILURES = {"too_large", "navigation", "unreadable"}


@dataclass(slots=True)
class BatchSummary:
    out_dir: Path
    total: int = 0
    rendered: int = 0
    skipped: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def pages_per_second(self) -> float:
        """Pages handled (rendered or failed) per second of this run."""
        tried = self.rendered + sum(self.failures.values())
        return tried / self.seconds if self.seconds > 0 else 0.0

    def table(self) -> str:
        bad = {k: v for k, v in sorted(self.failures.items()) if k in _FINAL_FAILURES}
        retry = {k: v for k, v in sorted(self.failures.items()) if k not in _FINAL_FAILURES}
        rows = [
            ("pages found", str(self.total)),
            ("rendered now", str(self.rendered)),
            ("skipped (done before)", str(self.skipped)),
            ("failed, bad input", _counts(bad) + (" (skipped by later runs)" if bad else "")),
            ("failed, retried", _counts(retry) + (" (tried again by the next run)" if retry else "")),
            ("time", f"{self.seconds:.1f} s ({self.pages_per_second:.1f} pages/s)"),
            ("images and facts", f"{self.out_dir}/ ({FACTS_FILE})"),
        ]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def _counts(failures: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in failures.items()) or "0"


def find_pages(src: Path) -> list[Path]:
    if not src.is_dir():
        raise InputError(f"{src} is not a folder of HTML pages")
    pages = sorted(p for p in src.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file())
    if not pages:
        raise InputError(f"no .html files in {src}")
    return pages


def _is_done(rec: dict[str, Any] | None, sha: str, key: str, image: Path) -> bool:
    if rec is None or rec.get("sha1") != sha or rec.get("options") != key:
        return False
    if rec.get("ok"):
        return image.exists()
    return rec.get("failure") in _FINAL_FAILURES


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
    out.mkdir(parents=True, exist_ok=True)
    facts_path = out / FACTS_FILE
    done = {} if restart else read_log(facts_path)
    key = options.key
    ext = "png" if options.image_format == "png" else "jpg"
    summary = BatchSummary(out_dir=out, total=len(pages))

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
        if _is_done(done.get(name), sha, key, image):
            summary.skipped += 1
        elif sha.startswith("unreadable:"):
            refused.append({"name": name, "sha1": sha, "options": key, "ok": False, "failure": "unreadable",
                            "message": f"could not read {page}"})
        elif sha.startswith("size:"):
            refused.append({"name": name, "sha1": sha, "options": key, "ok": False, "failure": "too_large",
                            "message": f"{page} is {size / 1e6:.1f} MB, over the "
                            f"{renderer.limits.max_html_bytes / 1e6:.1f} MB HTML limit"})
        else:
            todo.append((name, page, sha, image))

    t0 = time.perf_counter()
    with facts_path.open("a", encoding="utf-8") as log, tqdm(
        total=len(todo) + len(refused), unit="page", desc="render", disable=not progress, dynamic_ncols=True
    ) as bar:

        def write(record: dict[str, Any]) -> None:
            try:
                log.write(json.dumps(record, ensure_ascii=False) + "\n")
                log.flush()
            except OSError as exc:
                raise _write_error(out, exc) from exc
            if record["ok"]:
                summary.rendered += 1
            else:
                summary.failures[record["failure"]] += 1
            bar.update(1)

        for refusal in refused:
            write(refusal)

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
                    raise _write_error(out, exc) from exc
                record["image"] = image.relative_to(out).as_posix()
            write(record)
    summary.seconds = time.perf_counter() - t0
    return summary


def _write_error(out: Path, exc: OSError) -> NapkinError:
    return NapkinError(
        f"could not write to {out}: {exc.strerror or exc}. Free some space or fix permissions, "
        "then run the same command again: finished pages are kept and skipped."
    )
