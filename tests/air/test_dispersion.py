"""The box model against its closed forms, mass conservation and a plain hour-by-hour loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.air.dispersion import KG_H_TO_UG_S, box_increment, box_rate_constant, box_steady_state

AREA_M2 = 21.3e6  # Hongqiao (DOMAIN.md §3)
LENGTH_M = 5000.0


def _reference_loop(
    emission_kg_h: np.ndarray,
    wind: np.ndarray,
    height: np.ndarray,
    area: float,
    length: float,
    vd: float | np.ndarray = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Hour-by-hour exact stepping, the obvious way: (hour means, end-of-hour values)."""
    c = np.zeros(emission_kg_h.shape[1:])
    means, ends = [], []
    for e, u, h in zip(emission_kg_h, wind, height, strict=True):
        lam = u / length + vd / h
        source = e * KG_H_TO_UG_S / (area * h)
        c_star = source / lam
        decay = np.exp(-lam * 3600.0)
        means.append(c_star + (c - c_star) * (1.0 - decay) / (lam * 3600.0))
        c = c_star + (c - c_star) * decay
        ends.append(c)
    return np.array(means), np.array(ends)


def test_steady_state_matches_the_domain_scale_example() -> None:
    # 200 t/yr over 21.3 km², L = 5 km: q·L/(u·H) with q in µg/m²/s (DOMAIN.md §4 "about 1")
    q = 200e12 / (8760 * 3600) / AREA_M2  # 200 t = 2e14 µg
    e = 200e3 / 8760
    assert box_steady_state(e, 2.4, 600.0, AREA_M2, LENGTH_M) == pytest.approx(q * 5000 / 1440)
    assert box_steady_state(e, 2.4, 600.0, AREA_M2, LENGTH_M) == pytest.approx(1.034, rel=1e-3)
    assert box_steady_state(e, 1.0, 200.0, AREA_M2, LENGTH_M) == pytest.approx(7.44, rel=1e-3)


def test_steady_state_with_deposition_and_loss() -> None:
    e, u, h, vd, k = 10.0, 2.0, 500.0, 0.01, 1e-5
    source = e * KG_H_TO_UG_S / (AREA_M2 * h)
    expected = source / (u / LENGTH_M + vd / h + k)
    assert box_steady_state(e, u, h, AREA_M2, LENGTH_M, vd, k) == pytest.approx(expected)
    assert box_rate_constant(u, h, LENGTH_M, vd, k) == pytest.approx(u / LENGTH_M + vd / h + k)


def test_constant_emission_from_zero_approaches_steady_state_exactly() -> None:
    n, e, u, h, vd = 6, 5.0, 0.5, 300.0, 0.002
    lam = u / LENGTH_M + vd / h
    c_star = box_steady_state(e, u, h, AREA_M2, LENGTH_M, vd)
    emission = np.full(n, e)
    wind, height = np.full(n, u), np.full(n, h)
    ends = box_increment(emission, wind, height, AREA_M2, LENGTH_M, vd, hour_mean=False)
    t_end = 3600.0 * np.arange(1, n + 1)
    np.testing.assert_allclose(ends, c_star * (1 - np.exp(-lam * t_end)), rtol=1e-12)
    means = box_increment(emission, wind, height, AREA_M2, LENGTH_M, vd)
    t0 = t_end - 3600.0
    expected = c_star * (1 - np.exp(-lam * t0) * (1 - np.exp(-lam * 3600)) / (lam * 3600))
    np.testing.assert_allclose(means, expected, rtol=1e-12)


def test_initial_increment_decays_exponentially() -> None:
    n, u, h = 5, 1.0, 400.0
    ends = box_increment(
        np.zeros(n),
        np.full(n, u),
        np.full(n, h),
        AREA_M2,
        LENGTH_M,
        c0_ug_m3=10.0,
        hour_mean=False,
    )
    np.testing.assert_allclose(ends, 10.0 * np.exp(-u / LENGTH_M * 3600 * np.arange(1, n + 1)))


@pytest.mark.parametrize("vd", [0.0, 0.005])
def test_mass_is_conserved(vd: float) -> None:
    rng = np.random.default_rng(7)
    n, h = 200, 450.0
    emission = rng.uniform(0.0, 20.0, n)
    wind = rng.uniform(0.3, 5.0, n)
    means = box_increment(emission, wind, np.full(n, h), AREA_M2, LENGTH_M, vd)
    ends = box_increment(emission, wind, np.full(n, h), AREA_M2, LENGTH_M, vd, hour_mean=False)
    volume = AREA_M2 * h
    emitted = emission.sum() * 1e9  # µg
    in_box = ends[-1] * volume
    advected = np.sum(wind / LENGTH_M * volume * means * 3600.0)
    deposited = np.sum(vd * AREA_M2 * means * 3600.0)
    assert in_box + advected + deposited == pytest.approx(emitted, rel=1e-10)


