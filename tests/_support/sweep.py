"""A small sweep over one-week runs of the baseline, and how to compare two sweep results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
import yaml

from _support.paths import REPO as ROOT

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
