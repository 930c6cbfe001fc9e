"""The network's two stores stepped hour by hour, compiled (numba): in-pipe storage below the
overflow weirs and first-flush tanks (see :mod:`sim.water.network` for the physics).

Both are recurrences in time with ``min``/``max`` in them (a store fills to its capacity and
empties through spare interceptor capacity), so they cannot be written as whole-array
arithmetic; each is a loop over hours and areas on single floats, compiled once per machine
and cached. Every operation is written in the order of the former interpreted version (IEEE
double, no fast-math).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["pipe_store_hours", "tank_hours"]

Array = NDArray[np.float64]


@njit(cache=True)
def pipe_store_hours(
    excess_m3: Array,
    excess_kg: Array,
    spare_m3: Array,
    capacity_m3: Array,
    over_v: Array,
    over_m: Array,
    ret_v: Array,
    ret_m: Array,
    sto_v: Array,
    sto_m: Array,
) -> None:  # pragma: no cover - compiled
    """Fill the outputs of :func:`sim.water.network.pipe_storage` (given zeroed, the overflow
    ones as copies of the excess) for every hour with excess or water in store."""
    n_t, n_a, n_p = excess_kg.shape
    mass = np.zeros(n_p)
    for j in range(n_a):
        vol = 0.0
        mass[:] = 0.0
        for t in range(n_t):
            e = excess_m3[t, j]
            if vol <= 0.0 and e <= 0.0:  # empty and dry: the excess (none) passes
                continue
            tot = vol + e
            over = tot - capacity_m3[t, j] if tot > capacity_m3[t, j] else 0.0
            out = min(tot - over, spare_m3[t, j])
            vol = tot - over - out
            f_over, f_out, f_keep = over / tot, out / tot, max(vol / tot, 0.0)
            over_v[t, j] = f_over * tot
            ret_v[t, j] = f_out * tot
            sto_v[t, j] = vol
            for p in range(n_p):
                m_tot = excess_kg[t, j, p] + mass[p]
                over_m[t, j, p] = m_tot * f_over
                ret_m[t, j, p] = m_tot * f_out
                mass[p] = m_tot * f_keep
                sto_m[t, j, p] = mass[p]


@njit(cache=True)
def tank_hours(
    wet_v: Array,
    wet_m: Array,
    row_of: NDArray[np.int64],
    spare_v: Array,
    raining: NDArray[np.bool_],
    tank_m3: Array,
    captured: Array,
    ret_v: Array,
    ret_m: Array,
    store_v: Array,
    store_m: Array,
) -> None:  # pragma: no cover - compiled
    """Fill the outputs of the first-flush tanks (given zeroed): the share of each hour's
    wet-weather discharge captured while it rains, the volume and load returned through spare
    interceptor capacity after the rain, and the storage at the end of each hour. The
    discharge ``wet_v``, ``wet_m`` is given for the rain hours only: hour t is row
    ``row_of[t]``."""
    n_t, n_a = spare_v.shape
    n_p = wet_m.shape[2]
    for j in range(n_a):
        vol = 0.0
        for t in range(n_t):
            if raining[t]:
                w = row_of[t]
                room = max(tank_m3[t, j] - vol, 0.0)
                take = min(wet_v[w, j], room)
                share = take / wet_v[w, j] if wet_v[w, j] > 0.0 else 0.0
                captured[t, j] = share
                vol = vol + take
                for p in range(n_p):
                    m = store_m[t - 1, j, p] if t > 0 else 0.0
                    store_m[t, j, p] = m + wet_m[w, j, p] * share
            else:
                out = min(vol, spare_v[t, j])
                share = out / vol if vol > 0.0 else 0.0
                ret_v[t, j] = out
                vol = vol - out
                if share >= 1.0:
                    vol = 0.0
                for p in range(n_p):
                    m = store_m[t - 1, j, p] if t > 0 else 0.0
                    ret_m[t, j, p] = m * share
                    store_m[t, j, p] = m - m * share
            store_v[t, j] = vol
