"""Sweeps on a Dask cluster: each point a self-contained task, the result the local run's."""

import pandas as pd
import pytest

import atelier_sim

distributed = pytest.importorskip("distributed", reason="the dask extra: pip install './crates/sim-py[dask]'")


def test_a_sweep_on_a_two_worker_local_cluster_equals_the_local_run(parity):
    sweep = {"genesis.cushion_bps": [2000, 1000, 0]}
    local = atelier_sim.run(parity(40), runs=2, seed=11, sweep=sweep, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = atelier_sim.run(parity(40), runs=2, seed=11, sweep=sweep, cluster=client, progress=False)
            workers = {w for w in client.run(lambda: "ok")}
    assert len(workers) == 2
    pd.testing.assert_frame_equal(local.frame, remote.frame)
    assert local.summary == remote.summary


def test_out_is_refused_with_a_cluster_before_anything_runs(tmp_path, parity):
    with pytest.raises(ValueError, match="out= is not available with cluster="):
        atelier_sim.run(parity(10), cluster=object(), out=tmp_path / "x", progress=False)
