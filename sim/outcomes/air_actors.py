"""Who did what: every coalition of the three actors' measures, the Shapley split, the daily AQI.

All coalitions of the acting actors (at most 8) run in one batch by broadcasting; the annual
figures of each give the split of the change among district, city and region
(:func:`sim.air.shapley.shapley`) and the district's measures alone (docs/model.md (Air)).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.air.aqi import aqi, daily_max_8h, daily_means, good_day, o3_8h_percentile
from sim.air.response import AirParams, MetArrays, ScaleIncrements, increments, total_concentrations
from sim.air.shapley import shapley
from sim.outcomes.air_inputs import ActorInputs
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
    "coalition",
    "daily_table",
    "full_days",
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


def coalition(inputs: ActorInputs, on: frozenset[str], params: AirParams) -> ScaleIncrements:
    pick = {a: int(a in on) for a in ACTORS}
    return increments(
        inputs.district[pick["district"]], inputs.city[pick["city"]],
        inputs.region[pick["region"]], params,
    )  # fmt: skip


def _all_coalitions(
    inputs: ActorInputs, params: AirParams
) -> tuple[list[frozenset[str]], ScaleIncrements]:
    """Every coalition of the acting actors at once, by broadcasting: an acting actor has an
    axis of length 2 (off, on), the others of length 1; increments are ``(2|1, 2|1, 2|1, n, ...)``.
    """
    off = coalition(inputs, frozenset(), params)
    on = coalition(inputs, frozenset(inputs.acting), params)

    def axis(actor: str, field: str) -> F64:
        i = ACTORS.index(actor)
        a, b = getattr(off, field), getattr(on, field)
        arr = np.stack([a, b]) if actor in inputs.acting else a[None]
        return arr.reshape((1,) * i + (arr.shape[0],) + (1,) * (2 - i) + a.shape)

    inc = ScaleIncrements(
        district=axis("district", "district"), city=axis("city", "city"),
        region=axis("region", "region"), region_pm25=axis("region", "region_pm25"),
        o3_background=axis("region", "o3_background"),
    )  # fmt: skip
    shape = tuple(2 if a in inputs.acting else 1 for a in ACTORS)
    coalitions = [frozenset(a for a, bit in zip(ACTORS, idx, strict=True) if bit)
                  for idx in np.ndindex(shape)]  # fmt: skip
    return coalitions, inc


def annual_figures(total: F64, aqi_value: F64, mda8: F64) -> list[dict[str, float]]:
    """The annual figures of each of ``k`` runs: hourly totals ``(n_hours, k, 6)``, daily AQI
    and MDA8 ``(n_days, k)``."""
    valid = ~np.isnan(aqi_value)
    good = np.sum(good_day(aqi_value) & valid, axis=0)
    n_valid = valid.sum(axis=0)
    heavy = np.sum(np.nan_to_num(aqi_value) > HEAVY_POLLUTION_AQI, axis=0)
    means = total.mean(axis=0)
    out = []
    for k in range(total.shape[1]):
        out.append({
            "pm25_annual_mean_ug_m3": float(means[k, _COL["PM2.5"]]),
            "pm10_annual_mean_ug_m3": float(means[k, _COL["PM10"]]),
            "no2_annual_mean_ug_m3": float(means[k, _COL["NO2"]]),
            "o3_8h_p90_ug_m3": float(o3_8h_percentile(mda8[:, k])),
            "good_days_ratio": float(good[k] / n_valid[k]) if n_valid[k] else float("nan"),
            "good_days": int(good[k]),
            "heavy_pollution_days": int(heavy[k]),
        })  # fmt: skip
    return out


def _rounded(stats: dict[str, float]) -> dict[str, float]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in stats.items()}


def actor_split(
    inputs: ActorInputs,
    met: MetArrays,
    params: AirParams,
    cal: Calendar,
    o3_with_1h: bool,
    every: dict[str, float],
) -> dict[str, Any]:
    """Every coalition of the acting actors in one batch; the Shapley split; district alone.

    ``every``: the annual figures of the run itself (all actors' measures), used as they are
    when no actor has measures (no coalition to run).
    """
    acting = inputs.acting
    stats: dict[frozenset[str], dict[str, float]]
    if not acting:
        stats = {frozenset(): every}
    else:
        coalitions, inc = _all_coalitions(inputs, params)
        totals = total_concentrations(inc, met, params)
        totals = np.moveaxis(totals.reshape(len(coalitions), *totals.shape[-2:]), 0, 1)
        daily = daily_table(totals, cal, o3_with_1h, with_primary=False)
        figures = annual_figures(totals, daily["aqi"].aqi, daily["mda8"])
        stats = dict(zip(coalitions, figures, strict=True))

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

