"""The same job on Ray (a local cluster) gives the same dataset as the local executor."""

from __future__ import annotations

import pytest

from napkin.data import RunOptions, run_job
from tests.data.test_pipeline import PagesJob, contents

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_ray_gives_the_same_shards_as_local(tmp_path):
    pytest.importorskip("ray", reason="the ray extra is not installed (pip install 'napkin-code[ray]')")
    from napkin.data._ray import RayExecutor

    options = RunOptions(shard_size=3, progress=False)
    run_job(PagesJob(12), tmp_path / "local", options)
    summary = run_job(PagesJob(12), tmp_path / "ray", options, executor=RayExecutor(workers=2))
    assert summary.shards_run == 4
    assert contents(tmp_path / "ray") == contents(tmp_path / "local")
