"""Water observables for calibration, on a hand-made dataset."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim.outcomes.water import river_load_t, section_class_annual, section_mean


@pytest.fixture
def dataset() -> xr.Dataset:
    days = pd.date_range("2024-01-01", periods=60, freq="D")
    conc = np.zeros((60, 1, 4))
    conc[:31, 0] = [30.0, 2.5, 0.3, 6.0]  # January: COD IV-V, NH3-N worse than V
    conc[31:, 0] = [18.0, 0.9, 0.15, 6.0]  # February: class III
    load = np.ones((60, 3))
    return xr.Dataset(
        {
            "section_concentration": (("day", "section", "water_item"), conc),
            "river_inflow_load": (("day", "water_pollutant"), load * 1000.0),
        },
        coords={
            "day": days,
            "section": ["s"],
            "water_item": ["cod", "nh3n", "tp", "do"],
            "water_pollutant": ["cod", "nh3n", "tp"],
        },
    )


def test_section_mean_averages_the_period(dataset: xr.Dataset) -> None:
    assert section_mean(dataset, "2024-01-01", "2024-02-01", "s", "nh3n") == pytest.approx(2.5)
    both = (31 * 2.5 + 29 * 0.9) / 60
    assert section_mean(dataset, "2024-01-01", "2024-03-01", "s", "nh3n") == pytest.approx(both)


def test_class_of_period_means(dataset: xr.Dataset) -> None:
    assert section_class_annual(dataset, "2024-02-01", "2024-03-01", "s") == 3.0
    assert section_class_annual(dataset, "2024-01-01", "2024-02-01", "s") == 6.0


def test_river_load_sums_days_in_tonnes(dataset: xr.Dataset) -> None:
    assert river_load_t(dataset, "2024-01-01", "2024-01-11", "cod") == pytest.approx(10.0)
