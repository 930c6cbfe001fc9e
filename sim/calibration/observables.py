"""Observables: functions ``f(dataset, start, end, **kwargs) -> float`` of a run's results.

Each observable reads the results Dataset of a run (``Result.dataset``) over the half-open period
``[start, end)`` and returns one number comparable with an observation over the same period. The
built-ins of :data:`OBSERVABLES` cover the air outcome; any ``module:function`` import path with
the same signature works too (e.g. ``sim.outcomes.water:section_mean``).

Day counts (``good_days_ratio``, ``heavy_days``) are step functions of the parameters. For the
optimiser they accept ``soft`` (> 0): each day then counts with a logistic weight of its
*exceedance ratio* ``r = max_p C_p/B_p`` (``B_p`` the concentration of pollutant ``p`` at the
AQI level, HJ 633-2012 Table 1: a day has AQI <= 100 exactly when ``r <= 1``),
``w = 1/(1 + exp((r - 1)/soft))``; ``soft = 0`` (default) is the exact count from the AQI.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.errors import CalibrationError
from sim.scenario.vocabulary import HEAVY_POLLUTION_AQI

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "HEAVY_AQI",
    "OBSERVABLES",
    "Observable",
    "exceedance_ratio",
    "good_days_ratio",
    "heavy_days",
    "no2_mean",
    "o3_8h_p90",
    "pm10_mean",
    "pm25_mean",
    "resolve_observable",
]

F64 = NDArray[np.float64]
Observable = Callable[..., float]
#: A heavy-pollution day has AQI above this (HJ 633-2012 Table 2: 重度污染 201-300).
HEAVY_AQI = HEAVY_POLLUTION_AQI
#: Daily tables of HJ 633-2012 in the column order of ``daily_concentration`` (O3 = MDA8).
_DAILY_TABLES = ("pm25_24h", "pm10_24h", "so2_24h", "no2_24h", "co_24h", "o3_8h")


def _hours(ds: xr.Dataset, start: date, end: date) -> Any:
    return ds["air_concentration"].sel(time=slice(str(start), str(end - pd.Timedelta(hours=1))))


def _days(ds: xr.Dataset, name: str, start: date, end: date) -> Any:
    return ds[name].sel(day=slice(str(start), str(end - pd.Timedelta(days=1))))


def pm25_mean(ds: xr.Dataset, start: date, end: date) -> float:
    """Mean PM2.5 over ``[start, end)``, µg/m³."""
    return float(_hours(ds, start, end).sel(air_pollutant="PM2.5").mean())


def pm10_mean(ds: xr.Dataset, start: date, end: date) -> float:
    """Mean PM10 over ``[start, end)``, µg/m³."""
    return float(_hours(ds, start, end).sel(air_pollutant="PM10").mean())


def no2_mean(ds: xr.Dataset, start: date, end: date) -> float:
    """Mean NO2 over ``[start, end)``, µg/m³."""
    return float(_hours(ds, start, end).sel(air_pollutant="NO2").mean())


def o3_8h_p90(ds: xr.Dataset, start: date, end: date) -> float:
    """90th percentile of the daily maximum 8-h O3 over the days of ``[start, end)``, µg/m³."""
    from sim.air.aqi import o3_8h_percentile

    return float(o3_8h_percentile(_days(ds, "o3_mda8", start, end).values))


def exceedance_ratio(daily_ug_m3: F64, level: float) -> F64:
    """``max_p C_p/B_p(level)`` per day: > 1 exactly when the day's AQI exceeds ``level``.

    ``daily_ug_m3`` is ``(n_days, 6)`` in the order PM2.5, PM10, SO2, NO2, CO (µg/m³), O3 MDA8
    (the ``daily_concentration`` variable); ``level`` one of the IAQI levels 50 ... 300.
    """
    from sim.air.aqi import BREAKPOINTS, IAQI_LEVELS

    k = IAQI_LEVELS.index(level)
    limits = np.array([BREAKPOINTS[t][k] for t in _DAILY_TABLES], dtype=np.float64)
    limits[4] *= 1000.0  # CO breakpoints in mg/m³
    with np.errstate(invalid="ignore"):
        return np.asarray(np.nanmax(np.asarray(daily_ug_m3, float) / limits, axis=-1))


def _soft_share_above(ds: xr.Dataset, start: date, end: date, level: float, soft: float) -> F64:
    daily = _days(ds, "daily_concentration", start, end).values
    valid = ~np.isnan(daily[:, 0])
    r = exceedance_ratio(daily[valid], level)
    return np.asarray(0.5 * (1.0 + np.tanh((r - 1.0) / (2.0 * soft))))  # logistic


def good_days_ratio(ds: xr.Dataset, start: date, end: date, soft: float = 0.0) -> float:
    """Share of days of ``[start, end)`` with AQI <= 100, as a fraction (``soft``: module doc)."""
    if soft > 0:
        above = _soft_share_above(ds, start, end, 100.0, soft)
        return float(1.0 - above.mean()) if above.size else float("nan")
    aqi = _days(ds, "aqi", start, end).values
    valid = ~np.isnan(aqi)
    return float(np.sum(aqi[valid] <= 100.0) / max(int(valid.sum()), 1))


def heavy_days(ds: xr.Dataset, start: date, end: date, soft: float = 0.0) -> float:
    """Heavy-pollution days (AQI > 200) in ``[start, end)``, days (``soft``: module doc)."""
    if soft > 0:
        return float(_soft_share_above(ds, start, end, HEAVY_AQI, soft).sum())
    aqi = _days(ds, "aqi", start, end).values
    return float(np.sum(aqi[~np.isnan(aqi)] > HEAVY_AQI))


#: Built-in observables by name.
OBSERVABLES: dict[str, Observable] = {
    "pm25_mean": pm25_mean,
    "pm10_mean": pm10_mean,
    "no2_mean": no2_mean,
    "o3_8h_p90": o3_8h_p90,
    "good_days_ratio": good_days_ratio,
    "heavy_days": heavy_days,
}


def resolve_observable(name: str) -> Observable:
    """A built-in observable, or ``module:function``."""
    if name in OBSERVABLES:
        return OBSERVABLES[name]
    if ":" not in name:
        raise CalibrationError(
            f"observable {name!r}: not built in ({', '.join(OBSERVABLES)}) and not module:function"
        )
    module_name, func_name = name.split(":", 1)
    try:
        func = getattr(importlib.import_module(module_name), func_name)
    except (ImportError, AttributeError) as exc:
        raise CalibrationError(f"observable {name!r}: cannot import ({exc})") from None
    if not callable(func):
        raise CalibrationError(f"observable {name!r} is not callable")
    return func
