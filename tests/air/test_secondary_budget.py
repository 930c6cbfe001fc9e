"""Secondary formation conserves sulfur and nitrogen (issue #14, point 1).

The oracle adds up, hour by hour, what leaves a box: each species' hourly mean times its removal
rate (flushing ``u/L``, dry deposition ``v_d/H``, washout for the products) times ``A·H·Δ``. Once
the box has flushed clean, what left must equal what was emitted, in moles of S and of N. The
mixing height is held constant: with ``C`` continuous across a change of ``H`` the box model
gains or loses mass without a flux (entrainment), which is not chemistry.
"""

from __future__ import annotations

import numpy as np

from sim.air.response import AirParams, BoxGeometry, MetArrays, box, products
from sim.air.secondary import SecondaryParams

AREA, LENGTH, H = 21.3e6, 5000.0, 600.0
N_EMIT, N_HOURS = 48, 400
# molar masses written out independently of the code (IUPAC atomic weights S, N, O)
M_S, M_N, M_O = 32.06, 14.007, 15.999
M_SO2, M_SO4 = M_S + 2 * M_O, M_S + 4 * M_O
M_NO2, M_NO3 = M_N + 2 * M_O, M_N + 3 * M_O


def _met(rng: np.random.Generator) -> MetArrays:
    hours = np.arange(N_HOURS)
    sun = np.maximum(0.0, np.sin(2 * np.pi * (hours % 24 - 6) / 24)) * 800.0
    rain = np.where(rng.random(N_HOURS) < 0.1, rng.uniform(0, 5, N_HOURS), 0.0)
    return MetArrays(
        wind_m_s=rng.uniform(1.0, 5.0, N_HOURS),
        mixing_height_m=np.full(N_HOURS, H),
        temperature_c=rng.uniform(-5.0, 30.0, N_HOURS),
        relative_humidity_pct=rng.uniform(30.0, 98.0, N_HOURS),
        solar_w_m2=sun,
        rain_mm_h=rain,
        day_of_year=1.0 + hours / 24.0,
    )


def _left_ug(conc: np.ndarray, met: MetArrays, vd: float, wash_per_h_mm: float) -> float:
    """µg that left the box by wind, deposition and washout over the run."""
    rate_s = met.wind_m_s / LENGTH + vd / H + wash_per_h_mm / 3600.0 * met.rain_mm_h
    return float(np.sum(conc * rate_s * AREA * H * 3600.0))


def test_sulfur_and_nitrogen_budgets_close_to_1e_6():
    rng = np.random.default_rng(7)
    met = _met(rng)
    params = AirParams(district=BoxGeometry(AREA, LENGTH), city=None)
    emission = np.zeros((N_HOURS, 7))
    emission[:N_EMIT] = rng.uniform(0.0, 50.0, (N_EMIT, 7))
    inc = box(emission, met, params.district, params)
    made = products(inc, met, params.district, params)
    wash = params.washout_per_h_per_mm_h
    vd_so2, vd_nox = params.deposition_m_s[3], params.deposition_m_s[2]
    vd_so4, vd_no3 = params.product_deposition_m_s

    emitted_s = emission[:, 3].sum() * 1e9 / M_SO2
    left_s = _left_ug(inc[:, 3], met, vd_so2, 0.0) / M_SO2 + _left_ug(
        made[:, 0], met, vd_so4, wash
    ) / M_SO4
    emitted_n = emission[:, 2].sum() * 1e9 / M_NO2
    left_n = _left_ug(inc[:, 2], met, vd_nox, 0.0) / M_NO2 + _left_ug(
        made[:, 1], met, vd_no3, wash
    ) / M_NO3
    assert abs(left_s / emitted_s - 1.0) < 1e-6
    assert abs(left_n / emitted_n - 1.0) < 1e-6
    # and the conversion is not negligible: a real share leaves as product
    product_n = _left_ug(made[:, 1], met, vd_no3, wash) / M_NO3
    assert product_n / emitted_n > 0.01


def test_precursor_is_depleted_by_conversion_and_nothing_else():
    """Against the same box with every conversion rate 0: SO2 and NOx lower, the rest equal."""
    rng = np.random.default_rng(3)
    met = _met(rng)
    geometry = BoxGeometry(AREA, LENGTH)
    on = AirParams(district=geometry, city=None)
    off = AirParams(
        district=geometry,
        city=None,
        secondary=SecondaryParams(
            oh_ref_molec_cm3=0.0, so2_aqueous_max_per_h=0.0, nox_night_max_per_h=0.0
        ),
    )
    emission = np.ones((N_HOURS, 7))
    a, b = box(emission, met, geometry, on), box(emission, met, geometry, off)
    np.testing.assert_array_equal(a[:, [0, 1, 4, 5, 6]], b[:, [0, 1, 4, 5, 6]])
    assert np.all(a[1:, [2, 3]] < b[1:, [2, 3]])
    assert np.all(products(b, met, geometry, off) == 0.0)
