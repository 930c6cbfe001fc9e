"""The regional background: what the air brings in from Beijing-Tianjin-Hebei and beyond.

The regional air mass is a reservoir filled at a seasonal rate and flushed at a rate set by the
ventilation ``V = u·H`` of the last ``W`` hours (an *accumulation* model):

    dC/dt = s(t) - λ(t)·C,
    s(t)  = C_ref·F(t)·S(d)·h(t) / τ,
    S(d)  = 1 + A·cos(2π(d - d_peak)/365.25) + A2·cos(4π(d - d2)/365.25),
    λ(t)  = (Ṽ(t)/V_ref)^β_s·(V̄_W(t)/Ṽ(t))^β / τ + w·R(t),
    h(t)  = 1 + κ·g(RH̄_W(t)),   g(RH) = clip((RH - 60)/40, 0, 1)²,

times the *pace* ``p(t) = (H̃/H̄_W)^β_H`` on both ``s`` and the flushing part of ``λ`` (not the
washout), ``H̄_W`` the trailing ``W``-hour and ``H̃`` the centred 31-day mean mixing height: with
``β_H = 1`` the reservoir is a box whose emissions mix through its layer (source ``∝ E/H``) and
which the wind flushes (``λ ∝ V/H = u``), the physics of the district and city boxes; the steady
state is the same for any ``β_H``, only how fast it is approached changes (a shallow stagnant
layer fills in a day or two instead of a week); ``β_H = 0`` is the accumulation model of part 1.
With ``R`` the rain rate (mm/h), ``w`` the washout rate per mm/h, ``F(t)`` the relative change
of the region's own emissions that form PM2.5 (:func:`regional_pm25_factor`; 1 for the reference
inventory the background was calibrated with), ``V̄_W`` the trailing ``W``-hour mean of ``V``
(synoptic), ``Ṽ`` its centred 31-day mean
(the weather's slow climate), ``β`` the synoptic and ``β_s`` the seasonal ventilation exponent
(they differ because the seasonal cycle of the background also carries the seasonal cycles of
emissions and chemistry; ``β_s = β`` is the single power law ``(V̄_W/V_ref)^-β``), ``τ`` the
flushing time at the reference ventilation and
``κ`` the humid-haze enhancement of (mostly secondary) regional production: heterogeneous
sulfate and nitrate formation on aerosol water in stagnant humid episodes (Cheng et al. 2016,
Sci. Adv. 2:e1601530; Wang et al. 2016, PNAS 113:13630). At constant weather the steady state is
``C = C_ref·season·h·(V/V_ref)^-β`` (the ventilation-coefficient approach of air-pollution
potential forecasting, Holzworth 1972, EPA AP-101; Gassmann & Mazzeo 2000, Atmos. Environ.
34:2063), but the time to reach it is ``τ·(V/V_ref)^-β/p`` (``β_s = β``): a stagnant week builds the
background up slowly over days and a cold front (large V) clears it within hours, the sawtooth
of North China haze episodes. With coefficients constant within each hour the equation is solved
exactly, like the box
(:func:`sim.air.dispersion.linear_recurrence`). Regional gases follow the same flushing without the
seasonal cycle, each with the relative change of its own regional emissions as ``F``.

``F`` for PM2.5 weighs the relative changes ``r_p`` of the region's emissions by what regional
PM2.5 is made of: ``F = (1 - f)·r_PM2.5 + f·Σ_j a_j·r_j`` over the precursors SO2, NOx, NH3 and
VOC, with ``f`` the secondary share and ``a_j`` the precursor weights (sulfate, nitrate, ammonium,
SOA; ``RegionConfig``). It is linear: a first-order sensitivity, not chemistry (part 2).

Regional ozone is a seasonal cosine times day-to-day factors of temperature and sunshine:

    O3(t) = O3_ref·(1 + A₃·cos(2π(d - d₃)/365.25))·exp(k_T·(T̄₂₄ - T̃))·(S̄₂₄/S̃)^γ,

``T̄₂₄``, ``S̄₂₄`` trailing 24-h means of temperature and irradiance, ``T̃``, ``S̃`` their centred
31-day means (the weather's own slow climate, so the factors average to about 1 in every month):
hot sunny spells raise regional ozone (O3-temperature slopes of 2-10 ppb/K in polluted regions,
Jacob & Winner 2009, Atmos. Environ. 43:51), times ``1 + φ·(P(r)/P_ref - 1)``
for the region's own NOx, VOC and CO changes, ``P`` the computed noon O3 production of the
regional gases (:func:`regional_o3_factor`; its regime follows the regional precursors) and ``φ``
the regionally produced share of regional O3. The secondary share of regional PM2.5 follows the
regional precursors too (:func:`regional_secondary_share`). Local production and titration are
added by :func:`sim.air.ozone.ozone_hourly`: the boxes make ``τ_a·P`` (``τ_a`` the
accumulation time) from the regional, city and district gases together, and the regional air's
own share of that, ``τ_a·P(regional gases)``, is already in the regional O3 above. So when
``ozone`` and the hourly weather are given, the O3 handed to the boxes is the regional O3 less
``τ_a·P(regional gases)`` (the air ``τ_a`` hours upwind): the boxes add back the regional
production and only the city's and district's change of it is new (no double counting).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.air.chemistry_rows import ozone_production_rows
from sim.air.kernels import as_rows, box_hour_means
from sim.air.ozone import OzoneParams, ozone_production_ug_m3_h, photostationary_no_fraction
from sim.air.weather_factors import (
    flushing_rate_per_h,
    humid_haze_factor,
    mixing_pace,
    o3_weather_factor,
    seasonal_factor,
    trailing_max,
    trailing_mean,
    ventilation_factor,
)

__all__ = [
    "RegionParams",
    "RegionalBackground",
    "RegionalWeather",
    "accumulate",
    "flushing_rate_per_h",
    "humid_haze_factor",
    "o3_weather_factor",
    "regional_background",
    "regional_o3_factor",
    "regional_pm25_factor",
    "regional_secondary_share",
    "regional_weather",
    "relax",
    "seasonal_factor",
    "ventilation_factor",
]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class RegionParams:
    """Parameters of the regional background (defaults and sources: ``RegionConfig``).

    Attributes
    ----------
    pm25_ug_m3
        Regional PM2.5 at the reference ventilation, mean of the seasonal curve, µg/m³.
    pm25_seasonal_amplitude, pm25_peak_day
        Relative amplitude of the seasonal cosine and its peak day of year.
    pm25_semiannual_amplitude, pm25_semiannual_peak_day
        ``A2`` and ``d2`` of the seasonal curve's semiannual harmonic (0: the single cosine).
    ventilation_exponent, ventilation_seasonal_exponent, ventilation_ref_m2_s
        ``β`` (synoptic), ``β_s`` (seasonal; None: equal to ``β``) and ``V_ref`` (m²/s).
    ventilation_window_h
        ``W``: hours of the trailing mean of ``u·H`` (and RH) the air mass responds to.
    relaxation_h
        ``τ``, flushing time at the reference ventilation, hours.
    washout_per_h_per_mm_h
        ``w``, 1/h per mm/h of rain.
    humidity_enhancement
        ``κ``: relative increase of regional production at RH 100 % (0 at RH <= 60 %).
    secondary_fraction
        ``f``, secondary share of regional PM2.5.
    precursor_weights
        ``a_j`` for SO2, NOx, NH3, VOC (sum 1).
    o3_produced_share
        ``φ``, the share of regional O3 made from the region's own precursors (the rest is the
        hemispheric background); it scales the computed production change.
    gases_ug_m3
        Regional NOx (as NO2), SO2, CO, VOC, NH3 at reference ventilation, µg/m³.
    o3_ug_m3, o3_seasonal_amplitude, o3_peak_day
        Regional O3 seasonal cosine: mean (µg/m³), relative amplitude and peak day.
    o3_temperature_coeff_per_k, o3_solar_exponent
        ``k_T`` (1/K) and ``γ`` of the day-to-day ozone factors (used when temperature and
        irradiance are given).
    mixing_pace_exponent
        ``β_H`` of the pace ``(H̃/H̄_W)^β_H`` (module docstring); 0: the accumulation model.
    """

    pm25_ug_m3: float = 14.0
    pm25_seasonal_amplitude: float = 0.3
    pm25_peak_day: float = 15.0
    pm25_semiannual_amplitude: float = 0.0
    pm25_semiannual_peak_day: float = 15.0
    ventilation_exponent: float = 0.5
    ventilation_seasonal_exponent: float | None = None
    ventilation_ref_m2_s: float = 1400.0
    ventilation_window_h: int = 24
    relaxation_h: float = 36.0
    washout_per_h_per_mm_h: float = 0.15
    humidity_enhancement: float = 0.0
    secondary_fraction: float = 0.55
    precursor_weights: tuple[float, float, float, float] = (0.25, 0.4, 0.15, 0.2)
    o3_produced_share: float = 0.5
    gases_ug_m3: tuple[float, float, float, float, float] = (10.0, 5.0, 500.0, 15.0, 5.0)
    o3_ug_m3: float = 70.0
    o3_seasonal_amplitude: float = 0.5
    o3_peak_day: float = 170.0
    o3_temperature_coeff_per_k: float = 0.0
    o3_solar_exponent: float = 0.0
    mixing_pace_exponent: float = 0.0


@dataclass(frozen=True)
class RegionalBackground:
    """Hourly regional concentrations, µg/m³, each of shape ``(n_hours,)``.

    ``gases`` has shape ``(n_hours, 5)``: NOx (as NO2), SO2, CO, VOC, NH3.
    """

    pm25: F64
    gases: F64
    o3: F64
    secondary_share: F64 | float | None = None


def accumulate(source_per_h: ArrayLike, loss_per_h: ArrayLike, c0: float | None = None) -> F64:
    """Exact hourly solution of ``dC/dt = s - λ·C``, hour means.

    ``s`` (µg/m³/h) and ``λ`` (1/h, > 0) are constant within each hour, shape ``(..., n_hours)``
    (several series along leading axes). ``c0`` is the concentration at the start; None starts
    at the first hour's steady state ``s[0]/λ[0]``. Within an hour ``C(t) = C* + (C₀ - C*)·
    e^(-λt)``, ``C* = s/λ``, whose mean is ``C* + (C₀ - C*)·(1 - e^(-λ))/λ``.
    """
    s = np.asarray(source_per_h, dtype=np.float64)
    lam = np.broadcast_to(np.asarray(loss_per_h, dtype=np.float64), s.shape)
    if s.shape[-1] == 0:
        return np.zeros(s.shape)
    if np.any(lam <= 0):
        raise ValueError("loss_per_h must be > 0.")
    start = s[..., 0] / lam[..., 0] if c0 is None else np.full(s.shape[:-1], float(c0))
    # the hour mean C* + (C_start - C*)·g, g = (1 - e^(-λ))/λ, as C_start·g + s·(1 - g)/λ, and
    # C_end = e^(-λ)·C_start + s·(1 - e^(-λ))/λ, stepped hour by hour (sim.air.kernels)
    lam_own = np.asarray(loss_per_h, dtype=np.float64)
    decay = np.exp(-lam_own)
    g = (1.0 - decay) / lam_own
    mult, to_end, to_mean = (as_rows(c, s.shape) for c in (decay, g, (1.0 - g) / lam_own))
    init = np.ascontiguousarray(np.broadcast_to(start, s.shape[:-1])).reshape(-1)
    out = box_hour_means(mult, to_end, to_end, to_mean, as_rows(s, s.shape), init)
    return out.reshape(s.shape)


def relax(target: ArrayLike, relaxation_h: float, extra_loss_per_h: ArrayLike = 0.0) -> F64:
    """Exact hourly solution of ``dC/dt = (T - C)/τ - k·C`` from ``C = T[0]``, hour means.

    ``target`` ``T`` and ``extra_loss_per_h`` ``k`` are constant within each hour (shape
    ``(n_hours,)``). Returns the mean of ``C`` over each hour.
    """
    t = np.asarray(target, dtype=np.float64)
    if relaxation_h <= 0:
        raise ValueError(f"relaxation_h(={relaxation_h}) must be > 0.")
    lam = 1.0 / relaxation_h + np.broadcast_to(np.asarray(extra_loss_per_h, float), t.shape)
    return accumulate(t / relaxation_h, lam, float(t[0]) if t.size else 0.0)


#: Columns of an emission array (vocabulary POLLUTANTS order) the regional response reads.
_PM25, _NOX, _SO2, _VOC, _CO, _NH3 = 0, 2, 3, 4, 5, 6
#: Regional gases of :class:`RegionalBackground` in emission-column order: NOx, SO2, CO, VOC, NH3.
GAS_COLUMNS: tuple[int, ...] = (_NOX, _SO2, _CO, _VOC, _NH3)


def regional_pm25_factor(relative: ArrayLike, params: RegionParams) -> F64:
    """``F = (1 - f)·r_PM2.5 + f·Σ a_j·r_j`` (module docstring); ``relative`` is ``(..., 7)``."""
    r = np.asarray(relative, dtype=np.float64)
    a = params.precursor_weights
    columns = (_SO2, _NOX, _NH3, _VOC)
    secondary = sum(w * r[..., c] for w, c in zip(a, columns, strict=True))
    f = params.secondary_fraction
    return np.asarray((1.0 - f) * r[..., _PM25] + f * secondary)


def regional_secondary_share(relative: ArrayLike, params: RegionParams) -> F64:
    """Secondary share of regional PM2.5 after the region's changes, ``f·S/F``.

    ``S = Σ a_j·r_j`` (precursors) and ``F`` of :func:`regional_pm25_factor`; ``f`` at the
    reference inventory, higher when primary PM is cut more than precursors, lower otherwise.
    """
    r = np.asarray(relative, dtype=np.float64)
    columns = (_SO2, _NOX, _NH3, _VOC)
    secondary = sum(w * r[..., c] for w, c in zip(params.precursor_weights, columns, strict=True))
    total = regional_pm25_factor(r, params)
    f = params.secondary_fraction
    return np.asarray(np.where(total > 0, f * secondary / np.where(total > 0, total, 1.0), f))


def regional_o3_factor(
    relative: ArrayLike,
    params: RegionParams,
    ozone: OzoneParams | None = None,
    temperature_c: ArrayLike = 25.0,
    o3_ug_m3: ArrayLike | None = None,
) -> F64:
    """``max(0, 1 + φ·(P(r)/P_ref - 1))``: regional O3 after the region's NOx, VOC, CO changes.

    ``P`` is the noon O3 production of the regional gases (:func:`ozone_production_ug_m3_h`
    with CO, CH4 and isoprene at the hour's temperature), ``P_ref`` that of the reference gases:
    the regime follows the region's precursors (where the regional air is NOx-limited, cutting
    NOx lowers it; where VOC-limited, raises it), and summer heat (isoprene) pushes it towards
    NOx-limited. Regional air is aged: its NO/NOx is the photostationary one at the regional O3
    ``o3_ug_m3`` (:func:`photostationary_no_fraction`, about 0.16 at 160 µg/m³), not the urban
    ``no_fraction``; None keeps the urban value.
    """
    r = np.asarray(relative, dtype=np.float64)
    p = ozone or OzoneParams()
    nox_ref, _, co_ref, voc_ref, _ = params.gases_ug_m3
    t = np.asarray(temperature_c, dtype=np.float64)
    noon = p.solar_ref_w_m2
    f_no = None if o3_ug_m3 is None else photostationary_no_fraction(o3_ug_m3, noon, p)
    new_gases = (nox_ref * r[..., _NOX], voc_ref * r[..., _VOC], co_ref * r[..., _CO])
    shape = np.broadcast_shapes(new_gases[0].shape, t.shape, () if f_no is None else f_no.shape)
    if shape and shape[-1] > 1:  # hourly series: the same production, compiled
        ref, new = (ozone_production_rows(
            np.broadcast_to(nox, shape), np.broadcast_to(voc, shape), np.broadcast_to(co, shape),
            noon, t, p, f_no,
        ) for nox, voc, co in ((nox_ref, voc_ref, co_ref), new_gases))  # fmt: skip
    else:
        ref = ozone_production_ug_m3_h(nox_ref, voc_ref, noon, t, p, co_ref, f_no)
        new = ozone_production_ug_m3_h(*new_gases[:2], noon, t, p, new_gases[2], f_no)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ref > 0, new / np.where(ref > 0, ref, 1.0), 1.0)
    return np.asarray(np.maximum(0.0, 1.0 + params.o3_produced_share * (ratio - 1.0)))


@dataclass(frozen=True)
class RegionalWeather:
    """The weather's part of :func:`regional_background`, each ``(n_hours,)``: computed once
    (:func:`regional_weather`), it serves every emission scenario of the region.

    ``flush_per_h`` is ``λ`` without the washout ``washout_per_h`` (1/h), ``pm25_season`` the
    seasonal cosine times the humid-haze factor (both times the pace ``pace``, 1 when
    ``β_H = 0``; the gases' source is ``pace/τ``), ``o3_season_ug_m3`` ``O3_ref`` times the ozone
    cosine, ``o3_weather`` the day-to-day ozone factors (None without temperature and irradiance)
    and ``afternoon_c`` the day's afternoon heat (trailing 24-h maximum temperature, °C; 25
    without temperature).
    """

    flush_per_h: F64
    washout_per_h: F64
    pm25_season: F64
    pace: F64 | float
    o3_season_ug_m3: F64
    o3_weather: F64 | None
    afternoon_c: F64 | float


def regional_weather(
    day_of_year: ArrayLike, wind_m_s: ArrayLike, mixing_height_m: ArrayLike,
    rain_mm_h: ArrayLike, params: RegionParams, *, relative_humidity_pct: ArrayLike | None = None,
    temperature_c: ArrayLike | None = None, solar_w_m2: ArrayLike | None = None,
) -> RegionalWeather:  # fmt: skip
    """:class:`RegionalWeather` of the hourly weather (arguments as :func:`regional_background`)."""
    tau, w = params.relaxation_h, params.ventilation_window_h
    if tau <= 0:
        raise ValueError(f"relaxation_h(={tau}) must be > 0.")
    flush = flushing_rate_per_h(
        wind_m_s, mixing_height_m, params.ventilation_exponent,
        params.ventilation_seasonal_exponent, params.ventilation_ref_m2_s, w, tau,
    )  # fmt: skip
    season = seasonal_factor(
        day_of_year, params.pm25_seasonal_amplitude, params.pm25_peak_day,
        params.pm25_semiannual_amplitude, params.pm25_semiannual_peak_day,
    )  # fmt: skip
    pace: F64 | float = 1.0
    if params.mixing_pace_exponent:
        pace = mixing_pace(mixing_height_m, w, params.mixing_pace_exponent)
        flush, season = flush * pace, season * pace
    if relative_humidity_pct is not None and params.humidity_enhancement:
        rh = trailing_mean(relative_humidity_pct, w)
        season = season * humid_haze_factor(rh, params.humidity_enhancement)
    o3_weather = None
    if temperature_c is not None and solar_w_m2 is not None:
        o3_weather = o3_weather_factor(
            temperature_c, solar_w_m2, params.o3_temperature_coeff_per_k, params.o3_solar_exponent
        )
    return RegionalWeather(
        flush_per_h=flush,
        washout_per_h=params.washout_per_h_per_mm_h * np.maximum(np.asarray(rain_mm_h, float), 0.0),
        pm25_season=season,
        pace=pace,
        o3_season_ug_m3=params.o3_ug_m3 * seasonal_factor(
            day_of_year, params.o3_seasonal_amplitude, params.o3_peak_day
        ),
        o3_weather=o3_weather,
        afternoon_c=25.0 if temperature_c is None else trailing_max(temperature_c, 24),
    )  # fmt: skip


def regional_background(
    day_of_year: ArrayLike,
    wind_m_s: ArrayLike,
    mixing_height_m: ArrayLike,
    rain_mm_h: ArrayLike,
    params: RegionParams,
    *,
    relative_humidity_pct: ArrayLike | None = None,
    temperature_c: ArrayLike | None = None,
    solar_w_m2: ArrayLike | None = None,
    relative_emissions: ArrayLike | None = None,
    ozone: OzoneParams | None = None,
    weather: RegionalWeather | None = None,
) -> RegionalBackground:
    """Hourly regional PM2.5, gases and O3 (module docstring), µg/m³.

    Parameters
    ----------
    day_of_year
        Day of year of each hour (1-366).
    wind_m_s, mixing_height_m, rain_mm_h
        Hourly weather of the district (the regional air mass feels the same synoptic weather).
    params
        :class:`RegionParams`.
    relative_humidity_pct, temperature_c, solar_w_m2
        Hourly RH (%), temperature (°C) and irradiance (W/m²); None switches off the humid-haze
        factor (RH) or the ozone weather factors.
    relative_emissions
        ``r``: the region's hourly emissions relative to the reference inventory, ``(..., n_hours,
        7)`` in vocabulary POLLUTANTS order (leading axes: several emission scenarios of the
        region under the same weather, returned along the same axes); None: the reference.
    ozone
        Ozone chemistry of the regional production change (:func:`regional_o3_factor`).
    weather
        :func:`regional_weather` of the same weather and ``params`` (computed when None).
    """
    wx = weather or regional_weather(
        day_of_year, wind_m_s, mixing_height_m, rain_mm_h, params,
        relative_humidity_pct=relative_humidity_pct, temperature_c=temperature_c,
        solar_w_m2=solar_w_m2,
    )  # fmt: skip
    tau, flush, season = params.relaxation_h, wx.flush_per_h, wx.pm25_season
    gases_ref = np.asarray(params.gases_ug_m3, dtype=np.float64)
    if relative_emissions is None:
        gas_pace = np.broadcast_to(np.asarray(wx.pace, dtype=np.float64) / tau, flush.shape)
        source = np.stack([params.pm25_ug_m3 * season / tau, gas_pace])
        pm25, gas_shape = accumulate(source, np.stack([flush + wx.washout_per_h, flush]))
        gases = gas_shape[:, None] * gases_ref
        o3_change: F64 | float = 1.0
        share: F64 | float = params.secondary_fraction
    else:
        r = np.asarray(relative_emissions, dtype=np.float64)  # (..., n, 7)
        pm_source = params.pm25_ug_m3 * season * regional_pm25_factor(r, params) / tau
        gas_source = np.swapaxes(r[..., list(GAS_COLUMNS)], -1, -2) * (
            np.asarray(wx.pace, dtype=np.float64) / tau
        )  # (..., 5, n)
        source = np.concatenate([pm_source[..., None, :], gas_source], axis=-2)
        loss = np.broadcast_to(flush, (6, flush.size)).copy()
        loss[0] += wx.washout_per_h
        out = accumulate(source, loss)
        pm25, gases = out[..., 0, :], np.swapaxes(out[..., 1:, :], -1, -2) * gases_ref
        # the regime at the hour of production: noon sun and the day's afternoon heat
        o3_change = regional_o3_factor(r, params, ozone, wx.afternoon_c, wx.o3_season_ug_m3)
        share = regional_secondary_share(r, params)
    o3 = wx.o3_season_ug_m3 * o3_change
    if wx.o3_weather is not None and temperature_c is not None and solar_w_m2 is not None:
        o3 = o3 * wx.o3_weather
        if ozone is not None:  # the O3 the boxes start from (module docstring)
            o3 = o3 - ozone.accumulation_time_h * ozone_production_rows(
                gases[..., 0], gases[..., 3], gases[..., 2], solar_w_m2, temperature_c, ozone
            )
    return RegionalBackground(
        pm25=np.maximum(pm25, 0.0), gases=np.maximum(gases, 0.0), o3=np.maximum(o3, 0.0),
        secondary_share=share,
    )
