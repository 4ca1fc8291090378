"""Running a dataset job: shards, completion markers, drops, resume, deduplication, manifest.

A job lists its work items (seeds, files, predictions) in a fixed order and turns a slice of
them into rows. The runner cuts the list into shards, runs the shards that have no completion
marker yet, and writes each shard's rows (Parquet, optionally a WebDataset tar), its dropped
items with their reasons, and finally the marker. A run killed at any moment therefore
resumes without duplicates or holes: a shard is either complete with its marker, or redone.
Deduplication by content hash runs over all shards in order at the end, so its result does
not depend on which shards ran when, or on which machine.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from napkin import __version__
from napkin._extras import require
from napkin._files import write_json, write_jsonl
from napkin.data._shards import read_parquet, row_schema, write_parquet, write_table, write_webdataset
from napkin.errors import ConfigError, NapkinError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"


@dataclass(slots=True)
class Drop:
    """An item that did not become a row, and why."""

    id: str
    reason: str
    detail: str = ""


@dataclass(slots=True)
class Extra:
    """A side record of a job, written to `<stream>/shard-NNNNN.jsonl` (e.g. repair examples)."""

    stream: str
    record: dict[str, Any]


class Context:
    """What a job's `process` gets from the worker running it: a renderer (started on first use)."""

    def __init__(self, make_renderer: Callable[[], Any] | None = None) -> None:
        self._make_renderer = make_renderer
        self._renderer: Any = None
        self.advance: Callable[[int], None] | None = None  # set by the runner: the progress bar, in items
        self.reported = 0  # items of the current shard reported by `item_done`

    def item_done(self, n: int = 1) -> None:
        """A job calls this as each item is finished, so that progress moves within a shard."""
        self.reported += n
        if self.advance is not None:
            self.advance(n)

    @property
    def renderer(self) -> Any:
        if self._renderer is None:
            if self._make_renderer is None:
                from napkin.render import ChromiumRenderer

                self._renderer = ChromiumRenderer()
            else:
                self._renderer = self._make_renderer()
        return self._renderer

    def close(self) -> None:
        if self._renderer is not None and self._make_renderer is None:
            self._renderer.close()
        self._renderer = None


class Job(Protocol):
    """A dataset job. `items` must be deterministic; `process` must depend only on its items."""

    name: str

    def config(self) -> dict[str, Any]: ...

    def items(self) -> Sequence[Any]: ...

    def process(self, shard: int, items: Sequence[Any], ctx: Context) -> Iterator[dict[str, Any] | Drop | Extra]: ...


@dataclass(slots=True)
class ShardResult:
    shard: int
    rows: int
    drops: int
    items: int


class Executor(Protocol):
    """Runs shard functions: in this process, or on a Ray cluster."""

    def map_shards(
        self, job: Job, shards: Sequence[tuple[int, Sequence[Any]]], out: Path, options: RunOptions
    ) -> Iterator[ShardResult]: ...


@dataclass(slots=True)
class RunOptions:
    shard_size: int = 256
    webdataset: bool = False
    progress: bool = True
    dedupe: bool = True


@dataclass(slots=True)
class RunSummary:
    out: Path
    shards: int
    shards_run: int
    rows: int
    drops: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def table(self) -> str:
        items = [
            ("rows", str(self.rows)),
            ("shards", f"{self.shards} ({self.shards_run} run now, {self.shards - self.shards_run} done before)"),
            ("dropped", ", ".join(f"{k}: {v}" for k, v in sorted(self.drops.items())) or "0"),
            ("time", f"{self.seconds:.1f} s"),
            ("output", str(self.out)),
        ]
        w = max(len(k) for k, _ in items)
        return "\n".join(f"{k:<{w}}  {v}" for k, v in items)


def shard_name(shard: int) -> str:
    return f"shard-{shard:05d}"


