from __future__ import annotations

import pytest

from napkin.data import RunOptions, run_job
from napkin.data._synth_job import SynthJob


@pytest.fixture(scope="session")
def synth_dataset(tmp_path_factory):
    """A small dataset the data engine made: 24 pages, each as a screenshot, a wireframe and a sketch."""
    out = tmp_path_factory.mktemp("emb") / "ds"
    job = SynthJob(24, seed=11, variants=["screenshot", "wireframe", "sketch"], max_width=320)
    summary = run_job(job, out, RunOptions(shard_size=12, progress=False))
    assert summary.rows == 72 and not summary.drops
    return out
