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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from sim.air.actors import ActorChange, actor_emissions_kg_h, change_factors, relative_change
from sim.air.aqi import CATEGORY_NAMES, aqi, daily_max_8h, daily_means, o3_8h_percentile
from sim.air.background import RegionParams
from sim.air.chemistry import OzoneParams, SecondaryParams
from sim.air.profiles import SUBSECTORS, hourly_weights
from sim.air.response import (
    FORMATIONS,
    SCALES,
    AirParams,
    AirResponse,
    BoxGeometry,
    MetArrays,
    ScaleIncrements,
    air_response,
    background,
    box,
    increments,
    respond,
    total_concentrations,
)
from sim.air.shapley import shapley
from sim.outcomes import Outcome
from sim.scenario.sections.air import (
    REGION_INVENTORY_KT,
    AirConfig,
    CityConfig,
    RegionConfig,
)
from sim.scenario.vocabulary import (
    AIR_POLLUTANTS,
    HEAVY_POLLUTION_AQI,
    KG_PER_T,
    POLLUTANTS,
    SECTORS,
)

if TYPE_CHECKING:
    from sim.calendar import Calendar
    from sim.engine import ProcessContext, RunState
    from sim.scenario.schema import Scenario
    from sim.weather import Weather

__all__ = [
    "ACTORS",
    "actor_emissions",
    "air_params",
    "compute",
    "counterfactual_state",
    "daily_table",
    "forecast_daily_pm25",
    "met_arrays",
]

F64 = NDArray[np.float64]
_UG = "ug m-3"
#: The three actors whose measures the outcome separates.
ACTORS: tuple[str, ...] = ("district", "city", "region")
_ASSUMPTION = (
    "the district's measures act on its own emissions only; the rest of Tianjin and the region "
    "act only through their own listed measures"
)


def _air(scenario: Scenario) -> AirConfig:
    return scenario.air if scenario.air is not None else AirConfig()


def air_params(scenario: Scenario) -> AirParams:
    """The physics parameters of ``scenario.air`` (defaults when the section is absent)."""
    cfg = _air(scenario)
    reg = cfg.region
    chem = cfg.chemistry
    region = RegionParams(
        pm25_ug_m3=reg.pm25_ug_m3,
        pm25_seasonal_amplitude=reg.pm25_seasonal_amplitude,
        pm25_peak_day=reg.pm25_peak_day,
        ventilation_exponent=reg.ventilation_exponent,
        ventilation_ref_m2_s=reg.ventilation_ref_m2_s,
        ventilation_seasonal_exponent=reg.ventilation_seasonal_exponent,
        ventilation_window_h=reg.ventilation_window_h,
        relaxation_h=reg.relaxation_h,
        washout_per_h_per_mm_h=reg.washout_per_h_per_mm_h,
        humidity_enhancement=reg.humidity_enhancement,
        secondary_fraction=reg.secondary_fraction,
        precursor_weights=reg.precursor_weights,
        o3_elasticity_nox=reg.o3_elasticity_nox,
        o3_elasticity_voc=reg.o3_elasticity_voc,
        gases_ug_m3=(reg.no2_ug_m3, reg.so2_ug_m3, reg.co_ug_m3, reg.voc_ug_m3, reg.nh3_ug_m3),
        o3_ug_m3=reg.o3_ug_m3,
        o3_seasonal_amplitude=reg.o3_seasonal_amplitude,
        o3_peak_day=reg.o3_peak_day,
        o3_temperature_coeff_per_k=reg.o3_temperature_coeff_per_k,
        o3_solar_exponent=reg.o3_solar_exponent,
    )
    return AirParams(
        district=BoxGeometry(scenario.district.area_km2 * 1e6, cfg.district.length_km * 1e3),
        city=(
            BoxGeometry(cfg.city.area_km2 * 1e6, cfg.city.length_km * 1e3)
            if cfg.city.enabled
            else None
        ),
        city_receptor_factor=cfg.city.receptor_factor,
        city_max_reaction_time_h=cfg.city.max_reaction_time_h,
        deposition_m_s=cfg.deposition.as_tuple(),
        washout_per_h_per_mm_h=reg.washout_per_h_per_mm_h,
        region=region if reg.enabled else None,
        region_secondary_fraction=reg.secondary_fraction,
        region_pm10_pm25_ratio=reg.pm10_pm25_ratio,
        secondary=SecondaryParams(
            oh_ref_molec_cm3=chem.oh_ref_molec_cm3,
            so2_aqueous_max_per_h=chem.so2_aqueous_max_per_h,
            nox_night_max_per_h=chem.nox_night_max_per_h,
            soa_yield=chem.soa_yield,
        ),
        ozone=OzoneParams(
            hox_production_ppb_h=chem.hox_production_ppb_h,
            accumulation_time_h=chem.accumulation_time_h,
            no_fraction=chem.no_fraction,
        ),
    )


