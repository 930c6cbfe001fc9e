"""Local sweeps: worker count does not change results; failures are recorded; a killed driver
resumes with no run lost or repeated; gather and analyse write their files."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from _support.sweep import ROOT, SMALL_SWEEP, assert_same_results, write_sweep
from sim.errors import SweepError
from sim.sweep import analyse, gather, load_sweep, run_sweep
from sim.sweep.store import read_manifest


def test_two_workers_give_the_same_results_as_one(
    small_sweep_file: Path, reference_sweep: Path, tmp_path: Path
) -> None:
    report = run_sweep(load_sweep(small_sweep_file), tmp_path / "two", workers=2)
    assert report.n_failed == 0
    assert report.workers == 2
    assert report.gathered is not None
    assert_same_results(reference_sweep, report.gathered)


def test_reference_sweep_has_every_run_with_its_parameters(reference_sweep: Path) -> None:
    with xr.open_dataset(reference_sweep) as ds:
        assert ds.sizes["run"] == 24
        assert set(ds["status"].values) == {"ok"}
        # replications of a sample share parameters and differ in seed
        np.testing.assert_array_equal(
            ds["evap_control"].values[0::2], ds["evap_control"].values[1::2]
        )
        assert (ds["seed"].values[0::2] != ds["seed"].values[1::2]).all()
        assert ds["evap_control"].min() >= 0.6
        assert ds["evap_control"].max() <= 0.95
        # the sector breakdown sums to the total
        np.testing.assert_allclose(
            ds["pm25_by_sector_t"].sum("sector"), ds["total_t.PM2.5"], rtol=1e-5
        )


def test_a_failing_run_is_recorded_and_the_others_finish(tmp_path: Path) -> None:
    # the grid pairs each start with each end; start 6 Jan with end 5 Jan is not a valid run
    spec = {
        **SMALL_SWEEP,
        "levers": [
            {"name": "start", "key": "run.start", "values": ["2024-01-01", "2024-01-06"]},
            {"name": "end", "key": "run.end", "values": ["2024-01-05", "2024-01-08"]},
        ],
        "uncertainties": [],
        "design": {"method": "grid", "seed": 1},
        "replications": 1,
        "targets": {},
    }
    path = write_sweep(tmp_path, spec)
    report = run_sweep(load_sweep(path), tmp_path / "out", workers=1, retries=1)
    assert report.n_failed == 1
    records = read_manifest(tmp_path / "out" / "manifest.jsonl")
    failed = [r for r in records.values() if r["status"] == "error"]
    assert len(failed) == 1
    assert failed[0]["params"] == {"start": "2024-01-06", "end": "2024-01-05"}
    assert failed[0]["attempts"] == 2
    assert "must be after start" in failed[0]["error"]
    with xr.open_dataset(report.gathered) as ds:
        assert Counter(ds["status"].values.tolist()) == {"ok": 3, "error": 1}
        assert np.isnan(ds["total_t.PM2.5"].values[ds["status"].values == "error"]).all()


def test_an_existing_folder_needs_resume_or_overwrite(
    small_sweep_file: Path, reference_sweep: Path
) -> None:
    with pytest.raises(SweepError, match="use --resume"):
        run_sweep(load_sweep(small_sweep_file), reference_sweep.parent, workers=1)
    # resuming a finished sweep runs nothing
    report = run_sweep(
        load_sweep(small_sweep_file), reference_sweep.parent, workers=1, resume=True, gather=False
    )
    assert (report.n_skipped, report.n_run_now) == (24, 0)
    with pytest.raises(SweepError, match="holds a different sweep"):
        run_sweep(
            load_sweep(small_sweep_file, ["design.n=13"]),
            reference_sweep.parent,
            workers=1,
            resume=True,
        )


def test_killed_driver_resumes_without_losing_or_repeating_runs(
    small_sweep_file: Path, reference_sweep: Path, tmp_path: Path
) -> None:
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "sweep",
            str(small_sweep_file),
            "-o",
            str(out),
            "-j",
            "2",
            "-q",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while len(read_manifest(out / "manifest.jsonl")) < 4:
            assert proc.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:  # the driver's pool workers and forkserver, in the process group we started
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    done_before = len(read_manifest(out / "manifest.jsonl"))
    assert 4 <= done_before < 24
    report = run_sweep(load_sweep(small_sweep_file), out, workers=1, resume=True)
    assert report.n_skipped == done_before
    assert report.n_run_now == 24 - done_before
    lines = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines() if x.strip()]
    ok = Counter(r["run"] for r in lines if r["status"] == "ok")
    assert sorted(ok) == [f"r{i:06d}" for i in range(24)]
    assert set(ok.values()) == {1}
    assert report.gathered is not None
    assert_same_results(reference_sweep, report.gathered)


def test_an_unknown_outcome_fails_before_any_run(tmp_path: Path) -> None:
    path = write_sweep(tmp_path, outcomes=["total_t.PM2.5", "air.nope"], targets={})
    with pytest.raises(SweepError, match=r"outcomes: .*air\.nope"):
        run_sweep(load_sweep(path), tmp_path / "out", workers=1)
    assert not list((tmp_path / "out" / "runs").glob("*.npz"))


def test_gather_and_analyse_write_their_files(reference_sweep: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(reference_sweep.parent, folder)
    (folder / "sweep.nc").unlink()
    assert gather(folder) == folder / "sweep.nc"
    out = analyse(folder)
    summary = json.loads((out / "summary.json").read_text())
    with xr.open_dataset(folder / "sweep.nc") as ds:
        pm = ds["total_t.PM2.5"].values
    assert summary["p_met"]["total_t.PM2.5"] == pytest.approx(float(np.mean(pm <= 3.5)))
    # silt loading drives road dust, the largest PM2.5 source: the main sensitivity
    sens = summary["sensitivity"]["total_t.PM2.5"]
    assert sens["silt"] > sens["evap_control"]
    for name in (
        "sensitivity.csv",
        "probability_met.csv",
        "discovery.csv",
        "figures/probability_met.png",
        "figures/tornado_total_t.PM2.5.png",
    ):
        assert (out / name).exists(), name
