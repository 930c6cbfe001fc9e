"""Compiled (numba) hour-by-hour loops of the air side, over rows of contiguous ``(rows, n_hours)``
arrays.

Each kernel is the stepwise form of a numpy expression elsewhere in :mod:`sim.air`, evaluated
element by element in one pass without temporaries: the linear recurrence of the boxes and of
the regional reservoir (:func:`sim.air.dispersion.linear_recurrence`), the box's hour means
(:func:`sim.air.dispersion.box_series`), the ammonium nitrate partition
(:func:`sim.air.secondary.partition_inorganic`), the O3 production of the radical budget
(:func:`sim.air.ozone.ozone_production_ug_m3_h`) and its weather part, the NO-NO2-O3
photostationary partition (:func:`sim.air.ozone.ozone_no2_hourly`), the attribution by scale
(:func:`sim.air.response.respond`) and means over time (the coalitions' chemistry,
:func:`coalition_totals`, takes a few passes with hour-long scratch rows). Coefficients that
depend on the hour only are given as ``(m, n_hours)`` arrays shared by the rows: row ``i`` of
the data reads coefficient row ``i % m`` (a ``(k, 7, n)`` series against ``(7, n)`` removal
rates, flattened, or against ``(1, n)`` weather). No fast-math: IEEE double, so results are
the numpy expressions' to rounding (tests/air/test_kernels.py compares each with its reference
on random inputs).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = [
    "as_rows",
    "box_hour_means",
    "box_hour_means_of_rates",
    "by_scale_rows",
    "inorganic_partition",
    "mean_over_time",
    "no2_o3_partition",
    "ozone_production",
    "production_weather_rows",
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
def box_hour_means_of_rates(
    lam_dt: F64, decay: F64, height: F64, c_star_per_kg_h: float, emission: F64, init: F64
) -> F64:  # pragma: no cover - compiled
    """:func:`box_hour_means` with its coefficients made on the fly from the hour's removal
    ``λΔ`` (``lam_dt``), ``e^(-λΔ)`` (``decay``) and the mixing height (m) rows: ``to_end =
    C*·(1 - e^(-λΔ))``, ``start_weight = g = (1 - e^(-λΔ))/(λΔ)``, ``to_mean = C*·(1 - g)`` with
    ``C* = c_star_per_kg_h/(H·λΔ)`` per kg/h (the expressions of
    :func:`sim.air.dispersion.box_series`, in the same order: the same numbers, no
    temporaries). ``lam_dt`` and ``decay`` share one ``(m, n)`` shape; ``height`` has ``m`` rows
    or one. The rows of the data sharing a coefficient row (``i % m``) are stepped together:
    the coefficients are made once per hour for all of them.
    """
    rows, n = emission.shape
    m = lam_dt.shape[0]
    m_h = height.shape[0]
    out = np.empty((rows, n))
    for j in range(min(m, rows)):
        li, di, hi = lam_dt[j], decay[j], height[j % m_h]
        mine = np.arange(j, rows, m)  # the data rows reading coefficient row j
        c = init[mine]
        for t in range(n):
            lam = li[t]
            mult = di[t]
            gain = 1.0 - mult
            to_c_star = c_star_per_kg_h / (hi[t] * lam)
            g = gain / lam
            to_mean = to_c_star * (1.0 - g)
            to_end = to_c_star * gain
            for r in range(mine.size):
                i = mine[r]
                e = emission[i, t]
                out[i, t] = c[r] * g + e * to_mean
                c[r] = mult * c[r] + e * to_end
    return out


_BIG = 1.7976931348623157e308  # numpy.nan_to_num of +inf


@njit(cache=True, error_model="numpy")
def _nh4no3(
    sulfate: float, nitrate_total: float, nh3: float, ppb_per_umol: float, kp: float,
    m: F64,
) -> tuple[float, float]:  # pragma: no cover - compiled  # fmt: skip
    """Particulate nitrate and ammonium of one hour (:func:`inorganic_partition`); ``m``: the
    molar masses of SO4, NO3, NH3 and NH4."""
    nh3_umol = nh3 / m[2]
    nh4_sulfate = min(2.0 * sulfate / m[0], nh3_umol)
    a = (nh3_umol - nh4_sulfate) * ppb_per_umol
    b = nitrate_total / m[1] * ppb_per_umol
    x = max(0.0, 0.5 * ((a + b) - math.sqrt((a - b) ** 2 + 4.0 * kp)))
    x_umol = x / ppb_per_umol
    return x_umol * m[1], (nh4_sulfate + x_umol) * m[3]


@njit(cache=True, error_model="numpy")
def _o3_no2(
    potential_ug: float, nox_ug: float, to_ppb_o3: float, to_ppb_no2: float, j: float, k: float,
    no2_fraction_fresh: float,
) -> tuple[float, float]:  # pragma: no cover - compiled  # fmt: skip
    """O3 and NO2 of one hour (:func:`no2_o3_partition`)."""
    nox = nox_ug * to_ppb_no2
    ox = potential_ug * to_ppb_o3 + no2_fraction_fresh * nox
    if j > 0.0:
        lin = k * (nox - ox) + j
        disc = math.sqrt(lin * lin + 4.0 * k * j * ox)
        # the stable root of k·O3² + lin·O3 - J·Ox = 0 (ozone_no2_hourly)
        v = 2.0 * j * ox / (disc + lin) if lin > 0.0 else (disc - lin) / (2.0 * k)
        if math.isnan(v):
            v = 0.0
        elif math.isinf(v):
            v = _BIG if v > 0 else -_BIG
    else:
        v = max(0.0, ox - nox)
    v = max(v, 0.0)
    return v / to_ppb_o3, min(max(ox - v, 0.0), nox) / to_ppb_no2


@njit(cache=True, error_model="numpy")  # a zero denominator gives inf as in numpy
def _production(
    nox: float, voc: float, co: float, q: float, ch4: float, bvoc: float, f_no: float, k: F64
) -> float:  # pragma: no cover - compiled
    """O3 production of one hour (:func:`ozone_production`).

    Without branches (selects), so that loops over hours vectorise: the OH of the radical
    budget is computed in every hour and kept where ``Q > 0`` and ``NO > 0`` (0 elsewhere); NaN
    is set to 0 and ±inf to the largest double, as ``numpy.nan_to_num`` of the reference.
    """
    react_co = k[2] * co * k[3]
    v = k[0] * voc * k[1] + react_co + ch4 + bvoc
    n_molec = nox * k[4]
    no = f_no * n_molec
    b = k[5] * (1.0 - f_no) * n_molec
    ratio = v / (k[7] * no)
    c = k[6] * ratio * ratio
    oh = 2.0 * q / (b + math.sqrt(b * b + 4.0 * c * q))
    oh = 0.0 if math.isnan(oh) else oh
    oh = _BIG if math.isinf(oh) else oh
    oh = oh if q > 0.0 and no > 0.0 else 0.0
    return k[8] * (v - react_co * (1.0 - 1.0 / k[8])) * oh * k[9]


@njit(cache=True)
def inorganic_partition(
    sulfate: F64, nitrate_total: F64, nh3: F64, ppb_per_umol: F64, kp: F64, m: F64
) -> tuple[F64, F64]:  # pragma: no cover - compiled
    """Particulate nitrate and ammonium (µg/m³) of :func:`sim.air.secondary.partition_inorganic`
    for ``(rows, n)`` sulfate, total nitrate and total ammonia; ``ppb_per_umol`` and ``kp``
    (ppb²) are ``(m, n)`` rows of the hour's weather; ``m`` the molar masses of SO4, NO3, NH3
    and NH4 (g/mol)."""
    rows, n = sulfate.shape
    n_w = kp.shape[0]
    nitrate = np.empty((rows, n))
    ammonium = np.empty((rows, n))
    for i in range(rows):
        r = i % n_w
        for t in range(n):
            nitrate[i, t], ammonium[i, t] = _nh4no3(
                sulfate[i, t], nitrate_total[i, t], nh3[i, t], ppb_per_umol[r, t], kp[r, t], m
            )
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
        for t in range(n):
            o3[i, t], no2[i, t] = _o3_no2(
                ox_o3_ug[i, t], nox_ug[i, t], to_ppb_o3[r, t], to_ppb_no2[r, t], j[r, t],
                k[r, t], no2_fraction_fresh,
            )  # fmt: skip
    return o3, no2


@njit(cache=True)
def ozone_production(
    nox: F64, voc: F64, co: F64, q: F64, ch4: F64, bvoc: F64, no_fraction: F64, k: F64
) -> F64:  # pragma: no cover - compiled
    """O3 production (µg/m³/h) of :func:`sim.air.ozone.ozone_production_ug_m3_h` for ``(rows,
    n)`` NOx, VOC and CO (µg/m³); ``q`` (HOx production, molecule/cm³/s), the CH4 and isoprene
    OH reactivities (1/s) and the NO/NOx ``no_fraction`` are ``(m, n)`` rows of the hour's
    weather. ``k``: k_VOC, molecule/cm³ per µg/m³ VOC, k_CO, the same for CO and for NO2,
    k_OH+NO2, 2·k_p, k_HO2+NO, γ, 3600/(molecule/cm³ per µg/m³ O3)."""
    rows, n = nox.shape
    m = q.shape[0]
    out = np.empty((rows, n))
    for i in range(rows):
        r = i % m
        for t in range(n):
            out[i, t] = _production(
                nox[i, t], voc[i, t], co[i, t], q[r, t], ch4[r, t], bvoc[r, t],
                no_fraction[r, t], k,
            )  # fmt: skip
    return out


@njit(cache=True)
def production_weather_rows(
    solar_w_m2: F64, temperature_c: F64, bvoc_exp: F64, q_exp: F64, c: F64
) -> tuple[F64, F64, F64]:  # pragma: no cover - compiled
    """``Q``, the CH4 and the isoprene OH reactivities of
    :func:`sim.air.chemistry_rows.production_weather` for 1-D irradiance and temperature, the
    two exponentials given (``exp(β·(T - 30))`` and ``exp(c·(T - 25))``, numpy's); ``c``:
    ``S_ref``, ``bvoc_ppb``, ``k_CH4·[CH4]`` (ppb), ``k_isoprene`` and ``Q_ref`` (ppb/h). The
    expressions of :func:`sim.air.ozone.oh_reactivity_per_s` and
    :func:`sim.air.ozone.hox_production_molec_cm3_s` in the same order, with numpy's maximum
    and minimum (NaN kept)."""
    n = solar_w_m2.shape[0]
    q = np.empty(n)
    ch4 = np.empty(n)
    bvoc = np.empty(n)
    for t in range(n):
        s = solar_w_m2[t]
        s = s if s >= 0.0 or s != s else 0.0
        sun_q = s / c[0]
        sun = sun_q if sun_q <= 1.0 or sun_q != sun_q else 1.0
        air = 101325.0 / (1.380649e-23 * (temperature_c[t] + 273.15)) * 1e-6
        air_ppb = air * 1e-9
        ch4[t] = c[2] * air_ppb
        bvoc[t] = c[3] * (c[1] * bvoc_exp[t] * sun) * air_ppb
        q[t] = c[4] * sun_q * q_exp[t] * air * 1e-9 / 3600.0
    return q, ch4, bvoc


@njit(cache=True)
def by_scale_rows(
    district: F64, city: F64, region: F64, sec_d: F64, sec_c: F64, region_pm25: F64,
    secondary_share: F64, o3: F64, no2: F64, pm10_ratio: float, emitted: NDArray[np.int64],
    ambient: NDArray[np.int64],
) -> tuple[F64, F64, F64]:  # pragma: no cover - compiled  # fmt: skip
    """The attribution by scale of one coalition, time first: ``by_scale`` ``(n, 6, 3)``,
    ``pm25_by_origin`` ``(n, 3, 2)`` and their total ``(6, n)`` (the sum over the scales in
    order, below 0 set to 0, NaN kept), the expressions of :func:`sim.air.response.respond`.

    ``district``, ``city``, ``region``: the increments ``(7, n)`` (POLLUTANTS order);
    ``sec_d``, ``sec_c``, ``region_pm25`` and the regional ``secondary_share`` ``(n,)``;
    ``o3``, ``no2``: the sequential layers ``(3, n)`` (region alone, + city, all);
    ``emitted``: the columns of PM2.5, PM10, SO2 and CO in the increments; ``ambient``: those
    of PM2.5, PM10, SO2, CO, O3 and NO2 in the result.
    """
    n = district.shape[1]
    out = np.empty((n, 6, 3))
    origin = np.empty((n, 3, 2))
    total = np.empty((6, n))
    e_pm25, e_pm10, e_so2, e_co = emitted[0], emitted[1], emitted[2], emitted[3]
    a_pm25, a_pm10, a_so2, a_co, a_o3, a_no2 = (
        ambient[0], ambient[1], ambient[2], ambient[3], ambient[4], ambient[5]
    )
    for t in range(n):
        rp = region_pm25[t]
        share = secondary_share[t]
        g = origin[t]
        g[0, 0], g[0, 1] = district[e_pm25, t], sec_d[t]
        g[1, 0], g[1, 1] = city[e_pm25, t], sec_c[t]
        g[2, 0], g[2, 1] = (1.0 - share) * rp, share * rp
        b = out[t]
        for s in range(3):
            b[a_pm25, s] = g[s, 0] + g[s, 1]
        b[a_pm10, 0] = district[e_pm10, t] + sec_d[t]
        b[a_pm10, 1] = city[e_pm10, t] + sec_c[t]
        b[a_pm10, 2] = pm10_ratio * rp
        for a, e in ((a_so2, e_so2), (a_co, e_co)):
            b[a, 0], b[a, 1], b[a, 2] = district[e, t], city[e, t], region[e, t]
        for a, layers in ((a_o3, o3), (a_no2, no2)):
            b[a, 2] = layers[0, t]
            b[a, 1] = layers[1, t] - layers[0, t]
            b[a, 0] = layers[2, t] - layers[1, t]
        for p in range(6):
            v = b[p, 0] + b[p, 1] + b[p, 2]
            total[p, t] = v if v >= 0.0 or v != v else 0.0  # numpy.maximum(v, 0)
    return out, origin, total


@njit(cache=True)
def mean_over_time(values: F64) -> F64:  # pragma: no cover - compiled
    """The mean over the first (time) axis of a C-contiguous ``(n, ...)`` array, ``(...)``:
    numpy's ``values.mean(axis=0)`` (whose sum over a non-contiguous axis adds the hours in
    order), without its per-hour overhead."""
    n = values.shape[0]
    m = values.size // n
    rows = values.reshape(n, m)
    total = np.zeros(m)
    for t in range(n):
        for j in range(m):
            total[j] += rows[t, j]
    return (total / n).reshape(values.shape[1:])


#: Rows of the ``weather`` array of :func:`coalition_totals`.
WEATHER_ROWS = ("ppb_per_umol", "kp_ppb2", "q", "ch4", "bvoc", "local_h", "to_ppb_o3",
                "to_ppb_no2", "j", "k_no_o3", "soa_district", "soa_city")  # fmt: skip


@njit(cache=True)
def coalition_totals(
    d: F64, c: F64, r: F64, made_d: F64, made_c: F64, region_pm25: F64, o3_background: F64,
    upwind_rate: F64, weather: F64, k: F64, masses: F64, scalars: F64,
) -> tuple[F64, F64]:  # pragma: no cover - compiled  # fmt: skip
    """Hourly totals of every coalition ``(k_d, k_c, k_r, 6, n)`` (AIR_POLLUTANTS order) and
    the secondary PM2.5 of the district and city boxes of the last ``(2, n)``: the chemistry
    of :func:`sim.air.batch.evaluate` hour by hour.

    ``d``, ``c``, ``r``: the district's, city's and region's increments ``(k, 7, n)``
    (POLLUTANTS order); ``made_d``, ``made_c``: each box's sulfate and total nitrate
    ``(k, 2, n)``; ``region_pm25``, ``o3_background`` ``(k_r, n)``; ``upwind_rate``: the O3
    production of the city's and region's gases together ``(k_c, k_r, n)``; ``weather``:
    :data:`WEATHER_ROWS` ``(12, n)``; ``k`` as :func:`ozone_production`; ``masses`` as
    :func:`inorganic_partition`; ``scalars``: PM10/PM2.5 of regional PM, the accumulation
    time (h), the NO2 share of fresh NOx and the daytime NO/NOx.

    Each coalition is stepped in a few passes over the hours (the gases; each box's inorganic
    partition; PM; O3 production; the O3/NO2 partition), each a simple loop over a few rows
    that the compiler can vectorise (SIMD), with hour-long scratch rows between them: the same
    expressions in the same order as one pass, so the same numbers.
    """
    kd, kc, kr, n = d.shape[0], c.shape[0], r.shape[0], d.shape[2]
    out = np.empty((kd, kc, kr, 6, n))
    last = np.empty((2, n))
    w = weather
    pm10_ratio, tau, fresh, f_no = scalars[0], scalars[1], scalars[2], scalars[3]
    nox, nh3, voc = np.empty(n), np.empty(n), np.empty(n)
    sec_d, sec_c, potential = np.empty(n), np.empty(n), np.empty(n)
    ppb_per_umol, kp, q, ch4, bvoc, local_h = w[0], w[1], w[2], w[3], w[4], w[5]
    to_ppb_o3, to_ppb_no2, j, k_no_o3, soa_d, soa_c = w[6], w[7], w[8], w[9], w[10], w[11]
    for i in range(kd):
        for jc in range(kc):
            for lr in range(kr):
                o = out[i, jc, lr]
                pm25, pm10, so2, no2, co, o3 = o[0], o[1], o[2], o[3], o[4], o[5]
                di, cj, rl = d[i], c[jc], r[lr]
                sul_d, nit_d = made_d[i, 0], made_d[i, 1]
                sul_c, nit_c = made_c[jc, 0], made_c[jc, 1]
                reg_pm, bg_o3, p_up = region_pm25[lr], o3_background[lr], upwind_rate[jc, lr]
                for t in range(n):
                    nox[t] = di[2, t] + cj[2, t] + rl[2, t]
                    co[t] = di[5, t] + cj[5, t] + rl[5, t]
                    nh3[t] = di[6, t] + cj[6, t] + rl[6, t]
                    voc[t] = di[4, t] + cj[4, t] + rl[4, t]
                    so2[t] = di[3, t] + cj[3, t] + rl[3, t]
                for t in range(n):
                    nit, amm = _nh4no3(sul_d[t], nit_d[t], nh3[t], ppb_per_umol[t], kp[t], masses)
                    sec_d[t] = sul_d[t] + nit + amm + di[4, t] * soa_d[t]
                for t in range(n):
                    nit, amm = _nh4no3(sul_c[t], nit_c[t], nh3[t], ppb_per_umol[t], kp[t], masses)
                    sec_c[t] = sul_c[t] + nit + amm + cj[4, t] * soa_c[t]
                for t in range(n):
                    secondary = sec_d[t] + sec_c[t]
                    pm25[t] = di[0, t] + cj[0, t] + rl[0, t] + secondary + reg_pm[t]
                    pm10[t] = di[1, t] + cj[1, t] + rl[1, t] + secondary + pm10_ratio * reg_pm[t]
                for t in range(n):
                    rate = _production(nox[t], voc[t], co[t], q[t], ch4[t], bvoc[t], f_no, k)
                    made = tau * p_up[t] + local_h[t] * (rate - p_up[t])
                    potential[t] = bg_o3[t] + made
                for t in range(n):
                    o3[t], no2[t] = _o3_no2(potential[t], nox[t], to_ppb_o3[t], to_ppb_no2[t],
                                            j[t], k_no_o3[t], fresh)  # fmt: skip
                if i == kd - 1 and jc == kc - 1 and lr == kr - 1:
                    last[0], last[1] = sec_d, sec_c
    return out, last
