"""Every combination of the actors' variants in one pass: boxes once, chemistry once.

The air outcome needs the same weather evaluated for up to 8 coalitions (each of district, city
and region with or without its own measures, :mod:`sim.outcomes.air_actors`). The boxes are
linear in the emissions and each actor's box only sees that actor's emissions, so each actor's
increments are computed once per variant (``(k, 7, n_hours)``, time last); the chemistry, which
is not linear (NH3 is shared by the boxes' nitrate; O3 and NO2 depend on all the gases), then runs
once for all coalitions at once, broadcast along leading axes ``(k_district, k_city, k_region)``.
Quantities of the weather alone (conversion rates, washout, reaction times, the SOA yield per
µg/m³ of VOC) are computed once (:class:`Weathered`).

The physics is that of :mod:`sim.air.response` (its :func:`~sim.air.response.respond` evaluates
one coalition with the attribution by scale, the reference these functions are tested against).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.air.background import (
    GAS_COLUMNS,
    RegionalBackground,
    RegionalWeather,
    regional_weather,
)
from sim.air.chemistry_rows import production_constants, production_weather
from sim.air.dispersion import KG_H_TO_UG_S, box_series
from sim.air.kernels import (
    WEATHER_ROWS,
    by_scale_rows,
    coalition_totals,
    no2_o3_partition,
    ozone_production,
)
from sim.air.ozone import partition_weather as o3_partition_weather
from sim.air.response import AMBIENT, EMITTED, AirParams, BoxGeometry, MetArrays
from sim.air.secondary import (
    M_NH3,
    M_NH4,
    M_NO2,
    M_NO3,
    M_SO2,
    M_SO4,
    conversion_rates_per_h,
    partition_weather,
    soa_yield,
)

__all__ = [
    "Evaluated",
    "Variants",
    "Weathered",
    "box_variants",
    "evaluate",
    "region_variants",
    "weathered",
]

F64 = NDArray[np.float64]
_N_AMBIENT = len(AMBIENT)


@dataclass(frozen=True)
class Weathered:
    """What the chemistry needs from the weather alone, each ``(n_hours,)``.

    Attributes
    ----------
    so2_per_h, nox_per_h
        Conversion rates of SO2 to sulfate and NOx to nitrate, 1/h
        (:func:`sim.air.secondary.conversion_rates_per_h`).
    washout_per_s
        PM (and product) wet scavenging, 1/s.
    soa_district, soa_city
        SOA formed per µg/m³ of VOC increment over each box's mean age ``L/(2u)`` (the city's
        capped), µg/µg; ``soa_city`` None without a city box.
    local_h
        Hours of O3 production the district's own emissions get, ``min(τ, L/(2u))``.
    ppb_per_umol, kp_ppb2
        The weather's part of the inorganic partition
        (:func:`sim.air.secondary.partition_weather`).
    kernel_weather
        The rows :data:`sim.air.kernels.WEATHER_ROWS` of :func:`evaluate`'s kernel ``(12, n)``.
    region
        The weather's part of the regional background
        (:func:`sim.air.background.regional_weather`; None when the region is off).
    """

    so2_per_h: F64
    nox_per_h: F64
    washout_per_s: F64
    soa_district: F64
    soa_city: F64 | None
    local_h: F64
    ppb_per_umol: F64
    kp_ppb2: F64
    kernel_weather: F64
    region: RegionalWeather | None = None


def weathered(met: MetArrays, params: AirParams) -> Weathered:
    """The weather-only factors of :class:`Weathered` (reaction times as in ``respond``; SOA is
    linear in VOC: the SOA formed per µg/m³ of VOC increment over each box's mean age)."""
    rates = conversion_rates_per_h(
        met.temperature_c, met.relative_humidity_pct, met.solar_w_m2, params.secondary
    )
    hours_over = 0.5 / met.wind_m_s / 3600.0  # mean age per metre of box length, h/m
    tau = [params.district.length_m * hours_over]
    if params.city is not None:
        tau.append(np.minimum(params.city.length_m * hours_over, params.city_max_reaction_time_h))
    # SOA per µg/m³ of VOC: what secondary_pm forms from 1 µg/m³ over the box's mean age
    soa = -np.expm1(-rates["VOC"] * np.stack(tau)) * soa_yield(met.temperature_c, params.secondary)
    ppb_per_umol, kp = partition_weather(
        met.temperature_c, met.relative_humidity_pct, params.secondary
    )
    local_h = np.minimum(params.ozone.accumulation_time_h, params.district.length_m * hours_over)
    rows = (
        ppb_per_umol, kp, *production_weather(met.solar_w_m2, met.temperature_c, params.ozone),
        local_h, *o3_partition_weather(met.solar_w_m2, met.temperature_c, params.ozone), soa[0],
        soa[1] if params.city is not None else np.zeros_like(soa[0]),
    )  # fmt: skip
    kernel_weather = np.empty((len(WEATHER_ROWS), len(local_h)))
    for row, values in zip(kernel_weather, rows, strict=True):
        row[...] = values
    return Weathered(
        so2_per_h=np.asarray(rates["SO2"]), nox_per_h=np.asarray(rates["NOx"]),
        washout_per_s=params.washout_per_h_per_mm_h / 3600.0 * np.maximum(met.rain_mm_h, 0.0),
        soa_district=soa[0], soa_city=soa[1] if params.city is not None else None,
        local_h=local_h, ppb_per_umol=ppb_per_umol, kp_ppb2=kp, kernel_weather=kernel_weather,
        region=_regional_weather(met, params),
    )  # fmt: skip


def _regional_weather(met: MetArrays, params: AirParams) -> RegionalWeather | None:
    """The weather's part of the regional background (None when the region is off)."""
    if params.region is None:
        return None
    return regional_weather(
        met.day_of_year, met.wind_m_s, met.mixing_height_m, met.rain_mm_h, params.region,
        relative_humidity_pct=met.relative_humidity_pct, temperature_c=met.temperature_c,
        solar_w_m2=met.solar_w_m2,
    )  # fmt: skip


def box_variants(
    emission_kg_h: F64, met: MetArrays, geometry: BoxGeometry, params: AirParams, w: Weathered
) -> F64:
    """Box increments of ``(k, 7, n_hours)`` emissions (kg/h), µg/m³, same shape.

    The same as :func:`sim.air.response.box` for each of the ``k`` series, the removal rates
    computed once for all of them.
    """
    n = emission_kg_h.shape[-1]
    loss = np.zeros((len(EMITTED), n))
    loss[EMITTED["PM2.5"]] = w.washout_per_s
    loss[EMITTED["PM10"]] = w.washout_per_s
    loss[EMITTED["SO2"]] = w.so2_per_h / 3600.0
    loss[EMITTED["NOx"]] = w.nox_per_h / 3600.0
    return box_series(
        emission_kg_h, met.wind_m_s, met.mixing_height_m, geometry.area_m2, geometry.length_m,
        np.asarray(params.deposition_m_s, dtype=np.float64)[:, None], loss,
    )  # fmt: skip


def _products(inc: F64, met: MetArrays, geometry: BoxGeometry, params: AirParams,
              w: Weathered) -> F64:  # fmt: skip
    """Sulfate and total nitrate a box holds, ``(k, 2, n_hours)`` (:func:`response.products`)."""
    conv = np.stack([
        inc[:, EMITTED["SO2"]] * w.so2_per_h * (M_SO4 / M_SO2),
        inc[:, EMITTED["NOx"]] * w.nox_per_h * (M_NO3 / M_NO2),
    ], axis=1)  # µg/m³/h  # fmt: skip
    source_kg_h = conv * (geometry.area_m2 * met.mixing_height_m / 3600.0 / KG_H_TO_UG_S)
    return box_series(
        source_kg_h, met.wind_m_s, met.mixing_height_m, geometry.area_m2, geometry.length_m,
        np.asarray(params.product_deposition_m_s, dtype=np.float64)[:, None], w.washout_per_s,
    )  # fmt: skip


@dataclass(frozen=True)
class Variants:
    """Each actor's increments before chemistry, one row per variant, time last.

    Attributes
    ----------
    district, city
        Box increments ``(k, 7, n_hours)``, µg/m³ (the city's with the receptor factor; zeros
        when the city is off).
    region
        Regional gases in the same columns (PM columns 0), ``(k, 7, n_hours)``.
    region_pm25, o3_background, region_secondary_share
        ``(k, n_hours)`` each.
    """

    district: F64
    city: F64
    region: F64
    region_pm25: F64
    o3_background: F64
    region_secondary_share: F64

    def last(self, district: F64 | None = None) -> Variants:
        """Each actor's last variant only (with its measures); ``district``: other district
        increments ``(k, 7, n_hours)`` in place of the district's."""
        return Variants(
            self.district[-1:] if district is None else district, self.city[-1:],
            self.region[-1:], self.region_pm25[-1:], self.o3_background[-1:],
            self.region_secondary_share[-1:],
        )  # fmt: skip


def region_variants(backgrounds: list[RegionalBackground | None], n: int,
                    params: AirParams) -> tuple[F64, F64, F64, F64]:  # fmt: skip
    """The region's gases ``(k, 7, n)``, PM2.5, O3 and secondary share ``(k, n)``."""
    k = len(backgrounds)
    gases, pm25, o3 = np.zeros((k, len(EMITTED), n)), np.zeros((k, n)), np.zeros((k, n))
    share = np.full((k, n), params.region_secondary_fraction)
    for i, bg in enumerate(backgrounds):
        if bg is None:
            continue
        gases[i, list(GAS_COLUMNS)] = bg.gases.T
        pm25[i], o3[i] = bg.pm25, bg.o3
        if bg.secondary_share is not None:
            share[i] = bg.secondary_share
    return gases, pm25, o3, share


@dataclass(frozen=True)
class Evaluated:
    """Every coalition's totals, and the attribution by scale of the last one (all variants 1).

    Attributes
    ----------
    totals
        µg/m³ ``(k_d, k_c, k_r, len(AIR_POLLUTANTS), n_hours)`` (CO in µg/m³).
    by_scale, pm25_by_origin
        Of the coalition ``[-1, -1, -1]``, as :class:`sim.air.response.AirResponse` (time first).
    last_total
        ``AirResponse(by_scale, pm25_by_origin).total`` time last, ``(len(AIR_POLLUTANTS),
        n_hours)``: the sum of the scales (the kernel's ``totals[-1, -1, -1]`` up to rounding).
    """

    totals: F64
    by_scale: F64
    pm25_by_origin: F64
    last_total: F64


def evaluate(v: Variants, met: MetArrays, params: AirParams, w: Weathered) -> Evaluated:
    """Totals of every coalition and the attribution by scale of the last (module docstring).

    Each box's sulfate and nitrate are made once per variant and the O3 production of the air
    upwind (city and region) once per pair; the rest (the gases of each coalition, the
    inorganic partition with all its ammonia, SOA, O3 production over the district and the
    O3/NO2 partition) is stepped hour by hour by :func:`sim.air.kernels.coalition_totals`.
    """
    n = v.district.shape[-1]
    made_d = _products(v.district, met, params.district, params, w)
    made_c = (
        np.zeros((v.city.shape[0], 2, n)) if params.city is None or w.soa_city is None
        else _products(v.city, met, params.city, params, w)
    )  # fmt: skip
    # the gases upwind, city and region together: one row per (city, region) pair, then the
    # region's last alone; NOx, VOC and CO each (k_c·k_r + 1, n)
    k_c, k_r = v.city.shape[0], v.region.shape[0]
    nox, voc, co = (np.empty((k_c * k_r + 1, n)) for _ in range(3))
    for gas, col in ((nox, EMITTED["NOx"]), (voc, EMITTED["VOC"]), (co, EMITTED["CO"])):
        np.add(v.city[:, None, col], v.region[None, :, col], out=gas[:-1].reshape(k_c, k_r, n))
        gas[-1] = v.region[-1, col]
    rates = _production(nox, voc, co, params, w)
    masses = np.array([M_SO4, M_NO3, M_NH3, M_NH4])
    scalars = np.array([params.region_pm10_pm25_ratio, params.ozone.accumulation_time_h,
                        params.ozone.no2_fraction_fresh, params.ozone.no_fraction])  # fmt: skip
    d, c, r, region_pm25, o3_background = (np.ascontiguousarray(a) for a in (
        v.district, v.city, v.region, v.region_pm25, v.o3_background))  # fmt: skip
    totals, sec_last = coalition_totals(
        d, c, r, made_d, made_c, region_pm25, o3_background,
        rates[:-1].reshape(k_c, k_r, n), w.kernel_weather,
        production_constants(params.ozone), masses, scalars,
    )  # fmt: skip
    # the sequential layers of the last coalition: region alone, then with the city
    tau = params.ozone.accumulation_time_h
    o3_layers, no2_layers = _ozone_no2(
        v.o3_background[-1], tau * rates[[-1, -2]],
        nox[[-1, -2]], params, w,
    )  # fmt: skip
    o3, no2 = totals[-1, -1, -1, AMBIENT["O3"]], totals[-1, -1, -1, AMBIENT["NO2"]]
    layers = np.vstack([o3_layers, o3]), np.vstack([no2_layers, no2])
    by_scale, origin, last_total = _by_scale(v, sec_last[0], sec_last[1], params, *layers)
    return Evaluated(totals=totals, by_scale=by_scale, pm25_by_origin=origin,
                     last_total=last_total)  # fmt: skip


def _weather_rows(w: Weathered, *names: str) -> list[F64]:
    """Rows of ``w.kernel_weather`` by name, each ``(1, n_hours)`` (what the kernels read)."""
    return [w.kernel_weather[i : i + 1] for i in (WEATHER_ROWS.index(name) for name in names)]


def _production(nox: F64, voc: F64, co: F64, params: AirParams, w: Weathered) -> F64:
    """O3 production of ``(k, n)`` NOx, VOC and CO (contiguous), µg/m³/h: the numbers of
    :func:`sim.air.chemistry_rows.ozone_production_rows` with the weather's part of
    :class:`Weathered` (computed once)."""
    f_no = np.full((1, nox.shape[-1]), params.ozone.no_fraction)
    q, ch4, bvoc = _weather_rows(w, "q", "ch4", "bvoc")
    return ozone_production(nox, voc, co, q, ch4, bvoc, f_no, production_constants(params.ozone))


def _ozone_no2(background: F64, produced: F64, nox: F64, params: AirParams,
               w: Weathered) -> tuple[F64, F64]:  # fmt: skip
    """O3 and NO2 of the O3 ``background`` ``(n,)``, the O3 ``produced`` and the NOx ``(k, n)``,
    µg/m³: the numbers of :func:`sim.air.chemistry_rows.ozone_no2_rows` with the weather's part
    of :class:`Weathered`."""
    if np.any(background < 0) or np.any(nox < 0):
        raise ValueError("o3_background_ug_m3 and nox_ug_m3 must be >= 0.")
    to_ppb_o3, to_ppb_no2, j, k = _weather_rows(w, "to_ppb_o3", "to_ppb_no2", "j", "k_no_o3")
    return no2_o3_partition(
        background + produced, np.ascontiguousarray(nox), to_ppb_o3, to_ppb_no2, j, k,
        params.ozone.no2_fraction_fresh,
    )  # fmt: skip


def _by_scale(v: Variants, sec_d: F64, sec_c: F64, params: AirParams, o3: F64, no2: F64
              ) -> tuple[F64, F64, F64]:  # fmt: skip
    """By scale and PM2.5 by origin of the last coalition (as ``respond``), time first, and
    their total (``AirResponse.total``) time last (:func:`sim.air.kernels.by_scale_rows`)."""
    emitted = np.array([EMITTED[name] for name in ("PM2.5", "PM10", "SO2", "CO")])
    ambient = np.array([AMBIENT[name] for name in ("PM2.5", "PM10", "SO2", "CO", "O3", "NO2")])
    return by_scale_rows(
        v.district[-1], v.city[-1], v.region[-1], np.ascontiguousarray(sec_d),
        np.ascontiguousarray(sec_c), v.region_pm25[-1], v.region_secondary_share[-1],
        np.ascontiguousarray(o3), np.ascontiguousarray(no2), params.region_pm10_pm25_ratio,
        emitted, ambient,
    )  # fmt: skip
