"""The weather's part of the regional background (:mod:`sim.air.background`): seasonal cycles,
trailing and centred running means, the flushing rate of the regional air mass, the humid-haze
factor and the day-to-day ozone factors, each a function of the hourly weather alone.

The equations and their sources are in the docstring of :mod:`sim.air.background`; computed
once per weather (:class:`sim.air.background.RegionalWeather`) they serve every emission
scenario of the region.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CLIMATE_WINDOW_H",
    "RH_THRESHOLD_PCT",
    "centred_mean",
    "flushing_rate_per_h",
    "humid_haze_factor",
    "mixing_pace",
    "o3_weather_factor",
    "seasonal_factor",
    "trailing_max",
    "trailing_mean",
    "ventilation_factor",
]

F64 = NDArray[np.float64]
_DAYS_PER_YEAR = 365.25
#: RH above which aerosol water enables heterogeneous secondary formation, % (as chemistry f(RH)).
RH_THRESHOLD_PCT = 60.0
#: Window of the centred running mean that defines the weather's slow climate, hours (31 days).
CLIMATE_WINDOW_H = 31 * 24


def seasonal_factor(
    day_of_year: ArrayLike, amplitude: float, peak_day: float,
    semiannual_amplitude: float = 0.0, semiannual_peak_day: float = 15.0,
) -> F64:  # fmt: skip
    """``1 + A·cos(2π(d - d_peak)/365.25) + A2·cos(4π(d - d2)/365.25)``: mean 1 over a year.

    With ``A2 = 0`` (the default) the single cosine, maximum on ``peak_day``; the semiannual
    harmonic lets spring and autumn differ. ``A + A2 < 1`` keeps the curve positive.
    """
    if not 0.0 <= amplitude < 1.0:
        raise ValueError(f"amplitude(={amplitude}) must lie within [0, 1).")
    if not 0.0 <= semiannual_amplitude < 1.0 - amplitude:
        raise ValueError(
            f"semiannual_amplitude(={semiannual_amplitude}) must lie within [0, 1 - amplitude)."
        )
    d = np.asarray(day_of_year, dtype=np.float64)
    out = 1.0 + amplitude * np.cos(2.0 * np.pi * (d - peak_day) / _DAYS_PER_YEAR)
    if semiannual_amplitude:
        out = out + semiannual_amplitude * np.cos(
            4.0 * np.pi * (d - semiannual_peak_day) / _DAYS_PER_YEAR
        )
    return np.asarray(out)


def trailing_mean(values: ArrayLike, window_h: int) -> F64:
    """Mean over the trailing ``window_h`` hours, the current one included (shorter at first).

    Works along the last axis, so several series can be averaged at once.
    """
    v = np.asarray(values, dtype=np.float64)
    if window_h < 1:
        raise ValueError(f"window_h(={window_h}) must be >= 1.")
    n = v.shape[-1]
    csum = np.concatenate([np.zeros((*v.shape[:-1], 1)), np.cumsum(v, axis=-1)], axis=-1)
    out = np.empty_like(v)
    w = min(window_h, n)
    out[..., : w - 1] = csum[..., 1:w] / np.arange(1, w)
    out[..., w - 1 :] = (csum[..., w:] - csum[..., : n + 1 - w]) / w
    return out


def centred_mean(values: F64, window_h: int) -> F64:
    """Centred running mean over ``window_h`` hours (last axis), truncated at the ends."""
    n = values.shape[-1]
    csum = np.concatenate([np.zeros((*values.shape[:-1], 1)), np.cumsum(values, axis=-1)], axis=-1)
    idx = np.arange(n)
    lo = np.maximum(idx - window_h // 2, 0)
    hi = np.minimum(idx + window_h // 2 + 1, n)
    return np.asarray((csum[..., hi] - csum[..., lo]) / (hi - lo))


def trailing_max(values: ArrayLike, window_h: int) -> F64:
    """Maximum over the trailing ``window_h`` hours, the current one included (1-D)."""
    v = np.asarray(values, dtype=np.float64)
    out = v.copy()
    for lag in range(1, min(window_h, v.size)):  # the window at first: the hours so far
        np.maximum(out[lag:], v[:-lag], out=out[lag:])
    return out


def ventilation_factor(
    wind_m_s: ArrayLike,
    mixing_height_m: ArrayLike,
    exponent: float,
    ref_m2_s: float,
    window_h: int = 24,
) -> F64:
    """``(V̄/V_ref)^-β`` with ``V̄`` the trailing ``window_h``-hour mean of ``u·H``."""
    v = np.asarray(wind_m_s, dtype=np.float64) * np.asarray(mixing_height_m, dtype=np.float64)
    if np.any(v <= 0) or ref_m2_s <= 0:
        raise ValueError("wind, mixing height and ref_m2_s must be > 0.")
    return np.asarray((trailing_mean(v, window_h) / ref_m2_s) ** (-exponent))


def flushing_rate_per_h(
    wind_m_s: ArrayLike,
    mixing_height_m: ArrayLike,
    exponent: float,
    seasonal_exponent: float | None,
    ref_m2_s: float,
    window_h: int,
    relaxation_h: float,
) -> F64:
    """``λ = (Ṽ/V_ref)^β_s·(V̄_W/Ṽ)^β/τ``, 1/h (module docstring); ``β_s`` None: ``β``."""
    v = np.asarray(wind_m_s, dtype=np.float64) * np.asarray(mixing_height_m, dtype=np.float64)
    if np.any(v <= 0) or ref_m2_s <= 0:
        raise ValueError("wind, mixing height and ref_m2_s must be > 0.")
    synoptic = trailing_mean(v, window_h)
    if seasonal_exponent is None or seasonal_exponent == exponent:
        return np.asarray((synoptic / ref_m2_s) ** exponent / relaxation_h)
    climate = centred_mean(v, CLIMATE_WINDOW_H)
    return np.asarray(
        (climate / ref_m2_s) ** seasonal_exponent * (synoptic / climate) ** exponent / relaxation_h
    )


def mixing_pace(mixing_height_m: ArrayLike, window_h: int, exponent: float) -> F64:
    """``(H̃/H̄_W)^β_H``: how much faster the regional reservoir fills and flushes when its
    mixing height is below the month's (module docstring of :mod:`sim.air.background`)."""
    h = np.asarray(mixing_height_m, dtype=np.float64)
    return np.asarray((centred_mean(h, CLIMATE_WINDOW_H) / trailing_mean(h, window_h)) ** exponent)


