"""The same optimisation on a real Dask cluster (loopback, 2 workers) and on the local pool."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

# The sweep's fixture: a scheduler and 2 workers on 127.0.0.1, stopped afterwards (its module
# skips when dask.distributed is not installed, and so this one).
from sweep.test_dask import cluster  # noqa: F401

from _support.optimise_toy import THRESHOLD, TOY_RUNNER, toy_spec
from sim.optimise import optimise

LEVERS = [
    {"name": "on0", "key": "on0", "values": [0, 1]},
    {"name": "x0", "key": "x0", "range": [0, 5], "integer": True},
    {"name": "x1", "key": "x1", "range": [0, 6]},
]


def _spec():  # type: ignore[no-untyped-def]
    return toy_spec(
        {**THRESHOLD, "noise_sd": 0.5},
        LEVERS,
        search={"evaluations": 40, "members": 12, "seed": 3},
        verify={"ensemble": 24, "frontier_points": 2},
    )


def test_dask_cluster_finds_the_same_frontier_as_the_local_pool(
    cluster: tuple[str, list[subprocess.Popen[bytes]]],  # noqa: F811
    tmp_path: Path,
) -> None:
    address, _ = cluster
    on_dask = optimise(_spec(), tmp_path / "dask", scheduler=address, runner=TOY_RUNNER)
    local = optimise(_spec(), tmp_path / "local", workers=2, runner=TOY_RUNNER)
    facts = json.loads((tmp_path / "dask" / "optimise.json").read_text(encoding="utf-8"))
    assert facts["workers"] == 2  # the cluster's two worker threads ran it
    assert on_dask.runs_now == local.runs_now > 0
    for name in ("frontier.csv", "verification.json", "best.yaml"):
        dask_text = (tmp_path / "dask" / name).read_text(encoding="utf-8")
        assert dask_text == (tmp_path / "local" / name).read_text(encoding="utf-8"), name
    assert on_dask.found.best is not None
    assert local.found.best is not None
    assert on_dask.found.best.values == local.found.best.values
    assert on_dask.found.evaluations == local.found.evaluations == 40
