"""Quantiles and supports of the distributions a sweep draws from (no sweep types: both the
sweep file's checks and the design use it)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.scenario.distributions import Distribution

__all__ = ["TAIL", "ppf", "support"]


#: Quantile used as the end of an unbounded distribution's support (probe values, grids).
TAIL = 1e-3


def _scipy_dist(d: Distribution) -> Any:
    from scipy import stats

    if d.dist == "uniform":
        lo, hi = float(d.low or 0.0), float(d.high or 0.0)
        return stats.uniform(lo, hi - lo)
    if d.dist == "triangular":
        lo, mode, hi = float(d.low or 0.0), float(d.mode or 0.0), float(d.high or 0.0)
        width = hi - lo
        return stats.triang((mode - lo) / width if width else 0.5, lo, width)
    if d.dist == "normal":
        return stats.norm(float(d.mean or 0.0), float(d.sd or 0.0))
    if d.dist == "lognormal":
        return stats.lognorm(float(d.sigma or 0.0), scale=float(d.median or 1.0))
    lo, hi = (d.low or 0.0), (1.0 if d.high is None else d.high)
    return stats.beta(float(d.a or 1.0), float(d.b or 1.0), loc=lo, scale=hi - lo)


def ppf(d: Distribution, u: NDArray[np.float64]) -> NDArray[np.float64]:
    """Quantiles of ``d`` at probabilities ``u`` (a normal's low/high clip applied after)."""
    u = np.asarray(u, dtype=np.float64)
    if d.dist == "fixed":
        return np.full(u.shape, float(d.value or 0.0))
    if d.dist in ("uniform", "triangular") and d.low == d.high:
        return np.full(u.shape, float(d.low or 0.0))
    out = np.asarray(_scipy_dist(d).ppf(u), dtype=np.float64)
    if d.dist == "normal" and (d.low is not None or d.high is not None):
        out = np.clip(out, d.low, d.high)
    return out


def support(d: Distribution) -> tuple[float, float]:
    """The range of values a sweep may draw from ``d`` (tails cut at 0.1 % and 99.9 %)."""
    lo, hi = ppf(d, np.array([0.0 if d.dist in _BOUNDED else TAIL, 1.0 - TAIL]))
    if d.dist in _BOUNDED:
        hi = float(ppf(d, np.array([1.0]))[0])
    return float(lo), float(hi)


_BOUNDED = frozenset({"fixed", "uniform", "triangular", "beta"})
