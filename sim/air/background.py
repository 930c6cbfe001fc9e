"""The regional background: what the air brings in from Beijing-Tianjin-Hebei and beyond.

The regional air mass follows the weather slowly. Its PM2.5 relaxes, with time scale ``τ``, towards
an equilibrium set by a seasonal cycle and the ventilation ``V = u·H`` of the last 24 hours, and
is washed out by rain:

    dC/dt = (C_eq(t) - C)/τ - w·R(t)·C,
    C_eq(t) = C_ref·(1 + Δ)·(1 + A·cos(2π(d - d_peak)/365.25))·(V̄_24h(t)/V_ref)^(-β),

with ``R`` the rain rate (mm/h), ``w`` the washout rate per mm/h, ``Δ`` the scenario's regional
change and ``β`` the ventilation exponent: stagnant, shallow, windless days raise it (the
ventilation-coefficient approach of air-pollution potential forecasting, Holzworth 1972, EPA
AP-101; Gassmann & Mazzeo 2000, Atmos. Environ. 34:2063 for the power-law form). With coefficients
constant within each hour the equation is solved exactly, like the box
(:func:`sim.air.dispersion.linear_recurrence`). Regional gases follow the same ventilation factor
without the seasonal cycle; regional ozone follows its own seasonal cosine (production downwind is
added by :func:`sim.air.chemistry.ozone_hourly`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.air.dispersion import linear_recurrence

__all__ = [
    "RegionParams",
    "RegionalBackground",
    "regional_background",
    "relax",
    "seasonal_factor",
    "ventilation_factor",
]

F64 = NDArray[np.float64]
_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class RegionParams:
    """Parameters of the regional background (defaults and sources: ``RegionConfig``).

    Attributes
    ----------
    pm25_ug_m3
        Regional PM2.5 at the reference ventilation, mean of the seasonal curve, µg/m³.
    pm25_seasonal_amplitude, pm25_peak_day
        Relative amplitude of the seasonal cosine and its peak day of year.
    ventilation_exponent, ventilation_ref_m2_s
        ``β`` and ``V_ref`` (m²/s).
    relaxation_h
        ``τ``, hours.
    washout_per_h_per_mm_h
        ``w``, 1/h per mm/h of rain.
    change
        ``Δ``, relative change of regional PM and precursors.
    gases_ug_m3
        Regional NOx (as NO2), SO2, CO, VOC, NH3 at reference ventilation, µg/m³.
    o3_ug_m3, o3_seasonal_amplitude, o3_peak_day
        Regional O3 seasonal cosine: mean (µg/m³), relative amplitude and peak day.
    """

    pm25_ug_m3: float = 14.0
    pm25_seasonal_amplitude: float = 0.3
    pm25_peak_day: float = 15.0
    ventilation_exponent: float = 0.5
    ventilation_ref_m2_s: float = 1400.0
    relaxation_h: float = 36.0
    washout_per_h_per_mm_h: float = 0.15
    change: float = 0.0
    gases_ug_m3: tuple[float, float, float, float, float] = (10.0, 5.0, 500.0, 15.0, 10.0)
    o3_ug_m3: float = 70.0
    o3_seasonal_amplitude: float = 0.5
    o3_peak_day: float = 170.0


@dataclass(frozen=True)
class RegionalBackground:
    """Hourly regional concentrations, µg/m³, each of shape ``(n_hours,)``.

    ``gases`` has shape ``(n_hours, 5)``: NOx (as NO2), SO2, CO, VOC, NH3.
    """

    pm25: F64
    gases: F64
    o3: F64


def seasonal_factor(day_of_year: ArrayLike, amplitude: float, peak_day: float) -> F64:
    """``1 + A·cos(2π(d - d_peak)/365.25)``: mean 1 over a year, maximum on ``peak_day``."""
    if not 0.0 <= amplitude < 1.0:
        raise ValueError(f"amplitude(={amplitude}) must lie within [0, 1).")
    d = np.asarray(day_of_year, dtype=np.float64)
    return np.asarray(1.0 + amplitude * np.cos(2.0 * np.pi * (d - peak_day) / _DAYS_PER_YEAR))


def ventilation_factor(
    wind_m_s: ArrayLike, mixing_height_m: ArrayLike, exponent: float, ref_m2_s: float
) -> F64:
    """``(V̄/V_ref)^-β`` with ``V̄`` the trailing 24-h mean of ``u·H`` (shorter at the start)."""
    v = np.asarray(wind_m_s, dtype=np.float64) * np.asarray(mixing_height_m, dtype=np.float64)
    if np.any(v <= 0) or ref_m2_s <= 0:
        raise ValueError("wind, mixing height and ref_m2_s must be > 0.")
    csum = np.concatenate([[0.0], np.cumsum(v)])
    idx = np.arange(v.size)
    lo = np.maximum(idx - 23, 0)
    mean24 = (csum[idx + 1] - csum[lo]) / (idx + 1 - lo)
    return np.asarray((mean24 / ref_m2_s) ** (-exponent))


def relax(target: ArrayLike, relaxation_h: float, extra_loss_per_h: ArrayLike = 0.0) -> F64:
    """Exact hourly solution of ``dC/dt = (T - C)/τ - k·C`` from ``C = T[0]``, hour means.

    ``target`` ``T`` and ``extra_loss_per_h`` ``k`` are constant within each hour (shape
    ``(n_hours,)``). Returns the mean of ``C`` over each hour.
    """
    t = np.asarray(target, dtype=np.float64)
    if relaxation_h <= 0:
        raise ValueError(f"relaxation_h(={relaxation_h}) must be > 0.")
    lam = 1.0 / relaxation_h + np.broadcast_to(np.asarray(extra_loss_per_h, float), t.shape)
    c_star = t / (relaxation_h * lam)
    decay = np.exp(-lam)
    ends = linear_recurrence(decay, c_star * (1.0 - decay), np.asarray(t[0] if t.size else 0.0))
    starts = np.concatenate([[t[0] if t.size else 0.0], ends[:-1]])
    return np.asarray(c_star + (starts - c_star) * (1.0 - decay) / lam)


def regional_background(
    day_of_year: ArrayLike,
    wind_m_s: ArrayLike,
    mixing_height_m: ArrayLike,
    rain_mm_h: ArrayLike,
    params: RegionParams,
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
    """
    vent = ventilation_factor(
        wind_m_s, mixing_height_m, params.ventilation_exponent, params.ventilation_ref_m2_s
    )
    scale = 1.0 + params.change
    season = seasonal_factor(day_of_year, params.pm25_seasonal_amplitude, params.pm25_peak_day)
    washout = params.washout_per_h_per_mm_h * np.maximum(np.asarray(rain_mm_h, float), 0.0)
    pm25 = relax(params.pm25_ug_m3 * scale * season * vent, params.relaxation_h, washout)
    gas_shape = relax(vent, params.relaxation_h)
    gases = scale * gas_shape[:, None] * np.asarray(params.gases_ug_m3, dtype=np.float64)
    o3 = params.o3_ug_m3 * seasonal_factor(
        day_of_year, params.o3_seasonal_amplitude, params.o3_peak_day
    )
    return RegionalBackground(
        pm25=np.maximum(pm25, 0.0), gases=np.maximum(gases, 0.0), o3=np.maximum(o3, 0.0)
    )
