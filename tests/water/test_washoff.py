"""Build-up and wash-off: closed forms and the Beijing first-flush shares."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.water.washoff import (
    ROAD,
    ROOF,
    buildup_exponential,
    buildup_saturation,
    first_flush_share,
    washoff_coefficient_per_mm,
    washoff_exponential,
)


def test_exponential_washoff_leaves_exp_of_minus_c1_q_t() -> None:
    washed, left = washoff_exponential(10.0, np.full(30, 5.0), 120.0, coeff=0.1, exponent=1.2)
    expected = 10.0 * math.exp(-0.1 * 5.0**1.2 * 1.0)
    assert left == pytest.approx(expected, rel=1e-12)
    assert washed.sum() + left == pytest.approx(10.0, rel=1e-12)


def test_buildup_forms() -> None:
    assert buildup_exponential(np.inf, 50.0, 0.5) == pytest.approx(50.0)
    assert buildup_exponential(2.0, 50.0, 0.5) == pytest.approx(50.0 * (1 - math.exp(-1.0)))
    assert buildup_saturation(3.0, 40.0, 3.0) == pytest.approx(20.0)
    # starting from the build-up reached after 3 days, 3 more days equal 6 days from zero
    assert buildup_saturation(3.0, 40.0, 3.0, initial_kg_ha=20.0) == pytest.approx(
        buildup_saturation(6.0, 40.0, 3.0)
    )


def test_first_flush_defaults_reproduce_beijing_shares() -> None:
    k_roof = washoff_coefficient_per_mm(ROOF.first_flush_share, ROOF.first_flush_depth_mm)
    k_road = washoff_coefficient_per_mm(ROAD.first_flush_share, ROAD.first_flush_depth_mm)
    assert k_roof == pytest.approx(math.log(5) / 10)
    assert first_flush_share(10.0, 1e9, k_roof) == pytest.approx(0.80)
    assert first_flush_share(15.0, 1e9, k_road) == pytest.approx(0.80)
    assert first_flush_share(30.0, 30.0, k_road) == pytest.approx(1.0)
