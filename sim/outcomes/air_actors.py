"""Who did what: every coalition of the three actors' measures, the Shapley split, the daily AQI.

All coalitions of the acting actors (at most 8) run in one batch (:func:`sim.air.batch.evaluate`)
and their daily AQI in another (:func:`daily_batch`); the annual figures of each give the split
of the change among district, city and region
(:func:`sim.air.shapley.shapley`) and the district's measures alone (docs/model.md (Air)).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.air.aqi import (
    AQIResult,
    aqi,
    daily_max_8h,
    daily_means,
    good_day,
    o3_8h_percentile,
    primary_pollutants,
)
from sim.air.shapley import shapley
from sim.scenario.sections.air import AirConfig
from sim.scenario.vocabulary import AIR_POLLUTANTS, HEAVY_POLLUTION_AQI

if TYPE_CHECKING:
    from sim.calendar import Calendar

__all__ = [
    "ACTORS",
    "ASSUMPTION",
    "actor_split",
    "actor_summary",
    "annual_figures",
    "coalitions",
    "daily_batch",
    "daily_table",
    "full_days",
    "last_run",
    "whole_days",
]

F64 = NDArray[np.float64]
_COL = {name: i for i, name in enumerate(AIR_POLLUTANTS)}
#: The three actors whose measures the outcome separates.
ACTORS: tuple[str, ...] = ("district", "city", "region")
#: The assumption every air output names.
ASSUMPTION = (
    "the district's measures act on its own emissions only; the rest of Tianjin and the region "
    "act only through their own listed measures"
)


def full_days(hourly: F64, calendar: Calendar) -> F64:
    """``(n_days * 24, ...)`` with NaN for hours outside the run (the 24-h grid of the AQI)."""
    out = np.full((len(calendar.days) * 24, *hourly.shape[1:]), np.nan)
    out[calendar.day_index * 24 + calendar.hour_of_day] = hourly
    return out


def daily_table(
    total_ug_m3: F64, calendar: Calendar, o3_with_1h: bool = False, with_primary: bool = True
) -> dict[str, Any]:
    """Daily statistics and AQI from hourly totals ``(n_hours, ..., len(AIR_POLLUTANTS))``.

    Leading axes after time (coalitions) are carried along. Returns a mapping with ``means``
    (n_days, ..., 6; O3 column = MDA8; µg/m³; a day needs 20 valid hours, GB 3095-2012 Table 4,
    :func:`sim.air.aqi.daily_means`), ``mda8`` and ``aqi`` (:class:`sim.air.aqi.AQIResult`).
    """
    hours = full_days(total_ug_m3, calendar)
    o3 = AIR_POLLUTANTS.index("O3")
    means = daily_means(hours)
    mda8 = daily_max_8h(hours[..., o3])
    means[..., o3] = mda8
    o3_1h = None
    if o3_with_1h:
        with np.errstate(invalid="ignore"):
            days = hours[..., o3].reshape(len(calendar.days), 24, *hours.shape[1:-1])
            o3_1h = np.nanmax(days, axis=1)
    col = {name: means[..., i] for i, name in enumerate(AIR_POLLUTANTS)}
    result = aqi(
        pm25_24h=col["PM2.5"], pm10_24h=col["PM10"], so2_24h=col["SO2"], no2_24h=col["NO2"],
        co_24h=col["CO"] / 1000.0, o3_8h=mda8, o3_1h=o3_1h, with_primary=with_primary,
    )  # fmt: skip
    return {"means": means, "mda8": mda8, "aqi": result}


def coalitions(acting: tuple[str, ...]) -> list[frozenset[str]]:
    """The coalitions in the order of :func:`sim.air.batch.evaluate`'s leading axes (district,
    city, region; an acting actor's axis has its measures off, then on): the last has all on."""
    shape = tuple(2 if a in acting else 1 for a in ACTORS)
    return [frozenset(a for a, bit in zip(ACTORS, idx, strict=True) if bit and a in acting)
            for idx in np.ndindex(shape)]  # fmt: skip


def whole_days(calendar: Calendar) -> bool:
    """True when the run is made of whole days from midnight (no hour outside it to pad)."""
    return bool(calendar.n_hours == 24 * len(calendar.days) and calendar.hour_of_day[0] == 0)


