"""Air-quality outcome of a run: concentrations by scale, daily AQI, good days, and who did what.

``compute(state)`` turns the district's hourly sector emissions, the rest of Tianjin's and the
region's inventories (each with its own time profiles and measures) into hourly PM2.5, PM10, SO2,
NO2, CO and O3 split into district / city / region (and PM2.5 into primary / secondary), then the
HJ 633-2012 daily AQI. It also runs the same weather with each combination of the three actors'
measures on or off and splits the change of annual PM2.5 and of the good-days ratio among the
actors (a Shapley split, :mod:`sim.air.shapley`), and reports the run with the district's measures
alone (city and region as in the baseline). ``forecast_daily_pm25(ctx)`` gives the
heavy-pollution alert measure a deterministic forecast before the SimPy run. The physics is in
:mod:`sim.air`; the model is described in docs/model.md (Air).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray
from xarray.indexes import PandasIndex

from sim.air.aqi import CATEGORY_NAMES, daily_means, o3_8h_percentile
from sim.air.batch import box_variants, evaluate, weathered
from sim.air.kernels import mean_over_time
from sim.air.response import FORMATIONS, SCALES, AirResponse, air_response
from sim.outcomes import Outcome
from sim.outcomes.air_actors import (
    ACTORS,
    ASSUMPTION,
    actor_split,
    actor_summary,
    annual_figures,
    daily_batch,
    daily_table,
    full_days,
    last_run,
)
from sim.outcomes.air_inputs import (
    actor_emissions,
    actor_inputs,
    air_config,
    air_params,
    met_arrays,
)
from sim.scenario.vocabulary import AIR_POLLUTANTS, HEAVY_POLLUTION_AQI

if TYPE_CHECKING:
    from sim.calendar import Calendar
    from sim.engine import ProcessContext, RunState

__all__ = [
    "ACTORS",
    "actor_emissions",
    "air_params",
    "compute",
    "daily_table",
    "forecast_daily_pm25",
    "met_arrays",
    "pm25_response",
]

F64 = NDArray[np.float64]
_UG = "ug m-3"
#: Alternatives of :func:`pm25_response` evaluated at once (memory: ~10 MB each for a year).
_CHUNK = 8
#: Columns of the hourly totals (named, not positional).
_COL = {name: i for i, name in enumerate(AIR_POLLUTANTS)}


def _months(calendar: Calendar) -> tuple[pd.DatetimeIndex, NDArray[np.int64]]:
    """The first day of each month of the run and each hour's month (hours in time order)."""
    days = calendar.days.values  # a day's hours are in its month: days, not hours, are cast
    month = days.astype("datetime64[M]")
    index = np.zeros(len(month), dtype=np.int64)
    np.cumsum(month[1:] != month[:-1], out=index[1:])
    starts = month[np.flatnonzero(np.diff(index, prepend=-1))]
    return pd.DatetimeIndex(starts.astype(days.dtype)), index[calendar.day_index]


