"""Chains of well-mixed river tanks stepped through time, compiled (numba): the kernel of
:func:`sim.water.river.route_parallel`.

Per step the inputs of a tank are constant and each state obeys the exact exponential update
``C[n] = C* + (C[n-1] - C*)·exp(-b·dt)`` (substances: refractory COD, degradable COD, NH3-N,
TP), and the oxygen deficit, driven by the degradable COD and NH3-N relaxing exponentially, its
exact solution ``D[n] = D* + (D[n-1] - D*)·exp(-b_D·dt) + Σ src·(C[n-1] - C*)·φ``. The step-mean
outflow of a tank feeds the next one in the same step. These are a few dozen operations on
single floats per tank and step, stepped tank after tank and step after step by compiled code
(about a microsecond per tank-step; interpreted Python or whole-array numpy over the steps of
one tank at a time cost 10-50 times more at these sizes). No fast-math: IEEE double, so the
results are those of the stepwise reference (``tests/water/_river_reference.py``) to rounding.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["route_chains"]

Array = NDArray[np.float64]

#: Seconds per day.
_SEC_D = 86400.0


@njit(cache=True)
def _phi(b1: float, b2: float, t: float, e1: float, e2: float) -> float:  # pragma: no cover
    """(exp(-b1 t) - exp(-b2 t)) / (b2 - b1), with its limit t·exp(-b t) when b1 = b2;
    ``e1``, ``e2`` are exp(-b1 t) and exp(-b2 t)."""
    if abs((b2 - b1) * t) < 1e-8:
        return t * math.exp(-0.5 * (b1 + b2) * t)
    return (e1 - e2) / (b2 - b1)


@njit(cache=True)
def _step(
    c0: Array, i: int, a: Array, b: Array, src0: float, src1: float, dt_d: float, out: Array
) -> None:  # pragma: no cover - compiled
    """One tank over one step: ``out`` rows are the step-end state, the step-mean outflow and
    the steady state of the step's inputs, from the state ``c0[i]``, the inputs ``a``
    (mg/L/d) and the total rates ``b`` (1/d), deficit last; row 3 holds exp(-b·dt). Written
    with explicit indices (no array views in the loop over tanks and steps)."""
    for s in range(5):
        out[2, s] = 0.0
        out[3, s] = math.exp(-b[s] * dt_d)
    for s in range(4):
        bdt = b[s] * dt_d
        if b[s] > 0.0:
            out[2, s] = a[s] / b[s]
            out[0, s] = out[2, s] + (c0[i, s] - out[2, s]) * out[3, s]
            # (1 - e)/(b·dt): 1 - e is exact to rounding once e <= 0.9, expm1 below that
            if bdt > 0.1:
                frac = (1.0 - out[3, s]) / bdt
            else:
                frac = -math.expm1(-bdt) / bdt if bdt > 1e-12 else 1.0
            out[1, s] = out[2, s] + (c0[i, s] - out[2, s]) * frac
        else:
            out[0, s] = c0[i, s] + a[s] * dt_d
            out[1, s] = 0.5 * (c0[i, s] + out[0, s])
    # deficit: dD/dt = a_D + src·(L, N) - b_D·D, with L and N relaxing exponentially
    forcing = a[4] + src0 * out[2, 1] + src1 * out[2, 2]
    e = out[3]
    if b[4] > 0.0:
        d_star = forcing / b[4]
        d_lin = d_star + (c0[i, 4] - d_star) * e[4]
    else:
        d_lin = c0[i, 4] + forcing * dt_d
    out[0, 4] = (
        d_lin
        + src0 * (c0[i, 1] - out[2, 1]) * _phi(b[1], b[4], dt_d, e[1], e[4])
        + src1 * (c0[i, 2] - out[2, 2]) * _phi(b[2], b[4], dt_d, e[2], e[4])
    )
    out[1, 4] = 0.5 * (c0[i, 4] + out[0, 4])


@njit(cache=True)
def _route(
    geometry: Array, dt_d: float, q_up: Array, c_up: Array, q_lat: Array, c_lat: Array,
    rates: Array, src: Array, init_state: Array, ka20_override: float, ka20_min: float,
    flow: Array, out: Array,
) -> None:  # pragma: no cover - compiled
    """Fill ``flow`` and ``out`` (see :func:`route_chains`); ``rates`` per step: DO
    saturation, COD decay, nitrification, reaeration temperature factor, SOD; a NaN
    ``ka20_override``: O'Connor-Dobbins."""
    n_t, n_b, n_s = q_lat.shape
    state = np.empty((n_s, 5))
    a = np.empty(5)
    b = np.empty(5)
    c_in = np.empty(5)
    work = np.empty((4, 5))  # new, mean, star, decay of one tank-step
    depth15 = geometry[2] ** 1.5
    for j in range(n_b):
        for i in range(n_s):
            state[i] = init_state[j]
        for n in range(n_t):
            cs, k_cod, k_n, ka_factor, sod = (rates[n, 0], rates[n, 1], rates[n, 2],
                                              rates[n, 3], rates[n, 4])  # fmt: skip
            q_in = q_up[n, j]
            for s in range(5):
                c_in[s] = c_up[n, j, s]
            for i in range(n_s):
                vol, width, depth = geometry[0, j, i], geometry[1, j, i], geometry[2, j, i]
                q_l = q_lat[n, j, i]
                q_out = q_in + q_l
                per_volume = _SEC_D / vol
                flush = q_out * per_volume  # 1/d
                if math.isnan(ka20_override):
                    u = max(q_out / (width * depth), 0.0)
                    ka20 = max(3.93 * math.sqrt(u) / depth15[j, i], ka20_min)
                else:
                    ka20 = ka20_override
                b[0], b[1], b[2], b[3] = flush, flush + k_cod, flush + k_n, flush
                b[4] = flush + ka20 * ka_factor
                for s in range(4):
                    a[s] = (q_in * c_in[s] + q_l * c_lat[n, j, i, s]) * per_volume
                a[4] = (q_in * c_in[4] + q_l * (cs - c_lat[n, j, i, 4])) * per_volume
                a[4] += sod / depth  # sediment oxygen demand
                _step(state, i, a, b, src[n, 0], src[n, 1], dt_d, work)
                for s in range(5):
                    state[i, s] = work[0, s]
                    out[n, j, i, s] = work[0, s]
                    c_in[s] = work[1, s]
                flow[n, j, i] = q_out
                q_in = q_out