def daily_batch(totals: F64, calendar: Calendar, o3_with_1h: bool = False) -> dict[str, Any]:
    """:func:`daily_table` of ``k`` runs with time LAST, ``(k, len(AIR_POLLUTANTS), n_hours)``.

    Returns the same mapping as :func:`daily_table` of the time-first ``(n_hours, k, 6)``
    (``means`` ``(n_days, k, 6)``, ``mda8`` ``(n_days, k)``, ``aqi`` without the primary
    pollutant). A run of whole days without a missing (NaN) hour needs no padding and no NaN
    handling: its 24-h means and 8-h windows are taken on the reshaped hours directly (the same
    windows as :func:`sim.air.aqi.daily_max_8h`).
    """
    if not whole_days(calendar) or np.isnan(totals).any():
        return daily_table(np.moveaxis(totals, -1, 0), calendar, o3_with_1h, with_primary=False)
    k, n_days = totals.shape[0], len(calendar.days)
    hours = totals.reshape(k, len(AIR_POLLUTANTS), n_days, 24)
    o3 = AIR_POLLUTANTS.index("O3")
    means = np.moveaxis(hours.sum(axis=-1) / 24.0, (0, 1), (1, 2))  # (n_days, k, 6)
    csum = np.cumsum(hours[:, o3], axis=-1)  # (k, n_days, 24)
    windows = np.empty((k, n_days, 17))
    windows[..., 0] = csum[..., 7]
    np.subtract(csum[..., 8:], csum[..., :16], out=windows[..., 1:])
    mda8 = (windows.max(axis=-1) / 8.0).T
    means[..., o3] = mda8
    o3_1h = hours[:, o3].max(axis=-1).T if o3_with_1h else None
    col = {name: means[..., i] for i, name in enumerate(AIR_POLLUTANTS)}
    result = aqi(
        pm25_24h=col["PM2.5"], pm10_24h=col["PM10"], so2_24h=col["SO2"], no2_24h=col["NO2"],
        co_24h=col["CO"] / 1000.0, o3_8h=mda8, o3_1h=o3_1h, with_primary=False,
    )  # fmt: skip
    return {"means": means, "mda8": mda8, "aqi": result}


def last_run(daily: dict[str, Any]) -> dict[str, Any]:
    """The last of the ``k`` runs of :func:`daily_batch`, its primary pollutants named."""
    res = daily["aqi"]
    iaqi = {name: values[:, -1] for name, values in res.iaqi.items()}
    return {
        "means": daily["means"][:, -1], "mda8": daily["mda8"][:, -1],
        "aqi": AQIResult(aqi=res.aqi[:, -1], iaqi=iaqi,
                         primary=primary_pollutants(iaqi, res.aqi[:, -1]),
                         category=res.category[:, -1]),
    }  # fmt: skip


def annual_figures(total: F64, aqi_value: F64, mda8: F64) -> list[dict[str, float]]:
    """The annual figures of each of ``k`` runs: hourly totals ``(k, 6, n_hours)`` (time last),
    daily AQI and MDA8 ``(n_days, k)``."""
    valid = ~np.isnan(aqi_value)
    good = np.sum(good_day(aqi_value) & valid, axis=0)
    n_valid = valid.sum(axis=0)
    heavy = np.sum(np.nan_to_num(aqi_value) > HEAVY_POLLUTION_AQI, axis=0)
    means = total.mean(axis=-1)
    p90 = np.atleast_1d(o3_8h_percentile(mda8))  # each run's column at once
    out = []
    for k in range(total.shape[0]):
        out.append({
            "pm25_annual_mean_ug_m3": float(means[k, _COL["PM2.5"]]),
            "pm10_annual_mean_ug_m3": float(means[k, _COL["PM10"]]),
            "no2_annual_mean_ug_m3": float(means[k, _COL["NO2"]]),
            "o3_8h_p90_ug_m3": float(p90[k]),
            "good_days_ratio": float(good[k] / n_valid[k]) if n_valid[k] else float("nan"),
            "good_days": int(good[k]),
            "heavy_pollution_days": int(heavy[k]),
        })  # fmt: skip
    return out


def _rounded(stats: dict[str, float]) -> dict[str, float]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in stats.items()}


def actor_split(acting: tuple[str, ...], figures: list[dict[str, float]]) -> dict[str, Any]:
    """The Shapley split and the district's measures alone from the annual figures of every
    coalition (in :func:`coalitions` order; one when no actor has measures)."""
    stats = dict(zip(coalitions(acting), figures, strict=True))

    def split(key: str) -> dict[str, float]:
        shares = shapley(acting, lambda c: stats[c][key]) if acting else {}
        return {a: shares.get(a, 0.0) for a in ACTORS}

    alone = frozenset(a for a in acting if a == "district")
    return {
        "pm25": split("pm25_annual_mean_ug_m3"),
        "good": split("good_days_ratio"),
        "none": stats[frozenset()],
        "district_alone": stats[alone],
    }


def actor_summary(
    split: dict[str, Any], cfg: AirConfig, acting: tuple[str, ...]
) -> dict[str, Any]:
    """The change by actor, the run without measures and with the district's measures alone."""
    return {
        "pm25_change_by_actor_ug_m3": {a: round(v, 4) for a, v in split["pm25"].items()},
        "good_days_change_by_actor": {a: round(v, 5) for a, v in split["good"].items()},
        "no_measures": _rounded(split["none"]),
        "district_alone": _rounded(split["district_alone"]),
        "actors_with_measures": list(acting),
        "actor_measures": {
            "city": [m.name for m in cfg.city.measures],
            "region": [m.name for m in cfg.region.measures],
        },
        "actor_split": "Shapley over district, city and region against the same weather with "
        "no measures; the three sum to the total change",
        "assumption": ASSUMPTION,
    }

