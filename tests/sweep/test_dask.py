"""A real Dask cluster on loopback: same results as the local pool; a killed worker loses no run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from _support.sweep import ROOT, assert_same_results
from sim.sweep import load_sweep, run_sweep
from sim.sweep.store import read_manifest

pytest.importorskip("distributed", reason="dask.distributed not installed (extra 'cluster')")

DASK = Path(sys.executable).parent / "dask"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, stopped afterwards."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    common = {
        "cwd": ROOT,
        "env": env,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "start_new_session": True,
    }
    procs = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            **common,
        )
    ]  # type: ignore[call-overload]
    for _ in range(2):
        procs.append(
            subprocess.Popen(  # type: ignore[call-overload]
                [
                    str(DASK),
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--memory-limit",
                    "0",
                    "--host",
                    "127.0.0.1",
                ],
                **common,
            )
        )
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, procs[1:]
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def test_dask_cluster_gives_the_same_results_as_the_local_pool(
    cluster: tuple[str, list[subprocess.Popen[bytes]]],
    small_sweep_file: Path,
    reference_sweep: Path,
    tmp_path: Path,
) -> None:
    address, _ = cluster
    report = run_sweep(load_sweep(small_sweep_file), tmp_path / "dask", scheduler=address)
    assert report.n_failed == 0
    assert report.workers == 2
    assert report.gathered is not None
    assert_same_results(reference_sweep, report.gathered)


def test_a_worker_killed_during_the_sweep_loses_no_run(
    cluster: tuple[str, list[subprocess.Popen[bytes]]],
    small_sweep_file: Path,
    reference_sweep: Path,
    tmp_path: Path,
) -> None:
    address, workers = cluster
    out = tmp_path / "dask_killed"
    killed: list[int] = []

    def kill_one_worker() -> None:
        deadline = time.monotonic() + 60
        while len(read_manifest(out / "manifest.jsonl")) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.killpg(workers[0].pid, signal.SIGKILL)
        killed.append(len(read_manifest(out / "manifest.jsonl")))

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    report = run_sweep(load_sweep(small_sweep_file), out, scheduler=address)
    killer.join()
    assert killed
    assert killed[0] < 24, "the worker was killed after the sweep ended"
    assert report.n_failed == 0
    assert report.gathered is not None
    assert_same_results(reference_sweep, report.gathered)