def _inventory(actor: CityConfig | RegionConfig) -> F64:
    """``(n_sub_sectors, n_pollutants)`` t/yr in :data:`SUBSECTORS` × POLLUTANTS order."""
    return np.asarray([actor.inventory[s].as_tuple() for s in SUBSECTORS])  # type: ignore[index]


def _reference_t(table: dict[str, tuple[float, ...]]) -> F64:
    """A default inventory table (kt/yr) as t/yr in :data:`SUBSECTORS` order."""
    return np.asarray([table[s] for s in SUBSECTORS]) * KG_PER_T  # kt -> t: the same factor


def _changes(actor: CityConfig | RegionConfig, calendar: Calendar) -> list[ActorChange]:
    """The actor's measures as ramps in hours since the start, scaled by its plan delivery."""
    return [
        ActorChange(
            sub_sector=None if m.sub_sector == "all" else SUBSECTORS.index(m.sub_sector),
            pollutant=None if m.pollutant == "all" else POLLUTANTS.index(m.pollutant),
            relative_change=m.relative_change * actor.plan_delivery,
            start_h=calendar.hours_since_start(m.start),
            full_h=calendar.hours_since_start(m.full_by),
        )
        for m in actor.measures
        if m.relative_change * actor.plan_delivery != 0.0
    ]


def _weights(calendar: Calendar) -> F64:
    times = calendar.times
    return hourly_weights(times.month, times.weekday, calendar.hour_of_day)


def actor_emissions(
    actor: CityConfig | RegionConfig, calendar: Calendar, *, with_measures: bool = True
) -> F64:
    """Hourly emissions of the city or the region, kg/h ``(n_hours, n_pollutants)``."""
    weights = _weights(calendar)
    inv = _inventory(actor)
    changes = _changes(actor, calendar) if with_measures else []
    factors = change_factors(np.arange(calendar.n_hours), changes, inv.shape)
    return actor_emissions_kg_h(inv, weights, factors)


def met_arrays(calendar: Calendar, weather: Weather) -> MetArrays:
    """The weather arrays the response needs."""
    return MetArrays(
        wind_m_s=weather.wind_m_s,
        mixing_height_m=weather.mixing_height_m,
        temperature_c=weather.temperature_c,
        relative_humidity_pct=weather.relative_humidity_pct,
        solar_w_m2=weather.solar_w_m2,
        rain_mm_h=weather.rain_mm_h,
        day_of_year=calendar.day_of_year.astype(np.float64),
    )


def counterfactual_state(state: RunState) -> RunState | None:
    """The same scenario and seed with every measure disabled; None when none is enabled."""
    return state.without_measures()


def _full_days(hourly: F64, calendar: Calendar) -> F64:
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
    hours = _full_days(total_ug_m3, calendar)
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


def _months(calendar: Calendar) -> tuple[pd.DatetimeIndex, NDArray[np.int64]]:
    month_start = calendar.times.to_period("M").to_timestamp()
    months = pd.DatetimeIndex(month_start.unique())
    return months, np.asarray(months.get_indexer(month_start), dtype=np.int64)


def _var(dims: tuple[str, ...], data: Any, units: str, long_name: str, **attrs: Any) -> xr.Variable:
    return xr.Variable(dims, data, attrs={"units": units, "long_name": long_name, **attrs})


# -- the three actors, on and off ---------------------------------------------------------------
@dataclass(frozen=True)
class _Inputs:
    """Each actor's contribution before chemistry, without (index 0) and with (1) its measures.

    An actor without measures has the same entry twice (it is then not a player of the split).
    """

    district: tuple[F64, F64]
    city: tuple[F64 | None, F64 | None]
    region: tuple[Any, Any]  # RegionalBackground | None
    acting: tuple[str, ...]


def _district_emissions(state: RunState) -> F64:
    """The district's hourly emissions summed over sectors, kg/h, with the sensitivity factors."""
    factors = dict(zip(SECTORS, _air(state.scenario).district.factors(), strict=True))
    out = np.zeros((state.calendar.n_hours, len(POLLUTANTS)))
    for key, arr in state.source_emissions.items():
        factor = factors[key.split(".", 1)[0]]
        out += arr if all(f == 1.0 for f in factor) else arr * np.asarray(factor)
    return out