def route_chains(
    geometry: Array,
    dt_d: float,
    q_up: Array,
    c_up: Array,
    q_lat: Array,
    c_lat: Array,
    rate_series: tuple[Array, ...],
    init_state: Array,
    ka20_override: float | None,
    ka20_min: float,
) -> tuple[Array, Array]:
    """Route B chains of n_s tanks over n_t steps.

    Parameters
    ----------
    geometry
        Volume (m³), width and depth (m) of every tank, ``(3, B, n_s)``.
    dt_d
        Step, d.
    q_up, c_up
        Boundary inflow (m³/s) ``(n_t, B)`` and its state concentrations (refractory COD,
        degradable COD, NH3-N, TP, DO deficit; mg/L) ``(n_t, B, 5)``.
    q_lat, c_lat
        Lateral inflows ``(n_t, B, n_s)`` and their concentrations ``(n_t, B, n_s, 5)`` (DO, not
        deficit).
    rate_series
        Per step: DO saturation, COD decay and nitrification rates, the reaeration temperature
        factor, sediment oxygen demand (g/m²/d) and the oxygen used per unit of degradable COD
        decayed and of NH3-N nitrified per day ``(n_t, 2)``.
    init_state
        State of every tank before the first step, ``(B, 5)`` (deficit last).
    ka20_override, ka20_min
        Reaeration at 20 °C instead of O'Connor-Dobbins, and its floor, 1/d.

    Returns
    -------
    tuple
        Outflow of every tank ``(n_t, B, n_s)`` and its step-end state ``(n_t, B, n_s, 5)``.
    """
    n_t, n_b, n_s = q_lat.shape
    flow = np.empty((n_t, n_b, n_s))
    out = np.empty((n_t, n_b, n_s, 5))
    cs, k_cod, k_n, ka_factor, sod, src = rate_series
    _route(
        np.ascontiguousarray(geometry, dtype=np.float64), dt_d, np.ascontiguousarray(q_up),
        np.ascontiguousarray(c_up), np.ascontiguousarray(q_lat), np.ascontiguousarray(c_lat),
        np.ascontiguousarray(np.stack([cs, k_cod, k_n, ka_factor, sod], axis=1)),
        np.ascontiguousarray(src), np.ascontiguousarray(init_state, dtype=np.float64),
        math.nan if ka20_override is None else float(ka20_override), float(ka20_min), flow, out,
    )  # fmt: skip
    return flow, out
