"""Judging a calibration out of sample: parameter correlations, seed noise, leave-one-year-out.

- :func:`correlation`: the parameters' correlation matrix from their covariance.
- :func:`seed_noise`: whether the weather seeds averaged are enough — the standard error of the
  seed mean of each simulated value, in units of its observation sigma, against the fit's
  residual in the same units (root mean square over the observations). The seed noise should be
  well below the residual, or the optimiser fits weather noise.
- :func:`cross_validate`: each observed year is left out in turn, the parameters refitted to the
  other years (starting from the full fit), and the left-out year's values predicted; statistics
  per observable over all predictions: NMB, NME, Pearson r (only where n >= 8) and n.

References
----------
Emery, C. et al. (2017), "Recommendations on statistics and benchmarks to assess photochemical
model performance", *J. Air Waste Manage. Assoc.* 67(5):582 (NMB, NME, r). Hastie, T.,
Tibshirani, R. and Friedman, J. (2009), *The Elements of Statistical Learning*, 2nd ed., §7.10
(cross-validation; leaving out whole blocks when the data are correlated within them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.calibration.spec import Observation

__all__ = ["CV_KEYS", "correlation", "cross_validate", "cv_statistics", "seed_noise"]

F64 = NDArray[np.float64]

#: Observable -> key of ``cross_validation`` in the fitted file.
CV_KEYS: dict[str, str] = {
    "pm25_mean": "pm25",
    "pm10_mean": "pm10",
    "no2_mean": "no2",
    "o3_8h_p90": "o3_8h_90p",
    "good_days_ratio": "good_days_ratio",
    "heavy_days": "heavy_days",
}
#: Fewest pairs for which a correlation coefficient is reported.
MIN_PAIRS_R = 8


def correlation(cov: F64) -> F64:
    """``cov_ij/sqrt(cov_ii·cov_jj)``; 0 where a variance is 0."""
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    denom = np.outer(sd, sd)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denom > 0, cov / np.where(denom > 0, denom, 1.0), 0.0)
    return np.asarray(out)


def seed_noise(per_seed: F64, observed: F64, sigma: F64) -> dict[str, Any]:
    """Seed noise of the seed mean against the residual, both RMS in units of sigma.

    ``per_seed`` is ``(n_seeds, n_observations)``; the noise of the mean is the seeds' standard
    deviation over ``sqrt(n_seeds)``.
    """
    n = per_seed.shape[0]
    spread = per_seed.std(axis=0, ddof=1) if n > 1 else np.full(per_seed.shape[1], np.nan)
    noise = spread / np.sqrt(n) / sigma
    residual = (per_seed.mean(axis=0) - observed) / sigma
    rms_noise = float(np.sqrt(np.mean(noise**2)))
    rms_residual = float(np.sqrt(np.mean(residual**2)))
    return {
        "seeds": n,
        "rms_seed_noise_over_sigma": round(rms_noise, 4),
        "rms_residual_over_sigma": round(rms_residual, 4),
        "noise_below_residual": bool(rms_noise < rms_residual),
    }


def cv_statistics(observed: F64, predicted: F64) -> dict[str, Any]:
    """NMB, NME, r (n >= 8, else None) and n of out-of-sample predictions."""
    o, m = np.asarray(observed, float), np.asarray(predicted, float)
    r = None
    if o.size >= MIN_PAIRS_R and np.std(o) > 0 and np.std(m) > 0:
        r = round(float(np.corrcoef(o, m)[0, 1]), 3)
    return {
        "nmb": round(float(np.sum(m - o) / np.sum(o)), 4),
        "nme": round(float(np.sum(np.abs(m - o)) / np.sum(o)), 4),
        "r": r,
        "n": int(o.size),
    }


def cross_validate(
    observations: Sequence[Observation],
    refit: Callable[[list[Observation]], F64],
    predict: Callable[[F64, list[Observation]], F64],
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Leave-one-year-out: per observable, statistics of each year predicted by a fit without it.

    Parameters
    ----------
    observations
        Everything the full fit used (each with its observed ``year``).
    refit
        Parameters fitted to a subset of the observations.
    predict
        Simulated (exact) values of observations at given parameters.

    Returns
    -------
    (statistics by ``CV_KEYS`` name, one record per prediction)
    """
    records: list[dict[str, Any]] = []
    for year in sorted({o.year for o in observations}):
        test = [o for o in observations if o.year == year]
        train = [o for o in observations if o.year != year]
        if not train:
            continue
        x = refit(train)
        for obs, value in zip(test, predict(x, test), strict=True):
            records.append(
                {"observable": obs.observable, "period": obs.label, "left_out": year,
                 "observed": obs.observed, "predicted": round(float(value), 4)}
            )  # fmt: skip
    stats: dict[str, dict[str, Any]] = {}
    for observable, key in CV_KEYS.items():
        rows = [r for r in records if r["observable"] == observable]
        if rows:
            stats[key] = cv_statistics(
                np.array([r["observed"] for r in rows]), np.array([r["predicted"] for r in rows])
            )
    return stats, records
