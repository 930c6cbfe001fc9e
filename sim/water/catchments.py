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

Speed: the wet steps are a recurrence in time, so they run as plain-float Python per area (a
handful of arithmetic operations per sub-area and substep, far cheaper than numpy calls on
arrays of a few elements); the recession hours of all dry stretches are evaluated afterwards in
one vectorised pass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.water.runoff import MIN_RUNOFF_M_S, Subcatchment

__all__ = ["areas_runoff"]

_MM_H = 1.0e-3 / 3600.0  # 1 mm/h in m/s
_NEWTON_MAX_ITERATIONS = 50
_NEWTON_RTOL = 1.0e-8


def _above_storage(r_m: float, adt: float) -> float:
    """Depth above storage x (m) after a backward-Euler step of ``dd/dt = i - alpha·x^(5/3)``.

    Solves ``x + adt·x^(5/3) = r`` (r = depth + net inflow × step - storage > 0, adt = alpha ×
    step > 0) by Newton's method. With ``x = r·u`` and ``s = adt·r^(2/3)``, u solves
    ``u + s·u^(5/3) = 1``; the start ``u = 1/(1 + s·(1 + s)^-0.4)`` has both limits right (1 - s
    and s^-0.6) and is within 5 % everywhere. The function is convex and increasing, so Newton
    converges from either side (monotonically after the first step). Once a correction is below
    1e-8·x the quadratic convergence puts the next iterate within rounding of the root, so that
    one is returned; about three iterations per solve.
    """
    s_r = adt * (r_m * r_m) ** (1.0 / 3.0)
    x = r_m / (1.0 + s_r * (1.0 + s_r) ** -0.4)
    a53 = adt * (5.0 / 3.0)
    for _ in range(_NEWTON_MAX_ITERATIONS):
        x23 = (x * x) ** (1.0 / 3.0)
        step = (x + adt * x * x23 - r_m) / (1.0 + a53 * x23)
        x = x - step if step < x else 0.0
        if abs(step) <= _NEWTON_RTOL * x:
            break
    return x


def _reservoir(free_m: float, ds_m: float, adt: float) -> float:
    """Backward-Euler depth (m) of ``dd/dt = i - alpha·max(d - ds, 0)^(5/3)`` over one step.

    ``free_m`` is the depth plus the step's net inflow, ``adt`` = alpha × step (<= 0: no
    outflow law, n = 0, so any excess over depression storage leaves at once).
    """
    r = free_m - ds_m
    if adt <= 0.0:
        return max(min(free_m, ds_m), 0.0)
    if r <= 0.0:
        return max(free_m, 0.0)
    return ds_m + _above_storage(r, adt)


@dataclass
class _Recessions:
    """Dry stretches during which an impervious sub-area still drains: one row per stretch."""

    area: list[int] = field(default_factory=list)
    weight_m2: list[float] = field(default_factory=list)  # sub-area share × area
    alpha: list[float] = field(default_factory=list)
    first_hour: list[int] = field(default_factory=list)
    n_hours: list[int] = field(default_factory=list)
    x0_m: list[float] = field(default_factory=list)
    evap_m_s: list[float] = field(default_factory=list)

    def add(
        self, j: int, weight_m2: float, alpha: float, first: int, n: int, x0: float, e: float
    ) -> None:
        """Record one recession (``e``: potential evaporation in its first hour, m/s)."""
        self.area.append(j)
        self.weight_m2.append(weight_m2)
        self.alpha.append(alpha)
        self.first_hour.append(first)
        self.n_hours.append(n)
        self.x0_m.append(x0)
        self.evap_m_s.append(e)


@dataclass(frozen=True)
class _Area:
    """Constants of one area's stepping (SI units; see :func:`_area_year`)."""

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


def _area_year(
    j: int,
    c: Subcatchment,
    hours: list[int],
    rain_m_s: list[float],
    n_t: int,
    substeps: int,
    step_s: float,
    rec: _Recessions,
    evap_m_s: list[float],
    evap_cum_m: list[float],
) -> list[float]:
    """Mean runoff (m³/s) of area ``j`` in each rain hour; dry stretches go to ``rec``.

    The impervious sub-areas are tracked by the depth above depression storage, ``x = d - ds``
    (negative while storage fills): the one without storage and the one with storage then obey
    the same step, and once their states coincide (both settle at the MIN_RUNOFF residue after a
    long dry stretch) one solve serves both. ``evap_m_s`` is the potential evaporation in each
    rain hour and ``evap_cum_m[k]`` the evaporation of hours ``0..k-1`` (m): SWMM 5.2
    ``getSubareaRunoff`` takes ``min(depth/dt, e)`` from the ponded depth in every step, rain or
    not (``DRY_ONLY NO``); a dry stretch loses ``E = evap_cum_m[k] - evap_cum_m[last + 1]`` from
    what its recession leaves (the recession's own evaporation is in :func:`_add_recessions`).
    """
    p = _Area.of(c, substeps, step_s)
    w = (p.f_0 * c.area_m2, p.f_1 * c.area_m2, (p.f_0 + p.f_1) * c.area_m2)
    scale = c.area_m2 / step_s
    state = [0.0, -p.ds_imp, 0.0, 0.0]  # x0 (depth), x1 (depth - storage), pervious depth, tp
    q_hours = []
    last = -1
    evaporates = evap_cum_m[-1] > 0.0
    for k, i, e in zip([*hours, n_t], [*rain_m_s, 0.0], [*evap_m_s, 0.0], strict=True):
        gap = k - last - 1
        if gap > 0:  # the dry stretch since the last rain hour, in closed form
            e_next = (evap_cum_m[last + 2] - evap_cum_m[last + 1]) / step_s if evaporates else 0.0
            e_gap = evap_cum_m[k] - evap_cum_m[last + 1] if evaporates else 0.0
            _dry_stretch(p, state, (j, last + 1, gap), gap * step_s, e_next, e_gap, w, rec)
        if k == n_t:
            break
        q_hours.append(_wet_hour(p, state, i, e) * scale)
        last = k
    return q_hours