def _inputs(state: RunState, counterfactual: RunState | None, met: MetArrays) -> _Inputs:
    cfg = _air(state.scenario)
    params = air_params(state.scenario)
    cal = state.calendar
    acting = []
    d_with = box(_district_emissions(state), met, params.district, params)
    d_without = d_with
    if counterfactual is not None:
        d_without = box(_district_emissions(counterfactual), met, params.district, params)
        acting.append("district")
    c_with = c_without = None
    if params.city is not None:
        city_base = actor_emissions(cfg.city, cal, with_measures=False)
        c_without = box(city_base, met, params.city, params)
        c_with = c_without
        if _changes(cfg.city, cal):
            c_with = box(actor_emissions(cfg.city, cal), met, params.city, params)
            acting.append("city")
    weights = _weights(cal)
    reference = actor_emissions_kg_h(_reference_t(REGION_INVENTORY_KT), weights)
    r_without = actor_emissions(cfg.region, cal, with_measures=False)
    bg_without = background(met, params, relative_change(r_without, reference))
    bg_with = bg_without
    if params.region is not None and _changes(cfg.region, cal):
        r_with = actor_emissions(cfg.region, cal)
        bg_with = background(met, params, relative_change(r_with, reference))
        acting.append("region")
    return _Inputs((d_without, d_with), (c_without, c_with), (bg_without, bg_with), tuple(acting))


def _coalition(inputs: _Inputs, on: frozenset[str], params: AirParams) -> ScaleIncrements:
    pick = {a: int(a in on) for a in ACTORS}
    return increments(
        inputs.district[pick["district"]], inputs.city[pick["city"]],
        inputs.region[pick["region"]], params,
    )  # fmt: skip


def _all_coalitions(
    inputs: _Inputs, params: AirParams
) -> tuple[list[frozenset[str]], ScaleIncrements]:
    """Every coalition of the acting actors at once, by broadcasting: an acting actor has an
    axis of length 2 (off, on), the others of length 1; increments are ``(2|1, 2|1, 2|1, n, ...)``.
    """
    off = _coalition(inputs, frozenset(), params)
    on = _coalition(inputs, frozenset(inputs.acting), params)

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


def _stats(total: F64, calendar: Calendar, o3_with_1h: bool) -> list[dict[str, float]]:
    """The annual figures of each coalition, from totals ``(k, n_hours, 6)``."""
    daily = daily_table(np.moveaxis(total, 0, 1), calendar, o3_with_1h, with_primary=False)
    aqi_value = daily["aqi"].aqi
    valid = ~np.isnan(aqi_value)
    good = np.sum(daily["aqi"].good & valid, axis=0)
    n_valid = valid.sum(axis=0)
    heavy = np.sum(np.nan_to_num(aqi_value) > HEAVY_POLLUTION_AQI, axis=0)
    out = []
    for k in range(total.shape[0]):
        out.append({
            "pm25_annual_mean_ug_m3": float(total[k, :, 0].mean()),
            "pm10_annual_mean_ug_m3": float(total[k, :, 1].mean()),
            "no2_annual_mean_ug_m3": float(total[k, :, 3].mean()),
            "o3_8h_p90_ug_m3": float(o3_8h_percentile(daily["mda8"][:, k])),
            "good_days_ratio": float(good[k] / n_valid[k]) if n_valid[k] else float("nan"),
            "good_days": int(good[k]),
            "heavy_pollution_days": int(heavy[k]),
        })  # fmt: skip
    return out


def _rounded(stats: dict[str, float]) -> dict[str, float]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in stats.items()}


def _by_actor(inputs: _Inputs, met: MetArrays, params: AirParams, cal: Calendar,
              o3_with_1h: bool) -> dict[str, Any]:  # fmt: skip
    """Every coalition of the acting actors in one batch; the Shapley split; district alone."""
    acting = inputs.acting
    coalitions, inc = _all_coalitions(inputs, params)
    totals = total_concentrations(inc, met, params)
    totals = totals.reshape(len(coalitions), *totals.shape[-2:])
    stats = dict(zip(coalitions, _stats(totals, cal, o3_with_1h), strict=True))

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


def _dataset(resp: AirResponse, daily: dict[str, Any], cal: Calendar, scalars: dict[str, Any],
             months: pd.DatetimeIndex, monthly: F64) -> xr.Dataset:  # fmt: skip
    """The air variables of the results Dataset."""
    result = daily["aqi"]
    data_vars = {
        "air_concentration": _var(
            ("time", "air_pollutant"), resp.total, _UG, "hourly concentration at the district",
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
        "air_pollutant": ("air_pollutant", list(AIR_POLLUTANTS), {"long_name": "pollutant"}),
        "scale": ("scale", list(SCALES), {"long_name": "scale of origin"}),
        "formation": ("formation", list(FORMATIONS), {"long_name": "primary or secondary"}),
        "day": ("day", cal.days.values, {"long_name": "calendar day, local time"}),
        "month": ("month", months.values, {"long_name": "first day of the month"}),
        "time": ("time", cal.times.values, {"long_name": "start of hour, local time"}),
    }
    return xr.Dataset(data_vars, coords=coords)


def _actor_summary(
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
        "assumption": _ASSUMPTION,
    }


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
        f" — assumption: {_ASSUMPTION}",
    ]


