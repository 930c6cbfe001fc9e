"""The river routing as first written: one Python step per time step and segment (all COD
degradable, no sediment oxygen demand).

Kept only as the reference the vectorised :func:`sim.water.river.route_river` is tested against
(same exact exponential update per step; results agree to rounding).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from sim.water.river import (
    NITRIFICATION_O2_PER_N,
    RiverRates,
    RiverResult,
    RiverSegment,
    do_saturation_mg_l,
    reaeration_per_d,
    temperature_corrected,
)

__all__ = ["route_river_stepwise"]


def _phi(b1: np.ndarray, b2: np.ndarray, t: float) -> np.ndarray:
    """∫0^t exp(-b1·s)·exp(-b2·(t - s)) ds = (exp(-b1 t) - exp(-b2 t))/(b2 - b1), written out
    here (with its limit t·exp(-b·t) for b1 = b2) rather than taken from the code it checks."""
    out = np.empty(np.broadcast(b1, b2).shape)
    for idx in np.ndindex(out.shape):
        x1, x2 = (
            float(np.broadcast_to(b1, out.shape)[idx]),
            float(np.broadcast_to(b2, out.shape)[idx]),
        )
        if abs(x2 - x1) * t < 1e-8:
            out[idx] = t * np.exp(-0.5 * (x1 + x2) * t)
        else:
            out[idx] = (np.exp(-x1 * t) - np.exp(-x2 * t)) / (x2 - x1)
    return out


def route_river_stepwise(
    segments: list[RiverSegment],
    dt_d: float,
    temperature_c: ArrayLike,
    upstream_flow_m3_s: ArrayLike,
    upstream_mg_l: Mapping[str, ArrayLike],
    lateral_flow_m3_s: ArrayLike | None = None,
    lateral_mg_l: Mapping[str, ArrayLike] | None = None,
    rates: RiverRates | None = None,
    initial_mg_l: Mapping[str, float] | None = None,
    reaeration_override_per_d: float | None = None,
    reaeration_min_per_d: float = 0.0,
) -> RiverResult:
    """Route COD, NH3-N, TP and DO through a chain of CSTR segments, step by step.

    Parameters
    ----------
    segments
        Segments from upstream to downstream.
    dt_d
        Step, d (1 for daily, 1/24 for hourly).
    temperature_c
        Water temperature per step, °C, shape ``(n_steps,)``.
    upstream_flow_m3_s, upstream_mg_l
        Boundary inflow per step (m³/s) and its concentrations: keys ``cod``, ``nh3n``, ``tp``,
        ``do`` (mg/L), each a scalar or ``(n_steps,)``.
    lateral_flow_m3_s, lateral_mg_l
        Lateral inflows per step and segment, shape ``(n_steps, n_segments)`` (or broadcastable),
        and their concentrations (same keys); DO of lateral inflows defaults to 0 (sewage).
    rates
        Kinetics (defaults: :class:`RiverRates`).
    initial_mg_l
        Initial concentrations in every segment (default: the first upstream values).
    reaeration_override_per_d
        Reaeration at 20 °C, 1/d, instead of O'Connor-Dobbins from velocity and depth.
    reaeration_min_per_d
        Floor on reaeration at 20 °C, 1/d (wind-driven transfer in slow rivers, where
        O'Connor-Dobbins from the current alone tends to zero).

    Returns
    -------
    RiverResult
        Step-end concentrations; flow is the segment outflow.
    """
    r = RiverRates() if rates is None else rates
    temp = np.atleast_1d(np.asarray(temperature_c, dtype=np.float64))
    n_t, n_s = temp.shape[0], len(segments)
    q_up = np.broadcast_to(np.asarray(upstream_flow_m3_s, dtype=np.float64), (n_t,))
    keys = ("cod", "nh3n", "tp", "do")
    c_up = np.stack([np.broadcast_to(np.asarray(upstream_mg_l[k], float), (n_t,)) for k in keys], 1)
    q_lat = np.zeros((n_t, n_s)) if lateral_flow_m3_s is None else np.broadcast_to(
        np.asarray(lateral_flow_m3_s, dtype=np.float64), (n_t, n_s))  # fmt: skip
    lat = {} if lateral_mg_l is None else lateral_mg_l
    c_lat = np.stack(
        [np.broadcast_to(np.asarray(lat.get(k, 0.0), float), (n_t, n_s)) for k in keys], axis=-1
    )
    if np.any(q_up < 0.0) or np.any(q_lat < 0.0):
        raise ValueError("flows must be >= 0.")
    vol = np.array([s.volume_m3 for s in segments])
    area = np.array([s.width_m * s.depth_m for s in segments])
    depth = np.array([s.depth_m for s in segments])
    cs = do_saturation_mg_l(temp)
    k_cod = temperature_corrected(r.k_cod_per_d, r.theta_cod, temp)
    k_n = temperature_corrected(r.k_nh3n_per_d, r.theta_nh3n, temp)
    init = initial_mg_l or {k: float(c_up[0, i]) for i, k in enumerate(keys)}
    # state per segment: cod, nh3n, tp, deficit
    state = np.tile([init["cod"], init["nh3n"], init["tp"], cs[0] - init["do"]], (n_s, 1))
    out = np.zeros((n_t, n_s, 4))
    flow = np.zeros((n_t, n_s))
    sec_d = 86400.0
    for n in range(n_t):
        q_in, c_in = q_up[n], c_up[n].copy()
        c_in[3] = cs[n] - c_in[3]  # DO -> deficit
        for i in range(n_s):
            cl = c_lat[n, i].copy()
            cl[3] = cs[n] - cl[3]
            q_out = q_in + q_lat[n, i]
            load = q_in * c_in + q_lat[n, i] * cl  # g/s (mg/L × m³/s)
            flush = q_out * sec_d / vol[i]  # 1/d
            u = q_out / area[i]
            ka20 = reaeration_override_per_d
            ka_od = max(float(reaeration_per_d(u, depth[i])), reaeration_min_per_d)
            ka = (ka_od if ka20 is None else np.asarray(ka20)) * (r.theta_ka ** (temp[n] - 20.0))
            b = np.array([flush + k_cod[n], flush + k_n[n], flush, flush + float(ka)])
            a = load * sec_d / vol[i]  # mg/L per d
            c0 = state[i]
            star = np.zeros(4)
            star[:3] = np.where(b[:3] > 0, a[:3] / np.where(b[:3] > 0, b[:3], 1.0), 0.0)
            src = np.array([r.o2_per_cod * k_cod[n], NITRIFICATION_O2_PER_N * k_n[n]])
            e = np.exp(-b * dt_d)
            new = np.empty(4)
            new[:3] = np.where(
                b[:3] > 0, star[:3] + (c0[:3] - star[:3]) * e[:3], c0[:3] + a[:3] * dt_d
            )
            # deficit: dD/dt = a_D + src·(L, N) - b_D·D, with L, N relaxing exponentially
            forcing = a[3] + src[0] * star[0] + src[1] * star[1]
            d_star = forcing / b[3] if b[3] > 0 else 0.0
            phi = _phi(b[:2], np.full(2, b[3]), dt_d)
            d_lin = d_star + (c0[3] - d_star) * e[3] if b[3] > 0 else c0[3] + forcing * dt_d
            new[3] = d_lin + float(np.sum(src * (c0[:2] - star[:2]) * phi))
            # step-mean outflow concentration feeds the next segment
            with np.errstate(invalid="ignore", divide="ignore"):
                frac = np.where(b * dt_d > 1e-12, -np.expm1(-b * dt_d) / (b * dt_d), 1.0)
            mean = np.where(b > 0, star + (c0 - star) * frac, 0.5 * (c0 + new))
            mean[3] = 0.5 * (c0[3] + new[3])
            state[i] = new
            out[n, i] = new
            flow[n, i] = q_out
            q_in, c_in = q_out, mean
    do = np.maximum(cs[:, None] - out[..., 3], 0.0)
    # all COD is degradable here (no bodu key): the degradable part is the COD itself
    return RiverResult(flow, out[..., 0], out[..., 1], out[..., 2], do, out[..., 0])
