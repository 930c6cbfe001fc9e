"""Binomial intervals against published values and closed forms."""

from __future__ import annotations

import pytest

from sim.optimise.stats import clopper_pearson, wilson


def test_wilson_all_met_lower_bound_is_n_over_n_plus_z_squared() -> None:
    # k = n: the Wilson lower bound is n / (n + z^2); z(90 %, two-sided) = 1.644854.
    z2 = 1.644854**2
    assert wilson(12, 12, 0.9)[0] == pytest.approx(12 / (12 + z2), abs=1e-6)
    assert wilson(12, 12, 0.9)[1] == 1.0


def test_wilson_8_of_10_matches_the_published_95_interval() -> None:
    # Brown, Cai & DasGupta (2001) / Newcombe (1998) worked example: 8/10 -> [0.4902, 0.9433].
    low, high = wilson(8, 10, 0.95)
    assert (low, high) == pytest.approx((0.4902, 0.9433), abs=1e-4)


def test_clopper_pearson_8_of_10_matches_the_exact_95_interval() -> None:
    # Exact binomial interval of 8/10 (Clopper & Pearson 1934; any table): [0.4439, 0.9748].
    low, high = clopper_pearson(8, 10, 0.95)
    assert (low, high) == pytest.approx((0.4439, 0.9748), abs=1e-4)


def test_clopper_pearson_zero_successes_upper_is_one_minus_alpha_half_root() -> None:
    # k = 0: upper bound 1 - (alpha/2)^(1/n); n = 20, 90 %: 1 - 0.05^(1/20) = 0.13911.
    assert clopper_pearson(0, 20, 0.9) == pytest.approx((0.0, 1 - 0.05 ** (1 / 20)), abs=1e-5)


def test_among_equally_infeasible_bundles_the_cheaper_ranks_first() -> None:
    import numpy as np

    from _support.optimise_toy import LINEAR, toy_spec
    from sim.optimise.evaluate import Evaluation
    from sim.optimise.search import _energy, rank_key

    spec = toy_spec(LINEAR, [{"name": "x0", "key": "x0", "range": [0, 1]}])
    met = np.array([[1.0]] * 6 + [[0.0]] * 6)  # 6 of 12: 90 % Wilson lower bound 0.2855 < 0.8

    def ev(cost: float, x: float) -> Evaluation:
        c = np.full(12, cost)
        return Evaluation({"x0": x}, {"x0": x}, ("toy",), met.copy(), c, c)

    cheap, dear = ev(3.0, 0.1), ev(5.0, 0.2)
    assert _energy(spec, cheap) < _energy(spec, dear)
    assert rank_key(spec, cheap) < rank_key(spec, dear)
    # Shortfall by hand: centre 0.5, half-width z sqrt(1/48 + z²/576) / (1 + z²/12) = 0.2145.
    assert rank_key(spec, cheap)[:2] == pytest.approx((0.8 - 0.2855, 3.0), abs=1e-4)
