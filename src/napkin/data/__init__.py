"""Datasets: jobs cut into shards, resumable runs, Parquet and WebDataset output.

    >>> from napkin.data import run_job, RunOptions            # doctest: +SKIP
    >>> summary = run_job(job, Path("out/ds"), RunOptions(shard_size=256))
    >>> import datasets
    >>> ds = datasets.load_dataset("parquet", data_files="out/ds/data/*.parquet", split="train")
"""

from __future__ import annotations

from napkin.data._pipeline import (
    MANIFEST,
    Context,
    Drop,
    Executor,
    Extra,
    Job,
    LocalExecutor,
    RunOptions,
    RunSummary,
    ShardResult,
    collect_stats,
    dedupe,
    run_job,
    run_shard,
)
from napkin.data._shards import ROW_FIELDS, iter_rows, read_parquet, row_schema, write_parquet, write_webdataset

__all__ = [
    "MANIFEST",
    "ROW_FIELDS",
    "Context",
    "Drop",
    "Executor",
    "Extra",
    "Job",
    "LocalExecutor",
    "RunOptions",
    "RunSummary",
    "ShardResult",
    "collect_stats",
    "dedupe",
    "iter_rows",
    "read_parquet",
    "row_schema",
    "run_job",
    "run_shard",
    "write_parquet",
    "write_webdataset",
]
