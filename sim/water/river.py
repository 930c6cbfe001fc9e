"""River water quality: a chain of well-mixed segments with decay, nitrification and reaeration.

Each segment is a continuously stirred tank (CSTR) of fixed volume receiving the upstream outflow
and lateral inflows (outlets, overflows, plant effluent). COD and NH3-N decay at first order with
rates corrected by θ^(T-20); dissolved oxygen is modelled as the deficit below saturation,
consumed by COD decay (1 g O2 per g COD) and nitrification (4.57 g O2 per g N) and restored by
O'Connor-Dobbins reaeration (DOMAIN.md §7; Chapra 2008, *Surface Water-Quality Modeling*,
ch. 19-23).
Within a time step all inputs are constant and the linear system is solved exactly (exponential
update), so a long run with constant inputs reaches the CSTR steady state C = Cin/(1 + kτ), and a
segment without flow reproduces Streeter-Phelps exactly. TP is routed as a conservative substance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "NITRIFICATION_O2_PER_N",
    "RiverRates",
    "RiverResult",
    "RiverSegment",
    "cstr_steady_state",
    "do_saturation_mg_l",
    "mix",
    "reaeration_per_d",
    "route_river",
    "streeter_phelps",
    "temperature_corrected",
]

#: Oxygen used to nitrify ammonia to nitrate, g O2 per g N (stoichiometry; DOMAIN.md §7).
NITRIFICATION_O2_PER_N = 4.57


def mix(
    q_a: ArrayLike, c_a: ArrayLike, q_b: ArrayLike, c_b: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mix two flows: Q = Qa + Qb, C = (Qa·Ca + Qb·Cb)/(Qa + Qb); C = 0 when Q = 0."""
    qa, qb = np.asarray(q_a, dtype=np.float64), np.asarray(q_b, dtype=np.float64)
    q = qa + qb
    load = qa * np.asarray(c_a, dtype=np.float64) + qb * np.asarray(c_b, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(q > 0.0, load / np.where(q > 0.0, q, 1.0), 0.0)
    return np.asarray(q), np.asarray(c)


def cstr_steady_state(c_in: ArrayLike, k_per_d: ArrayLike, tau_d: ArrayLike) -> NDArray[np.float64]:
    """Steady outflow concentration of a CSTR with first-order decay: C = Cin/(1 + k·τ)."""
    c, k, tau = (np.asarray(x, dtype=np.float64) for x in (c_in, k_per_d, tau_d))
    return np.asarray(c / (1.0 + k * tau))


def _phi(b1: NDArray[np.float64], b2: NDArray[np.float64], t: float) -> NDArray[np.float64]:
    """(exp(-b1 t) - exp(-b2 t)) / (b2 - b1), with its limit t·exp(-b t) when b1 = b2."""
    diff = b2 - b1
    close = np.abs(diff * t) < 1e-8
    safe = np.where(close, 1.0, diff)
    exact = (np.exp(-b1 * t) - np.exp(-b2 * t)) / safe
    return np.asarray(np.where(close, t * np.exp(-0.5 * (b1 + b2) * t), exact))


def streeter_phelps(
    l0_mg_l: ArrayLike, d0_mg_l: ArrayLike, kd_per_d: ArrayLike, ka_per_d: ArrayLike, t_d: ArrayLike
) -> NDArray[np.float64]:
    """Oxygen deficit of Streeter & Phelps (1925), mg/L.

    ``D(t) = kd·L0/(ka - kd)·(exp(-kd·t) - exp(-ka·t)) + D0·exp(-ka·t)``, with the limit
    ``kd·L0·t·exp(-kd·t) + D0·exp(-ka·t)`` when ka = kd (DOMAIN.md §7).

    Parameters
    ----------
    l0_mg_l, d0_mg_l
        Initial oxygen demand and deficit, mg/L.
    kd_per_d, ka_per_d
        Deoxygenation and reaeration rates, 1/d.
    t_d
        Travel time, d.
    """
    arrays = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in
                                   (l0_mg_l, d0_mg_l, kd_per_d, ka_per_d, t_d)))  # fmt: skip
    l0, d0, kd, ka, t = arrays
    diff = ka - kd
    close = np.abs(diff * t) < 1e-8
    safe = np.where(close, 1.0, diff)
    phi = np.where(close, t * np.exp(-kd * t), (np.exp(-kd * t) - np.exp(-ka * t)) / safe)
    return np.asarray(kd * l0 * phi + d0 * np.exp(-ka * t))


