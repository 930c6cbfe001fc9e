"""Chains of well-mixed river tanks over all steps at once: the kernel of
:func:`sim.water.river.route_parallel`.

Per step the inputs of a tank are constant and each state obeys the exact exponential update
``C[n] = e[n]·C[n-1] + g[n]`` (substances: refractory COD, degradable COD, NH3-N, TP; then the
oxygen deficit, driven by the degradable COD and NH3-N it follows). Every coefficient of that
update, ``e``, the relaxation terms and the step means, depends on the flows only, and the flow
through every tank is known before any concentration (the boundary flow plus the lateral inflows
above it). So the coefficients of all tanks are worked out together, with the products of the
decays of a prefix scan (:class:`sim.water.recurrence.PrefixScan`); then the tanks are taken in
order down the chains, the step-mean outflow of one feeding the next, each a few array
operations and two scans over the steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.water.recurrence import PrefixScan

__all__ = ["route_chains"]

Array = NDArray[np.float64]

#: Seconds per day.
_SEC_D = 86400.0


def _phi(b1: Array, b2: Array, t: float) -> Array:
    """(exp(-b1 t) - exp(-b2 t)) / (b2 - b1), with its limit t·exp(-b t) when b1 = b2."""
    diff = b2 - b1
    close = np.abs(diff * t) < 1e-8
    safe = np.where(close, 1.0, diff)
    exact = (np.exp(-b1 * t) - np.exp(-b2 * t)) / safe
    return np.asarray(np.where(close, t * np.exp(-0.5 * (b1 + b2) * t), exact))


#: Passes of the prefix scans whose decay products are all below 2^-60 are skipped: they would
#: change no concentration by more than 2^-60 (1e-18) of the largest (see PrefixScan).
_SCAN_TOL = 2.0**-60


@dataclass(frozen=True)
class _Coefficients:
    """The flow-dependent coefficients of every tank, tank first: ``(n_s, n_t, B[, k])``."""

    q: Array  # flow into each tank from upstream (index i) and out of it (i + 1), (n_s+1, n_t, B)
    b: Array  # total first-order rate: flushing + kinetics, 1/d, (..., 5)
    inv_b: Array  # 1/b where b > 0, else 0
    gain: Array  # (1 - exp(-b·dt))/b where b > 0, else dt (a constant input over the step)
    frac: Array  # step mean of exp(-b·s) over the step: (1 - e)/(b·dt)
    phi: Array  # (..., 2): the deficit's response to the decaying degradable COD and NH3-N
    lat_load: Array  # lateral load, g/s (mg/L × m³/s), DO as deficit, (..., 5)
    per_volume: Array  # s/d over volume, (n_s, 1, B, 1)
    sod: Array  # sediment oxygen demand over depth, mg/L/d, (n_s, n_t, B)
    substances: PrefixScan  # decays exp(-b·dt) of the substances, (n_s, n_t, B, 4)
    deficit: PrefixScan  # and of the deficit, (n_s, n_t, B)
    flowing: bool  # every tank has outflow at every step (no zero-rate special cases)


def _coefficients(
    geometry: Array,
    dt_d: float,
    q_up: Array,
    q_lat: Array,
    c_lat: Array,
    rate_series: tuple[Array, ...],
    ka20_override: float | None,
    ka20_min: float,
) -> _Coefficients:
    """The coefficients of all tanks (see :func:`route_chains` for the arguments)."""
    cs, k_cod, k_n, ka_factor, sod, _ = rate_series
    vol, width, depth = (g.T[:, None, :] for g in geometry)  # (n_s, 1, B)
    # the flow through tank i: boundary flow plus the lateral inflows of tanks 0..i, in order
    q_lat_t = np.moveaxis(q_lat, -1, 0)
    q = np.cumsum(np.concatenate([q_up[None], q_lat_t]), axis=0)
    q_out = q[1:]
    per_volume = _SEC_D / vol
    flush = q_out * per_volume  # 1/d
    b = np.empty((*q_out.shape, 5))
    b[..., 0] = flush
    b[..., 1] = flush + k_cod[:, None]
    b[..., 2] = flush + k_n[:, None]
    b[..., 3] = flush
    if ka20_override is None:
        ka20 = np.maximum(3.93 * np.sqrt(np.maximum(q_out / (width * depth), 0.0)) / depth**1.5,
                          ka20_min)  # fmt: skip
    else:
        ka20 = np.full_like(flush, float(ka20_override))
    b[..., 4] = flush + ka20 * ka_factor[:, None]
    pos = b > 0.0
    flowing = bool(pos.all())
    bdt = b * dt_d
    decay = np.exp(-bdt)
    ome = -np.expm1(-bdt)
    with np.errstate(invalid="ignore", divide="ignore"):
        inv_b = 1.0 / b if flowing else np.where(pos, 1.0 / np.where(pos, b, 1.0), 0.0)
        frac = np.where(bdt > 1e-12, ome / bdt, 1.0)
    cl = np.moveaxis(c_lat, 2, 0).copy()
    cl[..., 4] = cs[:, None] - cl[..., 4]  # lateral DO -> deficit
    return _Coefficients(
        q=q, b=b, inv_b=inv_b, gain=ome * inv_b if flowing else np.where(pos, ome * inv_b, dt_d),
        frac=frac, phi=_phi(b[..., 1:3], b[..., 4:5], dt_d), lat_load=q_lat_t[..., None] * cl,
        per_volume=per_volume[..., None], sod=sod[:, None] / depth,
        substances=PrefixScan(decay[..., :4], axis=1, tol=_SCAN_TOL),
        deficit=PrefixScan(decay[..., 4], axis=1, tol=_SCAN_TOL), flowing=flowing,
    )  # fmt: skip


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
    co = _coefficients(geometry, dt_d, q_up, q_lat, c_lat, rate_series, ka20_override, ka20_min)
    n_t, n_b, n_s = q_lat.shape
    out = np.empty((n_s, n_t, n_b, 5))
    c_in = c_up
    for i in range(n_s):
        out[i], c_in = _tank(co, i, c_in, init_state, rate_series[5][:, None, :], dt_d)
    return np.moveaxis(co.q[1:], 0, -1), np.moveaxis(out, 0, 2)


def _tank(
    co: _Coefficients, i: int, c_in: Array, init: Array, src: Array, dt_d: float
) -> tuple[Array, Array]:
    """Tank ``i`` of every chain over all steps: step-end state and step-mean outflow
    concentrations, ``(n_t, B, 5)`` each (deficit last), from its inflow concentrations;
    ``src``: oxygen used per degradable COD and NH3-N, ``(n_t, 1, 2)``."""
    a = co.q[i][..., None] * c_in
    a += co.lat_load[i]  # load, g/s
    a *= co.per_volume[i]  # mg/L per d
    a[..., 4] += co.sod[i]  # sediment oxygen demand
    star = a * co.inv_b[i]  # steady state of the step's inputs
    # substances: C[n] = e·C[n-1] + (1 - e)·C*   (C[n-1] + a·dt when b = 0)
    new = np.empty_like(a)
    new[..., :4] = co.substances.solve(a[..., :4] * co.gain[i, ..., :4], init[:, :4], (i,))
    prev = np.empty_like(a)
    prev[0] = init
    prev[1:, :, :4] = new[:-1, :, :4]
    # deficit: dD/dt = a_D + src·(L, N) - b_D·D, with L and N relaxing exponentially
    h = (a[..., 4] + (src * star[..., 1:3]).sum(axis=-1)) * co.gain[i, ..., 4]
    h += (src * (prev[..., 1:3] - star[..., 1:3]) * co.phi[i]).sum(axis=-1)
    new[..., 4] = co.deficit.solve(h, init[:, 4], (i,))
    prev[1:, :, 4] = new[:-1, :, 4]
    # step-mean outflow concentration (the deficit's: the mean of the step's ends)
    mean = prev - star
    mean *= co.frac[i]
    mean += star
    if not co.flowing:
        mean = np.where(co.b[i] > 0.0, mean, 0.5 * (prev + new))
    mean[..., 4] = 0.5 * (prev[..., 4] + new[..., 4])
    return new, mean
