"""Output folders: never clobbered (marker), never mixed (lock), never half-written (rename
last), with real processes: two runs on one -o at once, and runs killed at seeded moments."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from sim.errors import SimError
from sim.outfolder import MARKER, OutputFolder, OutputFolderError
from sim.results import Result

ROOT = Path(__file__).resolve().parents[1]
WEEK = "name: tiny\nrun: {start: 2024-01-01, end: 2024-01-08, seed: 3}\n"


def _sim(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_commit_renames_the_temporary_folder_with_its_marker(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with OutputFolder(target) as out:
        (out.tmp / "a.txt").write_text("1")
        assert not target.exists()
        out.commit()
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "a.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary, no lock left


def test_an_error_inside_leaves_the_old_folder_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with OutputFolder(target) as out:
        (out.tmp / "old.txt").write_text("old")
        out.commit()

    def fail_inside() -> None:
        with OutputFolder(target, overwrite=True) as out:
            (out.tmp / "new.txt").write_text("new")
            raise RuntimeError("simulation failed")

    with pytest.raises(RuntimeError):
        fail_inside()
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_second_writer_of_the_same_target_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with OutputFolder(target):
        with pytest.raises(OutputFolderError, match="another sim process") as info:
            OutputFolder(target).__enter__()
        assert info.value.exit_code == 2


def test_stale_temporaries_of_killed_runs_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".out.tmp-12345-deadbeef"
    stale.mkdir()
    (stale / "results.nc").write_bytes(b"\x89HDF truncated")
    old = tmp_path / ".out.old-999"
    old.mkdir()
    with OutputFolder(tmp_path / "out") as out:
        out.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_load_refuses_a_complete_looking_folder_without_the_marker(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    for name in ("results.nc", "events.csv", "summary.json", "scenario.resolved.yaml"):
        (folder / name).write_text("")
    with pytest.raises(SimError, match=r"missing \.sim-run"):
        Result.load(folder)


def test_two_processes_on_the_same_output_never_mix_files(tmp_path: Path) -> None:
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(WEEK, encoding="utf-8")
    out = tmp_path / "out"
    first = _sim("run", str(scenario), "-o", str(out), "--seed", "1", "-q")
    lock = tmp_path / ".out.lock"
    deadline = time.monotonic() + 60
    while not lock.exists():  # the first run holds the lock while it simulates
        assert first.poll() is None, first.communicate()[1].decode()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    second = _sim("run", str(scenario), "-o", str(out), "--seed", "2", "--overwrite", "-q")
    _, err2 = second.communicate(timeout=120)
    _, err1 = first.communicate(timeout=120)
    assert first.returncode == 0, err1.decode()
    assert second.returncode == 2
    assert "another sim process is writing this output folder" in err2.decode()
    assert "Traceback" not in err2.decode()
    summary = json.loads((out / "summary.json").read_text())
    card = json.loads((out / "scorecard.json").read_text())
    with xr.open_dataset(out / "results.nc", engine="h5netcdf") as ds:
        seed_nc = int(ds.attrs["seed"])
    assert summary["seed"] == seed_nc == 1
    assert card["scenario"] == "tiny"
    assert json.loads((out / "run.json").read_text())["sim_version"]


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_a_run_killed_at_a_seeded_moment_leaves_nothing_half_written(
    tmp_path: Path, seed: int
) -> None:
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(WEEK, encoding="utf-8")
    out = tmp_path / "out"
    delay = float(np.random.default_rng(seed).uniform(0.0, 6.0))
    proc = _sim("run", str(scenario), "-o", str(out), "-q")
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir()):
        if proc.poll() is not None:  # the temporary folder exists from the simulation's start
            _, err = proc.communicate()
            pytest.fail(f"sim exited ({proc.returncode}) before its temporary folder: {err!r}")
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(delay)  # a seeded moment in the simulation, the writing, or after the rename
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    if out.exists():  # killed after the rename: the folder is complete
        loaded = Result.load(out)
        assert loaded.summary["period"]["hours"] == 7 * 24
        for name in ("scorecard.json", "report.html", "dispatch.csv", "run.json", MARKER):
            assert (out / name).is_file(), name
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    for name in leftovers:  # a killed run's temporary is hidden and never loadable
        assert name.startswith((".out.tmp-", ".out.old-", ".out.lock")), name
        if name.startswith(".out.tmp-"):
            with pytest.raises(SimError):
                Result.load(tmp_path / name)
    again = _sim("run", str(scenario), "-o", str(out), "--overwrite", "-q")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tiny.yaml"]
    assert Result.load(out).summary["seed"] == 3
