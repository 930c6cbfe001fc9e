"""Year-end assembly, worked by hand on a constant model."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from _support import REPO
from sim.forecasting.observed import read_observations
from sim.forecasting.yearend import year_end

PERIODS = REPO / "calibration" / "observations" / "observations_tianjin_periods.csv"


def test_constant_model_scaled_to_the_observed_mean_gives_it_back_for_the_year() -> None:
    obs = read_observations(PERIODS, date(2024, 11, 1))  # 305 days, 39 ug/m3, 209 good days
    daily = np.zeros((2, 366, 6))
    daily[..., 0] = 50.0  # identical members: the anomaly ln(39/50) is trusted fully
    ye = year_end(daily, obs, np.random.default_rng(0), prior_sd_log=0.15)
    np.testing.assert_allclose(ye.pm25_annual_mean_ug_m3, 39.0)
    # 39 ug/m3: IAQI = 50 + (39 - 35)/(75 - 35)*50 = 55 -> good; 61 more good days
    np.testing.assert_allclose(ye.good_days, 209 + 61)
    np.testing.assert_allclose(ye.good_days_ratio, 270 / 366)
    assert ye.observed_pm25_sum == pytest.approx(39.0 * 305)
