"""Fixtures of the sweep tests: a small sweep over one-week runs of the baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xarray as xr
import yaml

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"

#: A sweep small enough for tests: one-week runs, 12 LHS samples x 2 replications.
SMALL_SWEEP: dict[str, Any] = {
    "name": "small",
    "scenario_file": str(BASELINE),
    "scenario_changes": {"run": {"end": "2024-01-08"}},
    "levers": [
        {
            "name": "evap_control",
            "key": "sources.mobile.evaporative.control_efficiency",
            "range": [0.6, 0.95],
        },
    ],
    "uncertainties": [
        {
            "name": "silt",
            "key": "sources.dust.roads.silt_loading_g_m2",
            "dist": {"dist": "lognormal", "median": 1.0, "sigma": 0.5},
        },
    ],
    "design": {"method": "lhs", "n": 12, "seed": 7},
    "replications": 2,
    "outcomes": [
        "total_t.PM2.5",
        "emissions_t.mobile.VOC",
        {
            "name": "pm25_by_sector_t",
            "variable": "monthly_emission",
            "select": {"pollutant": "PM2.5"},
            "over": ["month"],
        },
    ],
    "targets": {"total_t.PM2.5": {"le": 3.5}},
}


def write_sweep(folder: Path, data: dict[str, Any] | None = None, **changes: Any) -> Path:
    """Write a sweep file (SMALL_SWEEP with top-level ``changes``) and return its path."""
    spec = {**(data or SMALL_SWEEP), **changes}
    path = folder / f"{spec['name']}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def assert_same_results(a: Path, b: Path) -> None:
    """Two sweep.nc files hold the same runs, parameters, seeds and outcomes, bit for bit."""
    with xr.open_dataset(a) as da, xr.open_dataset(b) as db:
        assert list(da.data_vars) == list(db.data_vars)
        for name in [*da.data_vars, "seed", "status", "sample", "replication"]:
            np.testing.assert_array_equal(da[name].values, db[name].values, err_msg=name)
        for name in da.attrs["levers"].split() + da.attrs["uncertainties"].split():
            np.testing.assert_array_equal(da[name].values, db[name].values, err_msg=name)


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
