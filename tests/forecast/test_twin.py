"""A small twin experiment in CI: truths drawn from the members' own process are covered.

Members and truths are daily PM2.5 series of one process (a seasonal curve times a log-normal
AR(1) weather factor, φ = 0.7, σ = 0.45; no persistent anomaly, so its prior sd is 0); each truth
provides the observations before the as-of
day. A calibrated 90 % band covers about 90 % of 100 truths: the binomial standard error is
sqrt(0.9·0.1/100) = 0.03, so [0.81, 0.98] is about ±3 SE. The full study with the model is
validation/twin_experiments.py (docs/forecast.md).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from sim.forecasting.observed import from_daily_array
from sim.forecasting.yearend import year_end

DAYS = 366


def _series(n: int, rng: np.random.Generator) -> np.ndarray:
    season = 45.0 + 25.0 * np.cos(2 * np.pi * np.arange(DAYS) / DAYS)
    x = np.zeros((n, DAYS))
    eps = rng.standard_normal((n, DAYS)) * 0.45 * np.sqrt(1 - 0.7**2)
    x[:, 0] = rng.standard_normal(n) * 0.45
    for t in range(1, DAYS):
        x[:, t] = 0.7 * x[:, t - 1] + eps[:, t]
    out = np.zeros((n, DAYS, 6))
    out[..., 0] = season * np.exp(x - 0.45**2 / 2)
    out[..., 5] = 60.0  # O3 MDA8, IAQI 30: AQI follows PM2.5
    return out


@pytest.fixture(scope="module")
def twin() -> dict[int, tuple[float, float]]:
    rng = np.random.default_rng(2024)
    members, truths = _series(30, rng), _series(100, rng)
    found = {}
    for day in (60, 152, 305):
        hits, widths = 0, []
        for k, truth in enumerate(truths):
            obs = from_daily_array(truth[:day], date(2024, 1, 1))
            ye = year_end(members, obs, np.random.default_rng(k), prior_sd_log=0.0)
            lo, hi = np.percentile(ye.pm25_annual_mean_ug_m3, [5, 95])
            hits += int(lo <= truth[:, 0].mean() <= hi)
            widths.append(hi - lo)
        found[day] = (hits / len(truths), float(np.median(widths)))
    return found


@pytest.mark.parametrize("day", [60, 152, 305])
def test_90_percent_band_covers_about_90_percent_of_truths(twin: dict, day: int) -> None:
    assert 0.81 <= twin[day][0] <= 0.98


def test_bands_narrow_as_the_as_of_date_advances(twin: dict) -> None:
    assert twin[60][1] > twin[152][1] > twin[305][1]
