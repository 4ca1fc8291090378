"""One resumable pass over a folder, shared by `napkin render`, `napkin generate` and `napkin eval`.

Each of them turns a folder of inputs into a folder of outputs, one record per input, and must
survive being killed: a rerun skips what was finished, retries what failed through the
machine's fault (a timeout, a crashed browser, a server down) and skips what failed through
the input's (a page over the size limit, a file that is not a picture). `FolderRun` holds that
logic once: the records of the last run, the rule for "done", writing each new record as it
comes (a JSONL line, or a file of its own), the progress bar, and the summary printed at the end.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from tqdm import tqdm

from napkin._files import read_log
from napkin.errors import InputError, NapkinError


def sha1_file(path: Path) -> str:
    """The file's SHA-1, read in 1 MiB pieces; `unreadable:ERRNO` when it cannot be read."""
    digest = hashlib.sha1()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    return digest.hexdigest()


def find_files(src: Path, suffixes: tuple[str, ...], what: str) -> list[Path]:
    """Every file under `src` whose suffix is one of `suffixes`, sorted; InputError if there is none."""
    if not src.is_dir():
        raise InputError(f"{src} is not a folder of {what}")
    found = sorted(p for p in src.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
    if not found:
        raise InputError(f"no {what} ({', '.join(suffixes)}) in {src}")
    return found


def write_error(out: Path, exc: OSError) -> NapkinError:
    """The error for a full disk or a folder that cannot be written: what to do, and that nothing is lost."""
    return NapkinError(
        f"could not write to {out}: {exc.strerror or exc}. Free some space or fix permissions, "
        "then run the same command again: finished work is kept and skipped."
    )


def failure_counts(failures: Counter[str], final: Collection[str]) -> tuple[str, str]:
    """('too_large: 1', 'timeout: 2'): the failures a rerun skips, and those it tries again."""

    def counts(keep: Callable[[str], bool]) -> str:
        return ", ".join(f"{k}: {v}" for k, v in sorted(failures.items()) if keep(k))

    return counts(lambda k: k in final), counts(lambda k: k not in final)


@dataclass(slots=True)
class BatchSummary:
    """What one run did: counted by FolderRun, printed by `table()`."""

    out_dir: Path
    noun: str = "item"  # "page", "picture", "pair": what the folder holds
    verb: str = "done"  # "rendered", "generated", "scored": what happens to each
    where: tuple[str, str] | None = None  # the last row: ("images and facts", "out/ (render.jsonl)")
    final: frozenset[str] = frozenset()  # failure kinds a rerun skips (bad input)
    total: int = 0
    done: int = 0  # finished now, successfully
    skipped: int = 0  # finished by an earlier run
    failures: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def tried(self) -> int:
        """Inputs handled by this run, finished or failed."""
        return self.done + sum(self.failures.values())

    @property
    def per_second(self) -> float:
        return self.tried / self.seconds if self.seconds > 0 else 0.0

    def rows(self) -> list[tuple[str, str]]:
        bad, retry = failure_counts(self.failures, self.final)
        rate = ""
        if self.tried and self.seconds > 0:
            rate = f" ({self.per_second:.1f} {self.noun}s/s, {self.seconds / self.tried:.2f} s per {self.noun} tried)"
        rows = [
            (f"{self.noun}s found", str(self.total)),
            (f"{self.verb} now", str(self.done)),
            ("skipped (done before)", str(self.skipped)),
            ("failed, bad input", f"{bad} (skipped by later runs)" if bad else "0"),
            ("failed, retried", f"{retry} (tried again by the next run)" if retry else "0"),
            ("time", f"{self.seconds:.1f} s{rate}"),
        ]
        if self.where is not None:
            rows.append(self.where)
        return rows

    def table(self) -> str:
        rows = self.rows()
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


class FolderRun:
    """One resumable pass: `previous` holds the last run's records; `finish` stores and counts a new one.

    Records are dicts with `ok` and, when not ok, `failure` (a kind) and `message`. By default
    they are appended to the JSONL log `log_name` in `out`, flushed one by one, so a kill loses
    at most the record being written (`read_log` drops a cut line). Pass `store` to keep them
    elsewhere (eval writes one JSON file per page) and `log_name=None`.

        with FolderRun(summary, log_name="render.jsonl", desc="render") as run:
            for name in names:
                if run.is_done(run.previous.get(name), {"sha1": sha}, output): run.skip(); continue
                run.finish(work(name))
    """

    def __init__(
        self,
        summary: BatchSummary,
        *,
        log_name: str | None,
        desc: str,
        progress: bool = True,
        restart: bool = False,
        store: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.summary = summary
        self.out = summary.out_dir
        self.log_path = self.out / log_name if log_name else None
        self.previous: dict[str, dict[str, Any]] = {} if restart or self.log_path is None else read_log(self.log_path)
        self._store = store
        self._desc, self._progress = desc, progress
        self._log: IO[str] | None = None
        self._bar: tqdm[Any] | None = None
        self._t0 = 0.0

    def is_done(self, record: dict[str, Any] | None, same: dict[str, Any], output: Path | None = None) -> bool:
        """Whether `record` (from an earlier run) finishes this input: made from the same input and
        settings (every key of `same` matches), and either ok with its `output` still there or failed
        as bad input."""
        if record is None or any(record.get(k) != v for k, v in same.items()):
            return False
        if record.get("ok"):
            return output is None or output.exists()
        return record.get("failure") in self.summary.final

    def skip(self) -> None:
        self.summary.skipped += 1

    def start(self, todo: int) -> FolderRun:
        """Open the log and the progress bar for `todo` inputs; the clock starts now."""
        self.out.mkdir(parents=True, exist_ok=True)
        if self.log_path is not None:
            try:
                self._log = self.log_path.open("a", encoding="utf-8")
            except OSError as exc:
                raise write_error(self.out, exc) from exc
        self._bar = tqdm(total=todo, unit=self.summary.noun, desc=self._desc, disable=not self._progress, dynamic_ncols=True)
        self._t0 = time.perf_counter()
        return self

    def finish(self, record: dict[str, Any]) -> None:
        """Store one record the moment it exists, and count it."""
        try:
            if self._store is not None:
                self._store(record)
            if self._log is not None:
                self._log.write(json.dumps(record, ensure_ascii=False) + "\n")
                self._log.flush()
        except OSError as exc:
            raise write_error(self.out, exc) from exc
        if record.get("ok", True):
            self.summary.done += 1
        else:
            self.summary.failures[str(record.get("failure") or "error")] += 1
            if self._bar is not None:
                self._bar.set_postfix(failed=sum(self.summary.failures.values()))
        self.advance()

    def advance(self) -> None:
        """Move the bar on for an input that leaves no record."""
        if self._bar is not None:
            self._bar.update(1)

    def __enter__(self) -> FolderRun:
        if self._bar is None:
            raise RuntimeError("call start(todo) before entering the run")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.summary.seconds = time.perf_counter() - self._t0
        if self._bar is not None:
            self._bar.close()
        if self._log is not None:
            self._log.close()
