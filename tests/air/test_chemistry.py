"""Secondary PM and ozone: closed forms, equilibrium identities and the VOC/NOx regimes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.air.ozone import OzoneParams, nox_limited, ozone_hourly, ozone_production_ug_m3_h
from sim.air.secondary import conversion_rates_per_h, nh4no3_kp_ppb2, secondary_pm

NOON = {"temperature_c": 30.0, "solar_w_m2": 800.0}


def test_nh4no3_dissociation_constant_at_25c() -> None:
    # ln Kp = 84.6 - 24220/298.15 - 6.1·ln(298.15/298) = 3.3626 -> 28.87 ppb²
    assert nh4no3_kp_ppb2(25.0) == pytest.approx(28.87, rel=2e-3)
    assert nh4no3_kp_ppb2(0.0) < 0.05  # cold air keeps nitrate in the particle


def test_gas_phase_sulfate_by_hand() -> None:
    # k = 9e-13 cm³/s · 5e6 OH · 3600 s = 0.0162 /h; dry air: no aqueous pathway
    out = secondary_pm(10.0, 0.0, 0.0, 10.0, 25.0, 50.0, 800.0, 1.0)
    expected = 10.0 * (1 - math.exp(-0.0162)) * 96.056 / 64.058
    assert out.sulfate == pytest.approx(expected, rel=1e-9)
    # ammonium sulfate: 2 NH4 (18.039) per SO4 (96.056), NH3 in excess, no nitrate
    assert out.ammonium == pytest.approx(expected / 96.056 * 2 * 18.039, rel=1e-9)
    assert out.nitrate == 0.0


def test_wet_and_sunny_hours_convert_faster() -> None:
    dry_noon = conversion_rates_per_h(25.0, 40.0, 800.0)
    humid_noon = conversion_rates_per_h(25.0, 90.0, 800.0)
    humid_night = conversion_rates_per_h(5.0, 90.0, 0.0)
    assert humid_noon["SO2"] > dry_noon["SO2"]
    assert humid_noon["SO2"] - dry_noon["SO2"] == pytest.approx(0.03 * 0.75**2)
    assert humid_night["NOx"] == pytest.approx(0.03 * 0.75**2)
    assert humid_night["VOC"] == 0.0


def test_sulfate_and_soa_are_linear_in_their_precursor() -> None:
    met = (10.0, 75.0, 500.0, 6.0)
    one = secondary_pm(20.0, 30.0, 40.0, 15.0, *met)
    two = secondary_pm(40.0, 30.0, 80.0, 15.0, *met)
    assert two.sulfate == pytest.approx(2 * one.sulfate)
    assert two.soa == pytest.approx(2 * one.soa)


def test_soa_yield_by_hand_at_25c() -> None:
    # k_VOC = 8e-12 · 5e6 · 3600 = 0.144 /h; yield 0.03 at 25 °C
    out = secondary_pm(0.0, 0.0, 100.0, 0.0, 25.0, 50.0, 800.0, 2.0)
    assert out.soa == pytest.approx(100 * (1 - math.exp(-0.288)) * 0.03, rel=1e-3)


def test_nitrate_satisfies_the_equilibrium_when_formed() -> None:
    t_c, tau = 15.0, 6.0
    out = secondary_pm(0.0, 60.0, 0.0, 8.0, t_c, 50.0, 600.0, tau)
    ppb_per_umol = 0.0820574 * (t_c + 273.15)
    k_nox = conversion_rates_per_h(t_c, 50.0, 600.0)["NOx"]
    total_n = 60.0 * (1 - np.exp(-k_nox * tau)) / 46.005 * ppb_per_umol
    total_a = 8.0 / 17.031 * ppb_per_umol
    x = out.nitrate / 62.004 * ppb_per_umol
    assert x > 0
    assert (total_a - x) * (total_n - x) == pytest.approx(nh4no3_kp_ppb2(t_c), rel=1e-6)


def test_nitrate_is_limited_by_ammonia() -> None:
    met = (-5.0, 80.0, 200.0, 24.0)
    few_nh3 = [secondary_pm(0.0, nox, 0.0, 1.0, *met).nitrate for nox in (100.0, 200.0)]
    assert few_nh3[1] < 1.2 * few_nh3[0]  # doubling NOx hardly helps: NH3 is used up
    assert few_nh3[1] <= 1.0 / 17.031 * 62.004  # at most one nitrate per ammonia
    plenty = [secondary_pm(0.0, nox, 0.0, 100.0, *met).nitrate for nox in (10.0, 20.0)]
    assert plenty[1] == pytest.approx(2 * plenty[0], rel=1e-3)  # cold, NH3-rich: near linear


def test_sulfate_takes_ammonia_before_nitrate() -> None:
    met = (0.0, 80.0, 400.0, 24.0)
    no_so2 = secondary_pm(0.0, 50.0, 0.0, 3.0, *met).nitrate
    with_so2 = secondary_pm(200.0, 50.0, 0.0, 3.0, *met).nitrate
    assert with_so2 < no_so2


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0, 500),
    st.floats(0, 500),
    st.floats(0, 500),
    st.floats(0, 100),
    st.floats(-20, 40),
    st.floats(0, 100),
    st.floats(0, 1100),
    st.floats(0, 72),
)
def test_secondary_pm_is_never_negative(
    so2: float, nox: float, voc: float, nh3: float, t: float, rh: float, sun: float, tau: float
) -> None:
    out = secondary_pm(so2, nox, voc, nh3, t, rh, sun, tau)
    for value in (out.sulfate, out.nitrate, out.ammonium, out.soa):
        assert np.all(value >= 0.0)
    assert out.nitrate <= nox * 62.004 / 46.005 + 1e-9


def test_production_follows_the_voc_limited_asymptote_at_high_nox() -> None:
    p = OzoneParams()
    nox, voc = 2000.0, 50.0
    air = 101325.0 / (1.380649e-23 * 303.15) * 1e-6
    q = 3.0 * math.exp(0.03 * 5.0) * air * 1e-9 / 3600.0
    # reactivity: anthropogenic VOC + methane (1923 ppb) + isoprene (1 ppb at 30 °C, full sun)
    v = 8e-12 * voc * 1e-12 * 6.02214076e23 / 90.0 + (6.4e-15 * 1923.0 + 1e-10) * air * 1e-9
    b = 1.1e-11 * 0.75 * nox * 1e-12 * 6.02214076e23 / 46.005
    expected = 2.0 * q * v / b * 3600.0 / (1e-12 * 6.02214076e23 / 47.997)
    assert ozone_production_ug_m3_h(nox, voc, params=p, **NOON) == pytest.approx(expected, rel=0.02)


def test_voc_limited_regime_cutting_nox_raises_and_cutting_voc_lowers_o3() -> None:
    nox, voc, bg = 60.0, 30.0, 100.0
    assert not nox_limited(nox, voc, **NOON)
    base = ozone_hourly(bg, nox, voc, **NOON)
    assert ozone_hourly(bg, 0.7 * nox, voc, **NOON) > base
    assert ozone_hourly(bg, nox, 0.7 * voc, **NOON) < base


def test_nox_limited_regime_cutting_nox_lowers_o3() -> None:
    nox, voc, bg = 1.5, 100.0, 100.0
    assert nox_limited(nox, voc, **NOON)
    base = ozone_hourly(bg, nox, voc, **NOON)
    assert ozone_hourly(bg, 0.7 * nox, voc, **NOON) < base
    assert ozone_hourly(bg, nox, 0.7 * voc, **NOON) <= base


def test_night_titration_by_hand() -> None:
    # 80 µg/m³ O3 = 40.09 ppb, 50 µg/m³ NOx = 26.14 ppb at 20 °C; 80 % of NOx is NO
    out = ozone_hourly(80.0, 50.0, 30.0, solar_w_m2=0.0, temperature_c=20.0)
    ppb_o3 = 0.0820574 * 293.15 / 47.997
    expected = (80 * ppb_o3 - 0.8 * 50 * 0.0820574 * 293.15 / 46.005) / ppb_o3
    assert out == pytest.approx(expected, rel=1e-9)
    assert ozone_hourly(20.0, 200.0, 30.0, solar_w_m2=0.0, temperature_c=20.0) == 0.0


def test_daytime_split_satisfies_the_photostationary_state() -> None:
    p = OzoneParams()
    bg, nox, t_c, sun = 90.0, 80.0, 25.0, 400.0
    o3 = float(ozone_hourly(bg, nox, 40.0, solar_w_m2=sun, temperature_c=t_c, params=p))
    pot = bg + float(ozone_production_ug_m3_h(nox, 40.0, sun, t_c, p)) * p.accumulation_time_h
    to_ppb = 0.0820574 * 298.15
    o3_ppb, nox_ppb = o3 * to_ppb / 47.997, nox * to_ppb / 46.005
    no2_ppb = pot * to_ppb / 47.997 + p.no2_fraction_fresh * nox_ppb - o3_ppb
    no_ppb = nox_ppb - no2_ppb
    k = p.k_no_o3_cm3_s * 101325.0 / (1.380649e-23 * 298.15) * 1e-6 * 1e-9
    j = p.jno2_ref_per_s * sun / p.solar_ref_w_m2
    assert j * no2_ppb == pytest.approx(k * no_ppb * o3_ppb, rel=1e-8)


@settings(max_examples=80, deadline=None)
@given(
    st.floats(0, 300),
    st.floats(0, 500),
    st.floats(0, 500),
    st.floats(-20, 40),
)
def test_ozone_is_never_negative_and_night_never_exceeds_background(
    bg: float, nox: float, voc: float, t: float
) -> None:
    night = ozone_hourly(bg, nox, voc, solar_w_m2=0.0, temperature_c=t)
    assert 0.0 <= night <= bg + 1e-9
    for sun in (50.0, 400.0, 1000.0):
        assert ozone_hourly(bg, nox, voc, solar_w_m2=sun, temperature_c=t) >= 0.0


def test_ozone_hourly_is_vectorised_over_a_day() -> None:
    hours = np.arange(24)
    sun = np.clip(800 * np.sin((hours - 6) / 12 * np.pi), 0, None)
    o3 = ozone_hourly(
        np.full(24, 80.0),
        np.full(24, 40.0),
        np.full(24, 60.0),
        sun,
        np.full(24, 28.0),
        OzoneParams(),
    )
    assert o3.shape == (24,)
    assert o3[12] > o3[0]
