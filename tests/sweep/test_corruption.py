"""Sweep folders that survive corruption and drivers that leave no orphans."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from _support.paths import REPO as ROOT
from _support.sweep import assert_same_results, write_sweep
from sim.errors import SweepError
from sim.sweep import analyse, load_sweep, run_sweep
from sim.sweep.analysis import minimum_samples
from sim.sweep.store import SweepStore, read_manifest


@pytest.fixture
def copied(reference_sweep: Path, tmp_path: Path) -> Path:
    out = tmp_path / "sweep"
    shutil.copytree(reference_sweep.parent, out)
    (out / "sweep.nc").unlink()
    return out


def test_every_ok_run_has_the_checksum_of_its_file(reference_sweep: Path) -> None:
    import hashlib

    records = read_manifest(reference_sweep.parent / "manifest.jsonl")
    assert len(records) == 24
    for rid, rec in records.items():
        blob = (reference_sweep.parent / "runs" / f"{rid}.npz").read_bytes()
        assert rec["sha256"] == hashlib.sha256(blob).hexdigest()


def test_gather_names_corrupt_runs_and_keeps_the_good_ones(copied: Path) -> None:
    (copied / "runs" / "r000003.npz").write_bytes(os.urandom(300))
    np.savez(copied / "runs" / "r000007.npz", wrong_name=np.zeros(1))
    with pytest.raises(SweepError, match=r"2 corrupt run files \(r000003, r000007\)") as info:
        SweepStore(copied).gather()
    assert info.value.exit_code == 2
    with xr.open_dataset(copied / "sweep.nc") as ds:
        status = ds["status"].values
        assert (status == "ok").sum() == 22
        assert status[3] == status[7] == "corrupt"
        assert np.isfinite(ds["total_t.PM2.5"].values[status == "ok"]).all()


def test_resume_runs_corrupt_and_missing_runs_again(
    copied: Path, small_sweep_file: Path, reference_sweep: Path
) -> None:
    (copied / "runs" / "r000003.npz").write_bytes(os.urandom(300))
    (copied / "runs" / "r000010.npz").unlink()
    report = run_sweep(load_sweep(small_sweep_file), copied, workers=1, resume=True)
    assert report.n_run_now == 2
    assert report.gathered is not None
    assert_same_results(reference_sweep, report.gathered)


def test_a_corrupt_manifest_line_is_skipped_with_a_warning(
    copied: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (copied / "manifest.jsonl").open("a") as fh:
        fh.write("{}\n[1, 2]\n")
    with caplog.at_level(logging.WARNING):
        records = read_manifest(copied / "manifest.jsonl")
    assert len(records) == 24
    assert sum("without a run id" in r.message for r in caplog.records) == 2


def test_a_corrupt_sweep_json_is_an_error_that_names_it(
    copied: Path, small_sweep_file: Path
) -> None:
    (copied / "sweep.json").write_text('{"name": "sm')
    with pytest.raises(SweepError, match=r"sweep\.json: corrupt"):
        SweepStore(copied).gather()
    with pytest.raises(SweepError, match=r"sweep\.json: corrupt"):
        run_sweep(load_sweep(small_sweep_file), copied, workers=1, resume=True)


def test_a_rejected_sweep_writes_nothing(small_sweep_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "rejected"
    with pytest.raises(SweepError, match="-j 0"):
        run_sweep(load_sweep(small_sweep_file), out, workers=0)
    with pytest.raises(SweepError, match="file not found"):
        run_sweep(load_sweep(small_sweep_file), out, scheduler_file=str(tmp_path / "none.json"))
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_overwrite_refuses_a_folder_that_is_not_a_sweep(
    small_sweep_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "important.txt").write_text("keep")
    with pytest.raises(SweepError, match=r"not a sweep folder|sweep folder exists"):
        run_sweep(load_sweep(small_sweep_file), out, workers=1, overwrite=True)
    assert (out / "important.txt").read_text() == "keep"


def test_analyse_on_too_few_samples_says_so_and_writes_nothing(tmp_path: Path) -> None:
    path = write_sweep(tmp_path, design={"method": "lhs", "n": 3, "seed": 7}, replications=1)
    out = tmp_path / "few"
    run_sweep(load_sweep(path), out, workers=1)
    # 2 parameters: RBD-FAST needs max(10, 2*2 + 2) = 10 samples
    assert minimum_samples("lhs", 2) == {"rbd_fast": 10}
    assert minimum_samples("sobol", 2) == {"rbd_fast": 10, "sobol": 12}
    with pytest.raises(SweepError, match=r"3 complete samples of 3 are too few .*rbd_fast 10"):
        analyse(out)
    assert not (out / "analysis").exists()


def test_analysis_summary_is_strict_json(reference_sweep: Path) -> None:
    out = analyse(reference_sweep.parent, figures=False)
    text = (out / "summary.json").read_text()
    assert "NaN" not in text
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-finite {c}"))


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (from /proc)."""
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        parent = frontier.pop()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            child = int(stat.parent.name)
            if int(fields[1]) == parent and child not in found:
                found.add(child)
                frontier.add(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_driver_is_killed(small_sweep_file: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "orphans"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "sweep", str(small_sweep_file), "-o", str(out), "-j", "2",
         "-q"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while len(read_manifest(out / "manifest.jsonl")) < 2:
            assert proc.poll() is None
            assert time.monotonic() < deadline
            time.sleep(0.05)
        children = _children(proc.pid)
        assert len(children) >= 2  # forkserver and workers (and the resource tracker)
        proc.send_signal(signal.SIGKILL)  # the driver only, not its process group
        proc.wait()
        deadline = time.monotonic() + 15
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [c for c in children if _alive(c)] == []
    finally:
        import contextlib

        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
