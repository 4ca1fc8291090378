"""Shared by the benchmark scripts: machine facts, result files, tables."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
# Real data is not in the repository: a folder holding design2code-dev/ (the Design2Code test
# set's ID.png beside ID.html) and sketches/ (Sketch2Code pictures). The development machine
# keeps one beside the checkout; elsewhere set NAPKIN_BENCH.
BENCH_DATA = Path(os.environ.get("NAPKIN_BENCH", Path(__file__).resolve().parents[2] / "shared" / "benchmarks"))


def bench_data(sub: str) -> Path:
    """`NAPKIN_BENCH/sub`, or exit with a message that says what to lay out where."""
    folder = BENCH_DATA / sub
    if not folder.is_dir() or not any(folder.iterdir()):
        raise SystemExit(f"no real data in {folder}: this benchmark measures on real pages. Set NAPKIN_BENCH to a folder "
                         "holding design2code-dev/ (ID.png beside ID.html, from huggingface.co/datasets/SALT-NLP/Design2Code) "
                         "and sketches/ (sketch pictures)")
    return folder


ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def worktree(ref: str) -> Iterator[tuple[str, Path]]:
    """Commit `ref` checked out in a temporary git worktree: (its short hash, the checkout's src/)."""
    short = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    tree = Path(tempfile.mkdtemp(prefix="napkin-ref-"))
    try:
        subprocess.run(["git", "worktree", "add", "--force", "--detach", str(tree), short], cwd=ROOT, check=True, capture_output=True)
        yield short, tree / "src"
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
        shutil.rmtree(tree, ignore_errors=True)


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = 0.0
    try:
        mem_gib = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    except (OSError, ValueError, IndexError):
        pass
    chromium = ""
    try:
        from napkin.render import find_chromium

        chromium = subprocess.run([find_chromium(), "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:  # noqa: BLE001 - informational only
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_gib, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "chromium": chromium,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        # At the end of the run: a shared machine's other work shows here (1, 5 and 15 minutes).
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def host_check_ms() -> float:
    """Milliseconds a fixed single-threaded workload takes right now (a Python loop, SHA-256 of
    16 MB, sorting a million floats), best of three.

    On the shared machine the CPU time of identical work moves by a fifth from one hour to the
    next; benchmarks record this before and after their runs, so results taken on a slow and a
    fast host can be told apart.
    """
    import hashlib

    import numpy as np

    data = b"napkin" * ((16 << 20) // 6)
    values = np.random.default_rng(0).random(1_000_000)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i
        hashlib.sha256(data).digest()
        np.sort(values)
        best = min(best, time.perf_counter() - t)
    return round(1000 * best, 1)


def cpu_seconds() -> float:
    """CPU time used on the whole machine so far (all cores, user + system, from /proc/stat).

    Counting the processes of the run instead misses Chromium's renderer processes that ended
    before the count (the engine recycles them), which made figures drift low. On a machine
    running only the benchmark this is its cost; other work on the machine adds to it, which
    is why results carry the load average. Falls back to this process and its children where
    /proc/stat is missing.
    """
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
        return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        pass
    import psutil

    total = 0.0
    for p in [psutil.Process(), *psutil.Process().children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def cpu_by_process() -> dict[str, float]:
    """CPU seconds so far of this process and its children, by kind: this Python process's main
    thread and its other threads, a Node driver (none since the engine speaks CDP itself), Chromium's browser process, its renderers,
    and its other helpers. Processes that already ended are missing: measure on a fresh renderer
    that recycles nothing."""
    import threading

    import psutil

    out = {"python_main_thread": 0.0, "python_other_threads": 0.0, "driver": 0.0, "chromium_browser": 0.0,
           "chromium_renderers": 0.0, "chromium_other": 0.0}
    me = psutil.Process()
    main_id = threading.main_thread().native_id
    for t in me.threads():
        out["python_main_thread" if t.id == main_id else "python_other_threads"] += t.user_time + t.system_time
    for p in me.children(recursive=True):
        try:
            t, cmd = p.cpu_times(), " ".join(p.cmdline())
        except psutil.Error:
            continue
        if "node" in p.name():
            kind = "driver"
        elif "--type=renderer" in cmd:
            kind = "chromium_renderers"
        elif "--type=" in cmd:
            kind = "chromium_other"
        else:
            kind = "chromium_browser"
        out[kind] += t.user + t.system
    return out


def save(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, indent=2) + "\n")
    return path


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    def fmt(v: Any) -> str:
        return f"{v:.2f}" if isinstance(v, float) else str(v)

    widths = [max(len(c), *(len(fmt(r.get(c, ""))) for r in rows)) for c in columns]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(fmt(r.get(c, "")).ljust(w) for c, w in zip(columns, widths, strict=True)))
    return "\n".join(lines)
