"""Targets over a sweep: which runs meet them, the probability of meeting them as a function of
each lever, and a scenario-discovery box of lever values that meet them all.

Works on arrays and tables only (no model). Scenario discovery follows the Patient Rule Induction
Method (PRIM; Friedman & Fisher 1999, *Stat. Comput.* 9, 123-143) as used in exploratory
modelling (Bryant & Lempert 2010, *Technol. Forecast. Soc. Change* 77, 34-49): peel the box of
lever values, a small share of the samples at a time, from the side that most raises the share
of samples inside it that meet every target (its density).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["met", "prim_box", "probability_curves"]


def met(values: NDArray[np.float64], rule: Mapping[str, Any]) -> NDArray[np.float64]:
    """1.0 where ``values`` meet ``rule`` (``{le|lt|ge|gt: threshold}``), 0.0 where not, NaN
    where the value is missing."""
    v = np.asarray(values, dtype=np.float64)
    ok = np.ones(v.shape, dtype=bool)
    for op, fn in (
        ("le", np.less_equal),
        ("lt", np.less),
        ("ge", np.greater_equal),
        ("gt", np.greater),
    ):
        threshold = rule.get(op)
        if threshold is not None:
            ok &= fn(v, float(threshold))
    out = ok.astype(np.float64)
    out[~np.isfinite(v)] = np.nan
    return out


def _bins(
    x: NDArray[np.float64], n_bins: int
) -> tuple[NDArray[np.int64], list[tuple[float, float]]]:
    """Assign each value to a bin: its own value if there are few, else equal-count bins."""
    uniq = np.unique(x[np.isfinite(x)])
    if len(uniq) <= n_bins:
        idx = np.searchsorted(uniq, x)
        return idx.astype(np.int64), [(float(u), float(u)) for u in uniq]
    edges = np.unique(np.quantile(x, np.linspace(0, 1, n_bins + 1)))
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    return idx.astype(np.int64), [(float(a), float(b)) for a, b in itertools.pairwise(edges)]


def probability_curves(
    levers: Mapping[str, NDArray[np.float64]],
    met_by_target: Mapping[str, NDArray[np.float64]],
    *,
    n_bins: int = 8,
) -> pd.DataFrame:
    """P(target met) in bins of each lever, over all runs (other levers, uncertainties and
    weather marginalised): columns lever, target, low, high, centre, p_met, n_runs."""
    rows = []
    for lever, x in levers.items():
        x = np.asarray(x, dtype=np.float64)
        idx, bounds = _bins(x, n_bins)
        for target, m in met_by_target.items():
            for b, (lo, hi) in enumerate(bounds):
                sel = (idx == b) & np.isfinite(m)
                n = int(sel.sum())
                rows.append(
                    {
                        "lever": lever,
                        "target": target,
                        "low": lo,
                        "high": hi,
                        "centre": float(np.mean(x[idx == b]))
                        if (idx == b).any()
                        else (lo + hi) / 2,
                        "p_met": float(m[sel].mean()) if n else np.nan,
                        "n_runs": n,
                    }
                )
    return pd.DataFrame(rows)


def prim_box(
    x: NDArray[np.float64],
    success: NDArray[np.bool_],
    names: list[str],
    *,
    alpha: float = 0.05,
    min_mass: float = 0.05,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """PRIM peeling: a box of lever values where successes are dense.

    Parameters
    ----------
    x
        Lever values, shape (n_samples, n_levers).
    success
        Whether each sample meets every target with the chosen probability.
    alpha
        Share of the box's samples peeled at each step.
    min_mass
        Stop when the box would hold fewer than this share of all samples.

    Returns
    -------
    box, stats
        Per lever: low and high of all samples, of the successes, and of the box; and the box's
        density (successes inside / samples inside), coverage (successes inside / all
        successes) and mass (samples inside / all samples).
    """
    x = np.asarray(x, dtype=np.float64)
    success = np.asarray(success, dtype=bool)
    n, d = x.shape
    lo = x.min(axis=0) if n else np.zeros(d)
    hi = x.max(axis=0) if n else np.zeros(d)
    inside = np.ones(n, dtype=bool)

    def density(mask: NDArray[np.bool_]) -> float:
        return float(success[mask].mean()) if mask.any() else 0.0

    while success.any() and inside.sum() > max(1, min_mass * n):
        best: tuple[float, NDArray[np.bool_]] | None = None
        for j in range(d):
            xj = x[:, j]
            for side in ("low", "high"):
                q = np.quantile(xj[inside], alpha if side == "low" else 1 - alpha)
                keep = inside & ((xj >= q) if side == "low" else (xj <= q))
                if keep.sum() == inside.sum():  # ties at the edge: peel the edge value
                    keep = inside & ((xj > q) if side == "low" else (xj < q))
                if keep.sum() < max(1, min_mass * n):
                    continue
                dens = density(keep)
                if best is None or dens > best[0]:
                    best = (dens, keep)
        if best is None or best[0] <= density(inside):
            break
        inside = best[1]
    if inside.any():
        lo, hi = x[inside].min(axis=0), x[inside].max(axis=0)
    rows = []
    for j, name in enumerate(names):
        s = x[success, j]
        rows.append(
            {
                "lever": name,
                "all_low": float(x[:, j].min()) if n else np.nan,
                "all_high": float(x[:, j].max()) if n else np.nan,
                "met_low": float(s.min()) if s.size else np.nan,
                "met_high": float(s.max()) if s.size else np.nan,
                "box_low": float(lo[j]) if success.any() else np.nan,
                "box_high": float(hi[j]) if success.any() else np.nan,
            }
        )
    n_success = int(success.sum())
    stats = {
        "density": density(inside) if n_success else 0.0,
        "coverage": float(success[inside].sum() / n_success) if n_success else 0.0,
        "mass": float(inside.mean()) if n else 0.0,
        "n_samples": float(n),
        "n_met": float(n_success),
    }
    return pd.DataFrame(rows), stats