def _counts(values: NDArray[np.str_]) -> dict[str, int]:
    """How often each value occurs, most frequent first, ties in order of first occurrence."""
    unique, first, counts = np.unique(values, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    return {str(unique[i]): int(counts[i]) for i in order}


def _var(dims: tuple[str, ...], data: Any, units: str, long_name: str, **attrs: Any) -> xr.Variable:
    return xr.Variable(dims, data, attrs={"units": units, "long_name": long_name, **attrs})


def _dataset(resp: AirResponse, total: F64, daily: dict[str, Any], cal: Calendar,
             scalars: dict[str, Any], months: pd.DatetimeIndex,
             monthly: F64) -> xr.Dataset:  # fmt: skip
    """The air variables of the results Dataset (``total``: ``resp.total``)."""
    result = daily["aqi"]
    data_vars = {
        "air_concentration": _var(
            ("time", "air_pollutant"), total, _UG, "hourly concentration at the district",
            comment="CO also in ug m-3 here (mg m-3 = value/1000)", cell_methods="time: mean",
        ),
        "air_concentration_by_scale": _var(
            ("time", "air_pollutant", "scale"), resp.by_scale, _UG,
            "hourly concentration by scale of origin",
            comment="O3 and NO2 attributed sequentially (region, +city, +district); "
            "city and district parts of O3 may be negative (NO titration)",
        ),
        "pm25_by_origin": _var(
            ("time", "scale", "formation"), resp.pm25_by_origin, _UG,
            "hourly PM2.5 by scale and formation",
        ),
        "daily_concentration": _var(
            ("day", "air_pollutant"), daily["means"], _UG,
            "24-h mean concentration (O3: daily maximum 8-h mean)",
        ),
        "o3_mda8": _var(("day",), daily["mda8"], _UG, "daily maximum 8-h mean O3"),
        "aqi": _var(("day",), result.aqi, "1", "daily air quality index (HJ 633-2012)"),
        "aqi_category": _var(
            ("day",), result.category.astype(np.int8), "1", "AQI category",
            flag_values=" ".join(str(i) for i in range(6)),
            flag_meanings=" ".join(n.replace(" ", "_") for n in CATEGORY_NAMES),
        ),
        "primary_pollutant": _var(
            ("day",), result.primary, "1", "primary pollutant (AQI > 50)"
        ),
        "good_day": _var(
            ("day",), result.good.astype(np.int8), "1", "good day (AQI <= 100)",
            flag_values="0 1", flag_meanings="no yes",
        ),
        "pm25_monthly_mean": _var(
            ("month", "scale"), monthly, _UG, "monthly mean PM2.5 by scale",
            cell_methods="time: mean",
        ),
        "pm25_mean": _var((), scalars["pm25"], _UG, "PM2.5 mean over the run"),
        "o3_8h_p90": _var((), scalars["p90"], _UG,
                          "90th percentile of daily maximum 8-h O3 (HJ 663)"),
        "good_days_ratio": _var((), scalars["good_ratio"], "1", "share of days with AQI <= 100"),
        "heavy_pollution_days": _var((), scalars["heavy"], "d", "days with AQI > 200"),
    }  # fmt: skip
    coords = {
        "air_pollutant": (list(AIR_POLLUTANTS), {"long_name": "pollutant"}),
        "scale": (list(SCALES), {"long_name": "scale of origin"}),
        "formation": (list(FORMATIONS), {"long_name": "primary or secondary"}),
        # the calendar's own indexes: xarray need not build them again
        "day": (cal.days, {"long_name": "calendar day, local time"}),
        "month": (months, {"long_name": "first day of the month"}),
        "time": (cal.times, {"long_name": "start of hour, local time"}),
    }
    return xr.Dataset(data_vars, coords=_indexed(coords))


#: The label coordinates of every air Dataset (immutable, made once): dimension -> pandas index.
_LABELS = {
    dim: pd.Index(np.asarray(labels))
    for dim, labels in (
        ("air_pollutant", AIR_POLLUTANTS), ("scale", SCALES), ("formation", FORMATIONS)
    )
}  # fmt: skip


def _indexed(coords: dict[str, tuple[Any, dict[str, str]]]) -> xr.Coordinates:
    """Dimension coordinates with their indexes made here (``name: (values, attrs)``; a list of
    labels keeps its numpy string dtype): the coordinates xarray would make of ``(name, values,
    attrs)`` tuples, without its checks of each one."""
    variables, indexes = {}, {}
    for dim, (values, attrs) in coords.items():
        if isinstance(values, list):
            labels = np.asarray(values)
            known = _LABELS.get(dim)
            same = known is not None and known.tolist() == values
            index = PandasIndex(known if same else pd.Index(labels), dim, coord_dtype=labels.dtype)
        else:
            index = PandasIndex(values, dim)
        variables[dim] = index.create_variables()[dim]
        variables[dim].attrs.update(attrs)
        indexes[dim] = index
    return xr.Coordinates(variables, indexes=indexes)


def _lines(summary: dict[str, Any]) -> list[str]:
    by_scale = summary["pm25_by_scale_ug_m3"]
    pm25 = summary["pm25_annual_mean_ug_m3"]
    dpm = summary["pm25_change_by_actor_ug_m3"]
    dgood = summary["good_days_change_by_actor"]
    alone = summary["district_alone"]
    return [
        f"air: PM2.5 {pm25:.1f} ug/m3 (district {by_scale['district']:.1f}, city "
        f"{by_scale['city']:.1f}, region {by_scale['region']:.1f}); good days "
        f"{summary['good_days_ratio']:.1%} ({summary['good_days']}/{summary['days']}); O3-8h p90 "
        f"{summary['o3_8h_p90_ug_m3']:.0f} ug/m3; heavy-pollution days "
        f"{summary['heavy_pollution_days']}",
        f"air: change by whose measures (Shapley, same weather without measures): PM2.5 "
        f"district {dpm['district']:+.2f}, city {dpm['city']:+.2f}, region {dpm['region']:+.2f} "
        f"ug/m3; good days district {dgood['district']:+.1%}, city {dgood['city']:+.1%}, "
        f"region {dgood['region']:+.1%}",
        f"air: Hongqiao alone (city and region as in the baseline): PM2.5 "
        f"{alone['pm25_annual_mean_ug_m3']:.1f} ug/m3, good days {alone['good_days_ratio']:.1%}"
        f" — assumption: {ASSUMPTION}",
    ]


def compute(state: RunState, *, counterfactual: RunState | None = None) -> Outcome:
    """The air outcome of a run (see the module docstring).

    Parameters
    ----------
    state
        The finished run.
    counterfactual
        The same scenario and seed run without measures (the api runs it once and hands it to
        every outcome), for the district's share of the change; None: the district counts as an
        actor without measures. Outcomes never run the engine themselves.
    """
    cfg = air_config(state.scenario)
    cal = state.calendar
    params = air_params(state.scenario)
    met = met_arrays(cal, state.weather, params)
    weather = weathered(met, params)
    inputs = actor_inputs(state, counterfactual, met, params, weather)
    evaluated = evaluate(inputs.variants, met, params, weather)
    resp = AirResponse(by_scale=evaluated.by_scale, pm25_by_origin=evaluated.pm25_by_origin)
    total = evaluated.last_total.T  # resp.total
    # every coalition (the last: the run itself, whose totals are those of its scales)
    totals = evaluated.totals.reshape(-1, *evaluated.totals.shape[-2:])
    totals[-1] = evaluated.last_total
    o3_with_1h = cfg.o3_daily_index == "8h_and_1h"
    batch = daily_batch(totals, cal, o3_with_1h)
    figures = annual_figures(totals, batch["aqi"].aqi, batch["mda8"])
    split = actor_split(inputs.acting, figures)
    daily = last_run(batch)
    result = daily["aqi"]
    months, month_idx = _months(cal)
    starts = np.searchsorted(month_idx, np.arange(len(months)))  # hours are in time order
    monthly = np.add.reduceat(resp.by_scale[:, _COL["PM2.5"], :], starts, axis=0)
    monthly /= np.diff(np.append(starts, len(month_idx)))[:, None]
    valid = ~np.isnan(result.aqi)
    n_valid = int(valid.sum())
    total_t = totals[-1]  # total.T, contiguous: the annual means of its rows
    scalars = {
        "pm25": float(total_t[_COL["PM2.5"]].mean()),
        "p90": float(o3_8h_percentile(daily["mda8"])),
        "good_ratio": float(result.good.sum() / n_valid) if n_valid else float("nan"),
        "heavy": int(np.sum(np.nan_to_num(result.aqi) > HEAVY_POLLUTION_AQI)),
    }
    # resp.by_scale.mean(axis=0) and resp.pm25_by_origin.mean(axis=0), the same numbers
    by_scale_mean = mean_over_time(np.ascontiguousarray(resp.by_scale))
    origin_mean = mean_over_time(np.ascontiguousarray(resp.pm25_by_origin))
    primaries = _counts(result.primary[result.aqi > 50])
    summary = {
        "units": {"concentration": "ug/m3 (CO mg/m3)", "ratio": "fraction"},
        "pm25_annual_mean_ug_m3": round(scalars["pm25"], 3),
        "pm25_by_scale_ug_m3": {
            s: round(float(by_scale_mean[_COL["PM2.5"], i]), 3) for i, s in enumerate(SCALES)
        },
        "pm25_by_origin_ug_m3": {
            f"{s}_{f}": round(float(origin_mean[i, j]), 3)
            for i, s in enumerate(SCALES) for j, f in enumerate(FORMATIONS)
        },
        "pm10_annual_mean_ug_m3": round(float(total_t[_COL["PM10"]].mean()), 3),
        "so2_annual_mean_ug_m3": round(float(total_t[_COL["SO2"]].mean()), 3),
        "no2_annual_mean_ug_m3": round(float(total_t[_COL["NO2"]].mean()), 3),
        "co_annual_mean_mg_m3": round(float(total_t[_COL["CO"]].mean()) / 1000.0, 4),
        "o3_8h_p90_ug_m3": round(scalars["p90"], 3),
        "good_days_ratio": round(scalars["good_ratio"], 4),
        "good_days": int(result.good.sum()),
        "days": n_valid,
        "heavy_pollution_days": scalars["heavy"],
        "pm25_monthly_mean_ug_m3": {
            f"{m:%Y-%m}": round(float(v), 3)
            for m, v in zip(months, monthly.sum(axis=1), strict=True)
        },
        "primary_pollutant_days": primaries,
        **actor_summary(split, cfg, inputs.acting),
        "counterfactual_run": counterfactual is not None,
    }  # fmt: skip
    dataset = _dataset(resp, total, daily, cal, scalars, months, monthly)
    return Outcome(dataset=dataset, summary=summary, lines=_lines(summary))


def forecast_daily_pm25(ctx: ProcessContext) -> F64:
    """Deterministic PM2.5 forecast, µg/m³, one value per day of ``ctx.calendar.days``.

    ``out[i]`` is the forecast daily mean for day ``i`` (issued on day ``i - 1``: read it the day
    before as the next-day forecast). It runs before the SimPy run and uses the run's weather as a
    perfect meteorological forecast (the caller adds the forecast error), the regional
    background, the city box with its inventory and time profiles (no measure), and a
    climatological district increment: the district box fed with the city's emission density
    × the district's area (the district's own emissions are not known before the run; none when
    the city scale is off).
    """
    scenario, cal = ctx.scenario, ctx.calendar
    cfg = air_config(scenario)
    params = air_params(scenario)
    met = met_arrays(cal, ctx.weather, params)
    city = actor_emissions(cfg.city, cal, with_measures=False)
    if params.city is None:  # no city: neither its box nor its emission density
        city = np.zeros_like(city)
    district = city * (scenario.district.area_km2 / cfg.city.area_km2)
    resp = air_response(district, city if params.city is not None else None, met, params)
    days = daily_means(full_days(resp.total[:, _COL["PM2.5"]], cal), min_valid_hours=1)
    return np.asarray(days, dtype=np.float64)


def pm25_response(state: RunState, district_kg_h: F64) -> tuple[F64, F64]:
    """Annual-mean PM2.5 and good-days ratio for other district emissions, the rest unchanged.

    The narrow entry point for cost-effectiveness (:mod:`sim.measure_effects`): the rest of
    Tianjin and the region keep their own inventories and measures as in ``state``'s run; only
    the district's hourly emissions change (a district measure never changes another actor's
    inventory).

    Parameters
    ----------
    state
        The finished run.
    district_kg_h
        Alternative district emissions summed over sectors, kg/h, shape
        ``(m, n_hours, len(POLLUTANTS))`` (one per alternative, e.g. the run without one measure).

    Returns
    -------
    tuple
        Annual-mean PM2.5 (µg/m³) and good-days ratio, each of shape ``(m,)``. The boxes and
        the chemistry run for :data:`_CHUNK` alternatives at a time
        (:func:`sim.air.batch.evaluate`, the rest of Tianjin and the region once).
    """
    cfg = air_config(state.scenario)
    params = air_params(state.scenario)
    cal = state.calendar
    met = met_arrays(cal, state.weather, params)
    weather = weathered(met, params)
    rest = actor_inputs(state, None, met, params, weather).variants
    alternatives = np.asarray(district_kg_h, dtype=np.float64)
    o3_with_1h = cfg.o3_daily_index == "8h_and_1h"
    pm25, good = [], []
    for start in range(0, len(alternatives), _CHUNK):
        chunk = np.moveaxis(alternatives[start : start + _CHUNK], -1, 1)  # (k, 7, n)
        district = box_variants(chunk, met, params.district, params, weather)
        variants = rest.last(district=district)  # the city and region with their measures
        totals = evaluate(variants, met, params, weather).totals.reshape(len(chunk), 6, -1)
        result = daily_batch(totals, cal, o3_with_1h)["aqi"]
        valid = np.sum(~np.isnan(result.aqi), axis=0)
        pm25.append(totals[:, _COL["PM2.5"]].mean(axis=-1))
        with np.errstate(invalid="ignore", divide="ignore"):
            good.append(np.where(valid > 0, result.good.sum(axis=0) / valid, np.nan))
    return np.concatenate(pm25), np.concatenate(good)