def compute(state: RunState, *, counterfactual: RunState | bool | None = True) -> Outcome:
    """The air outcome of a run (see the module docstring).

    Parameters
    ----------
    state
        The finished run.
    counterfactual
        The same run without measures, for the district's share of the change: True (default)
        runs it when a measure is enabled; False or None uses none (the district then counts as
        an actor without measures).
    """
    if counterfactual is True:
        counterfactual = counterfactual_state(state)
    elif counterfactual is False:
        counterfactual = None
    cfg = _air(state.scenario)
    cal = state.calendar
    params = air_params(state.scenario)
    met = met_arrays(cal, state.weather)
    inputs = _inputs(state, counterfactual, met)
    every = frozenset(inputs.acting)
    resp = respond(_coalition(inputs, every, params), met, params)
    o3_with_1h = cfg.o3_daily_index == "8h_and_1h"
    split = _by_actor(inputs, met, params, cal, o3_with_1h)
    total = resp.total
    daily = daily_table(total, cal, o3_with_1h)
    result = daily["aqi"]
    months, month_idx = _months(cal)
    counts = np.bincount(month_idx, minlength=len(months))
    monthly = np.zeros((len(months), len(SCALES)))
    np.add.at(monthly, month_idx, resp.by_scale[:, 0, :])
    monthly /= counts[:, None]
    valid = ~np.isnan(result.aqi)
    n_valid = int(valid.sum())
    scalars = {
        "pm25": float(total[:, 0].mean()),
        "p90": float(o3_8h_percentile(daily["mda8"])),
        "good_ratio": float(result.good.sum() / n_valid) if n_valid else float("nan"),
        "heavy": int(np.sum(np.nan_to_num(result.aqi) > HEAVY_POLLUTION_AQI)),
    }
    by_scale_mean = resp.by_scale.mean(axis=0)
    origin_mean = resp.pm25_by_origin.mean(axis=0)
    primaries = pd.Series(result.primary[result.aqi > 50]).value_counts()
    summary = {
        "units": {"concentration": "ug/m3 (CO mg/m3)", "ratio": "fraction"},
        "pm25_annual_mean_ug_m3": round(scalars["pm25"], 3),
        "pm25_by_scale_ug_m3": {
            s: round(float(by_scale_mean[0, i]), 3) for i, s in enumerate(SCALES)
        },
        "pm25_by_origin_ug_m3": {
            f"{s}_{f}": round(float(origin_mean[i, j]), 3)
            for i, s in enumerate(SCALES) for j, f in enumerate(FORMATIONS)
        },
        "pm10_annual_mean_ug_m3": round(float(total[:, 1].mean()), 3),
        "so2_annual_mean_ug_m3": round(float(total[:, 2].mean()), 3),
        "no2_annual_mean_ug_m3": round(float(total[:, 3].mean()), 3),
        "co_annual_mean_mg_m3": round(float(total[:, 4].mean()) / 1000.0, 4),
        "o3_8h_p90_ug_m3": round(scalars["p90"], 3),
        "good_days_ratio": round(scalars["good_ratio"], 4),
        "good_days": int(result.good.sum()),
        "days": n_valid,
        "heavy_pollution_days": scalars["heavy"],
        "pm25_monthly_mean_ug_m3": {
            f"{m:%Y-%m}": round(float(v), 3)
            for m, v in zip(months, monthly.sum(axis=1), strict=True)
        },
        "primary_pollutant_days": {str(k): int(v) for k, v in primaries.items()},
        **_actor_summary(split, cfg, inputs.acting),
        "counterfactual_run": counterfactual is not None,
    }  # fmt: skip
    dataset = _dataset(resp, daily, cal, scalars, months, monthly)
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
    cfg = _air(scenario)
    params = air_params(scenario)
    met = met_arrays(cal, ctx.weather)
    city = actor_emissions(cfg.city, cal, with_measures=False)
    if params.city is None:  # no city: neither its box nor its emission density
        city = np.zeros_like(city)
    district = city * (scenario.district.area_km2 / cfg.city.area_km2)
    resp = air_response(district, city if params.city is not None else None, met, params)
    days = daily_means(_full_days(resp.total[:, 0], cal), min_valid_hours=1)
    return np.asarray(days, dtype=np.float64)
