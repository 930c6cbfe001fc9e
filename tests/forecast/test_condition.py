"""Conditioning: the AR(1) fit and the anomaly's posterior, against closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.forecasting.condition import ar1_fit, fit_anomaly, multipliers


def test_ar1_fit_recovers_phi_and_sigma_of_a_simulated_ar1() -> None:
    rng = np.random.default_rng(3)
    phi, n = 0.6, 20000
    x = np.zeros((4, n))
    eps = rng.standard_normal((4, n))
    for t in range(1, n):
        x[:, t] = phi * x[:, t - 1] + eps[:, t]
    got_phi, got_sigma = ar1_fit(x)
    assert got_phi == pytest.approx(0.6, abs=0.02)
    assert got_sigma == pytest.approx(1 / math.sqrt(1 - phi**2), rel=0.03)  # stationary sd


def test_identical_members_give_a_fully_trusted_anomaly() -> None:
    model = np.full((3, 366), 50.0)  # no weather noise: sigma = 0, so w = 1
    a = fit_anomaly(model, observed_mean=60.0, n_obs=100, prior_sd_log=0.15)
    assert a.mean_log == pytest.approx(math.log(1.2))
    assert a.level_log == pytest.approx(math.log(1.2))
    assert a.level_sd_log == 0.0
    m = multipliers(a, 3, 10, np.random.default_rng(0))
    np.testing.assert_allclose(m, 1.2)


def test_posterior_weight_is_tau2_over_tau2_plus_noise_variance() -> None:
    rng = np.random.default_rng(5)
    model = np.exp(np.log(40.0) + 0.3 * rng.standard_normal((50, 366)))
    a = fit_anomaly(model, observed_mean=50.0, n_obs=200, prior_sd_log=0.1)
    g = (1 + a.phi) / (1 - a.phi)
    w = 0.01 / (0.01 + a.sigma_log**2 * g / 200)
    assert a.level_log == pytest.approx(w * a.mean_log)
    assert a.level_sd_log == pytest.approx(math.sqrt(w * a.sigma_log**2 * g / 200))


def test_last_day_residual_decays_as_phi_to_the_k() -> None:
    model = np.full((2, 366), 50.0)
    model[1] = 50.0 * np.exp(0.1 * np.sin(np.arange(366)))  # some noise so phi is defined
    obs = np.full(31, 50.0)
    obs[-1] = 100.0
    a = fit_anomaly(model, float(obs.mean()), 31, obs, prior_sd_log=0.0)
    assert a.level_log == 0.0
    m = multipliers(a, 2, 3, np.random.default_rng(0))
    centre = np.log(model).mean(axis=0)[30]
    e = math.log(100.0) - centre
    np.testing.assert_allclose(np.log(m[0]), [e * a.phi, e * a.phi**2, e * a.phi**3])


def test_fitted_prior_is_the_sd_of_the_members_constant_offsets() -> None:
    # no weather noise: each member is 50 µg/m³ times exp(c_i) all year; sd(c) = 0.1 (ddof 1)
    offsets = np.array([-0.1, 0.0, 0.1])
    model = 50.0 * np.exp(offsets)[:, None] * np.ones((3, 366))
    a = fit_anomaly(model, observed_mean=50.0, n_obs=100, structural_sd_log=0.0)
    assert a.prior_sd_log == pytest.approx(0.1)
    b = fit_anomaly(model, observed_mean=50.0, n_obs=100, structural_sd_log=0.1)
    assert b.prior_sd_log == pytest.approx(math.hypot(0.1, 0.1))


def test_ensemble_shift_gain_is_the_members_regression_of_later_on_earlier_anomaly() -> None:
    from sim.forecasting.condition import ensemble_shift

    # 4 members, 10 days, constant log anomalies: observed days (first 5) x_i, later days
    # 0.5 x_i (half of an anomaly persists). x = -0.2, -0.1, 0.1, 0.2 around a level of 50.
    x = np.array([-0.2, -0.1, 0.1, 0.2])
    model = 50.0 * np.exp(np.concatenate([np.tile(x[:, None], 5), np.tile(0.5 * x[:, None], 5)], 1))
    modelled = float(np.exp(np.log(model[:, :5]).mean(axis=0)).mean())  # the ensemble's centre
    observed = modelled * np.exp(0.3)  # r̄ = 0.3
    shift, gain = ensemble_shift(model, observed, 5, 0.0, np.random.default_rng(0))
    # a_i = x_i (a constant anomaly's mean), c_i = 0.5 x_i: K = cov(a, c) / var(a) = 0.5
    assert gain == pytest.approx(0.5)
    np.testing.assert_allclose(shift, 0.5 * (0.3 - x), atol=1e-12)
    # a structural sd of the same size as the members' spread: K = (τ² + 0.5 v) / (τ² + v)
    v = float(np.var(x, ddof=1))
    _, gain_s = ensemble_shift(model, observed, 5, float(np.sqrt(v)), np.random.default_rng(0))
    assert gain_s == pytest.approx((v + 0.5 * v) / (v + v))
    # no persistence (later days independent of the earlier anomaly): nothing carried forward
    flat = 50.0 * np.exp(np.concatenate([np.tile(x[:, None], 5), np.zeros((4, 5))], 1))
    shift0, gain0 = ensemble_shift(flat, observed, 5, 0.0, np.random.default_rng(0))
    assert gain0 == 0.0
    np.testing.assert_allclose(shift0, 0.0)