def _dry_stretch(
    p: _Area,
    state: list[float],
    where: tuple[int, int, int],
    t_s: float,
    e_first: float,
    e_gap: float,
    w: tuple[float, float, float],
    rec: _Recessions,
) -> None:
    """Advance ``state`` over a dry stretch in closed form, recording recessions in ``rec``.

    ``where`` is (area, first hour, hours); the impervious sub-areas recede as
    ``x = (x0^(-2/3) + (2/3)·alpha·t)^(-3/2)`` down to the MIN_RUNOFF residue, then lose the
    stretch's evaporation ``e_gap`` (m); the pervious depth infiltrates and the Horton capacity
    regenerates (SWMM 5.2 ``horton_getInfil``, dry branch).
    """
    x0, x1, _, tp = state
    j, first, gap = where
    law = p.adt > 0.0
    same = x1 == x0
    if x0 > 0.0 and law:
        if x0 > p.x_stop:
            rec.add(j, w[2] if same else w[0], p.a_imp, first, gap, x0, e_first)
        x_end = (x0 ** (-2.0 / 3.0) + (2.0 / 3.0) * p.a_imp * t_s) ** -1.5
        x0 = max(x_end, min(x0, p.x_stop))
    if same:
        x1 = x0
    elif x1 > 0.0 and law:
        if x1 > p.x_stop:
            rec.add(j, w[1], p.a_imp, first, gap, x1, e_first)
        x_end = (x1 ** (-2.0 / 3.0) + (2.0 / 3.0) * p.a_imp * t_s) ** -1.5
        x1 = max(x_end, min(x1, p.x_stop))
    if e_gap > 0.0:
        x0 = max(x0 - e_gap, 0.0)
        x1 = max(x1 + p.ds_imp - e_gap, 0.0) - p.ds_imp
    if p.kd > 0.0:
        regen = math.exp(-p.kr * t_s) * -math.expm1(-p.kd * tp)
        tp = -math.log1p(-regen) / p.kd
    state[:] = [x0, x1, 0.0, tp]


def _wet_hour(p: _Area, state: list[float], i: float, e: float) -> float:
    """Step ``state`` through one rain hour of ``p.substeps`` fine steps (rain ``i``,
    evaporation ``e``, m/s); returns the hour's runoff depth summed over the sub-areas (m).

    The Newton iteration of :func:`_above_storage` is written out inline (it runs most here).
    """
    x0, x1, d2, tp = state
    dt, adt, kd, ds_imp, ds_perv = p.dt, p.adt, p.kd, p.ds_imp, p.ds_perv
    fmin, c_cap, f_0, f_1, f_2 = p.fmin, p.c_cap, p.f_0, p.f_1, p.f_2
    a53 = adt * (5.0 / 3.0)
    q = 0.0
    idt, edt = i * dt, e * dt
    for _ in range(p.substeps):
        # Horton infiltration on the pervious sub-area (SWMM 5.2 horton_getInfil)
        avail = i + d2 / dt
        if kd > 0.0:
            ex = math.exp(-kd * tp)
            cap = fmin + c_cap * ex
            if avail < cap:  # limited by water: move tp to where F grew by the volume taken
                g = tp + dt * avail / cap
                exg = math.exp(-kd * g)
                rate = fmin + (p.f0 - fmin) * exg
                g -= (fmin * (g - tp) + p.c_h * (ex - exg) - avail * dt) / (rate or 1.0)
                infil, tp = avail, (g if g > tp else tp)
            else:
                infil, tp = cap, tp + dt
        else:
            infil = min(p.f0, avail)
        # impervious: x + adt·x^(5/3) = r; evaporation takes min(depth, e·dt) from the depth at
        # the start of the step; the sub-area with storage is solved only when it differs
        same = x1 == x0 and (edt == 0.0 or ds_imp == 0.0)
        r = x0 + idt - (x0 if x0 < edt else edt)
        x = 0.0
        if adt > 0.0:
            s_r = adt * (r * r) ** (1.0 / 3.0)  # x = r·u(s), u + s·u^(5/3) = 1
            x = r / (1.0 + s_r * (1.0 + s_r) ** -0.4)  # u within 5 %
            for _ in range(_NEWTON_MAX_ITERATIONS):
                x23 = (x * x) ** (1.0 / 3.0)
                step = (x + adt * x * x23 - r) / (1.0 + a53 * x23)
                x = x - step if step < x else 0.0
                if abs(step) <= _NEWTON_RTOL * x:
                    break
        q += (r - x) * (f_0 + f_1 if same else f_0)
        x0 = x
        if same:
            x1 = x
        else:  # the sub-area with storage, the same solve written out again (hot loop)
            r = x1 + idt - (x1 + ds_imp if x1 + ds_imp < edt else edt)
            if r <= 0.0:  # still filling depression storage
                x1 = r if r > -ds_imp else -ds_imp
            else:
                x = 0.0
                if adt > 0.0:
                    s_r = adt * (r * r) ** (1.0 / 3.0)
                    x = r / (1.0 + s_r * (1.0 + s_r) ** -0.4)
                    for _ in range(_NEWTON_MAX_ITERATIONS):
                        x23 = (x * x) ** (1.0 / 3.0)
                        step = (x + adt * x * x23 - r) / (1.0 + a53 * x23)
                        x = x - step if step < x else 0.0
                        if abs(step) <= _NEWTON_RTOL * x:
                            break
                q += (r - x) * f_1
                x1 = x
        # pervious: usually all infiltrates or stays in depression storage
        free2 = d2 + (i - infil) * dt - min(d2, edt)
        if free2 <= 0.0:  # losses exceed the moisture: nothing ponded
            n2 = free2 = 0.0
        elif free2 > ds_perv or p.adt_perv <= 0.0:
            n2 = _reservoir(free2, ds_perv, p.adt_perv)
        else:
            n2 = free2
        q += (free2 - n2) * f_2
        d2 = n2
    state[:] = [x0, x1, d2, tp]
    return q


