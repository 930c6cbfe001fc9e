"""The aerosol–boundary-layer feedback and the regional reservoir's box dynamics (pace), against
closed forms and an independent fine-step integration."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.air.background import RegionParams, regional_background
from sim.air.haze_feedback import HazeFeedbackParams, haze_mixing_height
from sim.air.weather_factors import mixing_pace

N = 24 * 40


def _weather(seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    hours = np.arange(N)
    daily = np.repeat(np.exp(0.5 * rng.standard_normal(N // 24)), 24)
    diurnal = 1.0 + 0.6 * np.sin(2 * np.pi * (hours % 24 - 6) / 24)
    return {
        "day_of_year": 1.0 + hours // 24,
        "wind_m_s": 2.0 * daily * (0.8 + 0.4 * rng.random(N)),
        "mixing_height_m": 500.0 * daily * np.maximum(diurnal, 0.3),
        "rain_mm_h": np.where(rng.random(N) < 0.02, 2.0, 0.0),
        "solar_w_m2": np.maximum(800.0 * np.sin(2 * np.pi * (hours % 24 - 6) / 24), 0.0),
        "relative_humidity_pct": 60.0 + 30.0 * rng.random(N),
    }


def test_heavy_haze_halves_the_day_and_leaves_the_night() -> None:
    """Regional PM2.5 far above r_max·C_ref/r_ref (267 µg/m³): H_eff = (1 - 0.5)·H at every
    daylight hour once the haze is there, H at night."""
    n = 24 * 20
    hours = np.arange(n)
    ones = np.ones(n)
    height = 400.0 + 300.0 * np.sin(2 * np.pi * (hours % 24) / 24) ** 2  # a diurnal cycle
    solar = np.where((hours % 24 >= 7) & (hours % 24 < 17), 500.0, 0.0)
    region = RegionParams(pm25_ug_m3=600.0, pm25_seasonal_amplitude=0.0, relaxation_h=12.0,
                          ventilation_exponent=1.0, ventilation_ref_m2_s=400.0)  # fmt: skip
    h, c = haze_mixing_height(ones * 15, ones * 1.0, height, ones * 0.0, solar, region,
                              HazeFeedbackParams())  # fmt: skip
    assert c.min() > 400.0  # the cap binds throughout
    day = solar > 0
    np.testing.assert_allclose(h[day], 0.5 * height[day], rtol=1e-12)
    np.testing.assert_array_equal(h[~day], height[~day])


@pytest.mark.parametrize("pace", [0.0, 1.0])
def test_no_feedback_matches_the_regional_background(pace: float) -> None:
    """With r_ref 0 the stepped reservoir is regional_background's PM2.5 (numpy path) and H is
    the weather's."""
    wx = _weather()
    region = RegionParams(pm25_ug_m3=10.0, humidity_enhancement=1.0, mixing_pace_exponent=pace,
                          relaxation_h=12.0, ventilation_exponent=1.0)  # fmt: skip
    h, c = haze_mixing_height(
        wx["day_of_year"], wx["wind_m_s"], wx["mixing_height_m"], wx["rain_mm_h"],
        wx["solar_w_m2"], region, HazeFeedbackParams(relative_reduction_ref=0.0),
        relative_humidity_pct=wx["relative_humidity_pct"],
    )  # fmt: skip
    ref = regional_background(
        wx["day_of_year"], wx["wind_m_s"], wx["mixing_height_m"], wx["rain_mm_h"], region,
        relative_humidity_pct=wx["relative_humidity_pct"],
    ).pm25  # fmt: skip
    np.testing.assert_array_equal(h, wx["mixing_height_m"])
    np.testing.assert_allclose(c, ref, rtol=1e-10)


