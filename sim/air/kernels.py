"""Compiled (numba) hour-by-hour loops of the air side, over rows of contiguous ``(rows, n_hours)``
arrays.

Each kernel is the stepwise form of a numpy expression elsewhere in :mod:`sim.air`, evaluated
element by element in one pass without temporaries: the linear recurrence of the boxes and of
the regional reservoir (:func:`sim.air.dispersion.linear_recurrence`), the box's hour means
(:func:`sim.air.dispersion.box_series`), the ammonium nitrate partition
(:func:`sim.air.secondary.partition_inorganic`) and the NO-NO2-O3 photostationary partition
(:func:`sim.air.ozone.ozone_no2_hourly`). Coefficients that depend on the hour only are given as
``(m, n_hours)`` arrays shared by the rows: row ``i`` of the data reads coefficient row
``i % m`` (a ``(k, 7, n)`` series against ``(7, n)`` removal rates, flattened, or against
``(1, n)`` weather). No fast-math: IEEE double, so results are the numpy expressions' to
rounding (tests/air/test_kernels.py compares each with its reference on random inputs).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = [
    "as_rows",
    "box_hour_means",
    "inorganic_partition",
    "no2_o3_partition",
    "recurrence",
]

F64 = NDArray[np.float64]


def as_rows(value: F64, shape: tuple[int, ...]) -> F64:
    """``value`` broadcast to the trailing dimensions of ``shape`` it has (at least the time
    axis), as a C-contiguous ``(m, n_hours)`` array: row ``i`` of the ``(rows, n_hours)`` data of
    ``shape`` reads row ``i % m`` (module docstring)."""
    nd = max(np.ndim(value), 1)
    trailing = shape[len(shape) - nd :]
    full = np.ascontiguousarray(np.broadcast_to(value, trailing), dtype=np.float64)
    return full.reshape(-1, shape[-1])


@njit(cache=True)
def recurrence(mult: F64, add: F64, init: F64) -> F64:  # pragma: no cover - compiled
    """``x[i, t] = mult[i % m, t]·x[i, t-1] + add[i, t]`` with ``x[i, -1] = init[i]``."""
    rows, n = add.shape
    m = mult.shape[0]
    out = np.empty((rows, n))
    for i in range(rows):
        mi = mult[i % m]
        ai = add[i]
        oi = out[i]
        x = init[i]
        for t in range(n):
            x = mi[t] * x + ai[t]
            oi[t] = x
    return out


@njit(cache=True)
def box_hour_means(
    mult: F64, to_end: F64, start_weight: F64, to_mean: F64, emission: F64, init: F64
) -> F64:  # pragma: no cover - compiled
    """Hour means of the box: ``mean = C_start·g + E·to_mean`` and ``C_end = mult·C_start +
    E·to_end`` (:func:`sim.air.dispersion.box_series`; ``g`` is ``start_weight``), the
    coefficients ``(m, n)`` shared by rows as the module docstring says."""
    rows, n = emission.shape
    m = mult.shape[0]
    out = np.empty((rows, n))
    for i in range(rows):
        j = i % m
        mi, ei, gi, si, wi = mult[j], to_end[j], start_weight[j], to_mean[j], emission[i]
        oi = out[i]
        c = init[i]
        for t in range(n):
            e = wi[t]
            oi[t] = c * gi[t] + e * si[t]
            c = mi[t] * c + e * ei[t]
    return out


@njit(cache=True)
def inorganic_partition(
    sulfate: F64, nitrate_total: F64, nh3: F64, ppb_per_umol: F64, kp: F64,
    m_so4: float, m_no3: float, m_nh3: float, m_nh4: float,
) -> tuple[F64, F64]:  # pragma: no cover - compiled  # fmt: skip
    """Particulate nitrate and ammonium (µg/m³) of :func:`sim.air.secondary.partition_inorganic`
    for ``(rows, n)`` sulfate, total nitrate and total ammonia; ``ppb_per_umol`` and ``kp``
    (ppb²) are ``(m, n)`` rows of the hour's weather."""
    rows, n = sulfate.shape
    m = kp.shape[0]
    nitrate = np.empty((rows, n))
    ammonium = np.empty((rows, n))
    for i in range(rows):
        j = i % m
        s_i, n_i, a_i, f_j, k_j = sulfate[i], nitrate_total[i], nh3[i], ppb_per_umol[j], kp[j]
        for t in range(n):
            nh3_umol = a_i[t] / m_nh3
            nh4_sulfate = min(2.0 * s_i[t] / m_so4, nh3_umol)
            a = (nh3_umol - nh4_sulfate) * f_j[t]
            b = n_i[t] / m_no3 * f_j[t]
            x = max(0.0, 0.5 * ((a + b) - math.sqrt((a - b) ** 2 + 4.0 * k_j[t])))
            x_umol = x / f_j[t]
            nitrate[i, t] = x_umol * m_no3
            ammonium[i, t] = (nh4_sulfate + x_umol) * m_nh4
    return nitrate, ammonium


@njit(cache=True)
def no2_o3_partition(
    ox_o3_ug: F64, nox_ug: F64, to_ppb_o3: F64, to_ppb_no2: F64, j: F64, k: F64,
    no2_fraction_fresh: float,
) -> tuple[F64, F64]:  # pragma: no cover - compiled  # fmt: skip
    """O3 and NO2 (µg/m³) of :func:`sim.air.ozone.ozone_no2_hourly` for ``(rows, n)`` potential
    O3 and NOx; ``to_ppb_*``, the photolysis ``j`` (1/s) and ``k`` (1/(ppb·s)) are ``(m, n)``
    rows of the hour's weather."""
    rows, n = ox_o3_ug.shape
    m = j.shape[0]
    o3 = np.empty((rows, n))
    no2 = np.empty((rows, n))
    for i in range(rows):
        r = i % m
        p_i, x_i, fo, fn, jr, kr = ox_o3_ug[i], nox_ug[i], to_ppb_o3[r], to_ppb_no2[r], j[r], k[r]
        for t in range(n):
            nox = x_i[t] * fn[t]
            ox = p_i[t] * fo[t] + no2_fraction_fresh * nox
            jt, kt = jr[t], kr[t]
            if jt > 0.0:
                lin = kt * (nox - ox) + jt
                disc = math.sqrt(lin * lin + 4.0 * kt * jt * ox)
                # the stable root of k·O3² + lin·O3 - J·Ox = 0 (ozone_no2_hourly)
                v = 2.0 * jt * ox / (disc + lin) if lin > 0.0 else (disc - lin) / (2.0 * kt)
                if math.isnan(v):
                    v = 0.0
                elif math.isinf(v):
                    v = 1.7976931348623157e308 if v > 0 else -1.7976931348623157e308
            else:
                v = max(0.0, ox - nox)
            v = max(v, 0.0)
            o3[i, t] = v / fo[t]
            no2[i, t] = min(max(ox - v, 0.0), nox) / fn[t]
    return o3, no2
