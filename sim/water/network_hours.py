"""The drainage network stepped hour by hour in one compiled pass (numba): the kernel of
:func:`sim.water.network.route_drainage` (see that module for the physics).

Per area and hour the paths are a few dozen operations on single floats: the interceptor takes
the combined part up to its capacity, the excess fills the in-pipe storage (a well-mixed store
that drains back through spare interceptor capacity), wet-weather discharge fills the first-flush
tank (emptied through what spare capacity is left after the rain), and the separate part goes to
the plant or the storm drain. The two stores are recurrences in time with ``min``/``max`` in
them, so the hour loop is compiled; doing the algebra of the other paths in the same loop saves
the dozens of whole-year temporaries the array form needed. A second loop over the hours treats
at the plant what all areas sent and books the bypass back to them.

Every expression keeps the operand order of the former whole-array version (IEEE double, no
fast-math), so the results are those of the path-by-path reference
(``tests/water/_network_reference.py``) to rounding.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["PATHS", "day_sums", "network_hours", "plant_hours"]

Array = NDArray[np.float64]

#: Rows of the output arrays of :func:`network_hours`.
PATHS = ("overflow", "rain_outlet", "cross_connection", "tank_return", "to_plant", "storage",
         "inflow")  # fmt: skip
_OVER, _RAIN, _CROSS, _RET, _PLANT, _STORE, _IN = range(7)


@njit(cache=True)
def _pipe_step(
    state: Array, j: int, exc_v: float, exc_m: Array, spare: float, capacity: float, out_m: Array
) -> tuple[float, float, float]:  # pragma: no cover - compiled
    """One hour of the in-pipe storage of area ``j``: ``state[j]`` (volume, loads...) is
    updated, ``exc_m`` becomes the overflow load and ``out_m`` rows the returned and stored
    loads. Returns the overflow, returned and stored volumes."""
    vol = state[j, 0]
    if vol <= 0.0 and exc_v <= 0.0:  # empty and dry: the excess (none) passes
        out_m[:] = 0.0
        return exc_v, 0.0, 0.0
    tot = vol + exc_v
    over = tot - capacity if tot > capacity else 0.0
    out = min(tot - over, spare)
    vol = tot - over - out
    f_over, f_out, f_keep = over / tot, out / tot, max(vol / tot, 0.0)
    state[j, 0] = vol
    for p in range(exc_m.size):
        m_tot = exc_m[p] + state[j, 1 + p]
        exc_m[p] = m_tot * f_over
        out_m[0, p] = m_tot * f_out
        state[j, 1 + p] = m_tot * f_keep
        out_m[1, p] = state[j, 1 + p]
    return f_over * tot, f_out * tot, vol


@njit(cache=True)
def _tank_fill(
    state: Array, j: int, wet_v: float, wet_m: Array, capacity: float, ret_m: Array
) -> float:  # pragma: no cover - compiled
    """A rain hour of the first-flush tank of area ``j``: it takes what fits of the wet-weather
    discharge (volume ``wet_v``, loads ``wet_m``), well mixed; nothing is returned (``ret_m``
    zeroed). ``state[j]`` (volume, loads...) is updated. Returns the share captured."""
    vol = state[j, 0]
    take = min(wet_v, max(capacity - vol, 0.0))
    share = take / wet_v if wet_v > 0.0 else 0.0
    state[j, 0] = vol + take
    for p in range(ret_m.size):
        ret_m[p] = 0.0
        state[j, 1 + p] = state[j, 1 + p] + wet_m[p] * share
    return share


@njit(cache=True)
def _tank_drain(state: Array, j: int, spare: float, ret_m: Array) -> float:  # pragma: no cover
    """A dry hour of the first-flush tank of area ``j``: it empties through spare interceptor
    capacity. ``state[j]`` is updated, ``ret_m`` gets the returned load. Returns the volume
    returned."""
    vol = state[j, 0]
    out = min(vol, spare)
    share = out / vol if vol > 0.0 else 0.0
    vol = vol - out
    state[j, 0] = 0.0 if share >= 1.0 else vol
    for p in range(ret_m.size):
        m = state[j, 1 + p]
        ret_m[p] = m * share
        state[j, 1 + p] = m - m * share
    return out


@njit(cache=True)
def network_hours(
    flows: tuple[Array, Array, Array],
    loads: tuple[Array, Array, Array],
    shares: tuple[Array, Array, Array, Array],
    stores: tuple[Array, Array],
    interceptor_m3_s: Array,
    raining: NDArray[np.bool_],
    dt_s: float,
    use: tuple[bool, bool],
    vol_out: Array,
    load_out: Array,
) -> None:  # pragma: no cover - compiled
    """Fill ``vol_out`` ``(7, n_t, n_a)`` and ``load_out`` ``(7, n_p, n_t, n_a)`` with the
    rows of :data:`PATHS` (kg per hour; storage at the end of the hour). ``flows``: sewage,
    runoff, dumping (m³/s); ``loads`` theirs (g/s, ``(n_t, n_a, n_p)``); ``shares``: combined,
    cross-connected, remediated, off-season closure; ``stores``: tank and in-pipe capacities
    (m³); ``use``: whether any area has in-pipe storage, first-flush tanks."""
    sew, run, dump = flows
    s_g, r_g, d_g = loads
    cf, xs, rem, off = shares
    n_t, n_a, n_p = s_g.shape
    g = dt_s * 1e-3
    pipe, tank = np.zeros((n_a, 1 + n_p)), np.zeros((n_a, 1 + n_p))
    in_m, exc_m, wet_m = np.empty(n_p), np.empty(n_p), np.empty(n_p)
    pipe_m, ret_m = np.zeros((2, n_p)), np.zeros(n_p)
    o, m = vol_out, load_out
    for t in range(n_t):
        for j in range(n_a):
            c, x_s = cf[t, j], xs[t, j]
            sep = 1.0 - c
            s_v, r_v, d_v = sew[t, j] * dt_s, run[t, j] * dt_s, dump[t, j] * dt_s
            in_v = s_v + r_v + d_v
            cap_v = interceptor_m3_s[j] * dt_s
            int_v = min(c * in_v, cap_v)
            f_int = int_v / (c * in_v) if c * in_v > 0.0 else 1.0
            spare = max(cap_v - int_v, 0.0)
            exc_v = c * in_v - int_v
            for p in range(n_p):
                in_m[p] = (s_g[t, j, p] + r_g[t, j, p] + d_g[t, j, p]) * g
                exc_m[p] = in_m[p] * (c * (1.0 - f_int))
            pr_v, pipe_v = 0.0, 0.0
            pipe_m[:] = 0.0
            if use[0]:
                exc_v, pr_v, pipe_v = _pipe_step(pipe, j, exc_v, exc_m, spare, stores[1][t, j],
                                                 pipe_m)  # fmt: skip
                spare = spare - pr_v
            xc_v, st_v = sep * (s_v * x_s + d_v), sep * r_v
            held = 0.0 if raining[t] else 1.0 - (1.0 - rem[t, j]) * (1.0 - off[t, j])
            share, ret_v = 0.0, 0.0
            if use[1] and raining[t]:  # the tank takes wet-weather discharge
                for p in range(n_p):
                    xc_m = s_g[t, j, p] * (sep * x_s * g) + d_g[t, j, p] * (sep * g)
                    wet_m[p] = exc_m[p] + (r_g[t, j, p] * (sep * g) + xc_m)
                wet_v = exc_v + (st_v + xc_v)
                share = _tank_fill(tank, j, wet_v, wet_m, stores[0][t, j], ret_m)
            elif use[1]:  # or empties after the rain
                ret_v = _tank_drain(tank, j, spare, ret_m)
            keep = 1.0 - share
            cross_keep = keep * (1.0 - held)
            o[_OVER, t, j], o[_RAIN, t, j], o[_RET, t, j] = exc_v * keep, st_v * keep, ret_v
            o[_CROSS, t, j] = xc_v * cross_keep
            to_plant = int_v + sep * s_v * (1.0 - x_s) + xc_v * held
            o[_PLANT, t, j] = to_plant + pr_v if use[0] else to_plant
            o[_STORE, t, j], o[_IN, t, j] = tank[j, 0] + pipe_v, in_v
            f_sew = (sep * (1.0 - x_s) + sep * x_s * held) * g
            for p in range(n_p):
                m[_OVER, p, t, j] = exc_m[p] * keep
                m[_RAIN, p, t, j] = r_g[t, j, p] * (sep * keep * g)
                cross = s_g[t, j, p] * (sep * x_s * cross_keep * g)
                m[_CROSS, p, t, j] = cross + d_g[t, j, p] * (sep * cross_keep * g)
                m[_RET, p, t, j] = ret_m[p] if use[1] else 0.0
                plant = in_m[p] * (c * f_int) + s_g[t, j, p] * f_sew
                plant += d_g[t, j, p] * (sep * held * g)
                m[_PLANT, p, t, j] = plant + pipe_m[0, p] if use[0] else plant
                m[_STORE, p, t, j], m[_IN, p, t, j] = tank[j, 1 + p] + pipe_m[1, p], in_m[p]


@njit(cache=True)
def day_sums(
    hourly: Array, day_index: NDArray[np.int64], out: Array
) -> None:  # pragma: no cover - compiled
    """Add every hour of ``hourly`` ``(rows, n_t, n_a)`` to its day ``day_index[t]`` in
    ``out`` ``(rows, n_days, n_a)`` (given zeroed), hours in order."""
    rows, n_t, n_a = hourly.shape
    for r in range(rows):
        for t in range(n_t):
            d = day_index[t]
            for j in range(n_a):
                out[r, d, j] += hourly[r, t, j]


@njit(cache=True)
def plant_hours(
    vol_out: Array,
    load_out: Array,
    capacity_m3: float,
    effluent_mg_l: Array,
    plant_v: Array,
    plant_m: Array,
    bypass_v: Array,
    bypass_m: Array,
) -> None:  # pragma: no cover - compiled
    """Treat at the plant, hour by hour, what all areas sent (to the plant and from the tanks)
    up to its capacity to its effluent limits; bypass the rest, booked back to the areas in
    proportion to what each sent. Fills ``plant_v`` ``(2, n_t)``: effluent, bypass (m³);
    ``plant_m`` ``(3, n_p, n_t)``: effluent, bypass, removed (kg); ``bypass_v``
    ``(1, n_t, n_a)`` and ``bypass_m`` ``(1, n_p, n_t, n_a)``: each area's share of the
    bypass."""
    _, n_p, n_t, n_a = load_out.shape
    for t in range(n_t):
        p_in_v = 0.0
        for j in range(n_a):
            p_in_v += vol_out[_PLANT, t, j] + vol_out[_RET, t, j]
        treat_v = min(p_in_v, capacity_m3)
        f_t = treat_v / p_in_v if p_in_v > 0.0 else 0.0
        by = 1.0 - f_t
        plant_v[0, t], plant_v[1, t] = treat_v, p_in_v - treat_v
        for j in range(n_a):
            bypass_v[0, t, j] = (vol_out[_PLANT, t, j] + vol_out[_RET, t, j]) * by
        for p in range(n_p):
            p_in_m = 0.0
            for j in range(n_a):
                m_j = load_out[_PLANT, p, t, j] + load_out[_RET, p, t, j]
                p_in_m += m_j
                bypass_m[0, p, t, j] = m_j * by
            treated_m = p_in_m * f_t
            conc_in = p_in_m / p_in_v if p_in_v > 0.0 else 0.0
            eff_m = min(treat_v * min(conc_in, effluent_mg_l[p] * 1e-3), treated_m)
            plant_m[0, p, t], plant_m[1, p, t] = eff_m, p_in_m - treated_m
            plant_m[2, p, t] = treated_m - eff_m
