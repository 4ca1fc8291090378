"""Datasets: jobs cut into shards, resumable runs, Parquet and WebDataset output.

    >>> from napkin.data import SynthJob, run_job, RunOptions, export     # doctest: +SKIP
    >>> summary = run_job(SynthJob(1000, seed=0), Path("out/ds"), RunOptions(shard_size=256))
    >>> export(Path("out/ds"), Path("out/exp"))                           # LLaVA / TRL conversations
    >>> import datasets
    >>> ds = datasets.load_dataset("parquet", data_files="out/ds/data/*.parquet", split="train")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from napkin._lazy import exports

if TYPE_CHECKING:  # imported on first use (napkin._lazy): `napkin --help` loads none of it
    from napkin.data._export import ExportJob, export
    from napkin.data._ingest import IngestJob
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
    from napkin.data._ray import RayExecutor
    from napkin.data._relabel import RelabelJob
    from napkin.data._shards import ROW_FIELDS, iter_rows, read_parquet, row_schema, write_parquet, write_webdataset
    from napkin.data._synth_job import SynthJob
    from napkin.data._unpack import unpack

__getattr__, __dir__, __all__ = exports(__name__, __file__)
