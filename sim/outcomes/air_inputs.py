"""Inputs of the air outcome: the physics parameters, the weather arrays and each actor's part.

The district's hourly emissions come from the run (its measures are the ``policies``); the rest of
Tianjin's and the region's from their own inventories by sub-sector, time profiles and dated
measures (:mod:`sim.air.actors`, :mod:`sim.air.profiles`). :func:`actor_inputs` makes each
actor's contribution before chemistry with and without its own measures (docs/model.md (Air)).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.air.actors import ActorChange, actor_emissions_kg_h, relative_change, with_changes
from sim.air.background import RegionalBackground, RegionParams
from sim.air.batch import Variants, Weathered, box_variants, region_variants
from sim.air.haze_feedback import HazeFeedbackParams, haze_mixing_height
from sim.air.ozone import OzoneParams
from sim.air.profiles import SUBSECTORS, daily_weights, hourly_weights
from sim.air.response import AirParams, BoxGeometry, MetArrays, background
from sim.air.secondary import SecondaryParams
from sim.scenario.sections.air import REGION_INVENTORY_KT, AirConfig, CityConfig, RegionConfig
from sim.scenario.vocabulary import HOURS_PER_YEAR, KG_PER_T, POLLUTANTS, SECTORS

if TYPE_CHECKING:
    from sim.calendar import Calendar
    from sim.engine import RunState
    from sim.scenario.schema import Scenario
    from sim.weather import Weather

__all__ = [
    "ActorInputs",
    "actor_emissions",
    "actor_inputs",
    "air_config",
    "air_params",
    "met_arrays",
]

F64 = NDArray[np.float64]


def air_config(scenario: Scenario) -> AirConfig:
    return scenario.air if scenario.air is not None else AirConfig()


def air_params(scenario: Scenario) -> AirParams:
    """The physics parameters of ``scenario.air`` (defaults when the section is absent)."""
    cfg = air_config(scenario)
    reg = cfg.region
    chem = cfg.chemistry
    region = RegionParams(
        pm25_ug_m3=reg.pm25_ug_m3,
        pm25_seasonal_amplitude=reg.pm25_seasonal_amplitude,
        pm25_peak_day=reg.pm25_peak_day,
        pm25_semiannual_amplitude=reg.pm25_semiannual_amplitude,
        pm25_semiannual_peak_day=reg.pm25_semiannual_peak_day,
        ventilation_exponent=reg.ventilation_exponent,
        ventilation_ref_m2_s=reg.ventilation_ref_m2_s,
        ventilation_seasonal_exponent=reg.ventilation_seasonal_exponent,
        ventilation_window_h=reg.ventilation_window_h,
        relaxation_h=reg.relaxation_h,
        washout_per_h_per_mm_h=reg.washout_per_h_per_mm_h,
        humidity_enhancement=reg.humidity_enhancement,
        secondary_fraction=reg.secondary_fraction,
        precursor_weights=reg.precursor_weights,
        o3_produced_share=reg.o3_produced_share,
        gases_ug_m3=(reg.no2_ug_m3, reg.so2_ug_m3, reg.co_ug_m3, reg.voc_ug_m3, reg.nh3_ug_m3),
        o3_ug_m3=reg.o3_ug_m3,
        o3_seasonal_amplitude=reg.o3_seasonal_amplitude,
        o3_peak_day=reg.o3_peak_day,
        o3_temperature_coeff_per_k=reg.o3_temperature_coeff_per_k,
        o3_solar_exponent=reg.o3_solar_exponent,
        mixing_pace_exponent=reg.mixing_pace_exponent,
    )
    haze = cfg.haze_feedback
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
        product_deposition_m_s=cfg.deposition.products(),
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
        haze_feedback=(
            HazeFeedbackParams(
                relative_reduction_ref=haze.relative_reduction_ref,
                pm25_ref_ug_m3=haze.pm25_ref_ug_m3,
                exponent=haze.exponent,
                max_relative_reduction=haze.max_relative_reduction,
            )
            if haze.enabled
            else None
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
    """The time profiles of every hour of ``calendar`` (:func:`sim.air.profiles.hourly_weights`;
    a run of whole days from midnight by :func:`sim.air.profiles.daily_weights`, the same
    numbers)."""
    # Monday = 0 (pandas' day_of_week) from the days since 1970-01-01, a Thursday
    since_epoch = calendar.days.values.astype("datetime64[D]").astype(np.int64)
    weekday = (since_epoch + 3) % 7
    n_days = len(weekday)
    hours = calendar.hour_of_day
    if calendar.n_hours == 24 * n_days and np.array_equal(
        hours.reshape(n_days, 24), np.broadcast_to(np.arange(24), (n_days, 24))
    ):
        return daily_weights(calendar.month[::24], weekday)
    return hourly_weights(calendar.month, weekday[calendar.day_index], hours)


def actor_emissions(
    actor: CityConfig | RegionConfig,
    calendar: Calendar,
    *,
    with_measures: bool = True,
    weights: F64 | None = None,
) -> F64:
    """Hourly emissions of the city or the region, kg/h ``(n_hours, n_pollutants)``.

    ``weights``: the time profiles of :func:`sim.air.profiles.hourly_weights` for ``calendar``
    (computed when None).
    """
    w = _weights(calendar) if weights is None else weights
    changes = _changes(actor, calendar) if with_measures else []
    return actor_emissions_kg_h(_inventory(actor), w, changes)


def _emission_variants(
    actor: CityConfig | RegionConfig, calendar: Calendar, weights: F64
) -> list[F64]:
    """The actor's hourly emissions without its measures and, when it has some, with them
    (the measures added to the same base, :func:`sim.air.actors.with_changes`)."""
    inventory = _inventory(actor)
    base = actor_emissions_kg_h(inventory, weights)
    changes = _changes(actor, calendar)
    if not changes:
        return [base]
    rate = inventory * (KG_PER_T / HOURS_PER_YEAR)
    return [base, with_changes(base, rate, weights, changes)]


def met_arrays(calendar: Calendar, weather: Weather, params: AirParams | None = None) -> MetArrays:
    """The weather arrays the response needs; with ``params`` whose ``haze_feedback`` is set
    (and a region), the mixing height is the one lowered by the regional haze
    (:func:`sim.air.haze_feedback.haze_mixing_height`)."""
    met = MetArrays(
        wind_m_s=weather.wind_m_s,
        mixing_height_m=weather.mixing_height_m,
        temperature_c=weather.temperature_c,
        relative_humidity_pct=weather.relative_humidity_pct,
        solar_w_m2=weather.solar_w_m2,
        rain_mm_h=weather.rain_mm_h,
        day_of_year=calendar.day_of_year.astype(np.float64),
    )
    if params is None or params.haze_feedback is None or params.region is None:
        return met
    height, _ = haze_mixing_height(
        met.day_of_year, met.wind_m_s, met.mixing_height_m, met.rain_mm_h, met.solar_w_m2,
        params.region, params.haze_feedback, relative_humidity_pct=met.relative_humidity_pct,
    )  # fmt: skip
    return replace(met, mixing_height_m=height)


# -- the three actors, on and off ---------------------------------------------------------------
@dataclass(frozen=True)
class ActorInputs:
    """Each actor's increments before chemistry, one variant per row (:class:`Variants`): the
    first without its measures, the last with them; an actor without measures has one row
    (it is then not a player of the split). ``acting`` names the actors with two rows."""

    variants: Variants
    acting: tuple[str, ...]


def _district_emissions(state: RunState) -> F64:
    """The district's hourly emissions summed over sectors, kg/h, with the sensitivity factors."""
    factors = dict(zip(SECTORS, air_config(state.scenario).district.factors(), strict=True))
    out = np.zeros((state.calendar.n_hours, len(POLLUTANTS)))
    for key, arr in state.source_emissions.items():
        factor = factors[key.split(".", 1)[0]]
        out += arr if all(f == 1.0 for f in factor) else arr * np.asarray(factor)
    return out


