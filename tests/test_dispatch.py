"""Weekly dispatch: ISO weeks, weekly means, good days so far, sector sums, progress, estimates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim.dispatch import weekly_dispatch
from sim.scenario.sections.targets import Target

DAYS = pd.date_range("2024-01-01", periods=10, freq="D")  # Monday 1 Jan: W01 full, W02 3 days


def _dataset(offset: float = 0.0) -> xr.Dataset:
    pm25 = np.arange(10, dtype=float) * 10.0 + offset  # 0, 10, ..., 90
    conc = np.zeros((10, 2))
    conc[:, 0] = pm25
    good = (pm25 <= 75).astype(np.int8)
    emis = np.ones((10, 2, 1))  # 1 t/d per sector
    progress = np.cumsum(np.ones((10, 1)), axis=0)  # one vehicle retired a day
    return xr.Dataset(
        {
            "daily_concentration": (("day", "air_pollutant"), conc),
            "good_day": (("day",), good),
            "daily_emission": (("day", "sector", "pollutant"), emis),
            "progress": (("day", "progress_stream"), progress),
        },
        coords={
            "day": DAYS,
            "air_pollutant": ["PM2.5", "O3"],
            "sector": ["mobile", "dust"],
            "pollutant": ["PM2.5"],
            "progress_stream": ["progress.retire_china3.vehicles_retired"],
        },
    )


def test_one_row_per_iso_week_with_hand_computed_values() -> None:
    target = Target(name="pm", metric="air.pm25_annual_mean_ug_m3", comparison="<=", value=35.0)
    table = weekly_dispatch(_dataset(), [target]).set_index("iso_week")
    assert list(table.index) == ["2024-W01", "2024-W02"]
    assert list(table["days"]) == [7, 3]
    # week 1: mean of 0..60 = 30; week 2: mean of 70, 80, 90 = 80
    assert list(table["pm25_mean_ug_m3"]) == pytest.approx([30.0, 80.0])
    # running annual mean: 30 after week 1, mean of 0..90 = 45 after week 2
    assert list(table["estimate_pm25_annual_mean_ug_m3"]) == pytest.approx([30.0, 45.0])
    assert list(table["on_track.pm"]) == ["true", "false"]
    # good days (<= 75): 0..70 are good -> 7 in week 1, 8 by the end of week 2
    assert list(table["good_days_so_far"]) == [7.0, 8.0]
    assert list(table["estimate_good_days_ratio"]) == pytest.approx([1.0, 0.8])
    assert list(table["emission_t.dust.PM2.5"]) == [7.0, 3.0]
    assert list(table["progress.retire_china3.vehicles_retired"]) == [7.0, 10.0]
    assert list(table["week_start"]) == ["2024-01-01", "2024-01-08"]


def test_ensemble_dispatch_is_the_median_of_members() -> None:
    ds = xr.concat([_dataset(0.0), _dataset(2.0), _dataset(10.0)], dim="member")
    table = weekly_dispatch(ds).set_index("iso_week")
    assert list(table["pm25_mean_ug_m3"]) == pytest.approx([32.0, 82.0])
    assert list(table["days"]) == [7, 3]


def test_safe_use_estimate_from_progress_streams() -> None:
    safe = [0, 0, 1, 1, 1, 1, 1, 2, 2, 3]
    unsafe = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    ds = xr.Dataset(
        {"progress": (("day", "progress_stream"), np.column_stack([safe, unsafe]).astype(float))},
        coords={
            "day": DAYS,
            "progress_stream": [
                "progress.construction_land.plots_developed_safe",
                "progress.construction_land.plots_developed_unsafe",
            ],
        },
    )
    target = Target(name="safe", metric="soil.safe_use_rate", comparison=">=", value=1.0)
    table = weekly_dispatch(ds, [target])
    # end of week 1: 1 safe, 1 unsafe -> 0.5; end of week 2: 3 safe, 1 unsafe -> 0.75
    assert list(table["estimate_safe_use_rate"]) == pytest.approx([0.5, 0.75])
    assert list(table["on_track.safe"]) == ["false", "false"]


def test_every_target_gets_a_column_rounded_values_and_csv_booleans(tmp_path: Path) -> None:
    ds = _dataset()
    ds["daily_concentration"] = ds["daily_concentration"] + 1.0 / 3.0  # 15-digit floats
    targets = [
        Target(name="pm", metric="air.pm25_annual_mean_ug_m3", comparison="<=", value=35.0),
        Target(name="cod", metric="water.cod_reduction_t", comparison=">=", value=50.0),
    ]
    table = weekly_dispatch(ds, targets)
    # 30 + 1/3 rounds to 30.3 (0.1 µg/m³); the COD cut has no weekly estimate: empty, not false
    assert list(table["pm25_mean_ug_m3"]) == [30.3, 80.3]
    assert list(table["on_track.cod"]) == ["", ""]
    path = tmp_path / "dispatch.csv"
    table.to_csv(path, index=False)
    header, first = path.read_text().splitlines()[:2]
    cells = dict(zip(header.split(","), first.split(","), strict=True))
    assert cells["on_track.pm"] == "true"
    assert cells["on_track.cod"] == ""
    assert cells["pm25_mean_ug_m3"] == "30.3"


def test_voc_cut_so_far_is_on_track_pro_rata() -> None:
    ds = _dataset().drop_vars(["daily_emission", "pollutant"])
    months = pd.date_range("2024-01-01", periods=1, freq="MS")
    # 31 t cut in January: 1 t/day; after 7 days 7 t against 22 t x 7/365 = 0.42 t -> on track
    ds["measure_monthly_reduction"] = xr.DataArray(
        np.full((1, 1, 1), 31.0),
        dims=("family", "month", "pollutant"),
        coords={"family": ["voc"], "month": months, "pollutant": ["VOC"]},
    )
    target = Target(name="voc", metric="measures.voc.reduction_t.VOC", comparison=">=", value=22.0)
    table = weekly_dispatch(ds, [target])
    assert list(table["cut_so_far_t.voc.VOC"]) == pytest.approx([7.0, 10.0])
    assert list(table["on_track.voc"]) == ["true", "true"]
