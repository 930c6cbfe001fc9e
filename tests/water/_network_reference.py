"""The drainage routing as first written (each path's load worked out from the path's
components; in-pipe storage and tanks stepped hour by hour, written out here). Kept only as
the reference :func:`sim.water.network.route_drainage` (a compiled loop over hours and areas) is
tested against: same physics, results agree to rounding.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.water.network import DrainageInputs, DrainageResult

__all__ = ["route_drainage_direct"]

Array = NDArray[np.float64]


def _tanks_hour_by_hour(
    wet_v: Array, wet_m: Array, spare_v: Array, raining: NDArray[np.bool_], tank_m3: Array
) -> tuple[Array, Array, Array, Array, Array]:
    """First-flush tanks stepped through every hour: while it rains a tank takes what fits of
    the wet-weather discharge (well mixed); otherwise it empties through spare capacity."""
    n_t, n_a, n_p = wet_m.shape
    captured, ret_v, sto_v = np.zeros((n_t, n_a)), np.zeros((n_t, n_a)), np.zeros((n_t, n_a))
    ret_m, sto_m = np.zeros((n_t, n_a, n_p)), np.zeros((n_t, n_a, n_p))
    for j in range(n_a):
        vol, mass = 0.0, np.zeros(n_p)
        for t in range(n_t):
            if raining[t]:
                take = min(wet_v[t, j], max(tank_m3[t, j] - vol, 0.0))
                share = take / wet_v[t, j] if wet_v[t, j] > 0.0 else 0.0
                captured[t, j] = share
                vol += take
                mass = mass + wet_m[t, j] * share
            elif vol > 0.0:
                out = min(vol, spare_v[t, j])
                f = out / vol
                ret_v[t, j], ret_m[t, j] = out, mass * f
                vol, mass = (0.0, mass * 0.0) if f >= 1.0 else (vol - out, mass * (1.0 - f))
            sto_v[t, j], sto_m[t, j] = vol, mass
    return captured, ret_v, ret_m, sto_v, sto_m


def _pipes_hour_by_hour(
    exc_v: Array, exc_m: Array, spare_v: Array, capacity_m3: Array
) -> tuple[Array, Array, Array, Array, Array, Array]:
    """In-pipe storage stepped through every hour: the excess joins the store (well mixed),
    what exceeds the capacity overflows, then the store drains through spare capacity."""
    n_t, n_a, n_p = exc_m.shape
    over_v, over_m = exc_v.copy(), exc_m.copy()
    ret_v, sto_v = np.zeros((n_t, n_a)), np.zeros((n_t, n_a))
    ret_m, sto_m = np.zeros((n_t, n_a, n_p)), np.zeros((n_t, n_a, n_p))
    for j in range(n_a):
        vol, mass = 0.0, np.zeros(n_p)
        for t in range(n_t):
            tot = vol + exc_v[t, j]
            if tot <= 0.0:
                continue
            kept = min(tot, capacity_m3[t, j])
            out = min(kept, spare_v[t, j])
            m_tot = mass + exc_m[t, j]
            over_v[t, j], over_m[t, j] = tot - kept, m_tot * ((tot - kept) / tot)
            ret_v[t, j], ret_m[t, j] = out, m_tot * (out / tot)
            vol, mass = kept - out, m_tot * ((kept - out) / tot)
            sto_v[t, j], sto_m[t, j] = vol, mass
    return over_v, over_m, ret_v, ret_m, sto_v, sto_m


def route_drainage_direct(x: DrainageInputs, dt_s: float = 3600.0) -> DrainageResult:
    """Route one run's hourly sewage, runoff and dumping through the network and the plant."""
    g = dt_s * 1e-3  # g/s -> kg per step
    c = x.combined_fraction
    sep = 1.0 - c
    s_v, r_v, d_v = x.sewage_m3_s * dt_s, x.runoff_m3_s * dt_s, x.dumping_m3_s * dt_s
    s_m, r_m, d_m = x.sewage_g_s * g, x.runoff_g_s * g, x.dumping_g_s * g
    raining: NDArray[np.bool_] = np.asarray((x.runoff_m3_s > 0.0).any(axis=1))
    # combined part
    cin_v = c * (s_v + r_v + d_v)
    cin_m = c[..., None] * (s_m + r_m + d_m)
    cap_v = np.broadcast_to(x.interceptor_m3_s * dt_s, cin_v.shape)
    int_v = np.minimum(cin_v, cap_v)
    f_int = np.where(cin_v > 0.0, int_v / np.where(cin_v > 0.0, cin_v, 1.0), 1.0)
    int_m = cin_m * f_int[..., None]
    exc_v, exc_m = cin_v - int_v, cin_m - int_m
    spare = np.maximum(cap_v - int_v, 0.0)
    pipes = np.zeros((cin_v.shape[0], cin_v.shape[1]), dtype=np.float64)
    pipe_m = np.zeros(exc_m.shape)
    if x.pipe_storage_m3 is not None:  # the excess first fills the sewers below the weirs
        exc_v, exc_m, pr_v, pr_m, pipes, pipe_m = _pipes_hour_by_hour(
            exc_v, exc_m, spare, np.broadcast_to(x.pipe_storage_m3, exc_v.shape)
        )
        spare = spare - pr_v
        int_v, int_m = int_v + pr_v, int_m + pr_m  # drained back to the interceptor
    # separate part
    xs = x.cross_connected_share
    san_v = sep * s_v * (1.0 - xs)
    san_m = (sep * (1.0 - xs))[..., None] * s_m
    xc_v = sep * (s_v * xs + d_v)
    xc_m = sep[..., None] * (s_m * xs[..., None] + d_m)
    st_v, st_m = sep * r_v, sep[..., None] * r_m
    # dry hours: remediated outlets and the off-season rule send storm-drain flow to the plant
    wet = raining[:, None]
    held = np.where(wet, 0.0, 1.0 - (1.0 - x.remediated_share) * (1.0 - x.offseason_closure))
    held_v, held_m = xc_v * held, xc_m * held[..., None]
    # wet-weather discharge through the tanks
    wet_v = exc_v + np.where(wet, st_v + xc_v, 0.0)
    wet_m = exc_m + np.where(wet[..., None], st_m + xc_m, 0.0)
    tank = np.broadcast_to(x.tank_m3, wet_v.shape)
    share, ret_v, ret_m, sto_v, sto_m = _tanks_hour_by_hour(wet_v, wet_m, spare, raining, tank)
    keep = 1.0 - share
    overflow_v, overflow_m = exc_v * keep, exc_m * keep[..., None]
    rain_v = np.where(wet, st_v * keep, st_v)
    rain_m = np.where(wet[..., None], st_m * keep[..., None], st_m)
    cross_v = np.where(wet, xc_v * keep, xc_v - held_v)
    cross_m = np.where(wet[..., None], xc_m * keep[..., None], xc_m - held_m)
    plant_v = int_v + san_v + held_v
    plant_m = int_m + san_m + held_m
    # the plant (district totals)
    p_in_v = (plant_v + ret_v).sum(axis=1)
    p_in_m = (plant_m + ret_m).sum(axis=1)
    treat_v = np.minimum(p_in_v, x.plant_capacity_m3_s * dt_s)
    f_t = np.where(p_in_v > 0.0, treat_v / np.where(p_in_v > 0.0, p_in_v, 1.0), 0.0)
    treated_m = p_in_m * f_t[:, None]
    conc_in = np.where(
        p_in_v[:, None] > 0.0, p_in_m / np.where(p_in_v > 0, p_in_v, 1.0)[:, None], 0.0
    )
    eff_m = treat_v[:, None] * np.minimum(conc_in, x.effluent_mg_l[None] * 1e-3)
    eff_m = np.minimum(eff_m, treated_m)
    return DrainageResult(
        water_m3={
            "overflow": overflow_v,
            "rain_outlet": rain_v,
            "cross_connection": cross_v,
            "to_plant": plant_v,
            "tank_return": ret_v,
        },
        load_kg={
            "overflow": overflow_m,
            "rain_outlet": rain_m,
            "cross_connection": cross_m,
            "to_plant": plant_m,
            "tank_return": ret_m,
        },
        storage_m3=sto_v + pipes,
        storage_kg=sto_m + pipe_m,
        inflow_m3=s_v + r_v + d_v,
        inflow_kg=s_m + r_m + d_m,
        plant_m3={"effluent": treat_v, "bypass": p_in_v - treat_v},
        plant_kg={
            "effluent": eff_m,
            "bypass": p_in_m - treated_m,
            "removed": treated_m - eff_m,
        },
        wet=raining,
        bypass_m3=(plant_v + ret_v) * (1.0 - f_t)[:, None],
        bypass_kg=(plant_m + ret_m) * (1.0 - f_t)[:, None, None],
    )