def _time_last(series: list[F64]) -> F64:
    """``(k, n_pollutants, n_hours)`` from ``k`` arrays ``(n_hours, n_pollutants)``."""
    out = np.empty((len(series), *series[0].shape[::-1]))
    for row, s in zip(out, series, strict=True):
        row[...] = s.T
    return out


def _regional(emissions: list[F64], reference: F64, met: MetArrays, params: AirParams,
              weather: Weathered) -> list[RegionalBackground | None]:  # fmt: skip
    """The background for each of the region's emission series. A series equal to the reference
    inventory's takes the plain background (the same numbers as a relative change of 1, at a
    quarter of the cost); the others are computed in one call."""
    rel = [np.ones(()) if e is reference else relative_change(e, reference) for e in emissions]
    plain = [bool(np.all(r == 1.0)) for r in rel]
    out: list[RegionalBackground | None] = [None] * len(rel)
    if any(plain):
        bg = background(met, params, weather=weather.region)
        out = [bg if p else None for p in plain]
    changed = [i for i, p in enumerate(plain) if not p]
    if not changed:
        return out
    bg = background(met, params, np.stack([rel[i] for i in changed]), weather.region)
    if bg is None:
        return out
    share = np.broadcast_to(np.asarray(bg.secondary_share), bg.pm25.shape)
    for j, i in enumerate(changed):
        out[i] = RegionalBackground(bg.pm25[j], bg.gases[j], bg.o3[j], share[j])
    return out


def actor_inputs(
    state: RunState,
    counterfactual: RunState | None,
    met: MetArrays,
    params: AirParams,
    weather: Weathered,
) -> ActorInputs:
    """Each actor's increments without and with its own measures (:class:`ActorInputs`)."""
    cfg = air_config(state.scenario)
    cal = state.calendar
    weights = _weights(cal)
    acting = []
    district = [_district_emissions(state)]
    if counterfactual is not None:
        district.insert(0, _district_emissions(counterfactual))
        acting.append("district")
    d = box_variants(_time_last(district), met, params.district, params, weather)
    c = np.zeros((1, len(POLLUTANTS), cal.n_hours))
    if params.city is not None:
        city = _emission_variants(cfg.city, cal, weights)
        if len(city) > 1:
            acting.append("city")
        c = box_variants(_time_last(city), met, params.city, params, weather)
        c *= params.city_receptor_factor
    region = _emission_variants(cfg.region, cal, weights)
    if params.region is None:
        region = region[:1]
    elif len(region) > 1:
        acting.append("region")
    reference_t = _reference_t(REGION_INVENTORY_KT)
    reference = (
        region[0]  # the default inventory: the same numbers, not computed twice
        if np.array_equal(_inventory(cfg.region), reference_t)
        else actor_emissions_kg_h(reference_t, weights)
    )
    gases, pm25, o3, share = region_variants(
        _regional(region, reference, met, params, weather), cal.n_hours, params
    )
    return ActorInputs(Variants(d, c, gases, pm25, o3, share), tuple(acting))