def humid_haze_factor(relative_humidity_pct: ArrayLike, enhancement: float) -> F64:
    """``h = 1 + κ·clip((RH - 60)/40, 0, 1)²`` (module docstring)."""
    rh = np.asarray(relative_humidity_pct, dtype=np.float64)
    g = np.clip((rh - RH_THRESHOLD_PCT) / (100.0 - RH_THRESHOLD_PCT), 0.0, 1.0) ** 2
    return np.asarray(1.0 + enhancement * g)


def o3_weather_factor(
    temperature_c: ArrayLike, solar_w_m2: ArrayLike, temperature_coeff_per_k: float,
    solar_exponent: float,
) -> F64:  # fmt: skip
    """``exp(k_T·(T̄₂₄ - T̃))·(S̄₂₄/S̃)^γ`` (module docstring); 1 where both are 0."""
    t = np.asarray(temperature_c, dtype=np.float64)
    if not temperature_coeff_per_k and not solar_exponent:
        return np.ones_like(t)
    s = np.maximum(np.asarray(solar_w_m2, dtype=np.float64), 0.0)
    both = np.stack([t, s])
    day, climate = trailing_mean(both, 24), centred_mean(both, CLIMATE_WINDOW_H)
    ratio = np.maximum(day[1] / np.maximum(climate[1], 1.0), 1e-3)
    return np.asarray(
        np.exp(temperature_coeff_per_k * (day[0] - climate[0]) + solar_exponent * np.log(ratio))
    )
