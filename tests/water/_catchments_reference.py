"""The vectorised runoff of many areas as first written: numpy over areas, one Python step per
wet substep. Kept only as the reference :func:`sim.water.catchments.areas_runoff` is tested
against (same scheme; results agree to rounding).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.water.runoff import MIN_RUNOFF_M_S, Subcatchment

__all__ = ["areas_runoff_stepwise"]

_MM_H = 1.0e-3 / 3600.0  # 1 mm/h in m/s
_NEWTON_ITERATIONS = 5


def _reservoir_step(
    depth: NDArray[np.float64],
    inflow_m_s: NDArray[np.float64],
    dt: float,
    ds: NDArray[np.float64],
    alpha: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Backward-Euler depth after ``dt`` of ``dd/dt = i - alpha·max(d - ds, 0)^(5/3)``, m."""
    free = depth + inflow_m_s * dt
    rhs = free - ds
    wet = (rhs > 0.0) & (alpha > 0.0)
    if not np.any(wet):
        return np.where(alpha > 0.0, free, np.minimum(free, ds))
    r = np.where(wet, rhs, 0.0)
    adt = np.where(wet, alpha * dt, 1.0)
    x = np.minimum(r, (r / adt) ** 0.6)  # g(x) >= 0 here: Newton on a convex g converges down
    for _ in range(_NEWTON_ITERATIONS):
        x23 = np.cbrt(x * x)
        g = x + adt * x * x23 - r
        dg = 1.0 + adt * (5.0 / 3.0) * x23
        x = np.maximum(x - g / dg, 0.0)
    out = np.where(wet, ds + x, free)
    return np.where(alpha > 0.0, out, np.minimum(out, ds))  # n = 0: excess leaves at once


def areas_runoff_stepwise(
    areas: Sequence[Subcatchment],
    rain_mm_h: ArrayLike,
    substeps: int = 4,
    step_s: float = 3600.0,
) -> NDArray[np.float64]:
    """Mean runoff per hour of every area, m³/s, shape ``(n_hours, n_areas)``.

    Parameters
    ----------
    areas
        The areas as SWMM subcatchments (evaporation is ignored here).
    rain_mm_h
        Hourly rain, mm/h, shape ``(n_hours,)`` (the same rain falls on every area).
    substeps
        Fine steps per active hour (4 = 15 min).
    step_s
        Coarse step, s.

    Returns
    -------
    numpy.ndarray
        Mean runoff flow per coarse step and area, m³/s (volume = value × step_s).
    """
    if substeps < 1 or step_s <= 0.0:
        raise ValueError(f"substeps(={substeps}) must be >= 1 and step_s(={step_s}) > 0.")
    rain = np.asarray(rain_mm_h, dtype=np.float64)
    n_t, n_a = rain.shape[0], len(areas)
    out = np.zeros((n_t, n_a))
    if n_a == 0:
        return out
    frac = np.array([a.subarea_fractions for a in areas])  # (n_a, 3)
    alpha = np.array([a.alphas for a in areas])
    ds = np.array([[0.0, a.dstore_imperv_mm * 1e-3, a.dstore_perv_mm * 1e-3] for a in areas])
    area = np.array([a.area_m2 for a in areas])
    f0 = np.array([a.horton_max_mm_h for a in areas]) * _MM_H
    fmin = np.array([a.horton_min_mm_h for a in areas]) * _MM_H
    kd = np.array([a.horton_decay_per_h for a in areas]) / 3600.0
    kr = np.array([-math.log(0.02) / a.horton_dry_days / 86400.0 for a in areas])
    kd_safe = np.where(kd > 0.0, kd, 1.0)

    def cumulative(tp: NDArray[np.float64]) -> NDArray[np.float64]:
        return fmin * tp + (f0 - fmin) / kd_safe * -np.expm1(-kd * tp)

    depth = np.zeros((n_a, 3))
    tp = np.zeros(n_a)
    dt = step_s / substeps
    wet_hours = np.flatnonzero(rain > 0.0)
    last = -1  # the last hour stepped
    for k in wet_hours.tolist():
        gap = k - last - 1
        if gap > 0:
            depth, tp = _dry_spell(
                out[last + 1 : k], depth, tp, gap, step_s, ds, alpha, frac, area, kd, kd_safe, kr
            )
        i = rain[k] * _MM_H
        q_sum = np.zeros(n_a)
        for _ in range(substeps):
            avail = i + depth[:, 2] / dt
            f_tp = cumulative(tp)
            cap = np.maximum((cumulative(tp + dt) - f_tp) / dt, fmin)
            cap = np.where(kd > 0.0, cap, f0)
            infil = np.minimum(cap, avail)
            # water-limited: move tp to where F has grown by the volume taken (one Newton step)
            guess = tp + dt * infil / np.where(cap > 0.0, cap, 1.0)
            rate = fmin + (f0 - fmin) * np.exp(-kd * guess)
            guess -= (cumulative(guess) - f_tp - infil * dt) / np.where(rate > 0.0, rate, 1.0)
            tp = np.where(infil < cap, np.maximum(guess, tp), tp + dt)
            net = np.empty((n_a, 3))
            net[:, :2] = i
            net[:, 2] = i - infil
            new = np.maximum(_reservoir_step(depth, net, dt, ds, alpha), 0.0)
            q_sum += ((depth + net * dt - new) * frac).sum(axis=1)
            depth = new
        out[k] = q_sum * area / step_s
        last = k
    if last < n_t - 1:
        _dry_spell(
            out[last + 1 :],
            depth,
            tp,
            n_t - last - 1,
            step_s,
            ds,
            alpha,
            frac,
            area,
            kd,
            kd_safe,
            kr,
        )
    return out


