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
The chains are stepped by compiled code, step after step and segment after segment
(:mod:`sim.water.chain`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.water.chain import route_chains

__all__ = [
    "NITRIFICATION_O2_PER_N",
    "RiverRates",
    "RiverResult",
    "RiverSegment",
    "cstr_steady_state",
    "do_saturation_mg_l",
    "mix",
    "plug_flow_tanks",
    "reaeration_per_d",
    "route_parallel",
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


def plug_flow_tanks(
    tau_d: float, kd_per_d: float, kn_per_d: float, ka_per_d: float, tolerance: float = 0.05
) -> int:
    """Fewest equal well-mixed tanks in series whose steady oxygen deficit at the end of a reach
    is within ``tolerance`` (relative) of plug flow (Streeter-Phelps at the travel time).

    Steady state of tank i of N (residence t = τ/N), for unit BOD and NH3-N at the inlet and no
    deficit: ``L_i = L_{i-1}/(1 + kd·t)``, ``N_i = N_{i-1}/(1 + kn·t)``,
    ``D_i = (D_{i-1} + t·(kd·L_i + 4.57·kn·N_i))/(1 + ka·t)``; against
    ``D = streeter_phelps(1, 0, kd, ka, τ) + streeter_phelps(4.57, 0, kn, ka, τ)``. The deficit
    converges more slowly than the substances (one tank is ~25-30 % low at ka·τ ≈ 1.5).
    """
    if tau_d <= 0.0:
        return 1
    target = float(streeter_phelps(1.0, 0.0, kd_per_d, ka_per_d, tau_d)) + float(
        streeter_phelps(NITRIFICATION_O2_PER_N, 0.0, kn_per_d, ka_per_d, tau_d)
    )
    if target <= 0.0:
        return 1
    for n in range(1, 400):
        t = tau_d / n
        bod, amm, deficit = 1.0, 1.0, 0.0
        for _ in range(n):
            bod /= 1.0 + kd_per_d * t
            amm /= 1.0 + kn_per_d * t
            deficit = (deficit + t * (kd_per_d * bod + NITRIFICATION_O2_PER_N * kn_per_d * amm)) / (
                1.0 + ka_per_d * t
            )
        if abs(deficit / target - 1.0) < tolerance:
            return n
    return 400


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
    sod_g_m2_d, theta_sod
        Sediment oxygen demand at 20 °C, g O2/m²/d, and its temperature factor (Chapra 2008,
        ch. 25); it adds ``SOD/H`` to the deficit's source.
    """

    k_cod_per_d: float = 0.2
    k_nh3n_per_d: float = 0.1
    theta_cod: float = 1.047
    theta_nh3n: float = 1.07
    theta_ka: float = 1.024
    o2_per_cod: float = 1.0
    sod_g_m2_d: float = 0.0
    theta_sod: float = 1.065


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
    bodu_mg_l: NDArray[np.float64]


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
    """Route COD, NH3-N, TP and DO through a chain of CSTR segments (exact update per step).

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
        ``do`` and optionally ``bodu`` (mg/L), each a scalar or ``(n_steps,)``. ``bodu`` is the
        degradable part of COD (ultimate BOD); only it decays and uses oxygen, the rest of COD
        is refractory and conservative. Without ``bodu`` all COD is degradable.
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
    temp = np.atleast_1d(np.asarray(temperature_c, dtype=np.float64))
    n_t, n_s = temp.shape[0], len(segments)
    q_lat = np.broadcast_to(
        np.asarray(0.0 if lateral_flow_m3_s is None else lateral_flow_m3_s, dtype=np.float64),
        (n_t, n_s),
    )
    lat = {} if lateral_mg_l is None else lateral_mg_l
    init = None if initial_mg_l is None else {k: np.array([v]) for k, v in initial_mg_l.items()}
    (res,) = route_parallel(
        [segments], dt_d, temp,
        np.broadcast_to(np.asarray(upstream_flow_m3_s, dtype=np.float64), (n_t,))[:, None],
        {k: np.broadcast_to(np.asarray(v, dtype=np.float64), (n_t,))[:, None]
         for k, v in upstream_mg_l.items()},
        q_lat[:, None], {k: _expand(v, (n_t, n_s))[:, None] for k, v in lat.items()},
        rates, init, reaeration_override_per_d, reaeration_min_per_d,
    )  # fmt: skip
    return res


def _expand(v: ArrayLike, shape: tuple[int, ...]) -> NDArray[np.float64]:
    return np.broadcast_to(np.asarray(v, dtype=np.float64), shape)


def route_parallel(
    chains: list[list[RiverSegment]],
    dt_d: float,
    temperature_c: ArrayLike,
    upstream_flow_m3_s: NDArray[np.float64],
    upstream_mg_l: Mapping[str, NDArray[np.float64]],
    lateral_flow_m3_s: NDArray[np.float64],
    lateral_mg_l: Mapping[str, NDArray[np.float64]],
    rates: RiverRates | None = None,
    initial_mg_l: Mapping[str, NDArray[np.float64]] | None = None,
    reaeration_override_per_d: float | None = None,
    reaeration_min_per_d: float = 0.0,
) -> list[RiverResult]:
    """Route B independent chains of equal length side by side.

    As :func:`route_river` for each chain; arrays carry the chain axis second: boundary flow and
    concentrations ``(n_steps, B)``, lateral ``(n_steps, B, n_segments)``, initial ``(B,)``.
    """
    r = RiverRates() if rates is None else rates
    temp = np.atleast_1d(np.asarray(temperature_c, dtype=np.float64))
    n_t, n_b, n_s = temp.shape[0], len(chains), len(chains[0])
    if any(len(c) != n_s for c in chains):
        raise ValueError("chains must have equal numbers of segments.")
    q_up = _expand(upstream_flow_m3_s, (n_t, n_b))
    q_lat = _expand(lateral_flow_m3_s, (n_t, n_b, n_s))
    if np.any(q_up < 0.0) or np.any(q_lat < 0.0):
        raise ValueError("flows must be >= 0.")
    c_up = _states(upstream_mg_l, (n_t, n_b))
    c_lat = _states(lateral_mg_l, (n_t, n_b, n_s))
    rate_series = _rate_series(r, temp)
    cs = rate_series[0]
    init_state = c_up[0].copy() if initial_mg_l is None else _states(initial_mg_l, (n_b,))
    init_state[:, 4] = cs[0] - init_state[:, 4]
    c_in = c_up.copy()
    c_in[..., 4] = cs[:, None] - c_in[..., 4]  # DO -> deficit
    geometry = np.array([[[sg.volume_m3, sg.width_m, sg.depth_m] for sg in c] for c in chains])
    flow, out = route_chains(
        np.moveaxis(geometry, -1, 0), dt_d, q_up, c_in, q_lat, c_lat, rate_series, init_state,
        reaeration_override_per_d, reaeration_min_per_d,
    )  # fmt: skip
    do = np.maximum(cs[:, None, None] - out[..., 4], 0.0)
    cod = out[..., 0] + out[..., 1]
    return [
        RiverResult(flow[:, b], cod[:, b], out[:, b, :, 2], out[:, b, :, 3], do[:, b],
                    out[:, b, :, 1])
        for b in range(n_b)
    ]  # fmt: skip


def _rate_series(r: RiverRates, temp: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    """Per step: DO saturation, COD decay and nitrification rates, the reaeration temperature
    factor, sediment oxygen demand (g/m²/d) and the oxygen used per unit of degradable COD
    decayed and of NH3-N nitrified per day, ``(n_t, 2)``."""
    k_cod = temperature_corrected(r.k_cod_per_d, r.theta_cod, temp)
    k_n = temperature_corrected(r.k_nh3n_per_d, r.theta_nh3n, temp)
    return (
        do_saturation_mg_l(temp),
        k_cod,
        k_n,
        r.theta_ka ** (temp - 20.0),
        temperature_corrected(r.sod_g_m2_d, r.theta_sod, temp),
        np.stack([r.o2_per_cod * k_cod, NITRIFICATION_O2_PER_N * k_n], axis=1),
    )


def _states(mg_l: Mapping[str, ArrayLike], shape: tuple[int, ...]) -> NDArray[np.float64]:
    """State concentrations (refractory COD, degradable COD, NH3-N, TP, DO) from named ones;
    missing ``bodu`` means all COD is degradable, missing others are 0."""

    def get(key: str, default: ArrayLike = 0.0) -> NDArray[np.float64]:
        return np.broadcast_to(np.asarray(mg_l.get(key, default), dtype=np.float64), shape)

    cod = get("cod")
    bodu = get("bodu", cod)
    if np.any(bodu > cod + 1e-9 * np.abs(cod)):
        raise ValueError("bodu (degradable COD) must not exceed cod.")
    return np.stack([np.maximum(cod - bodu, 0.0), bodu, get("nh3n"), get("tp"), get("do")], -1)
