"""The stepping of one area's surface through a year, compiled (numba): rain hours in fine steps,
dry stretches in closed form. The physics and the scheme are those described in
:mod:`sim.water.catchments`, which prepares the constants and evaluates the recessions.

The wet steps are a recurrence in time with a Newton solve per step and sub-area: plain
arithmetic on a handful of floats, which interpreted Python runs at about a microsecond per
operation and compiled code about a hundred times faster. Every operation is written as in
plain Python (same order, IEEE double, no fast-math), so the results are those of the
interpreted version to rounding. Compiled once per machine and cached (``cache=True``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["AREA_CONSTANTS", "area_year"]

#: Order of the constants in the array handed to :func:`area_year` (SI units): sub-area shares
#: (impervious without storage, with storage, pervious), impervious alpha, depression storages,
#: Horton f0, fmin (m/s), kd, kr (1/s), fine step (s), Horton F coefficient c_h, step capacity
#: coefficient c_cap, the MIN_RUNOFF depth x_stop, alpha·dt impervious and pervious, substeps.
AREA_CONSTANTS = (
    "f_0", "f_1", "f_2", "a_imp", "ds_imp", "ds_perv", "f0", "fmin", "kd", "kr", "dt", "c_h",
    "c_cap", "x_stop", "adt", "adt_perv", "substeps",
)  # fmt: skip

_NEWTON_MAX_ITERATIONS = 50
_NEWTON_RTOL = 1.0e-8


@njit(cache=True)
def _above_storage(r_m: float, adt: float) -> float:  # pragma: no cover - compiled
    """Depth above storage x (m) after a backward-Euler step of ``dd/dt = i - alpha·x^(5/3)``:
    ``x + adt·x^(5/3) = r`` by Newton's method from a start within 5 % (see
    :mod:`sim.water.catchments`); about three iterations."""
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


@njit(cache=True)
def _reservoir(free_m: float, ds_m: float, adt: float) -> float:  # pragma: no cover - compiled
    """Backward-Euler depth (m) of ``dd/dt = i - alpha·max(d - ds, 0)^(5/3)`` over one step
    (``adt`` <= 0: no outflow law, any excess over depression storage leaves at once)."""
    r = free_m - ds_m
    if adt <= 0.0:
        return max(min(free_m, ds_m), 0.0)
    if r <= 0.0:
        return max(free_m, 0.0)
    return ds_m + _above_storage(r, adt)


@njit(cache=True)
def _horton(
    p: NDArray[np.float64], d2: float, tp: float, i: float
) -> tuple[float, float]:  # pragma: no cover - compiled
    """Infiltration rate (m/s) of the pervious sub-area over one fine step and the new Horton
    time (SWMM 5.2 ``horton_getInfil``)."""
    fmin, c_cap, kd, dt = p[7], p[12], p[8], p[10]
    avail = i + d2 / dt
    if kd > 0.0:
        ex = math.exp(-kd * tp)
        cap = fmin + c_cap * ex
        if avail < cap:  # limited by water: move tp to where F grew by the volume taken
            g = tp + dt * avail / cap
            exg = math.exp(-kd * g)
            rate = fmin + (p[6] - fmin) * exg
            rate = rate if rate != 0.0 else 1.0
            g -= (fmin * (g - tp) + p[11] * (ex - exg) - avail * dt) / rate
            return avail, (g if g > tp else tp)
        return cap, tp + dt
    return min(p[6], avail), tp


@njit(cache=True)
def _wet_hour(
    p: NDArray[np.float64], x0: float, x1: float, d2: float, tp: float, i: float, e: float
) -> tuple[float, float, float, float, float]:  # pragma: no cover - compiled
    """Step the sub-areas through one rain hour of ``substeps`` fine steps (rain ``i``,
    evaporation ``e``, m/s): the hour's runoff depth summed over the sub-areas (m) and the new
    state (x0, x1: depth above storage without and with storage; d2: pervious depth; tp)."""
    f_0, f_1, f_2 = p[0], p[1], p[2]
    ds_imp, ds_perv, dt, adt, adt_perv = p[4], p[5], p[10], p[14], p[15]
    q = 0.0
    idt, edt = i * dt, e * dt
    for _ in range(int(p[16])):
        infil, tp = _horton(p, d2, tp, i)
        # impervious: x + adt·x^(5/3) = r; evaporation takes min(depth, e·dt) from the depth at
        # the start of the step; the sub-area with storage is solved only when it differs
        same = x1 == x0 and (edt == 0.0 or ds_imp == 0.0)
        r = x0 + idt - (x0 if x0 < edt else edt)
        x = _above_storage(r, adt) if adt > 0.0 else 0.0
        q += (r - x) * (f_0 + f_1 if same else f_0)
        x0 = x
        if same:
            x1 = x
        else:
            r = x1 + idt - (x1 + ds_imp if x1 + ds_imp < edt else edt)
            if r <= 0.0:  # still filling depression storage
                x1 = r if r > -ds_imp else -ds_imp
            else:
                x = _above_storage(r, adt) if adt > 0.0 else 0.0
                q += (r - x) * f_1
                x1 = x
        # pervious: usually all infiltrates or stays in depression storage
        free2 = d2 + (i - infil) * dt - min(d2, edt)
        if free2 <= 0.0:  # losses exceed the moisture: nothing ponded
            n2 = free2 = 0.0
        elif free2 > ds_perv or adt_perv <= 0.0:
            n2 = _reservoir(free2, ds_perv, adt_perv)
        else:
            n2 = free2
        q += (free2 - n2) * f_2
        d2 = n2
    return q, x0, x1, d2, tp


@njit(cache=True)
def _recede(p: NDArray[np.float64], x: float, t_s: float) -> float:  # pragma: no cover - compiled
    """Depth above storage after a dry stretch of ``t_s`` seconds: the exact recession
    ``(x^(-2/3) + (2/3)·alpha·t)^(-3/2)``, down to the MIN_RUNOFF residue."""
    x_end = (x ** (-2.0 / 3.0) + (2.0 / 3.0) * p[3] * t_s) ** -1.5
    return max(x_end, min(x, p[13]))


@njit(cache=True)
def _record(
    rec: NDArray[np.float64], k: int, w: float, first: int, n: int, x: float, e: float
) -> int:  # pragma: no cover - compiled
    """Write recession ``k`` (see :func:`area_year`); returns ``k + 1``."""
    rec[k, 0] = w
    rec[k, 1] = first
    rec[k, 2] = n
    rec[k, 3] = x
    rec[k, 4] = e
    return k + 1


@njit(cache=True)
def area_year(
    p: NDArray[np.float64],
    hours: NDArray[np.int64],
    rain_m_s: NDArray[np.float64],
    evap_m_s: NDArray[np.float64],
    evap_cum_m: NDArray[np.float64],
    n_t: int,
    step_s: float,
    weights_m2: NDArray[np.float64],
    rec: NDArray[np.float64],
) -> tuple[NDArray[np.float64], int]:  # pragma: no cover - compiled
    """Runoff depth (m, summed over sub-areas) of one area in each rain hour ``hours``, and the
    number of recessions written to ``rec``.

    ``evap_m_s`` is the potential evaporation in each rain hour, ``evap_cum_m[k]`` that of
    hours ``0..k-1`` (m). A dry stretch is applied in closed form (impervious recession,
    evaporation, Horton regeneration); each impervious recession that still runs off is written
    as a row of ``rec``: weight (m², sub-area share × area), first hour, hours, starting depth
    above storage (m) and the evaporation of its first hour (m/s). ``weights_m2``: impervious
    without storage, with storage, both.
    """
    x0, x1, d2, tp = 0.0, -p[4], 0.0, 0.0
    q_hours = np.zeros(hours.size)
    last, k = -1, 0
    evaporates = evap_cum_m[n_t] > 0.0
    law = p[14] > 0.0
    for h in range(hours.size + 1):
        t = hours[h] if h < hours.size else n_t
        gap = t - last - 1
        if gap > 0:  # the dry stretch since the last rain hour, in closed form
            e_first = (evap_cum_m[last + 2] - evap_cum_m[last + 1]) / step_s if evaporates else 0.0
            e_gap = evap_cum_m[t] - evap_cum_m[last + 1] if evaporates else 0.0
            t_s = gap * step_s
            same = x1 == x0
            if x0 > 0.0 and law:
                if x0 > p[13]:
                    k = _record(rec, k, weights_m2[2] if same else weights_m2[0], last + 1, gap,
                                x0, e_first)  # fmt: skip
                x0 = _recede(p, x0, t_s)
            if same:
                x1 = x0
            elif x1 > 0.0 and law:
                if x1 > p[13]:
                    k = _record(rec, k, weights_m2[1], last + 1, gap, x1, e_first)
                x1 = _recede(p, x1, t_s)
            if e_gap > 0.0:
                x0 = max(x0 - e_gap, 0.0)
                x1 = max(x1 + p[4] - e_gap, 0.0) - p[4]
            if p[8] > 0.0:  # Horton regeneration (SWMM 5.2 horton_getInfil, dry branch)
                regen = math.exp(-p[9] * t_s) * -math.expm1(-p[8] * tp)
                tp = -math.log1p(-regen) / p[8]
            d2 = 0.0
        if t == n_t:
            break
        q_hours[h], x0, x1, d2, tp = _wet_hour(p, x0, x1, d2, tp, rain_m_s[h], evap_m_s[h])
        last = t
    return q_hours, k
