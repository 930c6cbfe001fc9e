"""Year-end assembly: observed days + conditioned forecast days -> year-end values per member.

The annual PM2.5 mean is the mean of the year's daily means: the observed days' sum plus each
member's conditioned forecast of the remaining days (:mod:`sim.forecasting.condition`), over the
days of the year. Good days are the observed count plus the forecast days whose AQI
(HJ 633-2012), recomputed with the conditioned PM2.5 and the member's other pollutants, is at
most 100. Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.air.aqi import aqi
from sim.forecasting.condition import Anomaly, ensemble_shift, fit_anomaly, multipliers
from sim.forecasting.observed import Observations

__all__ = ["YearEnd", "year_end"]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class YearEnd:
    """Members' year-end values and their daily PM2.5 path (observed days first)."""

    pm25_annual_mean_ug_m3: F64  # (members,)
    good_days: F64  # (members,)
    good_days_ratio: F64  # (members,)
    daily_pm25_ug_m3: F64  # (members, days): conditioned forecast after the observed days
    observed_days: int
    observed_pm25_sum: float  # µg/m³·day
    observed_good_days: float | None
    anomaly: Anomaly


def _good(daily: F64, pm25: F64) -> F64:
    """Good days (AQI <= 100) per member, ``daily`` (members, days, 6: pm25 pm10 so2 no2 co o3)."""
    res = aqi(pm25, daily[..., 1], daily[..., 2], daily[..., 3], daily[..., 4] / 1000.0,
              daily[..., 5])  # fmt: skip
    return np.asarray(np.sum(np.nan_to_num(res.aqi, nan=999.0) <= 100.0, axis=-1), dtype=float)


def year_end(
    daily: F64,
    obs: Observations,
    rng: np.random.Generator,
    prior_sd_log: float | None = None,
    structural_sd_log: float = 0.0,
) -> YearEnd:
    """Members' year-end air values given the observations.

    Parameters
    ----------
    daily
        Members' modelled daily means for the whole year, shape ``(members, days, 6)`` in the
        order PM2.5, PM10, SO2, NO2, CO, O3 (µg/m³; O3 its daily maximum 8-h mean).
    obs
        The observations (from 1 January).
    rng
        Draws of the persistent anomaly, one per member.
    prior_sd_log, structural_sd_log
        Prior standard deviation of the persistent anomaly (ln units), for the AR(1) weight of
        :func:`sim.forecasting.condition.fit_anomaly`; None: the members' own regression
        (:func:`sim.forecasting.condition.ensemble_shift`) with the structural anomaly
        ``structural_sd_log`` the members lack.
    """
    members, days = daily.shape[:2]
    n = min(obs.days, days)
    obs_pm = obs.daily.get("pm25")
    anomaly = fit_anomaly(
        daily[..., 0], obs.pm25_mean_ug_m3, n, obs_pm, prior_sd_log, structural_sd_log
    )
    mult = multipliers(anomaly, members, days - n, rng)
    if prior_sd_log is None and members > 2 and days > n:
        # fitted: the persistent part comes from the members themselves (ensemble_shift), the
        # last observed day's residual still decays as AR(1) (multipliers' second term)
        shift, _ = ensemble_shift(daily[..., 0], obs.pm25_mean_ug_m3, n, structural_sd_log, rng)
        decay = anomaly.last_log * anomaly.phi ** np.arange(1, days - n + 1, dtype=float)
        mult = np.exp(shift[:, None] + decay[None, :])
    pm = daily[..., 0].copy()
    pm[:, n:] *= mult
    if obs_pm is not None:  # missing observed days: the conditioned model fills them
        fill = np.exp(anomaly.level_log) * daily[:, :n, 0]
        pm[:, :n] = np.where(np.isnan(obs_pm)[None, :], fill, obs_pm[None, :])
        observed_sum = float(np.nansum(obs_pm))
    else:
        pm[:, :n] = obs.pm25_mean_ug_m3  # period means: the observed mean on every day
        observed_sum = obs.pm25_mean_ug_m3 * n
    good_later = _good(daily[:, n:], pm[:, n:])
    good_before = obs.good_days
    if good_before is None:  # not observed: the members' conditioned own days
        good_before_m = _good(daily[:, :n], np.exp(anomaly.level_log) * daily[:, :n, 0])
    else:
        good_before_m = np.full(members, float(good_before))
    good = good_before_m + good_later
    return YearEnd(
        pm.mean(axis=1),
        good,
        good / days,
        pm,
        n,
        observed_sum,
        good_before,
        anomaly,
    )
