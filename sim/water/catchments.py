"""Runoff of many drainage areas for a year: the SWMM subcatchment model, stepped where it rains.

The same physics as :mod:`sim.water.runoff` (three sub-areas per area, depression storage, Horton
infiltration with regeneration, nonlinear-reservoir outflow ``q = alpha·(d - ds)^(5/3)``). Only
hours with rain are stepped, each split into ``substeps`` fine steps; every dry stretch between
them is applied in closed form (impervious recession until SWMM's MIN_RUNOFF, Horton
regeneration, SWMM 5.2 ``horton_getInfil``). The reservoir equation is integrated by implicit
(backward) Euler solved with Newton's method to rounding, which conserves water exactly over each
step: rain = outflow + infiltration + change in ponded depth. Against the adaptive scheme of
:mod:`sim.water.runoff` (SWMM's), hourly runoff volumes agree within about 1 %
(``tests/water/test_catchments.py``).

Speed: the wet steps are a recurrence in time with a Newton solve per step (a handful of
arithmetic operations per sub-area and substep, on single floats): they are stepped per area by
compiled code (:func:`sim.water.surface.area_year`, numba), which also applies the dry stretches;
the recession hours of all dry stretches are evaluated afterwards in one vectorised pass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.water.runoff import MIN_RUNOFF_M_S, Subcatchment
from sim.water.surface import area_year

__all__ = ["areas_runoff"]

_MM_H = 1.0e-3 / 3600.0  # 1 mm/h in m/s


@dataclass(frozen=True)
class _Area:
    """Constants of one area's stepping (SI units; the order of
    :data:`sim.water.surface.AREA_CONSTANTS`)."""

    f_0: float  # sub-area shares: impervious without storage, with storage, pervious
    f_1: float
    f_2: float
    a_imp: float
    ds_imp: float
    ds_perv: float
    f0: float  # Horton f0, fmin (m/s), kd, kr (1/s)
    fmin: float
    kd: float
    kr: float
    dt: float
    c_h: float  # Horton: F(tp) = fmin·tp + c_h·(1 - exp(-kd·tp))
    c_cap: float  # capacity over a step from tp: fmin + c_cap·exp(-kd·tp)
    x_stop: float
    adt: float
    adt_perv: float
    substeps: int

    @classmethod
    def of(cls, c: Subcatchment, substeps: int, step_s: float) -> _Area:
        """The constants of subcatchment ``c`` stepped with ``substeps`` per ``step_s``."""
        f_0, f_1, f_2 = c.subarea_fractions
        a_imp, _, a_perv = c.alphas
        f0, fmin = c.horton_max_mm_h * _MM_H, c.horton_min_mm_h * _MM_H
        kd = c.horton_decay_per_h / 3600.0
        dt = step_s / substeps
        c_h = (f0 - fmin) / kd if kd > 0.0 else 0.0
        return cls(
            f_0, f_1, f_2, a_imp, c.dstore_imperv_mm * 1e-3, c.dstore_perv_mm * 1e-3, f0, fmin,
            kd, -math.log(0.02) / c.horton_dry_days / 86400.0, dt, c_h,
            c_h * -math.expm1(-kd * dt) / dt,
            (MIN_RUNOFF_M_S / a_imp) ** 0.6 if a_imp > 0.0 else 0.0,
            a_imp * dt, a_perv * dt, substeps,
        )  # fmt: skip


def _add_recessions(
    out: NDArray[np.float64],
    j: NDArray[np.int64],
    alpha: NDArray[np.float64],
    rec: NDArray[np.float64],
    step_s: float,
) -> None:
    """Add the hourly mean runoff of every recorded recession to ``out`` (vectorised).

    ``x(t) = (x0^(-2/3) + (2/3)·alpha·t)^(-3/2)`` (exact solution of ``dx/dt = -alpha·x^(5/3)``)
    until the rate falls below MIN_RUNOFF; the rest stays ponded until the next rain. With
    evaporation ``e`` the depth is lower by ``δ``, which to first order obeys
    ``dδ/dt = e - (5/3)·alpha·x^(2/3)·δ``; with ``u = x^(-2/3) = u0 + c·t`` (``c = 2·alpha/3``)
    that is ``δ(t) = 2e/(7c)·(u - u0^(7/2)/u^(5/2))``, and an hour's runoff is the fall in depth
    less the hour's evaporation, ``x_r(a) - x_r(b) + δ(b) - δ(a) - e·Δt`` (mass-consistent).
    One row per recession: its area ``j``, ``alpha`` and the columns of ``rec`` (weight m²,
    first hour, hours, starting depth above storage m, first hour's evaporation m/s; see
    :func:`sim.water.surface.area_year`).
    """
    if not j.size:
        return
    x0 = rec[:, 3]
    x_stop = (MIN_RUNOFF_M_S / alpha) ** 0.6
    inv0 = x0 ** (-2.0 / 3.0)
    t_stop_h = (x_stop ** (-2.0 / 3.0) - inv0) / ((2.0 / 3.0) * alpha) / step_s
    n = np.minimum(rec[:, 2].astype(np.int64), np.floor(t_stop_h).astype(np.int64) + 2)
    row = np.repeat(np.arange(j.size), n)
    k = np.arange(row.size) - np.repeat(np.cumsum(n) - n, n)  # hour within the stretch
    t0 = k * step_s
    a, inv, stop = alpha[row], inv0[row], x_stop[row]
    x_a = np.maximum((inv + (2.0 / 3.0) * a * t0) ** -1.5, stop)
    x_b = np.maximum((inv + (2.0 / 3.0) * a * (t0 + step_s)) ** -1.5, stop)
    drop = x_a - x_b
    evap = rec[row, 4]
    if np.any(evap > 0.0):
        c = (2.0 / 3.0) * a
        u_a, u_b = inv + c * t0, inv + c * (t0 + step_s)
        coef = 2.0 * evap / (7.0 * c)
        d_a = coef * (u_a - inv**3.5 / u_a**2.5)
        d_b = coef * (u_b - inv**3.5 / u_b**2.5)
        drop = np.where(x_b > d_b, np.maximum(drop + d_b - d_a - evap * step_s, 0.0), 0.0)
    q = drop * rec[row, 0] / step_s
    hour = rec[row, 1].astype(np.int64) + k
    n_t, n_a = out.shape
    out += np.bincount(hour * n_a + j[row], weights=q, minlength=n_t * n_a).reshape(n_t, n_a)


def _evaporation_m_s(c: Subcatchment, evaporation_mm_d: ArrayLike | None, n_t: int) -> NDArray:
    """Potential evaporation per coarse step, m/s: the series if given, else the area's own."""
    if evaporation_mm_d is None:
        return np.full(n_t, c.evaporation_mm_d * 1e-3 / 86400.0)
    e = np.broadcast_to(np.asarray(evaporation_mm_d, dtype=np.float64), (n_t,))
    if np.any(e < 0.0) or not np.all(np.isfinite(e)):
        raise ValueError("evaporation_mm_d must be finite and >= 0.")
    return np.asarray(e * 1e-3 / 86400.0)


