"""Compiled (numba) hour-by-hour loops of the air side, over rows of contiguous ``(rows, n_hours)``
arrays.

Each kernel is the stepwise form of a numpy expression elsewhere in :mod:`sim.air`, evaluated
element by element in one pass without temporaries: the linear recurrence of the boxes and of
the regional reservoir (:func:`sim.air.dispersion.linear_recurrence`), the box's hour means
(:func:`sim.air.dispersion.box_series`), the ammonium nitrate partition
(:func:`sim.air.secondary.partition_inorganic`), the O3 production of the radical budget
(:func:`sim.air.ozone.ozone_production_ug_m3_h`) and the NO-NO2-O3 photostationary partition
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
    "ozone_production",
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


@njit(cache=True, error_model="numpy")  # a zero denominator gives inf as in numpy
def ozone_production(
    nox: F64, voc: F64, co: F64, q: F64, ch4: F64, bvoc: F64, no_fraction: F64, k: F64
) -> F64:  # pragma: no cover - compiled
    """O3 production (µg/m³/h) of :func:`sim.air.ozone.ozone_production_ug_m3_h` for ``(rows,
    n)`` NOx, VOC and CO (µg/m³); ``q`` (HOx production, molecule/cm³/s), the CH4 and isoprene
    OH reactivities (1/s) and the NO/NOx ``no_fraction`` are ``(m, n)`` rows of the hour's
    weather. ``k``: k_VOC·(molecule/cm³ per µg/m³ VOC), k_CO·(... CO), molecule/cm³ per µg/m³
    NO2, k_OH+NO2, 2·k_p, k_HO2+NO, γ, 3600/(molecule/cm³ per µg/m³ O3)."""
    rows, n = nox.shape
    m = q.shape[0]
    out = np.empty((rows, n))
    k_voc, c_voc, k_co, c_co, c_no2, k_oh_no2, k_p2, k_ho2_no, gamma, to_ug_h = (
        k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8], k[9]
    )  # fmt: skip
    for i in range(rows):
        r = i % m
        qr, mr, br, fr = q[r], ch4[r], bvoc[r], no_fraction[r]
        for t in range(n):
            react_co = k_co * co[i, t] * c_co
            v = k_voc * voc[i, t] * c_voc + react_co + mr[t] + br[t]
            n_molec = nox[i, t] * c_no2
            f_no = fr[t]
            no = f_no * n_molec
            oh = 0.0
            if qr[t] > 0.0 and no > 0.0:
                b = k_oh_no2 * (1.0 - f_no) * n_molec
                ratio = v / (k_ho2_no * no)
                c = k_p2 * ratio * ratio
                oh = 2.0 * qr[t] / (b + math.sqrt(b * b + 4.0 * c * qr[t]))
                if math.isnan(oh):  # numpy.nan_to_num, as the reference
                    oh = 0.0
                elif math.isinf(oh):
                    oh = 1.7976931348623157e308
            out[i, t] = gamma * (v - react_co * (1.0 - 1.0 / gamma)) * oh * to_ug_h
    return out