def _dry_spell(
    out: NDArray[np.float64],
    depth: NDArray[np.float64],
    tp: NDArray[np.float64],
    n_hours: int,
    step_s: float,
    ds: NDArray[np.float64],
    alpha: NDArray[np.float64],
    frac: NDArray[np.float64],
    area: NDArray[np.float64],
    kd: NDArray[np.float64],
    kd_safe: NDArray[np.float64],
    kr: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Recession and regeneration over ``n_hours`` without rain, in closed form.

    Impervious reservoirs drain (until their rate falls below MIN_RUNOFF) as
    ``x(t) = (x0^(-2/3) + (2/3)·alpha·t)^(-3/2)`` (the exact
    solution of ``dx/dt = -alpha·x^(5/3)``); water ponded on the pervious area infiltrates (its
    recession runoff is neglected: the Horton minimum rate empties a few mm within the hour);
    the soil's infiltration capacity then regenerates (SWMM 5.2 ``horton_getInfil``, dry branch).
    Writes the hourly mean runoff into ``out`` and returns the new depth and Horton time.
    """
    t = np.arange(n_hours + 1, dtype=np.float64) * step_s  # (n+1,)
    x0 = np.maximum(depth[:, :2] - ds[:, :2], 0.0)  # (n_a, 2)
    a = alpha[:, :2]
    with np.errstate(divide="ignore"):
        inv = np.where(x0 > 0.0, x0 ** (-2.0 / 3.0), np.inf)
    x = np.where(
        (x0[None] > 0.0) & (a[None] > 0.0),
        (inv[None] + (2.0 / 3.0) * a[None] * t[:, None, None]) ** -1.5,
        x0[None],
    )  # (n+1, n_a, 2)
    # runoff stops below SWMM's MIN_RUNOFF; the rest stays ponded until the next rain
    with np.errstate(divide="ignore"):
        x_stop = np.where(a > 0.0, (MIN_RUNOFF_M_S / np.where(a > 0.0, a, 1.0)) ** 0.6, x0)
    x = np.maximum(x, np.minimum(x0, x_stop)[None])
    vol = -np.diff(x, axis=0) * frac[None, :, :2]  # (n, n_a, 2), m per unit area
    out += vol.sum(axis=2) * area[None] / step_s
    new = depth.copy()
    new[:, :2] = ds[:, :2] + x[-1]
    new[:, :2] = np.where(x0 > 0.0, new[:, :2], depth[:, :2])
    new[:, 2] = 0.0
    regen = np.exp(-kr * n_hours * step_s) * -np.expm1(-kd * tp)
    tp_new = np.where(kd > 0.0, -np.log1p(-regen) / kd_safe, tp)
    return new, tp_new