def areas_runoff(
    areas: Sequence[Subcatchment],
    rain_mm_h: ArrayLike,
    substeps: int = 4,
    step_s: float = 3600.0,
    evaporation_mm_d: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Mean runoff per hour of every area, m³/s, shape ``(n_hours, n_areas)``.

    Parameters
    ----------
    areas
        The areas as SWMM subcatchments; each one's ``evaporation_mm_d`` is its potential
        evaporation of ponded water unless ``evaporation_mm_d`` is given here.
    rain_mm_h
        Hourly rain, mm/h, shape ``(n_hours,)`` (the same rain falls on every area).
    evaporation_mm_d
        Potential evaporation per coarse step, mm/d, shape ``(n_hours,)`` (e.g. monthly values,
        SWMM ``[EVAPORATION] MONTHLY``), the same on every area; None: each area's constant.
    substeps
        Fine steps per rain hour (4 = 15 min).
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
    wet = np.flatnonzero(rain > 0.0)
    rain_m_s = rain[wet] * _MM_H
    recs, rec_area, rec_alpha = [], [], []
    for j, c in enumerate(areas):
        e_m_s = _evaporation_m_s(c, evaporation_mm_d, n_t)
        cum = np.r_[0.0, np.cumsum(e_m_s * step_s)]
        p = _Area.of(c, substeps, step_s)
        w = np.array([p.f_0, p.f_1, p.f_0 + p.f_1]) * c.area_m2
        rec = np.empty((2 * wet.size + 2, 5))  # at most two recessions per dry stretch
        depth_m, k = area_year(np.array(astuple(p), dtype=np.float64), wet, rain_m_s, e_m_s[wet],
                               cum, n_t, step_s, w, rec)  # fmt: skip
        out[wet, j] = depth_m * (c.area_m2 / step_s)
        recs.append(rec[:k])
        rec_area.append(np.full(k, j))
        rec_alpha.append(np.full(k, p.a_imp))
    _add_recessions(out, np.concatenate(rec_area), np.concatenate(rec_alpha),
                    np.concatenate(recs), step_s)  # fmt: skip
    return out
