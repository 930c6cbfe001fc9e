"""A well-mixed box over a district or a whole city: emissions to concentration increments.

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

from sim.air.kernels import as_rows, box_hour_means, box_hour_means_of_rates, recurrence

__all__ = [
    "KG_H_TO_UG_S",
    "box_increment",
    "box_rate_constant",
    "box_steady_state",
    "linear_recurrence",
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
    End-of-hour values follow the linear recurrence ``C[n] = a[n]·r[n]·C[n-1] + b[n]`` with
    ``a = exp(-λΔ)``, ``b = C*·(1 - a)`` and ``r`` the dilution factor, stepped by compiled
    code with the hour means (:func:`sim.air.kernels.box_hour_means`). :func:`box_series` is
    the same with time as the last axis (what the air response uses: no transposes).
    """
    e = np.asarray(emission_kg_h, dtype=np.float64)
    if e.ndim == 0:
        raise ValueError("emission_kg_h must have a time axis.")
    # Work with time as the LAST axis (long contiguous inner loops), shapes (..., n).
    u = _time_last("wind_m_s", wind_m_s, e, hourly=True)
    h = _time_last("mixing_height_m", mixing_height_m, e, hourly=True)
    vd = _time_last("deposition_m_s", deposition_m_s, e, hourly=False)
    k = _time_last("loss_per_s", loss_per_s, e, hourly=False)
    out = box_series(
        np.moveaxis(e, 0, -1), u, h, area_m2, length_m, vd, k, c0_ug_m3,
        hour_mean=hour_mean, dilute_on_rise=dilute_on_rise,
    )  # fmt: skip
    return np.ascontiguousarray(np.moveaxis(out, -1, 0))