def test_feedback_steady_state_solves_the_quadratic() -> None:
    """Constant weather, always daylight, p = 1, no rain: C = C0/(1 - a·C), a = r_ref/C_ref,
    C0 = C_ref,region·V_ref/(u·H); so C = (1 - sqrt(1 - 4·a·C0))/(2a)."""
    u, h0, v_ref, level = 1.0, 300.0, 1400.0, 20.0
    region = RegionParams(pm25_ug_m3=level, pm25_seasonal_amplitude=0.0, relaxation_h=12.0,
                          ventilation_exponent=1.0, ventilation_ref_m2_s=v_ref,
                          mixing_pace_exponent=1.0)  # fmt: skip
    p = HazeFeedbackParams(relative_reduction_ref=0.3, pm25_ref_ug_m3=160.0)
    ones = np.ones(24 * 200)
    h, c = haze_mixing_height(ones * 15, ones * u, ones * h0, ones * 0.0, ones * 500.0, region, p)
    c0 = level * v_ref / (u * h0)  # 93.3 µg/m³ without the feedback
    a = 0.3 / 160.0
    expected = (1.0 - math.sqrt(1.0 - 4.0 * a * c0)) / (2.0 * a)
    assert c[-1] == pytest.approx(expected, rel=1e-6)
    assert h[-1] == pytest.approx(h0 * (1.0 - a * expected), rel=1e-6)
    assert expected > c0 * 1.2  # the feedback matters here: +20 % and more


def test_mixing_pace_by_hand() -> None:
    """A series at H0 whose last W hours are at H0/2: at the last hour the centred 31-day mean
    (truncated, 373 hours) is (373 - W/2)·H0/373 and the trailing mean H0/2."""
    w, h0 = 24, 600.0
    h = np.full(2000, h0)
    h[-w:] = h0 / 2
    pace = mixing_pace(h, w, 1.0)
    assert pace[-1] == pytest.approx(2.0 * (373 - w / 2) / 373, rel=1e-12)
    assert pace[1000] == pytest.approx(1.0)


def test_pace_reservoir_matches_fine_step_integration() -> None:
    """regional_background with β_H = 1 against an explicit Euler integration (600 sub-steps an
    hour) of dC/dt = pace·(s - λ·C) - w·R·C, the coefficients of the same hour."""
    wx = _weather(seed=5)
    region = RegionParams(pm25_ug_m3=10.0, relaxation_h=12.0, ventilation_exponent=1.0,
                          mixing_pace_exponent=1.0)  # fmt: skip
    got = regional_background(
        wx["day_of_year"], wx["wind_m_s"], wx["mixing_height_m"], wx["rain_mm_h"], region
    ).pm25
    v = wx["wind_m_s"] * wx["mixing_height_m"]
    k = np.arange(1, N + 1)
    v_bar = np.array([v[max(0, t - 23): t + 1].mean() for t in range(N)])
    h_bar = np.array([wx["mixing_height_m"][max(0, t - 23): t + 1].mean() for t in range(N)])
    h = wx["mixing_height_m"]
    h_clim = np.array([h[max(0, t - 372): min(N, t + 373)].mean() for t in range(N)])
    pace = h_clim / h_bar
    lam = v_bar / 1400.0 / 12.0
    season = 1.0 + 0.3 * np.cos(2 * np.pi * (wx["day_of_year"] - 15.0) / 365.25)
    s = 10.0 * season / 12.0
    wash = 0.15 * wx["rain_mm_h"]
    c = s[0] * pace[0] / (lam[0] * pace[0] + wash[0])
    sub = 600
    means = np.empty(N)
    for t in range(N):
        acc = 0.0
        for _ in range(sub):
            acc += c
            c += (pace[t] * (s[t] - lam[t] * c) - wash[t] * c) / sub
        means[t] = acc / sub
    assert k[-1] == N
    np.testing.assert_allclose(got, means, rtol=2e-3)


def test_pace_keeps_the_steady_state() -> None:
    """Wind and mixing height trading off (u·H constant, so the flushing by V̄ and the source are
    constant) while H swings by a factor 3: the pace (H̃/H̄) swings too, but ``dC/dt =
    pace·(s - λC)`` keeps C at its steady state s/λ = C_ref·V_ref/V at every hour."""
    hours = np.arange(N)
    h = 300.0 * (2.0 + np.sin(2 * np.pi * hours / (24 * 6)))  # six-day synoptic swings
    u = 600.0 / h  # V = 600 m²/s
    region = RegionParams(pm25_ug_m3=10.0, pm25_seasonal_amplitude=0.0, relaxation_h=12.0,
                          ventilation_exponent=1.0, ventilation_ref_m2_s=1400.0,
                          mixing_pace_exponent=1.0)  # fmt: skip
    pace = mixing_pace(h, region.ventilation_window_h, 1.0)
    assert pace.max() / pace.min() > 1.5  # the pace does vary
    got = regional_background(np.full(N, 15.0), u, h, np.zeros(N), region).pm25
    np.testing.assert_allclose(got, 10.0 * 1400.0 / 600.0, rtol=1e-10)
