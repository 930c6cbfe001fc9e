"""A well-mixed box over an area (a district or a whole city): emissions to concentration increments.

The box has area ``A`` (m²), along-wind length ``L`` (m) and the hour's mixing height ``H`` (m).
Clean air enters upwind at wind speed ``u`` (m/s); the increment ``C`` (µg/m³) due to the box's own
emission ``E`` obeys

    dC/dt = E/(A·H) - (u/L + v_d/H + k)·C = S - λ·C,

with dry deposition velocity ``v_d`` (m/s) and first-order loss rate ``k`` (1/s). With hourly
piecewise-constant coefficients the hour's exact solution is

    C(t0 + τ) = C* + (C(t0) - C*)·exp(-λτ),   C* = S/λ,

and its mean over the hour of length Δ is ``C* + (C(t0) - C*)·(1 - exp(-λΔ))/(λΔ)``.

References
----------
Seinfeld, J.H. and Pandis, S.N. (2016), *Atmospheric Chemistry and Physics*, 3rd ed., Wiley,
§25.1 (the well-mixed box / Eulerian box model); Hanna, S.R., Briggs, G.A. and Hosker, R.P. (1982),
*Handbook on Atmospheric Diffusion*, DOE/TIC-11223, ch. 8 (box models for urban areas).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "KG_H_TO_UG_S",
    "box_increment",
    "box_rate_constant",
    "box_steady_state",
]

#: kg/h to µg/s.
KG_H_TO_UG_S = 1e9 / 3600.0

_HOUR_S = 3600.0


def _positive(name: str, value: NDArray[np.float64]) -> None:
    if not np.all(value > 0):
        raise ValueError(f"{name}(min={np.min(value)}) must be > 0.")


def _non_negative(name: str, value: NDArray[np.float64]) -> None:
    if not np.all(value >= 0):
        raise ValueError(f"{name}(min={np.min(value)}) must be >= 0.")


def box_rate_constant(
    wind_m_s: ArrayLike,
    mixing_height_m: ArrayLike,
    length_m: float,
    deposition_m_s: ArrayLike = 0.0,
    loss_per_s: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Removal rate of the box, ``λ = u/L + v_d/H + k``, 1/s (broadcast over the arguments)."""
    u = np.asarray(wind_m_s, dtype=np.float64)
    h = np.asarray(mixing_height_m, dtype=np.float64)
    return np.asarray(
        u / length_m + np.asarray(deposition_m_s, dtype=np.float64) / h + np.asarray(loss_per_s),
        dtype=np.float64,
    )


