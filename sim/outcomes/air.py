"""Air-quality outcome of a run: concentrations by scale, daily AQI, good days, annual statistics.

``compute(state)`` turns the district's hourly sector emissions, a city inventory and the regional
background into hourly PM2.5, PM10, SO2, NO2, CO and O3 split into district / city / region (and
PM2.5 into primary / secondary), then the HJ 633-2012 daily AQI. ``forecast_daily_pm25(ctx)`` gives
the heavy-pollution alert measure a deterministic forecast before the SimPy run. The physics is in
:mod:`sim.air`; the model is described in docs/model.md (Air).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from sim.air.aqi import CATEGORY_NAMES, aqi, daily_max_8h, o3_8h_percentile
from sim.air.background import RegionParams
from sim.air.chemistry import OzoneParams, SecondaryParams
from sim.air.city import city_emissions_kg_h
from sim.air.response import (
    AIR_POLLUTANTS,
    FORMATIONS,
    SCALES,
    AirParams,
    AirResponse,
    BoxGeometry,
    MetArrays,
    air_response,
)
from sim.outcomes import Outcome
from sim.sources.base import POLLUTANTS, SECTORS

if TYPE_CHECKING:
    from sim.calendar import Calendar
    from sim.engine import ProcessContext, RunState
    from sim.scenario.schema import Scenario
    from sim.scenario.sections.air import AirConfig
    from sim.weather import Weather

__all__ = [
    "air_params",
    "city_change_factor",
    "compute",
    "counterfactual_state",
    "daily_table",
    "forecast_daily_pm25",
    "met_arrays",
    "pm25_response",
]

F64 = NDArray[np.float64]
_UG = "ug m-3"
_HEAVY_AQI = 200.0


def _air(scenario: Scenario) -> AirConfig:
    from sim.scenario.sections.air import AirConfig

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
        change=reg.change,
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


def city_change_factor(cfg: AirConfig) -> F64:
    """Product of the explicit city-level changes, ``(n_sectors, n_pollutants)``."""
    factor = np.ones((len(SECTORS), len(POLLUTANTS)))
    for change in cfg.city.changes:
        rows = slice(None) if change.sector == "all" else SECTORS.index(change.sector)
        cols = slice(None) if change.pollutant == "all" else POLLUTANTS.index(change.pollutant)
        factor[rows, cols] *= 1.0 + change.relative_change
    return factor


def _inventory(cfg: AirConfig) -> F64:
    inv = np.zeros((len(SECTORS), len(POLLUTANTS)))
    for item in cfg.city.inventory:
        inv[SECTORS.index(item.name)] = item.as_tuple()
    return inv


def counterfactual_state(state: RunState) -> RunState | None:
    """The same scenario and seed with every measure disabled; None when none is enabled."""
    return state.without_measures()


def _full_days(hourly: F64, calendar: Calendar) -> F64:
    """``(n_days, 24, ...)`` with NaN for hours outside the run."""
    out = np.full((len(calendar.days), 24, *hourly.shape[1:]), np.nan)
    out[calendar.day_index, calendar.hour_of_day] = hourly
    return out


def daily_table(total_ug_m3: F64, calendar: Calendar, o3_with_1h: bool = False) -> dict[str, Any]:
    """Daily statistics and AQI from hourly totals ``(n_hours, len(AIR_POLLUTANTS))``.

    Returns a mapping with ``means`` (n_days, 6; O3 column = MDA8; µg/m³), ``mda8``, ``aqi``
    (:class:`sim.air.aqi.AQIResult`).
    """
    days = _full_days(total_ug_m3, calendar)
    with np.errstate(invalid="ignore"):
        valid = np.sum(~np.isnan(days[..., 0]), axis=1)
        means = np.where(valid[:, None] >= 20, np.nanmean(days, axis=1), np.nan)
    mda8 = daily_max_8h(days[..., 5].reshape(-1))
    means[:, 5] = mda8
    o3_1h = np.nanmax(days[..., 5], axis=1) if o3_with_1h else None
    result = aqi(
        pm25_24h=means[:, 0],
        pm10_24h=means[:, 1],
        so2_24h=means[:, 2],
        no2_24h=means[:, 3],
        co_24h=means[:, 4] / 1000.0,
        o3_8h=mda8,
        o3_1h=o3_1h,
    )
    return {"means": means, "mda8": mda8, "aqi": result}


def _months(calendar: Calendar) -> tuple[pd.DatetimeIndex, NDArray[np.int64]]:
    month_start = calendar.times.to_period("M").to_timestamp()
    months = pd.DatetimeIndex(month_start.unique())
    return months, np.asarray(months.get_indexer(month_start), dtype=np.int64)


def _var(dims: tuple[str, ...], data: Any, units: str, long_name: str, **attrs: Any) -> xr.Variable:
    return xr.Variable(dims, data, attrs={"units": units, "long_name": long_name, **attrs})


def _response(state: RunState, counterfactual: RunState | None) -> AirResponse:
    cfg = _air(state.scenario)
    params = air_params(state.scenario)
    district = state.sector_emissions()
    city = None
    if params.city is not None:
        base = counterfactual.sector_emissions() if counterfactual is not None else district
        with_ = district if counterfactual is not None else None
        city = city_emissions_kg_h(
            _inventory(cfg), base, with_, cfg.city.adoption, city_change_factor(cfg)
        )
    return air_response(
        district.sum(axis=1), city, met_arrays(state.calendar, state.weather), params
    )


def compute(state: RunState, *, counterfactual: RunState | bool | None = True) -> Outcome:
    """The air outcome of a run (see the module docstring).

    Parameters
    ----------
    state
        The finished run.
    counterfactual
        The same run without measures, for the city's adoption of them: True (default) runs it
        when a measure is enabled; False or None uses none (the city ignores the measures).
    """
    if counterfactual is True:
        counterfactual = counterfactual_state(state)
    elif counterfactual is False:
        counterfactual = None
    cfg = _air(state.scenario)
    cal = state.calendar
    resp = _response(state, counterfactual)
    total = resp.total
    daily = daily_table(total, cal, cfg.o3_daily_index == "8h_and_1h")
    result = daily["aqi"]
    months, month_idx = _months(cal)
    counts = np.bincount(month_idx, minlength=len(months))
    monthly = np.zeros((len(months), len(SCALES)))
    np.add.at(monthly, month_idx, resp.by_scale[:, 0, :])
    monthly /= counts[:, None]
    good = result.good
    valid = ~np.isnan(result.aqi)
    n_valid = int(valid.sum())
    pm25_mean = float(total[:, 0].mean())
    p90 = float(o3_8h_percentile(daily["mda8"]))
    good_ratio = float(good.sum() / n_valid) if n_valid else float("nan")
    heavy = int(np.sum(result.aqi > _HEAVY_AQI))
    by_scale_mean = resp.by_scale.mean(axis=0)
    origin_mean = resp.pm25_by_origin.mean(axis=0)

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
            ("day",), good.astype(np.int8), "1", "good day (AQI <= 100)",
            flag_values="0 1", flag_meanings="no yes",
        ),
        "pm25_monthly_mean": _var(
            ("month", "scale"), monthly, _UG, "monthly mean PM2.5 by scale",
            cell_methods="time: mean",
        ),
        "pm25_mean": _var((), pm25_mean, _UG, "PM2.5 mean over the run"),
        "o3_8h_p90": _var((), p90, _UG, "90th percentile of daily maximum 8-h O3 (HJ 663)"),
        "good_days_ratio": _var((), good_ratio, "1", "share of days with AQI <= 100"),
        "heavy_pollution_days": _var((), heavy, "d", "days with AQI > 200"),
    }  # fmt: skip
    coords = {
        "air_pollutant": ("air_pollutant", list(AIR_POLLUTANTS), {"long_name": "pollutant"}),
        "scale": ("scale", list(SCALES), {"long_name": "scale of origin"}),
        "formation": ("formation", list(FORMATIONS), {"long_name": "primary or secondary"}),
        "day": ("day", cal.days.values, {"long_name": "calendar day, local time"}),
        "month": ("month", months.values, {"long_name": "first day of the month"}),
        "time": ("time", cal.times.values, {"long_name": "start of hour, local time"}),
    }
    dataset = xr.Dataset(data_vars, coords=coords)
    primaries = pd.Series(result.primary[result.aqi > 50]).value_counts()
    summary = {
        "units": {"concentration": "ug/m3 (CO mg/m3)", "ratio": "fraction"},
        "pm25_annual_mean_ug_m3": round(pm25_mean, 3),
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
        "o3_8h_p90_ug_m3": round(p90, 3),
        "good_days_ratio": round(good_ratio, 4),
        "good_days": int(good.sum()),
        "days": n_valid,
        "heavy_pollution_days": heavy,
        "pm25_monthly_mean_ug_m3": {
            f"{m:%Y-%m}": round(float(v), 3)
            for m, v in zip(months, monthly.sum(axis=1), strict=True)
        },
        "primary_pollutant_days": {str(k): int(v) for k, v in primaries.items()},
        "city_adoption": _air(state.scenario).city.adoption,
        "counterfactual_run": counterfactual is not None,
    }  # fmt: skip
    share = {s: by_scale_mean[0, i] / pm25_mean if pm25_mean else 0 for i, s in enumerate(SCALES)}
    lines = [
        f"air: PM2.5 {pm25_mean:.1f} ug/m3 (district {by_scale_mean[0, 0]:.1f} "
        f"[{share['district']:.0%}], city {by_scale_mean[0, 1]:.1f}, region "
        f"{by_scale_mean[0, 2]:.1f}); good days {good_ratio:.1%} ({int(good.sum())}/{n_valid}); "
        f"O3-8h p90 {p90:.0f} ug/m3; heavy-pollution days {heavy}",
    ]
    return Outcome(dataset=dataset, summary=summary, lines=lines)


def forecast_daily_pm25(ctx: ProcessContext) -> F64:
    """Deterministic PM2.5 forecast, µg/m³, one value per day of ``ctx.calendar.days``.

    ``out[i]`` is the forecast daily mean for day ``i`` (issued on day ``i - 1``: read it the day
    before as the next-day forecast). It runs before the SimPy run and uses the run's weather as a
    perfect meteorological forecast (the caller adds the forecast error), the regional
    background, the city box with the inventory spread evenly over the year, and a climatological
    district increment: the district box fed with the city's mean emission density × the
    district's area (the district's own emissions are not known before the run). No measure is
    assumed.
    """
    scenario, cal = ctx.scenario, ctx.calendar
    cfg = _air(scenario)
    params = air_params(scenario)
    met = met_arrays(cal, ctx.weather)
    n = cal.n_hours
    inv = _inventory(cfg) * city_change_factor(cfg)
    city_rate = inv.sum(axis=0) * 1000.0 / 8766.0  # kg/h over the rest of the city
    city = np.broadcast_to(city_rate, (n, len(POLLUTANTS))).copy()
    density = city_rate / cfg.city.area_km2
    district = np.broadcast_to(density * scenario.district.area_km2, (n, len(POLLUTANTS))).copy()
    resp = air_response(district, city if params.city is not None else None, met, params)
    days = _full_days(resp.total[:, 0], cal)
    with np.errstate(invalid="ignore"):
        return np.asarray(np.nanmean(days, axis=1), dtype=np.float64)


def pm25_response(state: RunState, district_kg_h: F64) -> tuple[F64, F64]:
    """Annual-mean PM2.5 and good-days ratio for other district emissions, the rest unchanged.

    The narrow entry point for cost-effectiveness (:mod:`sim.measure_effects`): the city and the
    region stay as in ``state``'s own air outcome; only the district's hourly emissions change.

    Parameters
    ----------
    state
        The finished run.
    district_kg_h
        Alternative district emissions, kg/h, shape ``(m, n_hours, len(POLLUTANTS))`` (one per
        alternative, e.g. the run without one measure).

    Returns
    -------
    tuple
        Annual-mean PM2.5 (µg/m³) and good-days ratio, each of shape ``(m,)``. Evaluated one
        alternative at a time: secondary PM2.5 is not linear in the emissions.
    """
    cfg = _air(state.scenario)
    params = air_params(state.scenario)
    met = met_arrays(state.calendar, state.weather)
    own = state.sector_emissions()
    city = None
    if params.city is not None:
        cf = counterfactual_state(state)
        base = cf.sector_emissions() if cf is not None else own
        city = city_emissions_kg_h(
            _inventory(cfg), base, own if cf is not None else None, cfg.city.adoption,
            city_change_factor(cfg),
        )  # fmt: skip
    bg = None
    if params.region is not None:  # depends on the weather only: computed once
        from sim.air.background import regional_background

        bg = regional_background(
            met.day_of_year, met.wind_m_s, met.mixing_height_m, met.rain_mm_h, params.region,
            relative_humidity_pct=met.relative_humidity_pct, temperature_c=met.temperature_c,
            solar_w_m2=met.solar_w_m2,
        )  # fmt: skip
    pm25 = np.empty(len(district_kg_h))
    good = np.empty(len(district_kg_h))
    for k, district in enumerate(district_kg_h):
        total = air_response(district, city, met, params, background=bg).total
        result = daily_table(total, state.calendar)["aqi"]
        valid = int(np.sum(~np.isnan(result.aqi)))
        pm25[k] = float(total[:, 0].mean())
        good[k] = float(result.good.sum() / valid) if valid else float("nan")
    return pm25, good
