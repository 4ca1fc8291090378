"""Files every long run writes: atomic replaces, and the JSONL logs a resumed run reads back."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

# What every folder command (render, generate, eval, embed search, relabel) takes as a page and
# as a picture: one list, so that a folder one command accepts the next one accepts too.
HTML_SUFFIXES = (".html", ".htm")
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")  # napkin._image.load_image reads them all


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` through a temporary file renamed into place: a kill leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # per process: concurrent writers never share one
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)


def write_json(path: Path, obj: Any, indent: int | None = 2) -> None:
    """`obj` as JSON (UTF-8, NaN refused), atomically."""
    write_atomic(path, json.dumps(obj, ensure_ascii=False, indent=indent, allow_nan=False) + "\n")


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    """One JSON object per line, atomically."""
    write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def read_log(path: Path, key: str = "name") -> dict[str, dict[str, Any]]:
    """The records of an append-only JSONL log, by `key`; the last record of a key counts.

    A last line cut short by a kill is dropped and cut off the file, so appending goes on cleanly.
    """
    done: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return done
    raw = path.read_bytes()
    if raw and not raw.endswith(b"\n"):
        keep = raw.rfind(b"\n") + 1
        with path.open("r+b") as f:
            f.truncate(keep)
        raw = raw[:keep]
    for line in raw.splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec, dict) and isinstance(rec.get(key), str):
            done[rec[key]] = rec
    return done
