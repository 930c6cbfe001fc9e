"""The regional background against closed forms: seasonal mean, relaxation, ventilation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.air.background import (
    RegionParams,
    accumulate,
    flushing_rate_per_h,
    humid_haze_factor,
    o3_weather_factor,
    regional_background,
    relax,
    seasonal_factor,
    ventilation_factor,
)
from sim.outcomes.air_inputs import air_params
from sim.scenario import load_scenario


def test_seasonal_factor_has_unit_mean_and_peaks_on_the_peak_day() -> None:
    days = np.arange(0, 365.25 * 4, 0.25)  # four whole periods
    assert seasonal_factor(days, 0.4, 15.0).mean() == pytest.approx(1.0, abs=1e-3)
    assert seasonal_factor(15.0, 0.4, 15.0) == pytest.approx(1.4)
    assert seasonal_factor(15.0 + 365.25 / 2, 0.4, 15.0) == pytest.approx(0.6)


def test_semiannual_harmonic_by_hand_keeps_the_unit_mean() -> None:
    days = np.arange(0, 365.25 * 4, 0.25)
    assert seasonal_factor(days, 0.5, 15.0, 0.1, 100.0).mean() == pytest.approx(1.0, abs=1e-3)
    # d = 100: 1 + 0.5·cos(2π·85/365.25) + 0.1 = 1 + 0.5·0.108377 + 0.1 (harmonic at its maximum)
    assert seasonal_factor(100.0, 0.5, 15.0, 0.1, 100.0) == pytest.approx(1.1541885, rel=1e-7)
    # a quarter year after d2 the harmonic is at its minimum: 1 + 0.5·cos(π/2 + 2π·85/365.25) - 0.1
    d = 100.0 + 365.25 / 4
    assert seasonal_factor(d, 0.5, 15.0, 0.1, 100.0) == pytest.approx(0.4029451, rel=1e-7)
    with pytest.raises(ValueError, match="semiannual_amplitude"):
        seasonal_factor(days, 0.9, 15.0, 0.1, 100.0)


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


def test_accumulate_follows_the_closed_form_from_a_given_start() -> None:
    # dC/dt = s - λC from C0 = 0: C(t) = (s/λ)(1 - e^(-λt)); hour k's mean by integration
    s, lam, n = 2.0, 0.05, 48
    out = accumulate(np.full(n, s), np.full(n, lam), c0=0.0)
    k = np.arange(n)
    expected = s / lam * (1.0 - (np.exp(-lam * k) - np.exp(-lam * (k + 1))) / lam)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_a_stagnation_episode_builds_the_background_up_by_the_closed_form_accumulation() -> None:
    # V = V_ref for 10 days, then 3 days at V = V_ref/5, hourly ventilation (window 1 h):
    # λ drops from 1/τ to 5^-β/τ; C rises from C_ref towards C_ref·5^β on the time scale τ·5^β
    tau, beta, c_ref, n0, n1 = 24.0, 1.0, 14.0, 240, 72
    params = RegionParams(
        pm25_ug_m3=c_ref, pm25_seasonal_amplitude=0.0, ventilation_exponent=beta,
        ventilation_window_h=1, relaxation_h=tau, washout_per_h_per_mm_h=0.0,
    )  # fmt: skip
    wind = np.r_[np.full(n0, 2.0), np.full(n1, 0.4)]
    out = regional_background(np.full(n0 + n1, 10.0), wind, np.full(n0 + n1, 700.0),
                              np.zeros(n0 + n1), params).pm25  # fmt: skip
    np.testing.assert_allclose(out[:n0], c_ref, rtol=1e-12)
    lam = 5.0**-beta / tau
    c_eq = c_ref * 5.0**beta  # 70
    k = np.arange(n1)
    expected = c_eq + (c_ref - c_eq) * (np.exp(-lam * k) - np.exp(-lam * (k + 1))) / lam
    np.testing.assert_allclose(out[n0:], expected, rtol=1e-12)
    # after 3 days: 70 - 56·e^(-72/120) = 39.3 µg/m³, far below the 70 of the steady state
    assert out[-1] == pytest.approx(70.0 - 56.0 * np.exp(-71.5 / 120.0), rel=0.01)


def test_a_front_clears_the_background_faster_than_stagnation_builds_it() -> None:
    # β = 1: at V = 5 V_ref the time scale is τ/5 = 4.8 h; at V_ref/5 it is 5τ = 120 h
    params = RegionParams(pm25_seasonal_amplitude=0.0, ventilation_exponent=1.0,
                          ventilation_window_h=1, relaxation_h=24.0,
                          washout_per_h_per_mm_h=0.0)  # fmt: skip
    n = 24
    doy, h, dry = np.full(n, 10.0), np.full(n, 700.0), np.zeros(n)
    clear = regional_background(doy, np.r_[2.0, np.full(n - 1, 10.0)], h, dry, params).pm25
    build = regional_background(doy, np.r_[2.0, np.full(n - 1, 0.4)], h, dry, params).pm25
    # half-way to the new steady state: ln 2 × 4.8 h = 3.3 h vs ln 2 × 120 h = 83 h
    half_clear = np.argmax(clear < 0.5 * (14.0 + 14.0 / 5))
    assert 3 <= half_clear <= 5
    assert build[-1] < 0.5 * (14.0 + 14.0 * 5)


def test_seasonal_exponent_sets_the_steady_state_of_a_steady_ventilation_climate() -> None:
    # constant V = V_ref/2: V̄ = Ṽ, so only β_s acts: C = C_ref·2^β_s
    n = 24 * 40
    params = RegionParams(
        pm25_seasonal_amplitude=0.0, ventilation_exponent=1.5,
        ventilation_seasonal_exponent=0.3, washout_per_h_per_mm_h=0.0,
    )  # fmt: skip
    out = regional_background(np.full(n, 10.0), np.full(n, 1.0), np.full(n, 700.0),
                              np.zeros(n), params).pm25  # fmt: skip
    np.testing.assert_allclose(out, 14.0 * 2.0**0.3, rtol=1e-9)
    lam = flushing_rate_per_h(np.full(n, 1.0), np.full(n, 700.0), 1.5, 0.3, 1400.0, 24, 36.0)
    np.testing.assert_allclose(lam, 0.5**0.3 / 36.0, rtol=1e-12)


def test_humid_haze_factor_is_one_below_60_percent_and_quadratic_above() -> None:
    np.testing.assert_allclose(humid_haze_factor([40.0, 60.0, 80.0, 100.0], 2.0),
                               [1.0, 1.0, 1.0 + 2.0 * 0.25, 3.0])  # fmt: skip


def test_a_hot_spell_raises_regional_ozone_by_the_temperature_factor() -> None:
    # 90 days at 25 °C with a 5-day +4 K spell in the middle; in its last hour the trailing
    # 24-h mean is +4 K and the centred 31-day mean +4·5/31 K (plus 1 h of edge: 121/744 h)
    n, t0, t1 = 90 * 24, 45 * 24, 50 * 24
    temp = np.full(n, 25.0)
    temp[t0:t1] += 4.0
    solar = np.full(n, 200.0)
    f = o3_weather_factor(temp, solar, 0.05, 1.0)
    anomaly = 4.0 - 4.0 * 120 / 745  # window of 745 hours centred on hour t1 - 1
    assert f[t1 - 1] == pytest.approx(np.exp(0.05 * anomaly), rel=1e-9)
    assert f[10] == pytest.approx(1.0)
    # constant sunshine: the solar factor is 1; a day of half sunshine lowers it
    solar[t0 : t0 + 24] = 100.0
    g = o3_weather_factor(np.full(n, 25.0), solar, 0.0, 1.0)
    assert g[t0 + 23] == pytest.approx(
        100.0 / ((744 * 200.0 + 24 * 100.0 - 24 * 200.0 + 200.0) / 745)
    )


def test_scenario_semiannual_harmonic_reaches_the_region_params_as_written() -> None:
    path = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
    scen = load_scenario(
        path,
        ["air.region.pm25_semiannual_amplitude=0.1", "air.region.pm25_semiannual_peak_day=100"],
    )
    region = air_params(scen).region
    assert (region.pm25_semiannual_amplitude, region.pm25_semiannual_peak_day) == (0.1, 100.0)
    # the shipped baseline has no semiannual term
    assert air_params(load_scenario(path, [])).region.pm25_semiannual_amplitude == 0.0
