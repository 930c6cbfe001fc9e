"""Days inside a stagnation episode differ as days do (issue #14, point 3).

With flat monthly curves and no diurnal cycles, a stagnant hour's wind is, in closed form,
``W / (1 - f·(1 - a)) · a · exp(s·ζ - s²/2)`` (``W`` the monthly wind, ``f`` the stagnant
fraction, ``a`` the episode factor, ``ζ`` the day's standard-normal draw), and likewise for the
mixing height at night (times the night fraction) with its own factor, log-sd and a draw
correlated ``ρ`` with the wind's. The test
recovers ``ζ`` from the series and checks its statistics against those closed forms.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from sim.calendar import Calendar
from sim.scenario.sections.meteorology import MeteorologyConfig
from sim.weather import synthetic_weather

YEAR = Calendar(datetime(2024, 1, 1), datetime(2025, 1, 1))
WIND, MIXING, FRACTION = 5.0, 1000.0, 0.3


def _flat() -> MeteorologyConfig:
    return MeteorologyConfig(
        wind_m_s=[WIND] * 12, mixing_height_m=[MIXING] * 12, wind_diurnal_amplitude=0.0,
        stagnation_fraction=[FRACTION] * 12,
    )  # fmt: skip


def _episode_days(cfg: MeteorologyConfig, seeds: range) -> tuple[np.ndarray, np.ndarray]:
    """Recovered daily draws (wind, mixing height) of every day wholly inside an episode, and
    the largest within-day spread of the recovered wind draw."""
    s_w, s_m = cfg.wind_anomaly_log_sd, cfg.mixing_height_anomaly_log_sd
    a_w, a_m = cfg.stagnation_wind_factor, cfg.stagnation_mixing_height_factor
    base_w = WIND / (1.0 - FRACTION * (1.0 - a_w)) * a_w
    # at night (hour 0) the mixing height's diurnal profile is the night fraction
    base_m = MIXING / (1.0 - FRACTION * (1.0 - a_m)) * a_m * cfg.mixing_height_night_fraction
    draws, spread = [], []
    for seed in seeds:
        w = synthetic_weather(YEAR, cfg, np.random.default_rng(seed))
        zw = (np.log(w.wind_m_s / base_w) + 0.5 * s_w * s_w) / s_w
        zm = (np.log(w.mixing_height_m / base_m) + 0.5 * s_m * s_m) / s_m
        whole = w.stagnant.reshape(-1, 24).all(axis=1)
        days_w, days_m = zw.reshape(-1, 24)[whole], zm.reshape(-1, 24)[whole]
        spread.append(np.ptp(days_w, axis=1).max(initial=0.0))
        draws.append(np.stack([days_w[:, 0], days_m[:, 0]]))
    return np.concatenate(draws, axis=1), np.asarray(spread)


def test_episode_days_draw_standard_normal_factors_with_the_anomaly_correlation():
    cfg = _flat()
    draws, spread = _episode_days(cfg, range(8))
    n = draws.shape[1]
    assert n > 500  # 30 % of 8 years' days, less the episodes' partial first and last days
    assert np.all(spread < 1e-9)  # one draw per calendar day
    # standard normal: mean 0 (se 1/sqrt(n)), sd 1 (se 1/sqrt(2n)); 4 standard errors
    assert abs(draws[0].mean()) < 4.0 / np.sqrt(n)
    assert abs(draws[0].std() - 1.0) < 4.0 / np.sqrt(2 * n)
    assert abs(draws[1].std() - 1.0) < 4.0 / np.sqrt(2 * n)
    # correlated like the synoptic anomalies (se of r about (1 - r²)/sqrt(n))
    rho = cfg.wind_mixing_correlation
    assert abs(np.corrcoef(draws)[0, 1] - rho) < 4.0 * (1.0 - rho * rho) / np.sqrt(n)


def test_episode_days_are_independent_from_day_to_day():
    """The persistent part is the episode itself: consecutive episode days' draws are
    uncorrelated (the synoptic AR(1) outside episodes has a 24-h correlation of 0.7)."""
    cfg = _flat()
    s_w = cfg.wind_anomaly_log_sd
    base_w = WIND / (1.0 - FRACTION * (1.0 - cfg.stagnation_wind_factor))
    before, after = [], []
    for seed in range(6):
        w = synthetic_weather(YEAR, cfg, np.random.default_rng(seed))
        z = np.log(w.wind_m_s[::24] / (base_w * cfg.stagnation_wind_factor)) + 0.5 * s_w**2
        whole = w.stagnant.reshape(-1, 24).all(axis=1)
        pairs = whole[:-1] & whole[1:]
        before.append(z[:-1][pairs] / s_w)
        after.append(z[1:][pairs] / s_w)
    x, y = np.concatenate(before), np.concatenate(after)
    assert x.size > 200
    assert abs(np.corrcoef(x, y)[0, 1]) < 4.0 / np.sqrt(x.size)
