"""Run dataset jobs on Ray: one worker per CPU, each with its own browser.

Locally, `ray.init()` starts a private cluster on this machine; with RAY_ADDRESS set, the
cluster there is used (the output folder must then be on storage every node can write).
The shards, and so the dataset, are the same as with the local executor: what a shard holds
depends only on its items, and deduplication runs over all shards in order at the end.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from napkin._extras import require
from napkin.data._pipeline import Context, Job, RunOptions, ShardResult, run_shard

log = logging.getLogger(__name__)


class _ShardWorker:
    """A Ray actor: keeps one browser for all the shards it runs."""

    def __init__(self, concurrency: int) -> None:
        def make() -> Any:
            from napkin.render import ChromiumRenderer

            return ChromiumRenderer(concurrency=concurrency)

        self.ctx = Context(make)

    def run(self, job: Job, shard: int, items: Sequence[Any], out: str, options: RunOptions) -> ShardResult:
        return run_shard(job, shard, items, Path(out), options, self.ctx)

    def close(self) -> None:
        if self.ctx._renderer is not None:
            self.ctx._renderer.close()


class RayExecutor:
    """Shards in parallel on Ray actors (local Ray unless RAY_ADDRESS names a cluster)."""

    def __init__(self, workers: int | None = None, address: str | None = None, pages_per_worker: int = 2) -> None:
        self.workers = workers
        self.address = address or os.environ.get("RAY_ADDRESS") or None
        self.pages_per_worker = pages_per_worker

    def map_shards(
        self, job: Job, shards: Sequence[tuple[int, Sequence[Any]]], out: Path, options: RunOptions
    ) -> Iterator[ShardResult]:
        if not shards:
            return
        ray = require("ray", "ray")
        from ray.util import ActorPool

        started = False
        if not ray.is_initialized():
            # Workers import napkin and the job's module: on a cluster, every node needs them installed.
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
            started = True
        try:
            cpus = int(ray.cluster_resources().get("CPU", 1))
            n = max(1, min(self.workers or cpus, len(shards)))
            actor = ray.remote(num_cpus=max(1, cpus // n) if self.address is None else 1)(_ShardWorker)
            actors = [actor.remote(self.pages_per_worker) for _ in range(n)]
            pool = ActorPool(actors)
            out_s = str(out.resolve())
            yield from pool.map_unordered(lambda a, s: a.run.remote(job, s[0], s[1], out_s, options), list(shards))
            ray.get([a.close.remote() for a in actors])
        finally:
            if started:
                ray.shutdown()