def run_shard(job: Job, shard: int, items: Sequence[Any], out: Path, options: RunOptions, ctx: Context,
              advance: Callable[[int], None] | None = None) -> ShardResult:
    """Process one shard and write its files; the marker is written last."""
    rows: list[dict[str, Any]] = []
    drops: list[Drop] = []
    extras: dict[str, list[dict[str, Any]]] = {}
    seen_items = 0
    ctx.advance, ctx.reported = advance, 0
    for result in job.process(shard, items, ctx):
        if isinstance(result, Drop):
            drops.append(result)
        elif isinstance(result, Extra):
            extras.setdefault(result.stream, []).append(result.record)
        else:
            rows.append(result)
    seen_items = len(items)
    name = shard_name(shard)
    try:
        if rows:
            write_parquet(out / "data" / f"{name}.parquet", rows)
            if options.webdataset:
                write_webdataset(out / "wds" / f"{name}.tar", rows)
        for stream, records in extras.items():
            write_jsonl(out / stream / f"{name}.jsonl", records)
        write_jsonl(out / "drops" / f"{name}.jsonl", [{"id": d.id, "reason": d.reason, "detail": d.detail} for d in drops])
        write_json(out / "markers" / f"{name}.done", {"rows": len(rows), "drops": len(drops), "items": seen_items})
    except OSError as exc:
        raise NapkinError(
            f"could not write shard {name} to {out}: {exc.strerror or exc}. Free some space, then run the same "
            "command again: finished shards are kept and this one is redone."
        ) from exc
    units = _units(job, items)
    if advance is not None and units > ctx.reported:
        advance(units - ctx.reported)  # what the job did not report item by item
    ctx.advance = None
    return ShardResult(shard, len(rows), len(drops), seen_items)


def _units(job: Job, items: Sequence[Any]) -> int:
    """How far a shard moves the progress bar: its items, or what the job counts instead (`job.units`)."""
    count = getattr(job, "units", None)
    return int(count(items)) if count is not None else len(items)


class LocalExecutor:
    """Shards one after another in this process; rendering inside a shard is concurrent."""

    def __init__(self, make_renderer: Callable[[], Any] | None = None) -> None:
        self.make_renderer = make_renderer
        self.advance: Callable[[int], None] | None = None  # progress in items, as they finish (set by run_job)

    def map_shards(
        self, job: Job, shards: Sequence[tuple[int, Sequence[Any]]], out: Path, options: RunOptions
    ) -> Iterator[ShardResult]:
        ctx = Context(self.make_renderer)
        try:
            for shard, items in shards:
                yield run_shard(job, shard, items, out, options, ctx, advance=self.advance)
        finally:
            ctx.close()


