"""Sensitivity indices of one outcome to the sweep's parameters, via SALib.

Functions take the design in the unit cube (``unit``, shape (n, d)) and one outcome value per
sample (``y``, shape (n,)), and return a table (pandas DataFrame indexed by parameter). They never
see a model, so they are tested on analytic functions (Ishigami).

- :func:`sobol_indices` — first-order and total Sobol' indices (Saltelli 2010 estimators,
  Jansen total effect); needs a ``sobol`` design, rows in the order SALib produced them.
- :func:`morris_indices` — elementary effects μ*, σ (Campolongo et al. 2007); ``morris`` design.
- :func:`rbd_fast_indices` — first-order indices from any sample (Tarantola et al. 2006; Plischke
  2010 bias correction), e.g. LHS or Monte Carlo.
- :func:`delta_indices` — Borgonovo's moment-independent δ (Plischke et al. 2013) from any sample.

Indices are invariant to monotone transforms of each input, so computing them on the unit cube
gives the indices of the parameters themselves (Morris μ* is in outcome units per unit range).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.sweep.design import salib_problem

__all__ = [
    "delta_indices",
    "indices_for",
    "morris_indices",
    "rbd_fast_indices",
    "sobol_indices",
]

log = logging.getLogger(__name__)


def _frame(result: Any, names: list[str], columns: dict[str, str]) -> pd.DataFrame:
    data = {new: np.asarray(result[old], dtype=np.float64) for old, new in columns.items()}
    return pd.DataFrame(data, index=pd.Index(names, name="parameter"))


def sobol_indices(
    y: NDArray[np.float64], names: list[str], *, second_order: bool = False, seed: int = 0
) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol' indices with 95 % bootstrap half-widths."""
    from SALib.analyze import sobol

    result = sobol.analyze(
        salib_problem(names),
        np.asarray(y, dtype=np.float64),
        calc_second_order=second_order,
        print_to_console=False,
        seed=seed,
    )
    return _frame(
        result, names, {"S1": "S1", "S1_conf": "S1_conf", "ST": "ST", "ST_conf": "ST_conf"}
    )


def morris_indices(
    unit: NDArray[np.float64],
    y: NDArray[np.float64],
    names: list[str],
    *,
    levels: int = 4,
    seed: int = 0,
) -> pd.DataFrame:
    """Morris μ* (mean absolute elementary effect), its half-width, μ and σ."""
    from SALib.analyze import morris

    result = morris.analyze(
        salib_problem(names),
        np.asarray(unit, dtype=np.float64),
        np.asarray(y, dtype=np.float64),
        num_levels=levels,
        print_to_console=False,
        seed=seed,
    )
    return _frame(
        result,
        names,
        {"mu_star": "mu_star", "mu_star_conf": "mu_star_conf", "mu": "mu", "sigma": "sigma"},
    )


def rbd_fast_indices(
    unit: NDArray[np.float64], y: NDArray[np.float64], names: list[str], *, seed: int = 0
) -> pd.DataFrame:
    """First-order indices by RBD-FAST from any sample, with 95 % bootstrap half-widths."""
    from SALib.analyze import rbd_fast

    n = len(y)
    harmonics = max(1, min(10, (n - 1) // 4))
    result = rbd_fast.analyze(
        salib_problem(names),
        np.asarray(unit, dtype=np.float64),
        np.asarray(y, dtype=np.float64),
        M=harmonics,
        print_to_console=False,
        seed=seed,
    )
    return _frame(result, names, {"S1": "S1", "S1_conf": "S1_conf"})


def delta_indices(
    unit: NDArray[np.float64], y: NDArray[np.float64], names: list[str], *, seed: int = 0
) -> pd.DataFrame:
    """Borgonovo's δ (bias-balanced estimate) and its 95 % half-width, from any sample."""
    from SALib.analyze import delta

    result = delta.analyze(
        salib_problem(names),
        np.asarray(unit, dtype=np.float64),
        np.asarray(y, dtype=np.float64),
        num_resamples=20,
        print_to_console=False,
        seed=seed,
        method="delta",
    )
    key = "delta" if "delta" in result else "delta_balanced"  # SALib < 1.5 or >= 1.5
    return _frame(result, names, {key: "delta", f"{key}_conf": "delta_conf"})


def indices_for(
    method: str,
    unit: NDArray[np.float64],
    y: NDArray[np.float64],
    names: list[str],
    *,
    second_order: bool = False,
    levels: int = 4,
    seed: int = 0,
    delta: bool = False,
) -> dict[str, pd.DataFrame]:
    """Every index the design allows: Sobol' or Morris by design, RBD-FAST for any sample.

    Borgonovo's δ is added with ``delta`` (SALib's estimator takes tens of seconds for a few
    thousand samples).

    Samples with a NaN outcome are dropped; a Sobol' or Morris design with any NaN loses its
    structure, so only the sample-based indices are computed then.
    """
    y = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(y)
    out: dict[str, pd.DataFrame] = {}
    if np.ptp(y[ok]) == 0 if ok.any() else True:
        log.info("outcome is constant or missing: no sensitivity indices")
        return out
    if method == "sobol" and ok.all():
        out["sobol"] = sobol_indices(y, names, second_order=second_order, seed=seed)
    if method == "morris" and ok.all():
        out["morris"] = morris_indices(unit, y, names, levels=levels, seed=seed)
    if ok.sum() >= max(10, 2 * len(names) + 2):
        out["rbd_fast"] = rbd_fast_indices(unit[ok], y[ok], names, seed=seed)
        if delta:
            out["delta"] = delta_indices(unit[ok], y[ok], names, seed=seed)
    return out