def box_steady_state(
    emission_kg_h: ArrayLike,
    wind_m_s: ArrayLike,
    mixing_height_m: ArrayLike,
    area_m2: float,
    length_m: float,
    deposition_m_s: ArrayLike = 0.0,
    loss_per_s: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Steady-state increment ``C* = E·L / (A·(u·H + v_d·L + k·H·L))``, µg/m³.

    Without deposition or loss this is the classic ``q·L/(u·H)`` with flux ``q = E/A``
    (Hanna et al. 1982, eq. 8.1). Arguments broadcast against each other.

    Parameters
    ----------
    emission_kg_h
        Emission of the whole box, kg/h.
    wind_m_s, mixing_height_m
        Wind speed (m/s, > 0) and mixing height (m, > 0).
    area_m2, length_m
        Box area (m²) and along-wind length (m).
    deposition_m_s, loss_per_s
        Dry deposition velocity (m/s) and first-order chemical loss (1/s).
    """
    e = np.asarray(emission_kg_h, dtype=np.float64) * KG_H_TO_UG_S
    u = np.asarray(wind_m_s, dtype=np.float64)
    h = np.asarray(mixing_height_m, dtype=np.float64)
    vd = np.asarray(deposition_m_s, dtype=np.float64)
    k = np.asarray(loss_per_s, dtype=np.float64)
    return np.asarray(e * length_m / (area_m2 * (u * h + vd * length_m + k * h * length_m)))


def box_increment(
    emission_kg_h: ArrayLike,
    wind_m_s: ArrayLike,
    mixing_height_m: ArrayLike,
    area_m2: float,
    length_m: float,
    deposition_m_s: ArrayLike = 0.0,
    loss_per_s: ArrayLike = 0.0,
    c0_ug_m3: ArrayLike = 0.0,
    *,
    hour_mean: bool = True,
    dilute_on_rise: bool = False,
) -> NDArray[np.float64]:
    """Hourly concentration increment of a well-mixed box, solved exactly hour by hour.

    Parameters
    ----------
    emission_kg_h
        Emission of the whole box, kg/h, shape ``(n_hours, ...)``: trailing dimensions (pollutants,
        ensemble members) are carried along.
    wind_m_s, mixing_height_m
        Shape ``(n_hours,)`` or the full shape of ``emission_kg_h``; > 0.
    area_m2, length_m
        Box area (m²) and along-wind length (m). The same function serves the district
        (21.3 km², ~5 km) and the city (~12,000 km², ~100 km).
    deposition_m_s, loss_per_s
        Dry deposition velocity (m/s) and first-order loss (1/s): scalars, per-pollutant arrays
        shaped like the trailing dimensions, or full ``(n_hours, ...)`` arrays.
    c0_ug_m3
        Increment at the start of the first hour, µg/m³ (scalar or trailing shape).
    hour_mean
        Return each hour's mean (default, what a monitor's hourly value is); False returns the
        concentration at the end of each hour.
    dilute_on_rise
        When the mixing height rises between hours, dilute the box by ``H_old/H_new`` (entrainment
        of clean air from above); when it falls, concentration is kept. Off by default (the
        equation above, with ``C`` continuous across hours).

    Returns
    -------
    numpy.ndarray
        µg/m³, shape of ``emission_kg_h``.

    Notes
    -----
    The recursion ``C[n+1] = a[n]·r[n]·C[n] + b[n]`` (``a = exp(-λΔ)``, ``b = C*·(1 - a)``,
    ``r`` the dilution factor) is solved without a Python loop: with ``G[n] = Σ_{j<n} -log(a[j]·r[j])``,
    ``C[n] = exp(-G[n])·(C[0] + Σ_{j<n} b[j]·exp(G[j+1]))``, and the sum is accumulated in log
    space (:func:`numpy.logaddexp.accumulate`) so that nothing overflows over a year.
    """
    e = np.asarray(emission_kg_h, dtype=np.float64)
    if e.ndim == 0:
        raise ValueError("emission_kg_h must have a time axis.")
    _non_negative("emission_kg_h", e)
    extra = (1,) * (e.ndim - 1)

    def _hourly(name: str, value: ArrayLike) -> NDArray[np.float64]:
        arr = np.asarray(value, dtype=np.float64)
        if arr.ndim == 1 and e.ndim > 1:
            if arr.shape[0] != e.shape[0]:
                raise ValueError(f"{name} has {arr.shape[0]} hours, emission_kg_h {e.shape[0]}.")
            arr = arr.reshape(arr.shape[0], *extra)
        return np.broadcast_to(arr, e.shape)

    u = _hourly("wind_m_s", wind_m_s)
    h = _hourly("mixing_height_m", mixing_height_m)
    _positive("wind_m_s", u)
    _positive("mixing_height_m", h)
    if area_m2 <= 0 or length_m <= 0:
        raise ValueError(f"area_m2(={area_m2}) and length_m(={length_m}) must be > 0.")
    vd = np.broadcast_to(np.asarray(deposition_m_s, dtype=np.float64), e.shape)
    k = np.broadcast_to(np.asarray(loss_per_s, dtype=np.float64), e.shape)
    _non_negative("deposition_m_s", vd)
    _non_negative("loss_per_s", k)
    c0 = np.broadcast_to(np.asarray(c0_ug_m3, dtype=np.float64), e.shape[1:])
    _non_negative("c0_ug_m3", c0)

    lam_dt = (u / length_m + vd / h + k) * _HOUR_S
    c_star = e * KG_H_TO_UG_S / (area_m2 * h) * _HOUR_S / lam_dt
    decay = np.exp(-lam_dt)
    b = c_star * -np.expm1(-lam_dt)

    # log of the factor carried from the end of hour j to the start of hour j+1 (dilution)
    log_r = np.zeros_like(lam_dt)
    if dilute_on_rise and e.shape[0] > 1:
        log_r[:-1] = np.minimum(0.0, np.log(h[:-1] / h[1:]))
    # G_end[n] = -log of the product of a·r over hours 0..n-1 plus a[n]: decay to the END of hour n
    step = lam_dt - log_r  # -log(a[n]·r[n])
    g_end = np.cumsum(lam_dt - np.concatenate([np.zeros_like(log_r[:1]), log_r[:-1]]), axis=0)
    # end-of-hour n: C_end[n] = exp(-g_end[n])·c0 + Σ_{j<=n} b[j]·exp(-(g_end[n] - g_end[j]))
    with np.errstate(divide="ignore"):
        log_terms = np.log(b) + g_end
    log_acc = np.logaddexp.accumulate(log_terms, axis=0)
    c_end = np.exp(log_acc - g_end) + c0 * np.exp(-g_end)
    if not hour_mean:
        return np.asarray(c_end)
    # concentration at the start of each hour: c0, then the previous end times its dilution
    c_start = np.concatenate([c0[None, ...], c_end[:-1] * np.exp(log_r[:-1])], axis=0)
    frac = np.where(lam_dt > 1e-12, -np.expm1(-lam_dt) / np.maximum(lam_dt, 1e-300), 1.0)
    del step, decay
    return np.asarray(c_star + (c_start - c_star) * frac)