def _add_recessions(out: NDArray[np.float64], rec: _Recessions, step_s: float) -> None:
    """Add the hourly mean runoff of every recorded recession to ``out`` (vectorised).

    ``x(t) = (x0^(-2/3) + (2/3)·alpha·t)^(-3/2)`` (exact solution of ``dx/dt = -alpha·x^(5/3)``)
    until the rate falls below MIN_RUNOFF; the rest stays ponded until the next rain. With
    evaporation ``e`` the depth is lower by ``δ``, which to first order obeys
    ``dδ/dt = e - (5/3)·alpha·x^(2/3)·δ``; with ``u = x^(-2/3) = u0 + c·t`` (``c = 2·alpha/3``)
    that is ``δ(t) = 2e/(7c)·(u - u0^(7/2)/u^(5/2))``, and an hour's runoff is the fall in depth
    less the hour's evaporation, ``x_r(a) - x_r(b) + δ(b) - δ(a) - e·Δt`` (mass-consistent).
    """
    if not rec.area:
        return
    j = np.asarray(rec.area)
    x0 = np.asarray(rec.x0_m)
    alpha = np.asarray(rec.alpha)
    x_stop = (MIN_RUNOFF_M_S / alpha) ** 0.6
    inv0 = x0 ** (-2.0 / 3.0)
    t_stop_h = (x_stop ** (-2.0 / 3.0) - inv0) / ((2.0 / 3.0) * alpha) / step_s
    n = np.minimum(np.asarray(rec.n_hours), np.floor(t_stop_h).astype(np.int64) + 2)
    row = np.repeat(np.arange(j.size), n)
    k = np.arange(row.size) - np.repeat(np.cumsum(n) - n, n)  # hour within the stretch
    t0 = k * step_s
    a, inv, stop = alpha[row], inv0[row], x_stop[row]
    x_a = np.maximum((inv + (2.0 / 3.0) * a * t0) ** -1.5, stop)
    x_b = np.maximum((inv + (2.0 / 3.0) * a * (t0 + step_s)) ** -1.5, stop)
    drop = x_a - x_b
    evap = np.asarray(rec.evap_m_s)[row]
    if np.any(evap > 0.0):
        c = (2.0 / 3.0) * a
        u_a, u_b = inv + c * t0, inv + c * (t0 + step_s)
        coef = 2.0 * evap / (7.0 * c)
        d_a = coef * (u_a - inv**3.5 / u_a**2.5)
        d_b = coef * (u_b - inv**3.5 / u_b**2.5)
        drop = np.where(x_b > d_b, np.maximum(drop + d_b - d_a - evap * step_s, 0.0), 0.0)
    q = drop * np.asarray(rec.weight_m2)[row] / step_s
    hour = np.asarray(rec.first_hour)[row] + k
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
    hours = wet.tolist()
    rain_m_s = (rain[wet] * _MM_H).tolist()
    rec = _Recessions()
    for j, c in enumerate(areas):
        e_m_s = _evaporation_m_s(c, evaporation_mm_d, n_t)
        cum = np.r_[0.0, np.cumsum(e_m_s * step_s)].tolist()
        args = (n_t, substeps, step_s, rec, e_m_s[wet].tolist(), cum)
        out[wet, j] = _area_year(j, c, hours, rain_m_s, *args)
    _add_recessions(out, rec, step_s)
    return out
