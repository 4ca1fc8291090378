"""Generate a folder of pictures into a folder of pages, resumably, with a JSONL log per picture.

One bad picture never stops a batch: it gets a record with its error and the next one goes on.
What does stop it is a problem no later picture can escape: a missing dependency, a bad
setting, or a backend that failed on several pictures in a row (a server down, a refused key).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

from napkin._batch import BatchSummary, FolderRun, find_files, sha1_file, write_error
from napkin._files import PICTURE_SUFFIXES, write_atomic
from napkin.errors import BackendError, ConfigError, DependencyError, InputError, NapkinError
from napkin.generate._image import read_image
from napkin.generate._types import Generator, Kind

log = logging.getLogger(__name__)

LOG_FILE = "generate.jsonl"
# Failures that depend only on the picture: a resumed run would fail the same way, so skips it.
# Backend and internal failures may be bad luck and are tried again.
FINAL_FAILURES = frozenset({"input"})
# This many backend failures in a row mean the backend, not the pictures, is broken.
MAX_BACKEND_FAILURES_IN_A_ROW = 3


def find_images(src: Path) -> list[Path]:
    return find_files(src, PICTURE_SUFFIXES, "pictures")


def page_names(src: Path, images: list[Path]) -> dict[Path, str]:
    """Each picture's page, relative to the output folder: shot.png -> shot.html, or shot.png.html
    when two pictures share a stem (shot.png and shot.jpg)."""
    stems = Counter(p.relative_to(src).with_suffix("").as_posix() for p in images)
    out = {}
    for p in images:
        rel = p.relative_to(src)
        clash = stems[rel.with_suffix("").as_posix()] > 1
        out[p] = (rel.as_posix() + ".html") if clash else rel.with_suffix(".html").as_posix()
    return out


def generate_dir(
    generator: Generator,
    src: Path,
    out: Path,
    kind: Kind = "auto",
    key: str | None = None,
    progress: bool = True,
    read: Callable[[Path], tuple[Image.Image, list[str]]] = read_image,
) -> BatchSummary:
    """Generate a page for every picture under `src` into `out`, logging each to generate.jsonl.

    Resumable: a picture whose page and record exist from an earlier run with the same bytes and
    the same `key` (by default backend, model and kind: what makes the page) is skipped; so is a
    picture that failed as input before.
    """
    images = find_images(src)
    names = page_names(src, images)
    key = key or batch_key(generator, kind)
    summary = BatchSummary(out_dir=out, noun="picture", verb="generated", final=FINAL_FAILURES, total=len(images),
                           where=("pages and log", f"{out}/ ({LOG_FILE})"))
    run = FolderRun(summary, log_name=LOG_FILE, desc="generate", progress=progress)

    todo: list[tuple[str, Path, str]] = []
    for image in images:
        name = image.relative_to(src).as_posix()
        sha = sha1_file(image)
        if run.is_done(run.previous.get(name), {"sha1": sha, "key": key}, out / names[image]):
            run.skip()
        else:
            todo.append((name, image, sha))

    in_a_row = 0
    with run.start(len(todo)):
        for name, image, sha in todo:
            record: dict[str, Any] = {"name": name, "sha1": sha, "key": key}
            t_image = time.perf_counter()
            try:
                picture, notes = read(image)
                t_loaded = time.perf_counter()
                result = generator.generate(picture, kind)
            except (DependencyError, ConfigError):
                raise  # the same for every picture: stop with the message
            except InputError as exc:
                record.update(ok=False, failure="input", message=str(exc))
            except BackendError as exc:
                record.update(ok=False, failure="backend", message=str(exc))
                in_a_row += 1
            except NapkinError as exc:
                record.update(ok=False, failure="error", message=str(exc))
            except Exception as exc:  # noqa: BLE001 - a bug on one picture must not end the batch
                log.exception("generating %s failed", image)
                record.update(ok=False, failure="internal", message=f"{type(exc).__name__}: {exc}")
            else:
                result.timings["load"] = t_loaded - t_image
                _write_atomic(out / names[image], result.html.encode("utf-8"), out)
                record.update(ok=True, page=names[image], **result.summary())
                record["warnings"] = notes + [w for w in record["warnings"] if w not in notes]
            if record.get("failure") != "backend":
                in_a_row = 0  # "in a row": any other outcome breaks the run of backend failures
            record["seconds"] = round(time.perf_counter() - t_image, 4)
            run.finish(record)
            if in_a_row >= MAX_BACKEND_FAILURES_IN_A_ROW:
                raise BackendError(
                    f"stopped: the backend failed on {in_a_row} pictures in a row; last error: {record['message']}. "
                    "Fix it and run the same command again: finished pages are kept and skipped"
                )
    return summary


def batch_key(generator: Generator, kind: str) -> str:
    """What makes a page, for resuming: a change of backend, model or kind generates again."""
    settings = getattr(generator, "settings", None)
    model = getattr(settings, "model", None) or getattr(generator, "model_id", None)
    return f"{generator.name}:{model}/{kind}" if model else f"{generator.name}/{kind}"


def _write_atomic(path: Path, data: bytes, out: Path) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise write_error(out, exc) from exc
