"""The regional background against closed forms: seasonal mean, relaxation, ventilation."""

from __future__ import annotations

import numpy as np
import pytest

from sim.air.background import (
    RegionParams,
    regional_background,
    relax,
    seasonal_factor,
    ventilation_factor,
)


def test_seasonal_factor_has_unit_mean_and_peaks_on_the_peak_day() -> None:
    days = np.arange(0, 365.25 * 4, 0.25)  # four whole periods
    assert seasonal_factor(days, 0.4, 15.0).mean() == pytest.approx(1.0, abs=1e-3)
    assert seasonal_factor(15.0, 0.4, 15.0) == pytest.approx(1.4)
    assert seasonal_factor(15.0 + 365.25 / 2, 0.4, 15.0) == pytest.approx(0.6)


def test_relaxation_after_a_step_follows_the_exponential_exactly() -> None:
    tau, n = 10.0, 30
    target = np.r_[np.full(5, 2.0), np.full(n - 5, 7.0)]
    out = relax(target, tau)
    np.testing.assert_allclose(out[:5], 2.0)
    # from the start of hour 5 on: C(t) = 7 - 5·exp(-t/τ); hour k's mean is the integral / 1 h
    k = np.arange(n - 5)
    expected = 7.0 - 5.0 * tau * (np.exp(-k / tau) - np.exp(-(k + 1) / tau))
    np.testing.assert_allclose(out[5:], expected, rtol=1e-12)


def test_relaxation_with_washout_settles_at_target_over_one_plus_k_tau() -> None:
    out = relax(np.full(400, 30.0), 20.0, extra_loss_per_h=0.1)
    assert out[-1] == pytest.approx(30.0 / (1.0 + 0.1 * 20.0), rel=1e-9)


def test_ventilation_factor_is_one_at_reference_and_a_power_law_elsewhere() -> None:
    u, h = np.full(48, 2.0), np.full(48, 700.0)
    np.testing.assert_allclose(ventilation_factor(u, h, 0.7, 1400.0), 1.0)
    np.testing.assert_allclose(ventilation_factor(u / 2, h / 2, 0.7, 1400.0), 4.0**0.7)


def test_stagnation_raises_the_regional_background() -> None:
    n = 24 * 20
    doy = np.full(n, 100.0)
    params = RegionParams(pm25_seasonal_amplitude=0.0, washout_per_h_per_mm_h=0.0)
    calm = regional_background(doy, np.full(n, 1.0), np.full(n, 300.0), np.zeros(n), params)
    ref = regional_background(doy, np.full(n, 2.0), np.full(n, 700.0), np.zeros(n), params)
    np.testing.assert_allclose(ref.pm25, params.pm25_ug_m3)
    # V = 300 vs V_ref = 1400 m²/s: (300/1400)^-0.5 = 2.160
    np.testing.assert_allclose(calm.pm25, params.pm25_ug_m3 * (300 / 1400) ** -0.5, rtol=1e-9)
    np.testing.assert_allclose(calm.gases[:, 0], 10.0 * (300 / 1400) ** -0.5, rtol=1e-9)
