"""Conditioning the rest of the year on what was observed (pure numpy; docs/forecast.md).

The log ratio of observed to modelled daily PM2.5, ``r_t = ln(obs_t) − ln(m̄_t)`` (``m̄`` the
ensemble's mean), is modelled as a local-level state-space model with a static level: a
persistent anomaly ``b`` (the background the model misses: inventory, regional transport, the
model's bias) plus weather noise ``e_t`` that is AR(1) with coefficient ``φ`` and variance
``σ²`` (Durbin & Koopman 2012, *Time Series Analysis by State Space Methods*, 2nd ed., §2-3;
the AR(1) k-step forecast ``φ^k e`` is Box, Jenkins, Reinsel & Ljung 2015, *Time Series
Analysis*, 5th ed., §5.2). ``φ`` and ``σ`` are fitted on the members themselves (each member's
daily log anomaly from the ensemble mean is one realisation of the model's weather noise). With a
normal prior ``b ~ N(0, τ²)`` the posterior of ``b`` after ``n`` days with mean residual ``r̄`` is

    w = τ² / (τ² + σ² g / n),  g = (1 + φ) / (1 − φ),   b | r̄ ~ N(w r̄, w σ² g / n)

(``σ² g / n`` is the variance of the mean of ``n`` AR(1) values, large ``n``). Day ``k`` after the
last observation gets ``ln`` multiplier ``b_i + φ^k (r_last − w r̄)`` (the last residual known only
with daily data); member ``i`` draws its own ``b_i`` from the posterior, and keeps its own weather.

That is the method with a given prior ``τ``. With the fitted one (the default of ``sim
forecast``), :func:`sim.forecasting.yearend.year_end` shifts the members by
:func:`ensemble_shift` instead: the persistence is read from the members' own regression of
their later on their earlier anomaly (an ensemble Kalman update), not from an AR(1) model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Anomaly",
    "ar1_fit",
    "ensemble_shift",
    "fit_anomaly",
    "multipliers",
    "persistent_sd",
]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Anomaly:
    """The fitted anomaly of the observed days (natural-log units)."""

    mean_log: float  # r̄, observed over modelled, over the observed days
    level_log: float  # w r̄, the posterior mean of the persistent anomaly b
    level_sd_log: float  # its posterior standard deviation
    last_log: float  # e at the last observed day (0 without daily data)
    phi: float  # AR(1) coefficient of the daily noise
    sigma_log: float  # its standard deviation
    days: int
    prior_sd_log: float = 0.0  # τ used: the prior sd of the persistent anomaly


def persistent_sd(anomalies: F64, phi: float, sigma: float) -> float:
    """Moment estimate of the members' persistent anomaly sd (ln units), ``(members, days)``.

    The variance of each member's mean log anomaly over the year, less the part its AR(1)
    weather noise explains (``σ² g / n``): ``τ_m² = var_i(x̄_i) − σ² (1 + φ)/(1 − φ) / n``,
    floored at 0. It is what the members' own parameter and input draws leave persistent.
    """
    x = np.asarray(anomalies, dtype=float)
    if x.shape[0] < 2:
        return 0.0
    g = (1.0 + phi) / (1.0 - phi)
    between = float(np.var(np.nanmean(x, axis=1), ddof=1)) - sigma**2 * g / x.shape[1]
    return float(np.sqrt(max(between, 0.0)))


def ar1_fit(anomalies: F64) -> tuple[float, float]:
    """Lag-1 autocorrelation and standard deviation of daily anomalies ``(members, days)``.

    Each row is one series (demeaned by its own mean); the estimate pools the rows (Yule-Walker).
    ``φ`` is clipped to ``[0, 0.98]``.
    """
    x = np.asarray(anomalies, dtype=float)
    x = x - np.nanmean(x, axis=1, keepdims=True)
    num = np.nansum(x[:, 1:] * x[:, :-1])
    den = np.nansum(x * x)
    phi = float(np.clip(num / den, 0.0, 0.98)) if den > 0 else 0.0
    return phi, float(np.sqrt(np.nanmean(x * x)))


def fit_anomaly(
    model_pm25: F64,
    observed_mean: float,
    n_obs: int,
    observed_daily: F64 | None = None,
    prior_sd_log: float | None = None,
    structural_sd_log: float = 0.0,
) -> Anomaly:
    """The anomaly of the first ``n_obs`` days.

    Parameters
    ----------
    model_pm25
        Members' daily PM2.5, µg/m³, shape ``(members, days of the year)``.
    observed_mean
        Observed mean PM2.5 over the first ``n_obs`` days, µg/m³.
    n_obs
        Days observed (from 1 January).
    observed_daily
        The observed daily values (``n_obs``, NaN where missing), if known.
    prior_sd_log
        ``τ``, the prior standard deviation of the persistent anomaly (ln units); None: fitted,
        ``τ² = τ_m² + structural_sd_log²`` (:func:`persistent_sd` on the members).
    structural_sd_log
        The model's own persistent error against real data (ln units), added when fitted.
    """
    logm = np.log(np.maximum(model_pm25, 1e-3))
    centre = logm.mean(axis=0)
    phi, sigma = ar1_fit(logm - centre)
    if prior_sd_log is None:
        tau_m = persistent_sd(logm - centre, phi, sigma)
        prior_sd_log = float(np.hypot(tau_m, structural_sd_log))
    modelled = float(np.exp(centre[:n_obs]).mean())
    r_bar = float(np.log(observed_mean / modelled))
    last = 0.0
    if observed_daily is not None:
        r = np.log(np.maximum(observed_daily, 1e-3)) - centre[:n_obs]
        found = np.flatnonzero(~np.isnan(observed_daily))
        if found.size:
            last = float(r[found[-1]])
    g = (1.0 + phi) / (1.0 - phi)
    noise_var = sigma**2 * g / max(n_obs, 1)
    w = prior_sd_log**2 / (prior_sd_log**2 + noise_var) if prior_sd_log > 0 else 0.0
    level = w * r_bar
    e_last = (last - level) if observed_daily is not None else 0.0
    return Anomaly(
        r_bar, level, float(np.sqrt(w * noise_var)), e_last, phi, sigma, n_obs, prior_sd_log
    )


def multipliers(anomaly: Anomaly, n_members: int, n_days: int, rng: np.random.Generator) -> F64:
    """Multipliers ``exp(b_i + φ^k e_last)`` of the remaining days, shape ``(members, n_days)``."""
    b = anomaly.level_log + anomaly.level_sd_log * rng.standard_normal(n_members)
    k = np.arange(1, n_days + 1, dtype=float)
    decay = anomaly.last_log * anomaly.phi**k
    return np.asarray(np.exp(b[:, None] + decay[None, :]))


def ensemble_shift(
    model_pm25: F64,
    observed_mean: float,
    n_obs: int,
    structural_sd_log: float,
    rng: np.random.Generator,
) -> tuple[F64, float]:
    """Each member's log shift of its remaining days, from the members' own statistics.

    The persistent part of an anomaly is read from the ensemble instead of an AR(1) model: each
    member ``i`` has an anomaly ``a_i`` over the observed days (its mean over the ensemble
    mean's, as ``r̄`` is the observed over it) and ``c_i`` over the remaining days (mean log
    anomaly). The observations' ``r̄`` adds a structural anomaly ``s ~ N(0, τ_s²)`` the members
    do not have. The stochastic ensemble Kalman update of the remaining mean (Evensen 2003,
    *Ocean Dynamics* 53:343, eq. 43-44, with an exact observation) is

        shift_i = K·(r̄ − a_i) + (1 − K)·s_i,   K = (τ_s² + cov(a, c)) / (τ_s² + var(a)),

    ``s_i`` drawn from ``N(0, τ_s²)``, ``K`` clipped to ``[0, 1]``: members whose observed-period
    anomaly was below the observed one are raised as far as anomalies persisted in the
    ensemble, and the spread left is that of ``c`` given ``a``. No prior on the persistence and
    no assumption on the weather's memory (the stagnation episodes are not AR(1)).

    Returns
    -------
    The shifts (members,), ln units, and the gain ``K``.
    """
    logm = np.log(np.maximum(np.asarray(model_pm25, dtype=float), 1e-3))
    centre = logm.mean(axis=0)
    modelled = float(np.exp(centre[:n_obs]).mean())
    r_bar = float(np.log(observed_mean / modelled))
    a = np.log(np.exp(logm[:, :n_obs]).mean(axis=1) / modelled)
    c = logm[:, n_obs:].mean(axis=1) - float(centre[n_obs:].mean())
    tau2 = float(structural_sd_log) ** 2
    var_a = float(np.var(a, ddof=1)) if a.size > 1 else 0.0
    cov = float(np.cov(a, c, ddof=1)[0, 1]) if a.size > 1 else 0.0
    gain = float(np.clip((tau2 + cov) / (tau2 + var_a), 0.0, 1.0)) if tau2 + var_a > 0 else 0.0
    s = np.sqrt(tau2) * rng.standard_normal(a.size)
    return gain * (r_bar - a) + (1.0 - gain) * s, gain

