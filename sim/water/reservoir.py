"""SWMM's nonlinear-reservoir step for one sub-area: depression storage, then Manning outflow.

``dd/dt = i - alpha*(d - ds)^(5/3)`` integrated with SWMM 5.2's adaptive Cash-Karp Runge-Kutta
(tolerance ``ODETOL`` = 1e-4; Rossman & Huber 2016, SWMM Reference Manual Vol. I, ch. 3).
"""

from __future__ import annotations

__all__ = ["MEXP", "ODETOL", "ZERO_M", "step_subarea"]

MEXP = 5.0 / 3.0  # Manning exponent on depth
ODETOL = 1.0e-4  # SWMM subcatch.c ODETOL
ZERO_M = 1.0e-10  # SWMM's ZERO, here in metres


def _cash_karp(d: float, h: float, i_x: float, ds: float, alpha: float) -> tuple[float, float]:
    """One Cash-Karp step for dd/dt = i_x - alpha*(d-ds)^(5/3); returns (d_new, error)."""

    def f(y: float) -> float:
        x = y - ds
        return i_x - (alpha * x**MEXP if x > 0.0 else 0.0)

    k1 = f(d)
    k2 = f(d + h * 0.2 * k1)
    k3 = f(d + h * (3.0 / 40.0 * k1 + 9.0 / 40.0 * k2))
    k4 = f(d + h * (0.3 * k1 - 0.9 * k2 + 1.2 * k3))
    k5 = f(d + h * (-11.0 / 54.0 * k1 + 2.5 * k2 - 70.0 / 27.0 * k3 + 35.0 / 27.0 * k4))
    k6 = f(
        d
        + h
        * (
            1631.0 / 55296.0 * k1
            + 175.0 / 512.0 * k2
            + 575.0 / 13824.0 * k3
            + 44275.0 / 110592.0 * k4
            + 253.0 / 4096.0 * k5
        )
    )
    y5 = d + h * (37.0 / 378.0 * k1 + 250.0 / 621.0 * k3 + 125.0 / 594.0 * k4 + 512.0 / 1771.0 * k6)
    y4 = d + h * (
        2825.0 / 27648.0 * k1
        + 18575.0 / 48384.0 * k3
        + 13525.0 / 55296.0 * k4
        + 277.0 / 14336.0 * k5
        + 0.25 * k6
    )
    return y5, y5 - y4


def _integrate(d: float, t_end: float, i_x: float, ds: float, alpha: float) -> float:
    """Integrate the reservoir ODE over ``t_end`` s with adaptive steps (relative tol 1e-4)."""
    t, h = 0.0, t_end
    for _ in range(10_000):
        h = min(h, t_end - t)
        deriv = i_x - (alpha * (d - ds) ** MEXP if d > ds else 0.0)
        scale = abs(d) + abs(deriv * h) + 1.0e-30
        y, err = _cash_karp(d, h, i_x, ds, alpha)
        ratio = abs(err) / scale / ODETOL
        if ratio > 1.0:
            h *= max(0.9 * ratio**-0.25, 0.1)
            continue
        t, d = t + h, y
        if t >= t_end * (1.0 - 1e-12):
            return d
        h *= min(0.9 * ratio**-0.2, 5.0) if ratio > 1.89e-4 else 5.0
    return d


def step_subarea(
    depth: float, net_in: float, dt: float, ds: float, alpha: float
) -> tuple[float, float]:
    """Advance one sub-area by ``dt`` with net inflow ``net_in`` (m/s); returns (depth, q m/s)."""
    tx = dt
    if depth + net_in * dt <= ds:
        depth += net_in * dt
    else:
        if ds - depth > 0.0 and net_in > 0.0:
            tx -= (ds - depth) / net_in
            depth = ds
        if alpha > 0.0 and tx > 0.0:
            depth = _integrate(depth, tx, net_in, ds, alpha)
        else:
            depth += net_in * max(tx, 0.0)
    depth = max(depth, 0.0)
    excess = depth - ds
    if excess <= ZERO_M:
        return depth, 0.0
    if alpha > 0.0:
        return depth, alpha * excess**MEXP
    return ds, excess / max(tx, 1e-12)  # n = 0: excess leaves within the step