def box_series(
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
    """:func:`box_increment` with time as the LAST axis of every argument, ``(..., n_hours)``.

    ``emission_kg_h`` is ``(..., n_hours)``; the weather and the removal terms broadcast
    against it (e.g. ``(n_hours,)``, or ``(7, 1)`` per pollutant, or ``(7, n_hours)``). The
    removal rate and the hour's decay are computed once on their own (broadcast) shape, not
    per emission series: many series sharing one weather cost little more than one.
    """
    e = np.asarray(emission_kg_h, dtype=np.float64)
    if e.ndim == 0:
        raise ValueError("emission_kg_h must have a time axis.")
    _non_negative("emission_kg_h", e)
    u = np.asarray(wind_m_s, dtype=np.float64)
    h = np.asarray(mixing_height_m, dtype=np.float64)
    vd = np.asarray(deposition_m_s, dtype=np.float64)
    k = np.asarray(loss_per_s, dtype=np.float64)
    _positive("wind_m_s", u)
    _positive("mixing_height_m", h)
    _non_negative("deposition_m_s", vd)
    _non_negative("loss_per_s", k)
    if area_m2 <= 0 or length_m <= 0:
        raise ValueError(f"area_m2(={area_m2}) and length_m(={length_m}) must be > 0.")
    c0 = np.broadcast_to(np.asarray(c0_ug_m3, dtype=np.float64), e.shape[:-1])
    _non_negative("c0_ug_m3", c0)
    # λΔ = (u/L + v_d/H + k)·Δ on the removal's own shape, made in place (the same numbers)
    lam_dt = np.asarray(vd / h)
    if lam_dt.shape == np.broadcast_shapes(lam_dt.shape, u.shape, k.shape):
        lam_dt += u / length_m  # a + b == b + a
        lam_dt += k
        lam_dt *= _HOUR_S
    else:
        lam_dt = (u / length_m + lam_dt + k) * _HOUR_S
    decay = np.negative(lam_dt)
    np.exp(decay, out=decay)
    shape = np.broadcast_shapes(e.shape, lam_dt.shape)
    rows = as_rows(e, shape)
    init = np.ascontiguousarray(np.broadcast_to(c0, shape[:-1]), dtype=np.float64).reshape(-1)
    if shape[-1] == 0:
        return np.zeros(shape)
    c_star_per_kg_h = KG_H_TO_UG_S * _HOUR_S / area_m2  # C* = c_star_per_kg_h/(H·λΔ) per kg/h
    if hour_mean and not dilute_on_rise:  # the coefficients below, made in the compiled loop
        own = shape[len(shape) - max(lam_dt.ndim, 1) :]  # what the rows of lam_dt stand for
        out = box_hour_means_of_rates(
            as_rows(lam_dt, shape), as_rows(decay, shape), as_rows(h, own), c_star_per_kg_h,
            rows, init,
        )  # fmt: skip
        return out.reshape(shape)
    gain = 1.0 - decay
    to_c_star = c_star_per_kg_h / (h * lam_dt)  # C* per kg/h
    mult = decay
    g = gain / lam_dt  # hour mean C* + (C_start - C*)·g, g = (1 - e^(-λΔ))/(λΔ)
    if dilute_on_rise and e.shape[-1] > 1:
        carry = _dilution(np.broadcast_to(h, np.broadcast_shapes(h.shape, lam_dt.shape)))
        mult = decay * carry
        g = g * carry  # the dilution of the hour's start
    if not hour_mean:
        add = as_rows(e * (to_c_star * gain), shape)
        return recurrence(as_rows(mult, shape), add, init).reshape(shape)
    # as C_start·g + E·C*·(1 - g) and C_end = mult·C_start + E·C*·(1 - e^(-λΔ)), hour by hour
    out = box_hour_means(
        as_rows(mult, shape), as_rows(to_c_star * gain, shape), as_rows(g, shape),
        as_rows(to_c_star * (1.0 - g), shape), rows, init,
    )  # fmt: skip
    return out.reshape(shape)


def _time_last(
    name: str, value: ArrayLike, e: NDArray[np.float64], hourly: bool
) -> NDArray[np.float64]:
    """``value`` shaped to broadcast against ``e`` with time moved to the last axis."""
    n = e.shape[0]
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 1 and hourly and e.ndim > 1:
        if arr.shape[0] != n:
            raise ValueError(f"{name} has {arr.shape[0]} hours, emission_kg_h {n}.")
        return arr  # (n,) broadcasts against (..., n)
    if arr.ndim == e.ndim and arr.ndim > 0 and arr.shape[0] == n:
        return np.moveaxis(arr, 0, -1)  # a full (n, ...) array
    return arr[..., None]  # scalar or trailing shape: constant in time


def _dilution(h: NDArray[np.float64]) -> NDArray[np.float64]:
    """Dilution ``min(1, H[n-1]/H[n])`` carried from the end of hour n-1 into hour n."""
    carry = np.ones(h.shape)
    carry[..., 1:] = np.minimum(1.0, h[..., :-1] / h[..., 1:])
    return carry


def linear_recurrence(mult: ArrayLike, add: ArrayLike, init: ArrayLike) -> NDArray[np.float64]:
    """Solve ``x[n] = mult[n]·x[n-1] + add[n]`` along the LAST axis, ``x[-1] = init``.

    ``0 <= mult <= 1`` (a decay factor); used by the box and by the regional relaxation
    (:mod:`sim.air.background`). ``mult`` and ``add`` broadcast against each other. Stepped
    hour by hour by compiled code (:func:`sim.air.kernels.recurrence`: about 1 ns a step, so a
    year of 20 series takes well under a millisecond), the multipliers read in place when they
    are the trailing dimensions of the result (series sharing one decay).
    """
    m = np.asarray(mult, dtype=np.float64)
    add_arr = np.asarray(add, dtype=np.float64)
    shape = np.broadcast_shapes(m.shape, add_arr.shape)
    a = np.broadcast_to(add_arr, shape)
    x0 = np.broadcast_to(np.asarray(init, dtype=np.float64), shape[:-1])
    if m.size and (np.min(m) < 0 or np.max(m) > 1):
        raise ValueError("mult must lie within [0, 1].")
    if shape[-1] == 0:
        return np.zeros(shape)
    out = recurrence(as_rows(m, shape), as_rows(a, shape), np.ascontiguousarray(x0).reshape(-1))
    return out.reshape(shape)