def test_increment_is_linear_in_emissions() -> None:
    rng = np.random.default_rng(3)
    n = 500
    e1, e2 = rng.uniform(0, 5, n), rng.uniform(0, 5, n)
    wind, height = rng.uniform(0.5, 6, n), rng.uniform(100, 1500, n)

    def run(e: np.ndarray) -> np.ndarray:
        return box_increment(e, wind, height, AREA_M2, LENGTH_M, 0.003)

    np.testing.assert_allclose(run(2 * e1 + 3 * e2), 2 * run(e1) + 3 * run(e2), rtol=1e-11)


def test_a_year_of_several_pollutants_matches_hour_by_hour_stepping() -> None:
    rng = np.random.default_rng(11)
    n = 8784
    emission = rng.uniform(0, 10, (n, 3))
    wind, height = rng.uniform(0.3, 8, n), rng.uniform(50, 2000, n)
    vd = np.array([0.0, 0.002, 0.01])
    means = box_increment(emission, wind, height, AREA_M2, LENGTH_M, vd)
    ends = box_increment(emission, wind, height, AREA_M2, LENGTH_M, vd, hour_mean=False)
    ref_means, ref_ends = _reference_loop(emission, wind, height, AREA_M2, LENGTH_M, vd)
    np.testing.assert_allclose(means, ref_means, rtol=1e-10)
    np.testing.assert_allclose(ends, ref_ends, rtol=1e-10)
    single = box_increment(emission[:, 1], wind, height, AREA_M2, LENGTH_M, 0.002)
    np.testing.assert_allclose(single, means[:, 1], rtol=1e-13)


def test_city_scale_box_uses_the_same_function() -> None:
    n, e, u, h = 24 * 20, 1000.0, 2.0, 800.0
    area, length = 11_966e6, 110e3  # Tianjin; residence time L/u ~ 15 h
    out = box_increment(np.full(n, e), np.full(n, u), np.full(n, h), area, length)
    assert out[-1] == pytest.approx(box_steady_state(e, u, h, area, length), rel=1e-6)
    assert out[0] < 0.1 * out[-1]


def test_rising_mixing_height_dilutes_when_asked() -> None:
    wind, height = np.full(2, 1.0), np.array([200.0, 400.0])
    ends = box_increment(
        np.zeros(2),
        wind,
        height,
        AREA_M2,
        LENGTH_M,
        c0_ug_m3=8.0,
        hour_mean=False,
        dilute_on_rise=True,
    )
    decay = np.exp(-1.0 / LENGTH_M * 3600)
    np.testing.assert_allclose(ends, [8 * decay, 8 * decay * 0.5 * decay])
    kept = box_increment(
        np.zeros(2),
        wind,
        height[::-1],
        AREA_M2,
        LENGTH_M,
        c0_ug_m3=8.0,
        hour_mean=False,
        dilute_on_rise=True,
    )
    np.testing.assert_allclose(kept, [8 * decay, 8 * decay**2])


def test_invalid_inputs_are_rejected() -> None:
    ones = np.ones(3)
    with pytest.raises(ValueError, match="wind_m_s"):
        box_increment(ones, np.zeros(3), ones * 100, AREA_M2, LENGTH_M)
    with pytest.raises(ValueError, match="emission_kg_h"):
        box_increment(-ones, ones, ones * 100, AREA_M2, LENGTH_M)
    with pytest.raises(ValueError, match="hours"):
        box_increment(np.ones((3, 2)), np.ones(4), np.ones(4), AREA_M2, LENGTH_M)


_hours = st.integers(min_value=1, max_value=60)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), n=_hours)
def test_concentrations_are_never_negative_and_grow_with_emission(
    data: st.DataObject, n: int
) -> None:
    positive = st.floats(min_value=0.05, max_value=20.0)
    emission = data.draw(arrays(np.float64, n, elements=st.floats(0.0, 1e3)))
    extra = data.draw(arrays(np.float64, n, elements=st.floats(0.0, 1e3)))
    wind = data.draw(arrays(np.float64, n, elements=positive))
    height = data.draw(arrays(np.float64, n, elements=st.floats(20.0, 3000.0)))
    vd = data.draw(st.floats(0.0, 0.05))
    base = box_increment(emission, wind, height, AREA_M2, LENGTH_M, vd)
    more = box_increment(emission + extra, wind, height, AREA_M2, LENGTH_M, vd)
    assert np.all(base >= 0.0)
    assert np.all(more >= base * (1 - 1e-12))