def run_job(job: Job, out: Path, options: RunOptions | None = None, executor: Executor | None = None) -> RunSummary:
    """Run (or resume) a job into `out`. See the module docstring for the guarantees."""
    options = options or RunOptions()
    if options.shard_size <= 0:
        raise ConfigError("shard size must be positive")
    executor = executor or LocalExecutor()
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    config = {"job": job.name, **job.config(), "shard_size": options.shard_size}
    _check_manifest(out, config)
    items = list(job.items())
    n_shards = max(1, -(-len(items) // options.shard_size)) if items else 0
    write_json(out / MANIFEST, _manifest(config, status="running", shards=n_shards))

    shards = [(s, items[s * options.shard_size:(s + 1) * options.shard_size]) for s in range(n_shards)]
    todo = [(s, it) for s, it in shards if not (out / "markers" / f"{shard_name(s)}.done").exists()]
    units = {s: _units(job, it) for s, it in shards}
    done_units = sum(units.values()) - sum(units[s] for s, _ in todo)
    with tqdm(total=sum(units.values()), initial=done_units, unit=getattr(job, "unit", "item"), desc=job.name,
              disable=not options.progress, dynamic_ncols=True) as bar:
        local = executor if isinstance(executor, LocalExecutor) else None
        if local is not None:
            local.advance = bar.update  # item by item; other executors report whole shards
        try:
            for result in executor.map_shards(job, todo, out, options):
                if local is None:
                    bar.update(units[result.shard])
        finally:
            if local is not None:
                local.advance = None

    if options.dedupe:
        dedupe(out)
    stats = collect_stats(out)
    manifest = _manifest(config, status="complete", shards=n_shards)
    manifest.update(stats)
    write_json(out / MANIFEST, manifest)
    drops = Counter({k: v for k, v in stats["drops"].items()})
    return RunSummary(out=out, shards=n_shards, shards_run=len(todo), rows=stats["rows"], drops=drops,
                      seconds=time.perf_counter() - t0)


def dedupe(out: Path) -> int:
    """Drop rows whose content hash appeared earlier (in shard order). Idempotent. Returns rows dropped."""
    seen: dict[str, str] = {}
    removed = 0
    for path in sorted((out / "data").glob("*.parquet")):
        table = read_parquet(path)
        keep, dup_drops = [], []
        for i, (rid, h) in enumerate(zip(table.column("id").to_pylist(), table.column("content_hash").to_pylist(), strict=True)):
            if h and h in seen:
                dup_drops.append({"id": rid, "reason": "duplicate", "detail": f"same content as {seen[h]}"})
            else:
                if h:
                    seen[h] = rid
                keep.append(i)
        if dup_drops:
            # Drops first: a kill between the two writes leaves a record of what is being removed.
            drops_path = out / "drops" / f"{path.stem}.jsonl"
            known = {json.loads(line)["id"] for line in drops_path.read_text().splitlines()} if drops_path.exists() else set()
            new = [d for d in dup_drops if d["id"] not in known]
            with drops_path.open("a") as f:
                f.write("".join(json.dumps(d) + "\n" for d in new))
            write_table(path, table.take(require("pyarrow", "data").array(keep, type="int64")))
            removed += len(dup_drops)
    return removed


def collect_stats(out: Path) -> dict[str, Any]:
    """Counts over the finished dataset, for the manifest and the dataset card."""
    rows = 0
    per: dict[str, Counter[str]] = {"variant": Counter(), "viewport": Counter(), "page_type": Counter(), "source": Counter()}
    shards = []
    names = row_schema().names
    for path in sorted((out / "data").glob("*.parquet")):
        cols = [c for c in per if c in names]
        table = read_parquet(path, cols)
        rows += table.num_rows
        for c in cols:
            per[c].update(v or "" for v in table.column(c).to_pylist())
        shards.append({"file": f"data/{path.name}", "rows": table.num_rows, "sha256": _sha256(path)})
    drops: Counter[str] = Counter()
    for path in sorted((out / "drops").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                drops[json.loads(line)["reason"]] += 1
    return {"rows": rows, "counts": {k: dict(sorted(v.items())) for k, v in per.items() if v}, "drops": dict(drops),
            "files": shards}


def _manifest(config: dict[str, Any], status: str, shards: int) -> dict[str, Any]:
    return {"status": status, "config": config, "shards": shards, "versions": versions()}


def versions() -> dict[str, str]:
    v = {"napkin": __version__, "python": platform.python_version()}
    for module in ("pyarrow",):
        try:
            from importlib.metadata import version

            v[module] = version(module)
        except Exception:  # noqa: BLE001 - informational only
            pass
    try:
        import subprocess

        from napkin.render import find_chromium

        v["chromium"] = subprocess.run([find_chromium(), "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:  # noqa: BLE001
        pass
    return v


def _check_manifest(out: Path, config: dict[str, Any]) -> None:
    path = out / MANIFEST
    if not path.exists():
        return
    try:
        old = json.loads(path.read_text())["config"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise ConfigError(f"{path} is not a Napkin manifest; use an empty output folder") from exc
    if old != config:
        diff = sorted(k for k in set(old) | set(config) if old.get(k) != config.get(k))
        raise ConfigError(
            f"{out} holds a run with a different configuration ({', '.join(diff)} differ). "
            "Use a new output folder, or delete this one to start over."
        )


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
