"""Aerosol–boundary-layer feedback: regional haze lowers the daytime mixing height.

Aerosol in the boundary layer scatters and absorbs sunlight, so less reaches the ground, the
surface sensible heat flux falls and the daytime boundary layer grows less; the shallower layer
concentrates the aerosol further (Petäjä et al. 2016, Sci. Rep. 6:18998; Li et al. 2017, Natl.
Sci. Rev. 4:810; Wang et al. 2020, ACP 20:45). Online-coupled models of winter haze over
Beijing-Tianjin-Hebei put the daytime boundary layer about a third lower in severe haze: 33 %
(Wang et al. 2015, ACP 15:3277, January 2013) and 184 m with regional PM2.5 39 % higher, which in
a box ``C ∝ 1/H`` is a 28 % lower layer (Li et al. 2020, ACP 20:8659, the severe episode of
20-26 February 2014, regional mean about 160 µg/m³ with the feedback). At each daylight hour
(irradiance above 0):

    H_eff = H·(1 - min(r_ref·(C_reg/C_ref)^p, r_max)),

with ``C_reg`` the regional PM2.5 at the start of the hour (µg/m³; the regional haze layer sets
the column the sunlight crosses, and the models above report regional means), ``r_ref`` = 0.3
at ``C_ref`` = 160 µg/m³ (the two studies above), ``p`` = 1 (assumed: linear, between the
feedback being "moderate below about 200 µg/m³", Petäjä et al. 2016, and a convex growth at
higher loading, Zou et al. 2017, Adv. Atmos. Sci. 34:1057) and ``r_max`` = 0.5 (assumed; Zou et
al. 2017 find about 450 m at the heaviest Nanjing loadings, half a clean-sky afternoon layer).
Nights are unchanged. The models' own averages bound what it may do to a season: +7.8 % PM2.5
over a month of NCP haze (Wu et al. 2019, ACP 19:8703) to +29 % over February-March 2014 (Li et
al. 2020).

``C_reg`` is the regional reservoir of :mod:`sim.air.background` at the reference regional
emissions, stepped hour by hour together with ``H_eff`` (the reservoir's flushing uses the
trailing mean of ``u·H_eff``, so the feedback acts on the haze that drives it). The result,
:func:`haze_mixing_height`, replaces the weather's mixing height for every box and for the
region (:func:`sim.outcomes.air_inputs.met_arrays`): computed once per weather, it serves every
emission scenario, so the measures' own change of the feedback (second order: a measure that
lowers regional PM2.5 by ``δ`` changes ``H_eff`` by ``δ·∂H_eff/∂C``) is left out, which
understates slightly what regional cuts gain in haze.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

from sim.air.background import RegionParams, regional_weather
from sim.air.weather_factors import CLIMATE_WINDOW_H, centred_mean, trailing_mean

__all__ = ["HazeFeedbackParams", "haze_mixing_height"]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class HazeFeedbackParams:
    """The feedback's parameters (module docstring; sources in ``AirConfig``).

    Attributes
    ----------
    relative_reduction_ref
        ``r_ref``: relative daytime reduction of the mixing height at ``C_ref``.
    pm25_ref_ug_m3
        ``C_ref``: regional PM2.5 of the reference severe haze, µg/m³.
    exponent
        ``p``: how the reduction grows with the regional PM2.5.
    max_relative_reduction
        ``r_max``: largest relative reduction, [0, 1).
    """

    relative_reduction_ref: float = 0.3
    pm25_ref_ug_m3: float = 160.0
    exponent: float = 1.0
    max_relative_reduction: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.relative_reduction_ref < 1.0:
            raise ValueError(
                f"relative_reduction_ref(={self.relative_reduction_ref}) must lie within [0, 1)."
            )
        if self.pm25_ref_ug_m3 <= 0 or self.exponent <= 0:
            raise ValueError(
                f"pm25_ref_ug_m3(={self.pm25_ref_ug_m3}) and exponent(={self.exponent}) must be"
                " > 0."
            )
        if not 0.0 <= self.max_relative_reduction < 1.0:
            raise ValueError(
                f"max_relative_reduction(={self.max_relative_reduction}) must lie within [0, 1)."
            )


@njit(cache=True)
def _stepped(
    wind: F64, height: F64, daylight: F64, source: F64, washout: F64, scale: F64,
    height_climate: F64, exponent_v: float, exponent_h: float, window: int, c0: float,
    r_ref: float, c_ref: float, exponent_c: float, max_rel: float,
) -> tuple[F64, F64]:  # pragma: no cover - compiled  # fmt: skip
    """Hour-by-hour reservoir with the feedback: returns ``(H_eff, C_reg hour means)``.

    ``λ = scale·V̄^β·pace + washout`` and source ``source·pace``, ``V̄`` and ``H̄`` the trailing
    ``window``-hour means of ``u·H_eff`` and ``H_eff`` (shorter at first, as
    :func:`sim.air.weather_factors.trailing_mean`) and ``pace = (H̃/H̄)^β_H``
    (:func:`sim.air.weather_factors.mixing_pace`).
    """
    n = wind.size
    h_eff = np.empty(n)
    mean = np.empty(n)
    vent = np.empty(n)
    c = c0
    sum_v = 0.0
    sum_h = 0.0
    for t in range(n):
        h = height[t]
        if daylight[t] > 0.0:
            h = h - h * min(r_ref * (max(c, 0.0) / c_ref) ** exponent_c, max_rel)
        h_eff[t] = h
        vent[t] = wind[t] * h
        sum_v += vent[t]
        sum_h += h
        if t >= window:
            sum_v -= vent[t - window]
            sum_h -= h_eff[t - window]
        k = min(t + 1, window)
        pace = (height_climate[t] / (sum_h / k)) ** exponent_h if exponent_h != 0.0 else 1.0
        lam = scale[t] * (sum_v / k) ** exponent_v * pace + washout[t]
        star = source[t] * pace / lam
        decay = math.exp(-lam)
        mean[t] = star + (c - star) * (1.0 - decay) / lam
        c = star + (c - star) * decay
    return h_eff, mean


def haze_mixing_height(
    day_of_year: ArrayLike, wind_m_s: ArrayLike, mixing_height_m: ArrayLike,
    rain_mm_h: ArrayLike, solar_w_m2: ArrayLike, region: RegionParams,
    params: HazeFeedbackParams, *, relative_humidity_pct: ArrayLike | None = None,
) -> tuple[F64, F64]:  # fmt: skip
    """The mixing height with the feedback and the regional PM2.5 that drove it.

    Parameters
    ----------
    day_of_year, wind_m_s, mixing_height_m, rain_mm_h, solar_w_m2, relative_humidity_pct
        Hourly weather, ``(n_hours,)``: day of year, m/s, m, mm/h, W/m², %.
    region
        The regional reservoir's parameters (:class:`sim.air.background.RegionParams`), at the
        reference regional emissions.
    params
        :class:`HazeFeedbackParams`.

    Returns
    -------
    mixing_height_m, regional_pm25_ug_m3
        ``H_eff`` (m) and the regional PM2.5 hour means with the feedback (µg/m³); with
        ``relative_reduction_ref`` 0 the latter is
        :func:`sim.air.background.regional_background`'s PM2.5 (tests/air/test_haze_feedback.py).
    """
    wind = np.ascontiguousarray(wind_m_s, dtype=np.float64)
    height = np.ascontiguousarray(mixing_height_m, dtype=np.float64)
    if height.size == 0:
        return height.copy(), np.zeros(0)
    still = replace(region, mixing_pace_exponent=0.0)  # the pace is stepped with H_eff below
    wx = regional_weather(
        day_of_year, wind, height, rain_mm_h, still, relative_humidity_pct=relative_humidity_pct
    )
    window, beta = region.ventilation_window_h, region.ventilation_exponent
    # λ = scale·V̄^β: the weather's flushing split into its synoptic V̄ and the rest (climate, τ)
    scale = np.ascontiguousarray(wx.flush_per_h / trailing_mean(wind * height, window) ** beta)
    source = np.ascontiguousarray(region.pm25_ug_m3 * wx.pm25_season / region.relaxation_h)
    washout = np.ascontiguousarray(wx.washout_per_h)
    climate = np.ascontiguousarray(centred_mean(height, CLIMATE_WINDOW_H))
    pace0 = (climate[0] / height[0]) ** region.mixing_pace_exponent
    c0 = float(source[0] * pace0 / (wx.flush_per_h[0] * pace0 + washout[0]))
    daylight = (np.asarray(solar_w_m2, dtype=np.float64) > 0.0).astype(np.float64)
    return _stepped(
        wind, height, np.ascontiguousarray(daylight), source, washout, scale, climate, beta,
        region.mixing_pace_exponent, window, c0, params.relative_reduction_ref,
        params.pm25_ref_ug_m3, params.exponent, params.max_relative_reduction,
    )  # fmt: skip
