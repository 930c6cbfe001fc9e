"""Fixtures of the sweep tests: a small sweep over one-week runs of the baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from _support.sweep import write_sweep


@pytest.fixture(scope="session")
def small_sweep_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sweep(tmp_path_factory.mktemp("sweepfile"))


@pytest.fixture(scope="session")
def reference_sweep(small_sweep_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small sweep run serially, uninterrupted: the results every other run must match."""
    from sim.sweep import load_sweep, run_sweep

    out = tmp_path_factory.mktemp("reference") / "sweep"
    report = run_sweep(load_sweep(small_sweep_file), out, workers=1)
    assert report.n_failed == 0
    assert report.gathered is not None
    return report.gathered