def do_saturation_mg_l(temperature_c: ArrayLike) -> NDArray[np.float64]:
    """Dissolved-oxygen saturation in fresh water at 1 atm, mg/L (Benson & Krause 1984).

    ``ln C = -139.34411 + 1.575701e5/T - 6.642308e7/T² + 1.243800e10/T³ - 8.621949e11/T⁴``, T in K,
    as given in APHA *Standard Methods* 4500-O; 9.09 mg/L at 20 °C (DOMAIN.md §7).
    """
    t = np.asarray(temperature_c, dtype=np.float64) + 273.15
    ln_c = -139.34411 + 1.575701e5 / t - 6.642308e7 / t**2 + 1.243800e10 / t**3 - 8.621949e11 / t**4
    return np.asarray(np.exp(ln_c))


def reaeration_per_d(velocity_m_s: ArrayLike, depth_m: ArrayLike) -> NDArray[np.float64]:
    """O'Connor-Dobbins (1958) reaeration at 20 °C, ka = 3.93·U^0.5/H^1.5, 1/d (U m/s, H m)."""
    u = np.maximum(np.asarray(velocity_m_s, dtype=np.float64), 0.0)
    h = np.asarray(depth_m, dtype=np.float64)
    if np.any(h <= 0.0):
        raise ValueError("depth_m must be > 0.")
    return np.asarray(3.93 * np.sqrt(u) / h**1.5)


def temperature_corrected(k20: ArrayLike, theta: float, temperature_c: ArrayLike) -> NDArray:
    """Rate at temperature T: k = k20·θ^(T - 20) (Chapra 2008, eq. 2.44)."""
    t = np.asarray(temperature_c, dtype=np.float64)
    return np.asarray(np.asarray(k20, dtype=np.float64) * theta ** (t - 20.0))


@dataclass(frozen=True)
class RiverSegment:
    """Geometry of one well-mixed segment (constant volume).

    Attributes
    ----------
    length_m, width_m, depth_m
        Segment length, mean width and mean depth, m.
    """

    length_m: float
    width_m: float
    depth_m: float

    @property
    def volume_m3(self) -> float:
        """Volume, m³."""
        return self.length_m * self.width_m * self.depth_m


@dataclass(frozen=True)
class RiverRates:
    """Kinetic rates at 20 °C and their temperature factors (DOMAIN.md §7).

    Attributes
    ----------
    k_cod_per_d
        COD decay, 1/d (BOD/COD 0.1-0.3 /d, H/M).
    k_nh3n_per_d
        Nitrification, 1/d (0.05-0.2 /d, L).
    theta_cod, theta_nh3n, theta_ka
        Temperature factors: 1.047, 1.07, 1.024 (L).
    o2_per_cod
        Oxygen used per unit COD decayed, g/g (1 by definition of COD).
    """

    k_cod_per_d: float = 0.2
    k_nh3n_per_d: float = 0.1
    theta_cod: float = 1.047
    theta_nh3n: float = 1.07
    theta_ka: float = 1.024
    o2_per_cod: float = 1.0


@dataclass(frozen=True)
class RiverResult:
    """Concentrations at the end of each step in each segment, shape ``(n_steps, n_segments)``.

    ``do_mg_l`` is clipped at 0 (the deficit model knows no anoxia).
    """

    flow_m3_s: NDArray[np.float64]
    cod_mg_l: NDArray[np.float64]
    nh3n_mg_l: NDArray[np.float64]
    tp_mg_l: NDArray[np.float64]
    do_mg_l: NDArray[np.float64]


def route_river(
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
    return RiverResult(flow, out[..., 0], out[..., 1], out[..., 2], do)
